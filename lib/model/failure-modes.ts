import { CrossSiteStrategy, ExternalCacheName, SiteSpec, Topology } from './topology';
import { LOAD_BALANCER_ALIAS_TTL_SECONDS } from './failover-time';
import { formatSeconds, formatSecondsRange, SecondsRange } from './seconds';

export type { SecondsRange } from './seconds';

/**
 * What each failure costs a topology, computed from its settings (nodes, zones, owners, health
 * checks, replication), for TOPOLOGY.md and for tests. Pure: no cdktf.
 *
 * Sources for the figures that are not the topology's own:
 * - Aurora, "High availability for Amazon Aurora" (fault tolerance section): with a reader, service
 *   is typically restored in under 60 s, often under 30 s; without one, a new instance typically
 *   takes under 10 minutes; writes reach six storage nodes across zones synchronously.
 *   https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.AuroraHighAvailability.html
 * - Aurora Global Database: storage-level replication to other regions, typically under 1 s behind;
 *   a switchover loses nothing, a failover loses what had not arrived.
 *   https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html
 * - Elastic Load Balancing: a load balancer's DNS name has a 60 s TTL (./failover-time.ts).
 * - ECS services replace an unhealthy task by starting its replacement first when maximumPercent
 *   allows (the service allows one task above `nodes`).
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html
 * - Cross-site backup defaults mirror lib/render/infinispan-caches.ts (Keycloak's blueprint: SYNC,
 *   FAIL, 4.5 s; across regions WARN, ASYNC 15 s), each fenced with the topology's
 *   `caches.takeOffline`, which the renderer puts on every backup. Infinispan takes a site offline
 *   once `minWait` has passed since the first of a run of failed backups and `afterFailures` failed
 *   (infinispan/infinispan OfflineStatus.isOffline); a backup to a site JGroups has not yet
 *   suspected fails only at its timeout, so the run may take `afterFailures` × timeout.
 */

export type ServiceLevel = 'yes' | 'degraded' | 'no';
export type LossExtent = 'none' | 'some' | 'all';


/** A bound on recovery; `max: null` when it waits for an operator. `formula` shows the arithmetic. */
export interface RecoveryTime { readonly min: number; readonly max: number | null; readonly formula: string }

/** One failure and its cost. `id` is stable (`node:<site>`, `zone:<region>`, `site:<site>`, ...). */
export interface FailureMode {
  readonly id: string;
  readonly failure: string;
  readonly keepsServing: ServiceLevel;
  readonly serving: string;
  readonly whoReLogsIn: string;
  /** `fraction`: the estimated share lost (0–1), where the topology's numbers give one. */
  readonly inFlightLoginsLost: { readonly extent: LossExtent; readonly fraction?: number; readonly why: string };
  readonly writesLost: { readonly rpo: 'zero' | 'replication-lag'; readonly why: string };
  /** Until affected users are served again (RTO). */
  readonly recoverySeconds: RecoveryTime;
  /** Until the lost capacity runs again (replacement tasks), where ECS restores it. */
  readonly capacityRestoredSeconds?: RecoveryTime;
  readonly recovery: 'automatic' | 'operator';
  /** What an operator must do: to recover when `recovery` is 'operator', otherwise the follow-up. */
  readonly operatorAction?: string;
  readonly notes: readonly string[];
}

/** How a cross-site backup behaves when the other site is unreachable (a `CrossSiteBackup` of lib/render fits). */
export interface CrossSiteBackupTiming {
  readonly failurePolicy: 'FAIL' | 'WARN' | 'IGNORE';
  readonly timeoutMs: number;
  readonly takeOffline?: { readonly afterFailures: number; readonly minWaitMs: number };
}

export interface FailureAnalysisOptions {
  /** ECS placing a task to Keycloak ready (Fargate, image pull, `kc.sh start`); an assumption, measure yours. @default { min: 60, max: 120 } */
  readonly taskStartSeconds?: SecondsRange;
  /** @default { min: 30, max: 60 } - AWS: typically under 60 s, often under 30 s */
  readonly auroraFailoverSeconds?: SecondsRange;
  /**
   * Health-checked DNS or accelerator in front of the sites, e.g. from `worstCaseFailoverTime`:
   * `{ detectionSeconds, ttlSeconds: dnsPropagationSeconds }`. @default - none: moving users is manual
   */
  readonly dns?: { readonly detectionSeconds: number | SecondsRange; readonly ttlSeconds: number };
  /**
   * The standby's Keycloak writes through the primary's writer (AWS: the Aurora Global Database's
   * global writer endpoint) instead of a read-only replica of its own, so it serves when users reach it.
   * @default false
   */
  readonly standbyWritesThroughPrimary?: boolean;
  /** Infinispan servers per site in multi-site topologies. @default - one per zone of the site */
  readonly infinispanNodesPerSite?: number;
  /** Cross-site backup behaviour per kind of link. @default - the renderer's defaults (see above) with the topology's `caches.takeOffline` */
  readonly backups?: { readonly sameRegionSync?: CrossSiteBackupTiming; readonly crossRegionSync?: CrossSiteBackupTiming; readonly async?: CrossSiteBackupTiming };
}

export const FAILURE_ANALYSIS_DEFAULTS = {
  taskStartSeconds: { min: 60, max: 120 },
  auroraFailoverSeconds: { min: 30, max: 60 },
  /** Without their take-offline rule, which is the topology's `caches.takeOffline`. */
  backups: {
    sameRegionSync: { failurePolicy: 'FAIL', timeoutMs: 4500 } as CrossSiteBackupTiming,
    crossRegionSync: { failurePolicy: 'WARN', timeoutMs: 4500 } as CrossSiteBackupTiming,
    async: { failurePolicy: 'WARN', timeoutMs: 15000 } as CrossSiteBackupTiming,
  },
} as const;

const ELB_DNS_TTL_SECONDS = LOAD_BALANCER_ALIAS_TTL_SECONDS;
const AURORA_NEW_INSTANCE_SECONDS = 600;

interface Ctx {
  readonly t: Topology;
  readonly sites: readonly SiteSpec[];
  readonly multi: boolean;
  readonly taskStart: SecondsRange;
  readonly aurora: SecondsRange;
  /** Detection range of the health-checked DNS, and its TTL. */
  readonly dns?: SecondsRange & { readonly ttl: number };
  readonly ispnNodes?: number;
  readonly standbyWrites: boolean;
  readonly backups: Required<NonNullable<FailureAnalysisOptions['backups']>>;
  /** When a dead node leaves the target group, and the text of that arithmetic. */
  readonly detect: SecondsRange & { readonly text: string };
}

/** Every failure this topology can meet, node first, in a stable order. */
export function analyzeFailures(topology: Topology, options: FailureAnalysisOptions = {}): FailureMode[] {
  const hc = topology.traffic.targetHealthCheck;
  const [U, I, T] = [hc.unhealthyThreshold, hc.intervalSeconds, hc.timeoutSeconds];
  const dns = options.dns;
  const det = typeof dns?.detectionSeconds === 'number' ? { min: dns.detectionSeconds, max: dns.detectionSeconds } : dns?.detectionSeconds;
  const ctx: Ctx = {
    t: topology, sites: Object.values(topology.sites), multi: Object.keys(topology.sites).length > 1,
    taskStart: options.taskStartSeconds ?? FAILURE_ANALYSIS_DEFAULTS.taskStartSeconds,
    aurora: options.auroraFailoverSeconds ?? FAILURE_ANALYSIS_DEFAULTS.auroraFailoverSeconds,
    ...(dns && det ? { dns: { ...det, ttl: dns.ttlSeconds } } : {}),
    ...(options.infinispanNodesPerSite !== undefined ? { ispnNodes: options.infinispanNodesPerSite } : {}),
    standbyWrites: options.standbyWritesThroughPrimary ?? false,
    backups: {
      ...fencedTimings(FAILURE_ANALYSIS_DEFAULTS.backups, topology.caches.takeOffline),
      ...options.backups,
    },
    // The target group needs U failed checks I s apart; the last may run to its T s timeout.
    detect: { min: (U - 1) * I, max: U * I + T, text: `${U} failed checks ${I} s apart ((${U} − 1) × ${I} = ${(U - 1) * I} s to ${U} × ${I} + ${T} s timeout = ${U * I + T} s)` },
  };
  const regions = [...new Set(ctx.sites.map((s) => s.region))];
  const rows = [
    ...ctx.sites.map((site) => nodeRow(ctx, site)),
    ...regions.map((region) => zoneRow(ctx, region)),
    ...(ctx.multi ? [] : [loadBalancerRow()]),
    databaseWriterRow(ctx),
    ...(ctx.multi ? ctx.sites.map((site) => lossRow(ctx, [site], `site:${site.name}`, `site ${site.name} (${site.region})`)) : []),
    ...regions.map((r) => ctx.sites.filter((s) => s.region === r))
      .filter((lost) => lost.length > 1 || !ctx.multi)
      .map((lost) => lossRow(ctx, lost, `region:${lost[0].region}`, `region ${lost[0].region} (${lost.map((s) => s.name).join(', ')})`)),
  ];
  if (ctx.multi) {
    ctx.sites.forEach((a, i) => ctx.sites.slice(i + 1).forEach((b) => rows.push(linkRow(ctx, a, b))));
    rows.push(dnsFalseNegativeRow(ctx));
  }
  return rows;
}

const plural = (names: readonly string[], one: string, many: string): string => `${names.length === 1 ? one : many} ${names.join(', ')}`;
const isStandby = (ctx: Ctx, site: SiteSpec): boolean => ctx.t.mode === 'active-passive' && site.name !== ctx.t.primarySite;
const NO_OUTAGE: RecoveryTime = { min: 0, max: 0, formula: 'no user-visible outage: the standby serves no one' };

function nodeRow(ctx: Ctx, site: SiteSpec): FailureMode {
  const d = ctx.detect;
  const standby = isStandby(ctx, site);
  return {
    id: `node:${site.name}`, failure: `one Keycloak node of site ${site.name}`,
    keepsServing: standby ? 'yes' : 'degraded',
    serving: standby ? 'the standby serves no one; it has one node less until ECS replaces it'
      : `${site.nodes - 1} of ${site.nodes} nodes keep serving; requests of users held to the lost node (AUTH_SESSION_ID stickiness) fail until the load balancer drops it`,
    whoReLogsIn: 'nobody: user sessions live in the database (Keycloak 26 persistent sessions)', inFlightLoginsLost: inFlight(ctx, site, 'node'),
    writesLost: { rpo: 'zero', why: 'no database write is lost; a request the node was processing fails and can be retried' },
    recoverySeconds: standby ? NO_OUTAGE
      : { min: 0, max: d.max, formula: `0 s if the process exits (ECS deregisters the task at once); up to ${d.max} s if it hangs: ${d.text}` },
    capacityRestoredSeconds: replacement(ctx, 1), recovery: 'automatic', notes: [],
  };
}

function zoneRow(ctx: Ctx, region: string): FailureMode {
  const sites = ctx.sites.filter((s) => s.region === region);
  const losses = sites.map((site) => ({ site, lost: Math.ceil(site.nodes / Math.max(1, site.zoneCount)), loss: inFlight(ctx, site, 'zone') }));
  const worst = losses.reduce((a, b) => ((b.loss.fraction ?? 0) > (a.loss.fraction ?? 0) ? b : a));
  const standby = sites.every((site) => isStandby(ctx, site));
  const writerHere = ctx.t.sites[ctx.t.primarySite]?.region === region;
  const max = Math.max(ctx.detect.max, ELB_DNS_TTL_SECONDS, writerHere ? ctx.aurora.max : 0);
  return {
    id: `zone:${region}`, failure: `one availability zone of ${region}` + (ctx.multi ? ` (${plural(sites.map((s) => s.name), 'site', 'sites')})` : ''),
    keepsServing: standby ? 'yes' : 'degraded',
    serving: losses.map((l) => `site ${l.site.name} loses up to ${l.lost} of ${l.site.nodes} nodes (ceil(${l.site.nodes} / ${l.site.zoneCount} zones))`).join('; ') +
      (standby ? '; the standby serves no one' : '; the rest carry the load (see the capacity plan)') +
      (writerHere ? '; if the zone held the database writer, Aurora fails over too' : ''),
    whoReLogsIn: 'nobody: user sessions live in the database, whose storage spans three zones',
    inFlightLoginsLost: { ...worst.loss, why: (sites.length > 1 ? `site ${worst.site.name}: ` : '') + worst.loss.why },
    writesLost: { rpo: 'zero', why: 'Aurora acknowledges a commit only once it is on storage in several zones' },
    recoverySeconds: standby ? NO_OUTAGE : {
      min: ctx.detect.min, max, formula: `nodes: ${ctx.detect.text}; load balancer nodes of the zone: up to the ${ELB_DNS_TTL_SECONDS} s DNS TTL` +
        (writerHere ? `; writer: Aurora failover ${range(ctx.aurora)}` : '') + `; the slowest: ${max} s`,
    },
    capacityRestoredSeconds: replacement(ctx, Math.max(...losses.map((l) => l.lost))), recovery: 'automatic',
    notes: sites.filter((s) => s.natGateways === 'single').map((s) =>
      `site ${s.name} has one NAT gateway: if its zone is the lost one, every zone loses outbound traffic (image pulls for replacements, external identity providers)`),
  };
}

function loadBalancerRow(): FailureMode {
  return {
    id: 'load-balancer', failure: 'the load balancer path (an Application Load Balancer node)',
    keepsServing: 'degraded',
    serving: 'the ALB is managed and runs in every zone of the site; clients holding the failed node\'s address fail until they resolve again',
    whoReLogsIn: 'nobody', recovery: 'automatic', notes: [],
    inFlightLoginsLost: { extent: 'none', fraction: 0, why: 'login state lives in Keycloak, not in the load balancer; the stickiness cookie survives' },
    writesLost: { rpo: 'zero', why: 'the load balancer holds no data' },
    recoverySeconds: { min: 0, max: ELB_DNS_TTL_SECONDS, formula: `up to the ${ELB_DNS_TTL_SECONDS} s TTL of the load balancer's DNS name once AWS withdraws the node's address (AWS publishes no figure for that)` },
  };
}

function databaseWriterRow(ctx: Ctx): FailureMode {
  const { t, aurora, detect } = ctx;
  const withReader = t.database.instances >= 2;
  const time: SecondsRange = withReader ? aurora : { min: aurora.max, max: AURORA_NEW_INSTANCE_SECONDS };
  const notes = [t.keycloak.image.bundlesAwsJdbcWrapper
    ? 'the AWS JDBC wrapper in the image moves pooled connections to the new writer; each pooled connection still fails its next statement once ' +
      '(the wrapper reports a completed failover with SQLState 08S02 and Keycloak does not retry it), so requests keep failing now and then ' +
      'until every connection was used once; a retry succeeds (seen in the rehearsal)'
    : 'the image has no AWS JDBC wrapper: each pooled connection fails once and reconnects through the multi-host URL, so recovery runs past the failover itself'];
  if (time.max > detect.min) {
    notes.push(`readiness includes the database and a node is marked unhealthy after ${range(detect)}, so a failover near its ` +
      `${time.max} s bound can take nodes out: the load balancer then sends to all of them (it fails open) while ECS replaces them`);
  }
  const cluster = ctx.multi && t.mode !== 'active-active' ? `the primary cluster (site ${t.primarySite})` : 'the cluster';
  return {
    id: 'database-writer', failure: `the database writer (Aurora, ${t.database.instances} instance${t.database.instances === 1 ? '' : 's'})`,
    keepsServing: 'degraded',
    serving: 'logins, logouts and token refreshes write to the database and fail until the new writer answers; cached reads (discovery, JWKS) still answer',
    whoReLogsIn: 'nobody', recovery: 'automatic', notes,
    // The rehearsal (PostgreSQL down 10 s, JDBC wrapper): 3 of 4 logins whose form was open had to start again.
    inFlightLoginsLost: { extent: 'some', why: 'the authentication session survives (it is not in the database), but a login whose credentials are ' +
      'submitted while the database is away, or on a pooled connection that has not yet failed once after it, fails and its form cannot be ' +
      'submitted again: the user starts the login over' },
    writesLost: { rpo: 'zero', why: 'a reader takes over the same cluster volume, written synchronously across zones' },
    recoverySeconds: { ...time, formula: withReader
      ? `Aurora promotes a reader of ${cluster}: ${range(time)} (AWS: typically under 60 s, often under 30 s)`
      : `no reader to promote: Aurora creates a new instance, typically under ${AURORA_NEW_INSTANCE_SECONDS / 60} minutes` },
  };
}

/** Losing `lost` sites at once (a site, or every site of a region). */
function lossRow(ctx: Ctx, lost: readonly SiteSpec[], id: string, failure: string): FailureMode {
  const { t } = ctx;
  const names = lost.map((s) => s.name);
  const survivors = ctx.sites.filter((s) => !names.includes(s.name));
  const primary = t.sites[t.primarySite];
  const base = { id, failure, notes: [] as string[] };
  if (survivors.length === 0) {
    return {
      ...base,
      keepsServing: 'no',
      serving: 'nothing remains to serve: every site and the database are in this region',
      whoReLogsIn: 'nobody once the region returns; everyone if the deployment is rebuilt elsewhere',
      inFlightLoginsLost: { extent: 'all', fraction: 1, why: 'they were kept in the lost region only' },
      writesLost: { rpo: 'zero', why: 'nothing is lost if the region comes back (an outage, not a destruction); rebuilding elsewhere needs a copy outside the region, which this topology does not make' },
      recoverySeconds: { min: 0, max: null, formula: 'until the region returns, or an operator rebuilds elsewhere' }, recovery: 'operator',
      operatorAction: 'wait for the region, or restore a snapshot copied to another region and deploy there',
    };
  }
  const dnsPart = ctx.dns ? { min: ctx.dns.min, max: ctx.dns.max + ctx.dns.ttl } : undefined;
  const dnsText = ctx.dns ? `DNS moves users after ${range(ctx.dns)} detection + ${ctx.dns.ttl} s TTL` : 'no health-checked DNS: users move only when an operator repoints the hostname';
  const writerLost = primary !== undefined && names.includes(primary.name) &&
    (t.mode === 'active-passive' || !survivors.some((s) => s.region === primary.region));
  if (writerLost) {
    const standby = survivors[0];
    return {
      ...base,
      keepsServing: 'no',
      serving: `site ${standby.name}'s database is a read-only secondary: logins and refreshes fail until it is promoted`,
      whoReLogsIn: 'users who signed in within the replication lag before the loss (their sessions did not reach the secondary); everyone else keeps their session',
      inFlightLoginsLost: replicated(strategy(ctx, 'authenticationSessions', primary, standby), standby.name),
      writesLost: { rpo: 'replication-lag', why: 'up to the replication lag, typically < 1 s: Aurora Global Database replicates asynchronously and a failover (unlike a switchover) drops what had not arrived; ASYNC cache entries likewise' },
      recoverySeconds: { min: dnsPart?.min ?? 0, max: null, formula: `${dnsText}; logins work once an operator promotes the secondary (AWS: promotion typically within a minute once started)` },
      recovery: 'operator',
      operatorAction: `promote site ${standby.name}'s Aurora cluster (failover-global-cluster with --allow-data-loss)` +
        `${ctx.dns ? '' : `, point the hostname at ${standby.name}`}; ${standby.name}'s Infinispan takes ${names.join(', ')} offline by itself ` +
        `(${backupEffect(ctx, [standby], lost).recovery}); later fail back with a switchover (no data loss) and push state`,
    };
  }
  // The sites left serving back up to the lost ones: synchronous backups make their logins wait or fail until those are taken offline.
  const serving = survivors.filter((s) => !isStandby(ctx, s));
  const effect = backupEffect(ctx, serving, lost);
  const after = t.mode === 'active-passive' ? undefined : dnsPart;
  const min = Math.max(after?.min ?? 0, effect.offline?.min ?? 0);
  const max = (t.mode === 'active-passive' || after) && effect.offline ? Math.max(after?.max ?? 0, effect.offline.max) : null;
  const actions = [
    ...(t.mode === 'active-passive' || ctx.dns ? [] : [`point the hostname at ${survivors.map((s) => s.name).join(', ')}`]),
    ...(effect.offline ? [] : [`take ${names.join(', ')} offline in the Infinispan of ${serving.map((s) => s.name).join(', ')}`]),
    `when ${names.join(', ')} returns: ${t.mode === 'active-passive' ? 're-add its database cluster to the global database, ' : ''}bring it online, push state from ${serving[0].name}, clear Keycloak caches there`,
  ];
  return {
    ...base,
    keepsServing: t.mode === 'active-passive' && effect.text === '' ? 'yes' : 'degraded',
    serving: (t.mode === 'active-passive' ? `the primary site ${t.primarySite} keeps serving; only the standby is gone` : `${plural(survivors.map((s) => s.name), 'site', 'sites')} ${survivors.length === 1 ? 'carries' : 'carry'} the load`) + effect.text,
    whoReLogsIn: 'nobody: sessions live in the database, which survives',
    inFlightLoginsLost: t.mode === 'active-passive' ? { extent: 'none', fraction: 0, why: 'the standby served no one' }
      : replicated(strategy(ctx, 'authenticationSessions', lost[0], survivors[0]), survivors.map((s) => s.name).join(', ')),
    writesLost: t.mode !== 'active-passive' && strategy(ctx, 'authenticationSessions', lost[0], survivors[0]) === 'ASYNC'
      ? { rpo: 'replication-lag', why: 'cache entries within the ASYNC lag; the database is one regional cluster (RPO 0)' }
      : { rpo: 'zero', why: 'the database writer is untouched; caches the survivors need are replicated synchronously or were not in use' },
    recoverySeconds: { min, max, formula: [...(t.mode === 'active-passive' ? [] : [dnsText]), effect.recovery].join('; ') },
    recovery: max === null ? 'operator' : 'automatic',
    operatorAction: actions.join('; '),
    notes: primary && names.includes(primary.name) ? [`if the outage also takes the writer's zone, add the Aurora failover (${range(ctx.aurora)})`] : [],
  };
}

function linkRow(ctx: Ctx, a: SiteSpec, b: SiteSpec): FailureMode {
  const serving = [a, b].filter((s) => !isStandby(ctx, s));
  if (serving.length === 0) return standbyLinkRow(a, b);
  const effects = serving.map((s) => backupEffect(ctx, [s], [s === a ? b : a], 'the other site'));
  const effect = effects.find((e) => e.text !== '') ?? effects[0];
  const fails = effects.some((e) => e.fails.length > 0);
  const dbSite = [a, b].find((s) => s.name !== ctx.t.primarySite);
  return {
    id: `link:${a.name}-${b.name}`, failure: `the cross-site link ${a.name} ↔ ${b.name} (split brain)`,
    keepsServing: effect.text === '' ? 'yes' : 'degraded',
    serving: `${plural(serving.map((s) => s.name), 'site', 'sites')} ${serving.length === 1 ? 'keeps' : 'keep'} serving` + (effect.text || '; backups to the other site fail in the background and its copy goes stale') +
      (effect.offline && effect.text !== '' && serving.length > 1 ? '; the sites then diverge: a user switching sites mid-login restarts it' : ''),
    whoReLogsIn: 'nobody: sessions live in the database',
    inFlightLoginsLost: { extent: 'none', fraction: 0, why: 'every site keeps its own in-flight logins' + (fails ? ', though none can finish while backups fail' : '') },
    writesLost: { rpo: 'zero', why: fails ? 'failed synchronous backups roll back' : 'the serving site keeps every write; the other site\'s copy lacks them until state is pushed' },
    recoverySeconds: { min: effect.offline?.min ?? 0, max: effect.offline?.max ?? null, formula: effect.recovery },
    recovery: effect.offline ? 'automatic' : 'operator',
    operatorAction: (effect.offline ? '' : `take ${b.name} offline in ${a.name}'s Infinispan and ${a.name} in ${b.name}'s, or fence one site out of DNS; `) +
      'when the link is back: bring the sites online, push state, clear Keycloak caches',
    notes: ctx.t.mode === 'active-active' && dbSite && a.region === b.region
      ? [`if site ${dbSite.name} reaches the database over the same link, it loses the database too: its readiness fails and its nodes leave the load balancer`] : [],
  };
}

/**
 * A link between two standbys (three or more sites, active/passive): neither serves, and each
 * receives the primary's backups over its own link, so no login waits on this one.
 */
function standbyLinkRow(a: SiteSpec, b: SiteSpec): FailureMode {
  return {
    id: `link:${a.name}-${b.name}`, failure: `the cross-site link ${a.name} ↔ ${b.name} (two standbys)`,
    keepsServing: 'yes',
    serving: 'neither site serves; each keeps receiving the primary\'s backups over its own link, so no login waits on this one',
    whoReLogsIn: 'nobody', recovery: 'automatic', notes: [],
    inFlightLoginsLost: { extent: 'none', fraction: 0, why: 'the standbys hold no login of their own' },
    writesLost: { rpo: 'zero', why: 'the primary keeps every write' },
    recoverySeconds: NO_OUTAGE,
    operatorAction: 'when the link is back: bring the sites online in each other\'s Infinispan',
  };
}

function dnsFalseNegativeRow(ctx: Ctx): FailureMode {
  const { t, dns } = ctx;
  const site = t.sites[t.primarySite] ?? ctx.sites[0];
  const base = { id: 'dns-false-negative', failure: `the DNS health checker wrongly calls site ${site.name} unhealthy`, whoReLogsIn: 'nobody', notes: [] as string[] };
  if (!dns) {
    return {
      ...base, keepsServing: 'yes', recovery: 'automatic',
      serving: 'no health checker routes users (DNS failover is manual), so a false verdict moves no one; nor does a real failure',
      inFlightLoginsLost: { extent: 'none', fraction: 0, why: 'users stay where they are' },
      writesLost: { rpo: 'zero', why: 'nothing moves' },
      recoverySeconds: { min: 0, max: 0, formula: 'not applicable without health-checked DNS' },
    };
  }
  const back: RecoveryTime = { min: dns.min, max: dns.max + dns.ttl, formula: `users return once the checks pass again: ${range(dns)} + ${dns.ttl} s TTL` };
  if (t.mode === 'active-passive' && ctx.standbyWrites) {
    return {
      ...base, keepsServing: 'degraded', recoverySeconds: back, recovery: 'automatic',
      serving: 'users are sent to the standby, which writes through the global writer endpoint to the primary region: logins work, each write crossing regions',
      inFlightLoginsLost: { extent: 'some', why: 'logins in progress continue only where their authenticationSessions entry reached the standby (ASYNC)' },
      writesLost: { rpo: 'zero', why: 'the primary database keeps everything' },
      operatorAction: 'do not promote the database on a health check alone: confirm the primary is down; if the checker is wrong, override it',
    };
  }
  if (t.mode === 'active-passive') {
    return {
      ...base, keepsServing: 'no', recoverySeconds: back, recovery: 'automatic',
      serving: 'users are sent to a standby whose database is a read-only secondary: logins and refreshes fail while the verdict stands',
      inFlightLoginsLost: { extent: 'none', fraction: 0, why: 'kept in the primary, where they resume when users return (unless they expire)' },
      writesLost: { rpo: 'zero', why: 'the primary database keeps everything' },
      operatorAction: 'do not promote the database on a health check alone: confirm the primary is down; if the checker is wrong, override it',
    };
  }
  const other = ctx.sites.find((s) => s.name !== site.name) ?? site;
  return {
    ...base, keepsServing: 'degraded', recoverySeconds: back, recovery: 'automatic',
    serving: `site ${site.name}'s users move to the other sites, which carry the whole load until the verdict clears`,
    inFlightLoginsLost: replicated(strategy(ctx, 'authenticationSessions', site, other), other.name),
    writesLost: { rpo: 'zero', why: 'every site stays up' },
  };
}

/** Caches a login writes: authentication sessions at every step, action tokens when a code is exchanged. */
const LOGIN_CACHES: readonly ExternalCacheName[] = ['authenticationSessions', 'actionTokens'];

interface BackupEffect {
  readonly fails: readonly ExternalCacheName[];
  /** Appended to `serving`; empty when logins never wait on the lost sites. */
  readonly text: string;
  /** When every blocking backup is taken offline by itself; undefined when an operator must do it. */
  readonly offline?: SecondsRange;
  readonly recovery: string;
}

/** What unreachable `to` sites do to logins in `from` sites through synchronous backups (ASYNC ones never wait). */
function backupEffect(ctx: Ctx, from: readonly SiteSpec[], to: readonly SiteSpec[], what = 'the lost site'): BackupEffect {
  const sync = from.flatMap((f) => to.flatMap((dest) => LOGIN_CACHES.map((cache) => ({ cache, sync: strategy(ctx, cache, f, dest) === 'SYNC', timing: timingOf(ctx, cache, f, dest) }))))
    .filter((x): x is { cache: ExternalCacheName; sync: true; timing: CrossSiteBackupTiming } => x.sync && x.timing !== undefined);
  if (sync.length === 0) return { fails: [], text: '', offline: { min: 0, max: 0 }, recovery: 'no login waits on the lost site' };
  const fails = [...new Set(sync.filter((b) => b.timing.failurePolicy === 'FAIL').map((b) => b.cache))];
  const slowed = [...new Set(sync.filter((b) => b.timing.failurePolicy !== 'FAIL').map((b) => b.cache))].filter((c) => !fails.includes(c));
  const waitS = Math.max(...sync.map((b) => b.timing.timeoutMs)) / 1000;
  const offline = fencingWindow(sync);
  const rule = sync.find((b) => b.timing.takeOffline)?.timing.takeOffline;
  return {
    fails,
    text: (fails.length > 0 ? `; ${fails.join(' and ')} writes wait ${waitS} s for the backup and roll back, so new logins fail` : '') +
      (slowed.length > 0 ? `; ${slowed.join(' and ')} writes wait up to ${waitS} s for the backup, so logins slow down` : '') +
      (offline ? ` until ${what} is taken offline (${range(offline)})` : ` until an operator takes ${what} offline`),
    ...(offline ? { offline } : {}),
    recovery: offline && rule ? `SYNC backups taken offline after ${rule.afterFailures} failures and ${rule.minWaitMs / 1000} s: ${range(offline)} under steady traffic`
      : `SYNC backups with no take-offline rule: logins suffer until an operator takes ${what} offline`,
  };
}

/**
 * When logins stop waiting on the lost sites. Each cache is taken offline by itself, per
 * destination, in parallel. But a login stops at the first FAIL backup that rolls back, so the next
 * cache on its path (LOGIN_CACHES order) sees its first failure only once the one before it is
 * offline: the windows of FAIL caches add up. The rehearsal showed it (Infinispan 15.0.19, 3
 * failures, 15 s, 4.5 s timeout): authenticationSessions offline 18 s after the link was cut,
 * actionTokens 34 s after, logins failing until then. Caches whose backups only warn do not stop
 * a login, so their windows run alongside. Undefined when a backup has no take-offline rule.
 */
function fencingWindow(sync: readonly { cache: ExternalCacheName; timing: CrossSiteBackupTiming }[]): SecondsRange | undefined {
  const windows = sync.map((b) => ({ cache: b.cache, fail: b.timing.failurePolicy === 'FAIL', window: takeOfflineWindow(b.timing) }));
  if (windows.some((w) => !w.window)) return undefined;
  const perCache = (fail: boolean) => LOGIN_CACHES.map((cache) => windows.filter((w) => w.cache === cache && w.fail === fail).map((w) => w.window as SecondsRange))
    .filter((ws) => ws.length > 0)
    .map((ws) => ({ min: Math.max(...ws.map((w) => w.min)), max: Math.max(...ws.map((w) => w.max)) }));
  const failing = perCache(true);
  const sequential = { min: failing.reduce((t, w) => t + w.min, 0), max: failing.reduce((t, w) => t + w.max, 0) };
  const alongside = perCache(false);
  return {
    min: Math.max(sequential.min, ...alongside.map((w) => w.min)),
    max: Math.max(sequential.max, ...alongside.map((w) => w.max)),
  };
}

/** In-flight logins of a site lost with one node or one zone: entries whose every owner was lost. */
function inFlight(ctx: Ctx, site: SiteSpec, scope: 'node' | 'zone'): FailureMode['inFlightLoginsLost'] {
  const owners = ctx.t.caches.owners;
  const perZone = (n: number): number => Math.ceil(n / Math.max(1, site.zoneCount));
  if (!ctx.multi) return ownersLost(scope === 'node' ? 1 : perZone(site.nodes), site.nodes, owners, 'nodes');
  // Multi-site: Keycloak keeps in-flight logins in the site's external Infinispan, not on its own nodes.
  if (scope === 'node') return { extent: 'none', fraction: 0, why: 'Keycloak nodes hold no login state here: it lives in the site\'s external Infinispan' };
  const servers = ctx.ispnNodes ?? site.zoneCount;
  return ownersLost(perZone(servers), servers, owners, 'Infinispan servers');
}

/** In-flight logins of lost sites, by how `authenticationSessions` reach the sites that take over. */
function replicated(auth: CrossSiteStrategy, to: string): FailureMode['inFlightLoginsLost'] {
  if (auth === 'SYNC') return { extent: 'none', fraction: 0, why: `authenticationSessions are replicated synchronously: ${to} holds every in-flight login` };
  if (auth === 'NONE') return { extent: 'all', fraction: 1, why: `authenticationSessions are not replicated: those logins restart in ${to}` };
  return { extent: 'some', why: `those written within the ASYNC replication lag of authenticationSessions before users reach ${to}` };
}

function ownersLost(lost: number, nodes: number, owners: number, what: string): FailureMode['inFlightLoginsLost'] {
  const copies = Math.max(1, Math.min(owners, nodes));
  if (lost < copies) return { extent: 'none', fraction: 0, why: `each entry has ${copies} owners among ${nodes} ${what}; losing ${lost} leaves a copy of every entry` };
  const fraction = choose(lost, copies) / choose(nodes, copies);
  if (fraction >= 1) return { extent: 'all', fraction: 1, why: `all ${nodes} ${what} holding them are lost` };
  return {
    extent: 'some', fraction, why: `≈ ${fmt(fraction * 100)} %: entries whose ${copies} owners were all among the ${lost} lost of ${nodes} ${what} ` +
      '(Infinispan places owners without regard to zones; also action tokens and brute-force counters)',
  };
}

/** ECS starts replacements first; with one task of surge they may start one at a time. */
function replacement(ctx: Ctx, tasks: number): RecoveryTime {
  const hc = ctx.t.traffic.targetHealthCheck;
  const healthy = hc.healthyThreshold * hc.intervalSeconds;
  const min = ctx.detect.min + ctx.taskStart.min + healthy;
  const max = ctx.detect.max + tasks * ctx.taskStart.max + healthy;
  return {
    min, max, formula: `detection ${range(ctx.detect)} + task start ${range(ctx.taskStart)} (assumed)` + (tasks > 1 ? ` × up to ${tasks} tasks in turn` : '') +
      ` + ${hc.healthyThreshold} healthy checks × ${hc.intervalSeconds} s`,
  };
}

function strategy(ctx: Ctx, cache: ExternalCacheName, from: SiteSpec, to: SiteSpec): CrossSiteStrategy {
  const { caches } = ctx.t;
  if (cache === 'loginFailures' && !caches.replicateLoginFailures) return 'NONE';
  return caches.crossSiteStrategies[cache] ?? (cache === 'actionTokens' || from.region === to.region ? 'SYNC' : 'ASYNC');
}

function timingOf(ctx: Ctx, cache: ExternalCacheName, from: SiteSpec, to: SiteSpec): CrossSiteBackupTiming | undefined {
  const chosen = strategy(ctx, cache, from, to);
  if (chosen === 'NONE') return undefined;
  if (chosen === 'ASYNC') return ctx.backups.async;
  return from.region === to.region ? ctx.backups.sameRegionSync : ctx.backups.crossRegionSync;
}

function fencedTimings<T extends Record<string, CrossSiteBackupTiming>>(timings: T, takeOffline: CrossSiteBackupTiming['takeOffline']): T {
  return Object.fromEntries(Object.entries(timings).map(([kind, timing]) => [kind, { ...timing, takeOffline }])) as T;
}

/** Under steady traffic: offline once `minWait` has passed and `afterFailures` backups failed, each taking up to the timeout. */
function takeOfflineWindow(timing: CrossSiteBackupTiming | undefined): SecondsRange | undefined {
  const rule = timing?.takeOffline;
  return !timing || !rule ? undefined : { min: Math.max(rule.minWaitMs, timing.timeoutMs) / 1000, max: (rule.minWaitMs + rule.afterFailures * timing.timeoutMs) / 1000 };
}

/** Binomial coefficient: the ways to pick `k` owners among `n` nodes. */
const choose = (n: number, k: number): number => Array.from({ length: k }, (_, i) => i).reduce((acc, i) => (acc * (n - i)) / (i + 1), 1);
const range = formatSecondsRange;
const fmt = formatSeconds;

const LEVEL: Readonly<Record<ServiceLevel, string>> = { yes: 'yes', degraded: 'degraded', no: '**no**' };

/** The rows as a Markdown table plus notes, for TOPOLOGY.md. Same rows, same bytes. */
export function renderFailureTable(rows: readonly FailureMode[]): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const time = (r: RecoveryTime): string => (r.max === null ? `≥ ${fmt(r.min)} s, operator-bound` : range({ min: r.min, max: r.max }));
  const lines = [
    '| Failure | Keeps serving | Who logs in again | In-flight logins lost | Writes lost (RPO) | Time to recover (RTO) | Recovery |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => '| ' + [
      r.failure,
      `${LEVEL[r.keepsServing]}: ${r.serving}`,
      r.whoReLogsIn,
      `${r.inFlightLoginsLost.extent}: ${r.inFlightLoginsLost.why}`,
      `${r.writesLost.rpo === 'zero' ? '0' : '> 0'}: ${r.writesLost.why}`,
      `${time(r.recoverySeconds)} (${r.recoverySeconds.formula})` +
        (r.capacityRestoredSeconds ? `; capacity back in ${time(r.capacityRestoredSeconds)} (${r.capacityRestoredSeconds.formula})` : ''),
      r.recovery + (r.operatorAction ? `: ${r.operatorAction}` : ''),
    ].map(cell).join(' | ') + ' |'),
  ];
  const notes = rows.flatMap((r) => r.notes.map((n) => `- ${r.failure}: ${n}`));
  return [...lines, ...(notes.length > 0 ? ['', ...notes] : []), ''].join('\n');
}
