import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MavenOptions } from './artifacts';
import { KeycloakNode } from './keycloak';
import { HaproxyLoadBalancer } from './load-balancer';
import { TestRealm } from './oidc';
import { RehearsalPlan, Substitution } from './plan';
import { ProcessRegistry, Progress, waitFor } from './runtime';
import { ThrowAwayCa } from './tls';

/** What every rehearsal shape starts from: the plan, the fetched software, the CA, the process registry. */
export interface Prepared {
  readonly plan: RehearsalPlan;
  readonly progress: Progress;
  readonly registry: ProcessRegistry;
  readonly workDir: string;
  readonly java: { readonly java: string; readonly major: number };
  readonly maven: MavenOptions;
  /** The unpacked Keycloak distribution. */
  readonly distHome: string;
  /** Provider jars the image bundles (copied into providers/). */
  readonly providers: readonly string[];
  readonly ca: ThrowAwayCa;
  readonly substitutions: Substitution[];
  readonly heap: string;
  readonly publicHost: string;
}

/** What one shape reports besides its drills. */
export interface ShapeOutcome {
  readonly components: readonly string[];
  readonly scale: readonly string[];
}

export const secret = (): string => randomBytes(18).toString('base64url');

/** The first line a command prints about its version. */
export function versionOf(command: string, args: readonly string[]): string {
  const r = spawnSync(command, [...args], { encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n')[0].trim();
}

/** The realm, client and users the drills log in with (generated secrets). */
export function testRealm(): TestRealm {
  return {
    realm: 'rehearsal', clientId: 'rehearsal-app', clientSecret: secret(), redirectUri: 'https://app.rehearsal.invalid/callback',
    users: Array.from({ length: 4 }, (_, i) => ({ username: `user-${i + 1}`, password: secret() })),
  };
}

/**
 * Starts `first` alone from the distribution (its first start runs Keycloak's build step and
 * creates the schema) and returns a copy of its built home that every other node starts from, as
 * every task starts from the same image.
 */
export async function startFirstNode(ctx: Prepared, first: KeycloakNode): Promise<string> {
  ctx.progress.log(`starting Keycloak ${first.spec.name} alone (it runs the build step and creates the schema; then the others join)`);
  first.prepare(ctx.distHome);
  for (const jar of ctx.providers) writeFileSync(join(first.home, 'providers', jar.split('/').pop() ?? 'provider.jar'), readFileSync(jar));
  await first.start();
  await first.ready(300);
  const template = join(ctx.workDir, 'nodes', 'template');
  cpSync(first.home, template, { recursive: true, filter: (src) => !src.startsWith(join(first.home, 'data')) });
  return template;
}

/** Waits until the load balancer's health checks mark `names` up. */
export async function waitUp(lb: HaproxyLoadBalancer, names: readonly string[], timeoutSeconds: number): Promise<void> {
  await waitFor(`the load balancer's health checks marking ${names.join(', ')} up`, timeoutSeconds, async () => {
    const up = await lb.upServers();
    return names.every((n) => up.includes(n));
  }, 1000);
}
