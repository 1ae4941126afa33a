import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, openSync } from 'node:fs';
import { connect } from 'node:net';

/** A problem the rehearsal can name and the user can fix (no Java, a port in use, …). */
export class RehearsalError extends Error {
  constructor(readonly code: string, message: string, readonly fix: string) {
    super(`[${code}] ${message}. Fix: ${fix}`);
    this.name = 'RehearsalError';
  }
}

/** Progress lines with the elapsed time, so a long run shows which component or drill it is in. */
export class Progress {
  private readonly started = Date.now();
  constructor(private readonly sink: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {}

  /** Seconds since the rehearsal began. */
  elapsed(): number {
    return (Date.now() - this.started) / 1000;
  }

  log(message: string): void {
    this.sink(`[rehearsal ${this.elapsed().toFixed(1).padStart(6)} s] ${message}`);
  }
}

/** A server process the rehearsal started; every one is stopped when the rehearsal ends. */
export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  readonly exited: Promise<number | string>;
  /** The signal of an orderly stop. @default SIGTERM */
  readonly stopSignal?: NodeJS.Signals;
}

/**
 * Starts and tracks the rehearsal's processes. `stopAll()` (also run on SIGINT/SIGTERM and at exit)
 * kills every process group it started, so no server outlives the rehearsal.
 */
export class ProcessRegistry {
  private readonly running = new Set<ManagedProcess>();
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.killAllNow();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  private readonly onExit = () => this.killAllNow();

  constructor() {
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
    process.once('exit', this.onExit);
  }

  start(name: string, command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; logFile: string; stopSignal?: NodeJS.Signals }): ManagedProcess {
    const fd = openSync(options.logFile, 'a');
    const child = spawn(command, [...args], {
      env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', fd, fd], detached: true,
    });
    closeSync(fd);
    const exited = new Promise<number | string>((resolve) => {
      child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
      child.once('error', (error) => resolve(`error: ${error.message}`));
    });
    const managed: ManagedProcess = { name, child, logFile: options.logFile, exited, ...(options.stopSignal ? { stopSignal: options.stopSignal } : {}) };
    this.running.add(managed);
    void exited.then(() => this.running.delete(managed));
    return managed;
  }

  /** `kill -9` of the process group: the abrupt loss of a node. */
  kill(managed: ManagedProcess): Promise<number | string> {
    signalGroup(managed, 'SIGKILL');
    return managed.exited;
  }

  /**
   * `signal` (SIGTERM unless the server wants another for a fast orderly stop, e.g. PostgreSQL's
   * SIGINT), then SIGKILL after `graceSeconds`: an orderly stop as ECS or the kubelet does it.
   */
  async stop(managed: ManagedProcess, graceSeconds: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string> {
    signalGroup(managed, signal);
    const timer = setTimeout(() => signalGroup(managed, 'SIGKILL'), graceSeconds * 1000);
    const result = await managed.exited;
    clearTimeout(timer);
    // Whatever the leader started and left behind in its group goes too.
    signalGroup(managed, 'SIGKILL', true);
    return result;
  }

  async stopAll(): Promise<void> {
    const all = [...this.running];
    await Promise.all(all.map((managed) => this.stop(managed, 10, managed.stopSignal)));
    process.removeListener('SIGINT', this.onSignal);
    process.removeListener('SIGTERM', this.onSignal);
    process.removeListener('exit', this.onExit);
  }

  private killAllNow(): void {
    for (const managed of this.running) signalGroup(managed, 'SIGKILL');
  }
}

function signalGroup(managed: ManagedProcess, signal: NodeJS.Signals, evenIfLeaderExited = false): void {
  if (managed.child.pid === undefined) return;
  if (!evenIfLeaderExited && (managed.child.exitCode !== null || managed.child.signalCode !== null)) return;
  try {
    process.kill(-managed.child.pid, signal);
  } catch {
    // Already gone.
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every `everyMs` until it returns true or `timeoutSeconds` pass. */
export async function waitFor(what: string, timeoutSeconds: number, probe: () => Promise<boolean>, everyMs = 500): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutSeconds * 1000) {
    // A RehearsalError from the probe (e.g. the process died) ends the wait; other errors mean "not yet".
    const ok = await probe().catch((error: unknown) => {
      if (error instanceof RehearsalError) throw error;
      return false;
    });
    if (ok) return (Date.now() - started) / 1000;
    await sleep(everyMs);
  }
  throw new RehearsalError('timeout', `${what} did not happen within ${timeoutSeconds} s`, 'see the component logs in the rehearsal folder');
}

/** Whether something accepts TCP connections on host:port. */
export function isListening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(false));
  });
}

/** Refuses to start when an address the rehearsal needs is taken by something else. */
export async function requireFree(host: string, port: number, what: string): Promise<void> {
  if (await isListening(host, port)) {
    throw new RehearsalError('port-in-use', `${host}:${port} (${what}) is already in use`, `stop what listens there (e.g. \`ss -ltnp 'sport = :${port}'\`) or pass another basePort`);
  }
}

/** Runs a command to completion; throws a RehearsalError with its output on failure. */
export function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; what: string; fix: string; log?: string }): string {
  const result = spawnSync(command, [...args], { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (options.log) {
    appendFileSync(options.log, `$ ${command} ${args.join(' ')}\n${result.stdout ?? ''}${result.stderr ?? ''}\n`);
  }
  if (result.error) {
    throw new RehearsalError('command-missing', `${options.what}: cannot run '${command}' (${result.error.message})`, options.fix);
  }
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new RehearsalError('command-failed', `${options.what}: '${command} ${args.join(' ')}' exited ${result.status}\n${output}`, options.fix);
  }
  return result.stdout;
}

/** Whether `command` is on the PATH. */
export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}
