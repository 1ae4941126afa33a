import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ManagedProcess, ProcessRegistry, Progress, RehearsalError, requireFree, waitFor } from './runtime';

/** One Keycloak node of the rehearsal: its own home, address and log. */
export interface KeycloakNodeSpec {
  readonly name: string;
  /** Where the node runs; a replacement takes the zone of the node it replaces, as ECS rebalances. */
  zone: string;
  /** The node's own loopback address (its "task IP"). */
  readonly address: string;
}

/** Keycloak's ports as the task definition maps them (the rehearsal binds them on the node's address). */
export interface KeycloakPorts { readonly http: number; readonly management: number }

/**
 * A Keycloak node started with `kc.sh <command>` and the environment the task definition carries
 * (options as `KC_*`), after the rehearsal's substitutions.
 */
export class KeycloakNode {
  private process?: ManagedProcess;
  readonly home: string;
  readonly logFile: string;
  private starts = 0;

  constructor(
    private readonly registry: ProcessRegistry,
    private readonly progress: Progress,
    readonly spec: KeycloakNodeSpec,
    workDir: string,
    private readonly launch: {
      readonly java: string; readonly command: readonly string[]; readonly env: Readonly<Record<string, string>>; readonly ports: KeycloakPorts; readonly heap: string;
      /** Command prefix that places the node in its site's network namespace. */
      readonly exec?: readonly string[];
    },
  ) {
    this.home = join(workDir, 'nodes', spec.name);
    this.logFile = join(workDir, `${spec.name}.log`);
  }

  /** Lays out the node's home as a copy of `template` (a distribution, or a node home already built). */
  prepare(template: string): void {
    if (existsSync(join(this.home, 'bin', 'kc.sh'))) return;
    cpSync(template, this.home, { recursive: true, filter: (src) => !src.startsWith(join(template, 'data')) });
  }

  get running(): boolean {
    return this.process !== undefined && this.process.child.exitCode === null && this.process.child.signalCode === null;
  }

  async start(): Promise<void> {
    await requireFree(this.spec.address, this.launch.ports.http, `Keycloak ${this.spec.name}`);
    this.starts += 1;
    const env: NodeJS.ProcessEnv = {
      ...process.env, ...this.launch.env,
      JAVA: this.launch.java,
      JAVA_OPTS_KC_HEAP: this.launch.heap,
    };
    const [command, ...args] = [...(this.launch.exec ?? []), join(this.home, 'bin', 'kc.sh'), ...this.launch.command];
    this.process = this.registry.start(`keycloak ${this.spec.name}`, command, args, { env, logFile: this.logFile });
  }

  /** Whether `/health/ready` on the management port answers 200 now. */
  async isReady(): Promise<boolean> {
    const res = await fetch(`http://${this.spec.address}:${this.launch.ports.management}/health/ready`).catch(() => undefined);
    return res?.status === 200;
  }

  /** Waits until `/health/ready` on the management port answers 200. */
  async ready(timeoutSeconds: number): Promise<number> {
    const exited = this.process?.exited;
    let gone = false;
    void exited?.then(() => { gone = true; });
    const seconds = await waitFor(`Keycloak ${this.spec.name} ready`, timeoutSeconds, async () => {
      if (gone) throw new RehearsalError('keycloak-exited', `Keycloak ${this.spec.name} exited while starting`, `see ${this.logFile}: ${lastLogLines(this.logFile)}`);
      return this.isReady();
    }, 1000).catch((error: unknown) => {
      if (error instanceof RehearsalError && error.code === 'timeout') {
        throw new RehearsalError('keycloak-not-ready', `Keycloak ${this.spec.name} was not ready within ${timeoutSeconds} s`, `see ${this.logFile}: ${lastLogLines(this.logFile)}`);
      }
      throw error;
    });
    this.progress.log(`Keycloak ${this.spec.name} (${this.spec.zone}, ${this.spec.address}) ready after ${seconds.toFixed(1)} s`);
    return seconds;
  }

  kill(): Promise<number | string> {
    if (!this.process) return Promise.resolve('not running');
    return this.registry.kill(this.process);
  }

  /** SIGTERM as ECS sends it, SIGKILL after the container's stop timeout. */
  stop(stopTimeoutSeconds: number): Promise<number | string> {
    if (!this.process) return Promise.resolve('not running');
    return this.registry.stop(this.process, stopTimeoutSeconds);
  }

  /** Members of the last Infinispan cluster view this node logged. */
  lastClusterView(): string[] | undefined {
    const log = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
    const views = [...log.matchAll(/ISPN000094: Received new cluster view for channel \w+: \[[^\]|]+\|\d+\] \(\d+\) \[([^\]]*)\]/g)];
    const last = views.at(-1)?.[1];
    return last === undefined ? undefined : last.split(',').map((m) => m.trim().replace(/\(v=[^)]*\)$/, ''));
  }

  /** Removes the node's home (a replaced task does not keep its disk). */
  discard(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}

function lastLogLines(file: string): string {
  if (!existsSync(file)) return '(no log)';
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(-3);
  return lines.map((l) => {
    try {
      const entry = JSON.parse(l) as { message?: string };
      return entry.message ?? l;
    } catch {
      return l;
    }
  }).join(' | ').slice(0, 600);
}
