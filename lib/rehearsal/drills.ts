import { FailureMode } from '../model/failure-modes';
import { KeycloakNode } from './keycloak';
import { HaproxyLoadBalancer } from './load-balancer';
import { Browser, PendingLogin, Tokens } from './oidc';
import { PostgresServer } from './postgres';
import { waitUp } from './context';
import { Progress, sleep } from './runtime';

/** One drill's outcome: what the failure table computed, what the run measured, and the verdict. */
export interface DrillResult {
  readonly id: string;
  readonly title: string;
  /** The failure-table row the drill exercises, if any. */
  readonly failureMode?: string;
  readonly computed: string;
  readonly measured: string;
  readonly passed: boolean;
  /** Assertions checked, each with its outcome. */
  readonly checks: readonly { readonly what: string; readonly ok: boolean }[];
  readonly seconds: number;
}

/** One site as the drills see it: its nodes, its load balancer, its database. */
export interface SiteUnderTest {
  readonly name: string;
  nodes: KeycloakNode[];
  /** Nodes kept free for replacements (rolling restart, ECS replacing a lost task). */
  spares: KeycloakNode[];
  readonly loadBalancer: HaproxyLoadBalancer;
  readonly database: PostgresServer;
  readonly browser: Browser;
  readonly users: readonly { readonly username: string; readonly password: string }[];
  readonly expectedIssuer: string;
  readonly stopTimeoutSeconds: number;
  readonly readyTimeoutSeconds: number;
  /** A built Keycloak home every new node starts from (a fresh task starts from the image). */
  readonly template: string;
}

/** What a probe saw: counts, and how long logins failed. */
export interface ProbeResult {
  readonly attempts: number;
  readonly failed: number;
  /** From the start of the first failed login to the end of the first success after the last failure. */
  readonly outageSeconds: number;
  /** From `since` until a login begun then succeeded (the first success after the last failure); 0 without failure. */
  readonly secondsUntilBack: number;
  /** Whether a login succeeded after the last failure. */
  readonly recovered: boolean;
  readonly firstError?: string;
}

/** Logins attempted back to back through one load balancer while a failure happens. */
export class LoginProbe {
  private readonly attempts: { start: number; end: number; ok: boolean; error?: string }[] = [];
  private running = true;
  private loop?: Promise<void>;

  constructor(private readonly browser: Browser, private readonly users: readonly { readonly username: string; readonly password: string }[]) {}

  start(): this {
    this.loop = (async () => {
      let i = 0;
      while (this.running) {
        const start = Date.now();
        try {
          await this.browser.login(this.users[i++ % this.users.length]);
          this.attempts.push({ start, end: Date.now(), ok: true });
        } catch (error) {
          this.attempts.push({ start, end: Date.now(), ok: false, error: (error as Error).message });
        }
        await sleep(200);
      }
    })();
    return this;
  }

  /**
   * Waits until logins succeed again after `since` (a success after the last failure, or three
   * attempts without a failure), at most `limitSeconds`: a failure drill ends when service is
   * back, not after a fixed time.
   */
  async waitRecovered(since: number, limitSeconds: number): Promise<void> {
    const recovered = () => {
      const after = this.attempts.filter((a) => a.start >= since - 1000);
      // Without a failure, keep probing for 10 s at least: a slow failure must have time to show.
      return after.some((a) => !a.ok) ? after.at(-1)?.ok === true : after.length >= 3 && Date.now() - since >= 10_000;
    };
    while (!recovered() && (Date.now() - since) / 1000 < limitSeconds) await sleep(500);
  }

  /** Stops probing; failures count from a second before `since` (a login under way when it happened). */
  async stop(since = 0): Promise<ProbeResult> {
    this.running = false;
    await this.loop;
    const failed = this.attempts.filter((a) => !a.ok && a.start >= since - 1000);
    const lastFail = failed.at(-1);
    const back = lastFail ? this.attempts.find((a) => a.ok && a.start >= lastFail.end) : undefined;
    return {
      attempts: this.attempts.length, failed: failed.length,
      outageSeconds: lastFail ? ((back?.end ?? lastFail.end) - failed[0].start) / 1000 : 0,
      secondsUntilBack: lastFail ? ((back?.start ?? Date.now()) - since) / 1000 : 0,
      recovered: !lastFail || back !== undefined,
      ...(failed[0]?.error ? { firstError: failed[0].error } : {}),
    };
  }
}

/** Runs one drill, turning an error into a failed result, with progress lines before and after. */
export async function runDrill(progress: Progress, drills: DrillResult[], title: string, drill: () => Promise<DrillResult>): Promise<DrillResult> {
  progress.log(`drill: ${title}`);
  const result = await drill().catch((error: unknown): DrillResult => ({
    id: title, title, computed: '', measured: `error: ${(error as Error).message}`, passed: false, checks: [{ what: 'the drill ran to its end', ok: false }], seconds: 0,
  }));
  progress.log(`drill ${result.passed ? 'passed' : 'FAILED'}: ${result.title}: ${result.measured}`);
  drills.push(result);
  return result;
}

const row = (modes: readonly FailureMode[], id: string) => modes.find((m) => m.id === id);
const seconds = (v: number) => `${v.toFixed(1)} s`;

/** Every node ready on the management port and in one cluster view. */
export async function drillFormation(site: SiteUnderTest, formedSeconds: number): Promise<DrillResult> {
  const started = Date.now();
  const names = site.nodes.map((n) => n.spec.name).sort();
  const views = site.nodes.map((n) => (n.lastClusterView() ?? []).slice().sort());
  const up = (await site.loadBalancer.upServers()).sort();
  const ready = await Promise.all(site.nodes.map((n) => n.isReady()));
  const checks = [
    { what: `every node answers /health/ready on 9000 (${names.join(', ')})`, ok: ready.every(Boolean) },
    { what: `each node's last cluster view holds all ${names.length} nodes`, ok: views.every((v) => JSON.stringify(v) === JSON.stringify(names)) },
    { what: 'the load balancer\'s health checks mark every node up', ok: JSON.stringify(up) === JSON.stringify(names) },
  ];
  return {
    id: 'formation', title: `cluster formation (${names.length} nodes)`, computed: `${names.length} nodes, one cluster (jdbc-ping)`,
    measured: `views: ${views.map((v) => `[${v.join(' ')}]`).join(' ')}; formed in ${seconds(formedSeconds)}; LB up: ${up.join(' ') || 'none'}`,
    passed: checks.every((c) => c.ok), checks, seconds: (Date.now() - started) / 1000,
  };
}

/** An authorization-code login through the load balancer, its issuer, and stickiness on AUTH_SESSION_ID. */
export async function drillLogin(site: SiteUnderTest): Promise<{ result: DrillResult; tokens: Tokens }> {
  const started = Date.now();
  const t0 = Date.now();
  const tokens = await site.browser.login(site.users[0]);
  const loginMs = Date.now() - t0;
  const table = await site.loadBalancer.command('show table keycloak');
  const stuck = (table.match(/key=/g) ?? []).length;
  const refreshed = await site.browser.refresh(tokens).then(() => true, () => false);
  const checks = [
    { what: `token issuer is ${site.expectedIssuer}`, ok: tokens.issuer === site.expectedIssuer },
    { what: 'the load balancer pinned the login to a node by AUTH_SESSION_ID (stick table entry)', ok: stuck > 0 },
    { what: 'the refresh token works through the load balancer', ok: refreshed },
  ];
  return {
    tokens,
    result: {
      id: 'login', title: 'login through the load balancer (authorization code flow)', computed: `issuer ${site.expectedIssuer}`,
      measured: `issuer ${tokens.issuer}; login ${loginMs} ms; ${stuck} sticky entr${stuck === 1 ? 'y' : 'ies'}`,
      passed: checks.every((c) => c.ok), checks, seconds: (Date.now() - started) / 1000,
    },
  };
}

/** The node that holds most of the pending logins (by the AUTH_SESSION_ID route suffix, else the first). */
function nodeHolding(site: SiteUnderTest, pending: readonly PendingLogin[]): KeycloakNode {
  const counts = new Map<string, number>();
  for (const p of pending) {
    const route = p.jar.get('AUTH_SESSION_ID')?.split('.').at(-1);
    if (route) counts.set(route, (counts.get(route) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return site.nodes.find((n) => n.spec.name === best) ?? site.nodes[0];
}

interface DisruptionOutcome {
  readonly probe: ProbeResult;
  readonly sessionsKept: number;
  readonly sessions: number;
  readonly pendingCompleted: number;
  readonly pending: number;
  /** Failed attempts before a half-done login completed or a refresh worked. */
  readonly retried: number;
}

/**
 * Common shape of a failure drill: sessions and half-done logins exist, a probe logs in back to
 * back, `disrupt` happens, then the half-done logins are finished and every session refreshed.
 */
async function underDisruption(site: SiteUnderTest, disrupt: (pending: readonly PendingLogin[]) => Promise<void>, limitSeconds: number): Promise<DisruptionOutcome> {
  const sessions: Tokens[] = [];
  for (const user of site.users) sessions.push(await site.browser.login(user));
  const pending: PendingLogin[] = [];
  for (const user of site.users) pending.push(await site.browser.begin(user));
  const probe = new LoginProbe(site.browser, site.users).start();
  await sleep(1000);
  const since = Date.now();
  await disrupt(pending);
  await probe.waitRecovered(since, limitSeconds);
  await sleep(2000);
  const result = await probe.stop();
  let pendingCompleted = 0;
  // As the failure table says of a failed step: it succeeds when retried (a user submits the form
  // again, a client repeats its refresh). Retries are counted and shown.
  let retried = 0;
  const withRetries = async (attempt: () => Promise<unknown>): Promise<number> => {
    for (let i = 0; i < 3; i++) {
      if (await attempt().then(() => true, () => false)) return 1;
      retried += 1;
      await sleep(1000);
    }
    return 0;
  };
  for (const p of pending) pendingCompleted += await withRetries(() => site.browser.complete(p));
  let sessionsKept = 0;
  for (const s of sessions) sessionsKept += await withRetries(() => site.browser.refresh(s));
  return { probe: result, sessionsKept, sessions: sessions.length, pendingCompleted, pending: pending.length, retried };
}

function outcomeChecks(mode: FailureMode | undefined, o: DisruptionOutcome): { what: string; ok: boolean }[] {
  const max = mode?.recoverySeconds.max ?? null;
  const inFlightNone = mode?.inFlightLoginsLost.extent === 'none';
  return [
    { what: `existing sessions survive (${mode?.whoReLogsIn ?? 'nobody re-logs in'})`, ok: o.sessionsKept === o.sessions },
    ...(max !== null ? [{ what: `failed logins stop within the computed ${max} s`, ok: o.probe.outageSeconds <= max }] : []),
    ...(inFlightNone ? [{ what: 'every login begun before the failure completes (table: none lost)', ok: o.pendingCompleted === o.pending }] : []),
    { what: 'logins succeed after the failure', ok: o.probe.attempts > o.probe.failed },
  ];
}

function describe(o: DisruptionOutcome): string {
  return `failed logins for ${seconds(o.probe.outageSeconds)} (${o.probe.failed} of ${o.probe.attempts} attempts${o.probe.firstError ? `; first error: ${o.probe.firstError}` : ''}); ` +
    `sessions kept ${o.sessionsKept}/${o.sessions}; in-flight logins completed ${o.pendingCompleted}/${o.pending}` +
    (o.retried > 0 ? ` (${o.retried} failed attempt${o.retried === 1 ? '' : 's'} retried)` : '');
}

const computedText = (mode: FailureMode | undefined) => (mode
  ? `recovery ${mode.recoverySeconds.min}–${mode.recoverySeconds.max ?? '∞'} s (${mode.recoverySeconds.formula}); in-flight logins lost: ${mode.inFlightLoginsLost.extent}${mode.inFlightLoginsLost.fraction !== undefined ? ` (${Math.round(mode.inFlightLoginsLost.fraction * 100)} %)` : ''}; re-login: ${mode.whoReLogsIn}`
  : '(no row)');

/** Replaces lost nodes with fresh ones on spare addresses, as ECS starts replacement tasks. */
async function replace(site: SiteUnderTest, lost: readonly KeycloakNode[], progress: Progress): Promise<number> {
  const started = Date.now();
  // ECS (availability-zone rebalancing) starts each replacement in the zone that lost a task.
  const fresh = lost.map((gone) => {
    const spare = site.spares.shift();
    if (spare) {
      spare.spec.zone = gone.spec.zone;
      spare.prepare(site.template);
    }
    return spare;
  }).filter((n): n is KeycloakNode => n !== undefined);
  for (const node of fresh) await node.start();
  for (const node of fresh) await node.ready(site.readyTimeoutSeconds);
  for (const node of fresh) await site.loadBalancer.command(`set server keycloak/${node.spec.name} state ready`);
  for (const node of lost) {
    await site.loadBalancer.command(`set server keycloak/${node.spec.name} state maint`);
    node.discard();
  }
  site.nodes = [...site.nodes.filter((n) => !lost.includes(n)), ...fresh];
  site.spares = [...site.spares, ...lost];
  await waitUp(site.loadBalancer, fresh.map((n) => n.spec.name), 120);
  progress.log(`capacity restored: ${fresh.map((n) => n.spec.name).join(', ')} serving`);
  return (Date.now() - started) / 1000;
}

/** kill -9 of nodes (one node, or every node of a zone), then their replacement. */
export async function drillNodeLoss(site: SiteUnderTest, modes: readonly FailureMode[], progress: Progress, scope: { kind: 'node' } | { kind: 'zone'; zone: string }): Promise<DrillResult> {
  const started = Date.now();
  const mode = row(modes, scope.kind === 'node' ? `node:${site.name}` : modes.find((m) => m.id.startsWith('zone:'))?.id ?? '');
  let victims: KeycloakNode[] = [];
  const outcome = await underDisruption(site, async (pending) => {
    victims = scope.kind === 'node' ? [nodeHolding(site, pending)] : site.nodes.filter((n) => n.spec.zone === scope.zone);
    progress.log(`kill -9 ${victims.map((n) => `${n.spec.name} (${n.spec.zone})`).join(', ')}`);
    await Promise.all(victims.map((n) => n.kill()));
  }, (mode?.recoverySeconds.max ?? 60) + 30);
  const restored = await replace(site, victims, progress);
  const capacityMax = mode?.capacityRestoredSeconds?.max ?? null;
  const checks = [
    ...outcomeChecks(mode, outcome),
    ...(capacityMax !== null ? [{ what: `a replacement serves within the computed ${capacityMax} s`, ok: restored <= capacityMax }] : []),
  ];
  return {
    id: scope.kind === 'node' ? 'node-loss' : 'zone-loss',
    title: scope.kind === 'node' ? 'node loss (kill -9 of the node holding in-flight logins)' : `zone loss (kill -9 of every node in ${scope.zone})`,
    ...(mode ? { failureMode: mode.id } : {}),
    computed: computedText(mode), measured: `${describe(outcome)}; replacement serving after ${seconds(restored)}`,
    passed: checks.every((c) => c.ok), checks, seconds: (Date.now() - started) / 1000,
  };
}

/**
 * A rolling restart as ECS runs it (minimum 100 %, one extra task): per node, a new node starts
 * and passes its health checks, the old one is drained for the deregistration delay, then stopped
 * with SIGTERM. No login may fail.
 */
export async function drillRollingRestart(site: SiteUnderTest, progress: Progress, deregistrationDelaySeconds: number): Promise<DrillResult> {
  const started = Date.now();
  const before = site.nodes.map((n) => n.spec.name);
  const outcome = await underDisruption(site, async () => {
    for (const old of [...site.nodes]) {
      const fresh = site.spares.shift();
      if (!fresh) break;
      fresh.spec.zone = old.spec.zone;
      fresh.prepare(site.template);
      progress.log(`rolling: starting ${fresh.spec.name} to replace ${old.spec.name}`);
      await fresh.start();
      await fresh.ready(site.readyTimeoutSeconds);
      await site.loadBalancer.command(`set server keycloak/${fresh.spec.name} state ready`);
      await waitUp(site.loadBalancer, [fresh.spec.name], 120);
      await site.loadBalancer.command(`set server keycloak/${old.spec.name} state drain`);
      await sleep(deregistrationDelaySeconds * 1000);
      await old.stop(site.stopTimeoutSeconds);
      await site.loadBalancer.command(`set server keycloak/${old.spec.name} state maint`);
      old.discard();
      site.nodes = [...site.nodes.filter((n) => n !== old), fresh];
      site.spares.push(old);
    }
  }, 30);
  const views = site.nodes.map((n) => n.lastClusterView()?.length ?? 0);
  const checks = [
    { what: 'no login fails during the rolling restart', ok: outcome.probe.failed === 0 },
    { what: 'existing sessions survive', ok: outcome.sessionsKept === outcome.sessions },
    { what: 'every login begun before the restart completes', ok: outcome.pendingCompleted === outcome.pending },
    { what: `the new nodes form one cluster of ${site.nodes.length}`, ok: views.every((v) => v === site.nodes.length) },
  ];
  return {
    id: 'rolling-restart', title: `rolling restart, one node at a time (${before.join(', ')} → ${site.nodes.map((n) => n.spec.name).join(', ')})`,
    computed: `no failed login (new task first, ${deregistrationDelaySeconds} s deregistration delay, SIGTERM with a ${site.stopTimeoutSeconds} s stop timeout)`,
    measured: describe(outcome), passed: checks.every((c) => c.ok), checks, seconds: (Date.now() - started) / 1000,
  };
}

/** The database goes away and comes back (stands in for an Aurora writer failover). */
export async function drillDatabaseRestart(site: SiteUnderTest, modes: readonly FailureMode[], progress: Progress, downSeconds: number): Promise<DrillResult> {
  const started = Date.now();
  const mode = row(modes, 'database-writer');
  const outcome = await underDisruption(site, async () => {
    progress.log(`database: fast shutdown, ${downSeconds} s down, start`);
    await site.database.stop();
    await sleep(downSeconds * 1000);
    await site.database.launch();
  }, (mode?.recoverySeconds.max ?? 60) + 30);
  const checks = outcomeChecks(mode, outcome);
  return {
    id: 'database-restart', title: `database restart (${downSeconds} s down; stands in for an Aurora writer failover)`, ...(mode ? { failureMode: mode.id } : {}),
    computed: computedText(mode), measured: describe(outcome), passed: checks.every((c) => c.ok), checks, seconds: (Date.now() - started) / 1000,
  };
}
