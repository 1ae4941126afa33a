import { SiteSpec, Topology } from './topology';
import { analyzeFailures, FAILURE_ANALYSIS_DEFAULTS, FailureAnalysisOptions, FailureMode, RecoveryTime, SecondsRange } from './failure-modes';
import { formatSeconds, formatSecondsRange } from './seconds';
import { KUBERNETES_PROBE_FAILURE_THRESHOLD } from './topology';

/**
 * The failure analysis of ./failure-modes.ts for the Kubernetes rendering (lib/render/kubernetes):
 * same `FailureMode` rows, same `renderFailureTable`. Pod, node, zone, ingress and database rows are
 * Kubernetes' own; the in-flight-login combinatorics and the multi-site rows (site, region, link,
 * DNS) are substrate-neutral, so they are taken from `analyzeFailures` (CloudNativePG rewords their
 * Aurora sentences). Pure and deterministic.
 *
 * Sources for the defaults below:
 * - kube-controller-manager `--node-monitor-grace-period` 50 s since Kubernetes 1.32 (40 s before):
 *   kubernetes/kubernetes PR #126287 ("increased to 50s (earlier 40s)", issue #121793);
 *   `--node-monitor-period` 5 s; https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/
 * - DefaultTolerationSeconds admission plugin: every pod without its own toleration for the
 *   `node.kubernetes.io/not-ready` / `unreachable` NoExecute taints gets one of 300 s
 *   (kube-apiserver `--default-not-ready-toleration-seconds`, `--default-unreachable-toleration-seconds`);
 *   https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/#taint-based-evictions
 * - Zone disruption: a zone with ≥ 55 % (and ≥ 3) nodes NotReady is unhealthy; in clusters of ≤ 50
 *   nodes its eviction rate drops to 0 (`--unhealthy-zone-threshold`, `--large-cluster-size-threshold`,
 *   `--secondary-node-eviction-rate`); https://kubernetes.io/docs/concepts/architecture/nodes/#rate-limits-on-eviction
 * - Container restarts: first at once, then back-off 10 s doubling to 300 s, reset after 10 min
 *   running; https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-restarts
 * - StatefulSet pods on an unreachable node are not deleted until the node is (or they are force
 *   deleted, or the node gets the `node.kubernetes.io/out-of-service` taint);
 *   https://kubernetes.io/docs/tasks/run-application/force-delete-stateful-set-pod/ and
 *   https://kubernetes.io/docs/concepts/cluster-administration/node-shutdown/#non-graceful-node-shutdown
 * - CloudNativePG: failover starts once the primary's readiness fails for `.spec.failoverDelay`
 *   (default 0 s); the old primary first gets a fast shutdown bounded by `.spec.switchoverDelay`
 *   (default 3600 s), then an immediate one; https://cloudnative-pg.io/documentation/current/failover/
 *   Its readiness probe fails after 3 checks 10 s apart (…/instance_manager/). CNPG publishes no
 *   promotion time: `cnpgPromotionSeconds` is an assumption.
 * - Keycloak's probes (failureThreshold 3 at the topology's interval) and the machine name taken
 *   from `spec.nodeName` mirror lib/render/kubernetes/keycloak-objects.ts (a test pins them).
 */

export type KubernetesDatabaseKind = 'external' | 'cloudnative-pg';

export interface KubernetesFailureAnalysisOptions extends Pick<FailureAnalysisOptions, 'dns' | 'backups'> {
  /** `external`: a managed PostgreSQL such as Aurora; `cloudnative-pg`: a CNPG Cluster with synchronous standbys. @default 'external' */
  readonly database?: KubernetesDatabaseKind;
  /** Failover of an external database; the provider's figure. @default { min: 30, max: 60 } - Aurora with a reader */
  readonly externalFailoverSeconds?: SecondsRange;
  /** CNPG electing and promoting a standby once failover starts; an assumption, measure yours. @default { min: 5, max: 15 } */
  readonly cnpgPromotionSeconds?: SecondsRange;
  /** The CNPG Cluster's `postgresql.synchronous.dataDurability`, as rendered. @default 'required' */
  readonly cnpgDataDurability?: 'required' | 'preferred';
  /** A pod scheduled to Keycloak answering `/health/started`; an assumption. @default - FAILURE_ANALYSIS_DEFAULTS.taskStartSeconds */
  readonly podStartSeconds?: SecondsRange;
  /** The cluster's node-monitor-grace-period. @default 50 (Kubernetes ≥ 1.32; use 40 before) */
  readonly nodeMonitorGracePeriodSeconds?: number;
  /** `tolerationSeconds` of the pods for the not-ready/unreachable taints. @default 300 - the admission plugin's */
  readonly tolerationSeconds?: number;
  /** ingress-nginx controller replicas (an assumption about your installation). @default 2 */
  readonly ingressReplicas?: number;
  /** Keycloak pods sharing one worker node (the hostname spread is only ScheduleAnyway). @default 1 */
  readonly podsPerNode?: number;
  /** Infinispan pods per site with several sites. @default - the renderer's: max(2, zones) of the site with fewest zones */
  readonly infinispanNodesPerSite?: number;
}

export const KUBERNETES_FAILURE_DEFAULTS = {
  database: 'external' as KubernetesDatabaseKind,
  externalFailoverSeconds: FAILURE_ANALYSIS_DEFAULTS.auroraFailoverSeconds,
  cnpgPromotionSeconds: { min: 5, max: 15 },
  podStartSeconds: FAILURE_ANALYSIS_DEFAULTS.taskStartSeconds,
  nodeMonitorGracePeriodSeconds: 50,
  nodeMonitorPeriodSeconds: 5,
  tolerationSeconds: 300,
  ingressReplicas: 2,
  podsPerNode: 1,
  /** Keycloak's readiness and liveness `failureThreshold` (the same constant keycloak-objects.ts renders). */
  probeFailureThreshold: KUBERNETES_PROBE_FAILURE_THRESHOLD,
  /** CloudNativePG's readiness probe: 3 failures 10 s apart. */
  cnpgReadiness: { failureThreshold: 3, periodSeconds: 10 },
} as const;

interface K {
  readonly t: Topology;
  readonly o: KubernetesFailureAnalysisOptions;
  readonly aws: readonly FailureMode[];
  readonly cnpg: boolean;
  readonly start: SecondsRange;
  readonly I: number;
  /** A hung process seen by a probe: F failures I apart, the last running to its timeout. */
  readonly hang: SecondsRange & { readonly text: string };
  /** A lost node seen by the node lifecycle controller: the grace period, checked every 5 s. */
  readonly nodeGone: SecondsRange & { readonly text: string };
  readonly tol: number;
  readonly writer: SecondsRange & { readonly text: string };
}

/** Every failure of the Kubernetes deployment of `topology`: pods, nodes, zones, ingress, database, then the multi-site rows. */
export function analyzeKubernetesFailures(topology: Topology, options: KubernetesFailureAnalysisOptions = {}): FailureMode[] {
  const D = KUBERNETES_FAILURE_DEFAULTS;
  const sites = Object.values(topology.sites);
  const hc = topology.traffic.targetHealthCheck;
  const [F, I, T] = [D.probeFailureThreshold, hc.intervalSeconds, hc.timeoutSeconds];
  const G = options.nodeMonitorGracePeriodSeconds ?? D.nodeMonitorGracePeriodSeconds;
  const P = D.nodeMonitorPeriodSeconds;
  const cnpg = (options.database ?? D.database) === 'cloudnative-pg';
  const promo = options.cnpgPromotionSeconds ?? D.cnpgPromotionSeconds;
  const cr = D.cnpgReadiness;
  const ext = options.externalFailoverSeconds ?? D.externalFailoverSeconds;
  const ispn = options.infinispanNodesPerSite ?? Math.max(2, Math.min(...sites.map((s) => s.zoneCount)));
  const k: K = {
    t: topology, o: options, cnpg,
    // Same in-flight combinatorics and multi-site rows as on AWS; only their substrate words differ.
    aws: analyzeFailures(topology, { ...options, auroraFailoverSeconds: ext, infinispanNodesPerSite: ispn }),
    start: options.podStartSeconds ?? D.podStartSeconds, I,
    hang: { min: (F - 1) * I, max: F * I + T, text: `${F} failed probes ${I} s apart ((${F} − 1) × ${I} = ${(F - 1) * I} s to ${F} × ${I} + ${T} s timeout = ${F * I + T} s)` },
    nodeGone: { min: G, max: G + P, text: `node-monitor-grace-period ${G} s (+ up to ${P} s node-monitor-period) before the node lifecycle controller marks its pods not ready` },
    tol: options.tolerationSeconds ?? D.tolerationSeconds,
    writer: cnpg
      ? { min: (cr.failureThreshold - 1) * cr.periodSeconds + promo.min, max: G + P + promo.max,
        text: `CloudNativePG: primary readiness fails after ${(cr.failureThreshold - 1) * cr.periodSeconds}–${cr.failureThreshold * cr.periodSeconds} s (or ${G}–${G + P} s if its node is lost), failoverDelay 0, promotion ${range(promo)} (assumed)` }
      : { ...ext, text: `deferred to the provider: ${range(ext)} (Aurora with a reader: typically under 60 s, often under 30 s)` },
  };
  const regions = [...new Set(sites.map((s) => s.region))];
  const reused = k.aws.filter((r) => /^(site|region|link):|^dns-false-negative$/.test(r.id));
  return [
    ...sites.map((s) => podRow(k, s)),
    ...sites.map((s) => nodeRow(k, s)),
    ...regions.map((r) => zoneRow(k, r)),
    ingressRow(k),
    writerRow(k),
    ...(cnpg ? reused.map(toCloudNativePg(k)) : reused),
  ];
}

const isStandby = (k: K, s: SiteSpec): boolean => k.t.mode === 'active-passive' && s.name !== k.t.primarySite;
const NO_OUTAGE: RecoveryTime = { min: 0, max: 0, formula: 'no user-visible outage: the standby serves no one' };
const awsRow = (k: K, id: string): FailureMode => k.aws.find((r) => r.id === id) as FailureMode;
const add = (a: SecondsRange, b: SecondsRange, extra = 0): SecondsRange => ({ min: a.min + b.min + extra, max: a.max + b.max + extra });

function podRow(k: K, site: SiteSpec): FailureMode {
  const standby = isStandby(k, site);
  // A hung process: liveness (same period and threshold) restarts the container in place; then start-up and one readiness success.
  const capacity = add(k.hang, k.start);
  return {
    id: `pod:${site.name}`, failure: `one Keycloak pod of site ${site.name}`,
    keepsServing: standby ? 'yes' : 'degraded',
    serving: standby ? 'the standby serves no one' : `${site.nodes - 1} of ${site.nodes} pods keep serving; requests pinned to the lost pod by ingress-nginx's cookie fail until its endpoint is removed, then go to another pod`,
    whoReLogsIn: 'nobody: user sessions live in the database (Keycloak 26 persistent sessions)',
    inFlightLoginsLost: awsRow(k, `node:${site.name}`).inFlightLoginsLost,
    writesLost: { rpo: 'zero', why: 'no database write is lost; a request the pod was processing fails and can be retried' },
    recoverySeconds: standby ? NO_OUTAGE : { min: 0, max: k.hang.max, formula: `0 s if the process exits (the kubelet marks the pod not ready and its endpoint is removed at once); up to ${k.hang.max} s if it hangs: readiness, ${k.hang.text}` },
    capacityRestoredSeconds: { min: k.start.min, max: capacity.max + k.I, formula: `a crash: the kubelet restarts the container in the same pod at once (restartPolicy Always; repeated crashes back off 10 s doubling to 300 s), then start ${range(k.start)} (assumed); a hang: liveness restarts it after ${range(k.hang)}, then the same start; + up to ${k.I} s to the first readiness success. No new pod: the Deployment replaces a pod only when it is deleted or evicted` },
    recovery: 'automatic',
    notes: ['liveness (/health/live) excludes the database, so a hang that leaves the management interface answering keeps the pod out of the Service without restarting it: watch for pods not ready for long'],
  };
}

function nodeRow(k: K, site: SiteSpec): FailureMode {
  const standby = isStandby(k, site);
  const pods = Math.min(site.nodes, k.o.podsPerNode ?? KUBERNETES_FAILURE_DEFAULTS.podsPerNode);
  const evicted = add(k.nodeGone, k.start, k.tol);
  return {
    id: `node:${site.name}`, failure: `one Kubernetes worker node of site ${site.name} (${pods} Keycloak pod${pods === 1 ? '' : 's'} on it)`,
    keepsServing: standby ? 'yes' : 'degraded',
    serving: standby ? 'the standby serves no one; it runs short of pods until replacements start' : `${site.nodes - pods} of ${site.nodes} pods keep serving; until the pods leave the endpoints, ingress-nginx sends pinned requests to them and waits for its connect timeout: by default it retries idempotent requests on another pod, while POSTs (login forms) fail`,
    whoReLogsIn: 'nobody: user sessions live in the database',
    inFlightLoginsLost: nodeLoss(k, site, pods),
    writesLost: { rpo: 'zero', why: 'no database write is lost; requests in progress on the node fail' },
    recoverySeconds: standby ? NO_OUTAGE : { min: k.nodeGone.min, max: k.nodeGone.max, formula: `the kubelet can no longer report: ${k.nodeGone.text}, which removes their endpoints` },
    capacityRestoredSeconds: { ...evicted, max: evicted.max + k.I, formula: `detection ${range(k.nodeGone)} + tolerationSeconds ${k.tol} s before eviction; the Deployment then creates replacements at once + start ${range(k.start)} (assumed, plus an image pull on a new node) + up to ${k.I} s to readiness` },
    recovery: 'automatic',
    notes: [evictionNote(k), ...(k.t.mode === 'single-site' ? [] : [statefulSetNote])],
  };
}

/** Keycloak names each pod's machine after its node, so Infinispan puts an entry's owners on distinct nodes when it can. */
function nodeLoss(k: K, site: SiteSpec, pods: number): FailureMode['inFlightLoginsLost'] {
  if (pods === 1 || k.t.mode !== 'single-site') return awsRow(k, `node:${site.name}`).inFlightLoginsLost;
  if (k.t.caches.owners >= 2 && site.nodes > pods) {
    return { extent: 'none', fraction: 0, why: `each entry has ${k.t.caches.owners} owners and the pods take their machine name from their node (spec.nodeName), so Infinispan keeps the owners on distinct nodes: losing ${pods} pods of one node leaves a copy` };
  }
  const fraction = Math.min(1, pods / site.nodes);
  return { extent: fraction >= 1 ? 'all' : 'some', fraction, why: `one owner per entry: the ${pods} of ${site.nodes} pods on the node held ≈ ${fmt(fraction * 100)} % of them` };
}

function zoneRow(k: K, region: string): FailureMode {
  const sites = Object.values(k.t.sites).filter((s) => s.region === region);
  const lost = sites.map((s) => ({ s, pods: Math.ceil(s.nodes / Math.max(1, s.zoneCount)) }));
  const standby = sites.every((s) => isStandby(k, s));
  const writerHere = k.t.sites[k.t.primarySite]?.region === region;
  const max = Math.max(k.nodeGone.max, writerHere ? k.writer.max : 0);
  const evicted = add(k.nodeGone, k.start, k.tol);
  const multi = k.t.mode !== 'single-site';
  return {
    id: `zone:${region}`, failure: `one availability zone of ${region}` + (multi ? ` (sites ${sites.map((s) => s.name).join(', ')})` : ''),
    keepsServing: standby ? 'yes' : 'degraded',
    serving: lost.map(({ s, pods }) => `site ${s.name} loses up to ${pods} of ${s.nodes} pods (ceil(${s.nodes} / ${s.zoneCount} zones): zone spread maxSkew 1, DoNotSchedule)`).join('; ') +
      (standby ? '; the standby serves no one' : '; the rest carry the load') + '; ingress-nginx pods of the zone go too (see the ingress row)' +
      (writerHere ? `; if the zone held the database writer, it fails over too (${k.cnpg ? 'CloudNativePG' : 'the provider'})` : ''),
    whoReLogsIn: `nobody: user sessions live in the database, ${k.cnpg ? 'committed on a synchronous standby in another zone' : 'whose storage spans zones (Aurora)'}`,
    inFlightLoginsLost: awsRow(k, `zone:${region}`).inFlightLoginsLost,
    writesLost: k.cnpg ? cnpgRpo(k) : { rpo: 'zero', why: 'Aurora acknowledges a commit only once it is on storage in several zones' },
    recoverySeconds: standby ? NO_OUTAGE : { min: k.nodeGone.min, max, formula: `pods: ${k.nodeGone.text}` + (writerHere ? `; writer: ${k.writer.text}` : '') + `; the slowest: ${max} s` },
    capacityRestoredSeconds: { ...evicted, max: evicted.max + k.I, formula: `detection ${range(k.nodeGone)} + tolerationSeconds ${k.tol} s; replacements then start together in the surviving zones (nodeTaintsPolicy Honor leaves the tainted zone out of the spread) + start ${range(k.start)} (assumed) + up to ${k.I} s; only if the surviving zones have room, else add the cluster autoscaler's node start` },
    recovery: 'automatic',
    notes: [
      evictionNote(k),
      'if ≥ 55 % (and ≥ 3) but not all nodes of a zone are NotReady in a cluster of ≤ 50 nodes, Kubernetes stops evicting in that zone (secondary eviction rate 0): replacements then wait for an operator; a whole zone down is evicted at the normal rate',
      ...(multi ? [statefulSetNote] : []),
    ],
  };
}

function ingressRow(k: K): FailureMode {
  const replicas = k.o.ingressReplicas ?? KUBERNETES_FAILURE_DEFAULTS.ingressReplicas;
  const single = replicas < 2;
  const max = single ? k.nodeGone.max + k.tol + k.start.max : k.nodeGone.max;
  return {
    id: 'ingress', failure: `one ingress-nginx controller pod (${replicas} replica${single ? '' : 's'} assumed)`,
    keepsServing: single ? 'no' : 'degraded',
    serving: single ? 'the only controller is gone: nothing reaches Keycloak until it runs again'
      : `${replicas - 1} of ${replicas} controllers keep serving; clients whose connections the cloud load balancer sends to the lost one fail until its health check drops it`,
    whoReLogsIn: 'nobody', recovery: 'automatic',
    inFlightLoginsLost: { extent: 'none', fraction: 0, why: 'login state lives in Keycloak; every controller maps the affinity cookie (KC_ROUTE, persistent mode) to the same pod' },
    writesLost: { rpo: 'zero', why: 'the ingress controller holds no data' },
    recoverySeconds: { min: 0, max, formula: single
      ? `a crash: the kubelet restarts it in seconds; its node lost: ${range(k.nodeGone)} detection + ${k.tol} s tolerationSeconds + a new pod (assumed no slower than Keycloak's ${range(k.start)})`
      : `the cloud load balancer's health check (provider-specific; assumed no slower than Kubernetes noticing a lost node, ${k.nodeGone.max} s)` },
    notes: single ? ['run at least 2 controller replicas spread over zones, with a PodDisruptionBudget'] : [],
  };
}

function writerRow(k: K): FailureMode {
  const w = k.writer;
  // Keycloak's readiness includes the database: a failover longer than (F − 1) × I takes every pod out of the Service, and
  // ingress-nginx then answers 503 for everything (unlike an ALB it does not fail open) until a probe passes again.
  const pulled = w.max > k.hang.min;
  const notes = [pulled
    ? `readiness includes the database and fails after ${range(k.hang)}: a failover near its ${w.max} s bound takes every Keycloak pod out of the Service, so ingress-nginx answers 503 to all requests (discovery and JWKS too) until a probe passes again (up to ${k.I} s more, counted)`
    : 'the failover ends before readiness gives up on a pod, so pods stay in the Service'];
  if (k.cnpg) {
    notes.push('a failover first tries a fast shutdown of the failing primary, bounded by .spec.switchoverDelay (default 3600 s): set it to tens of seconds so a wedged primary cannot hold up the promotion');
    notes.push('Keycloak connects through the <cluster>-rw Service, which follows the new primary; pooled connections to the old one fail once and reconnect');
  }
  const writes = k.cnpg ? cnpgRpo(k) : { rpo: 'zero' as const, why: 'a reader takes over the same cluster volume, written synchronously across zones (Aurora)' };
  return {
    id: 'database-writer',
    failure: k.cnpg ? `the database primary (CloudNativePG, ${k.t.database.instances} instances)` : 'the database writer (external, e.g. Aurora)',
    keepsServing: 'degraded',
    serving: 'logins, logouts and token refreshes write to the database and fail until the new primary answers' + (pulled ? '; then every pod is unready and nothing is served' : '; cached reads (discovery, JWKS) still answer'),
    whoReLogsIn: 'nobody', recovery: 'automatic', notes,
    inFlightLoginsLost: { extent: 'none', fraction: 0, why: 'authentication sessions live in Infinispan; the step that failed succeeds when retried' },
    writesLost: writes,
    recoverySeconds: { min: w.min, max: w.max + (pulled ? k.I : 0), formula: w.text + (pulled ? ` + up to ${k.I} s for readiness to pass again` : '') },
  };
}

function cnpgRpo(k: K): FailureMode['writesLost'] {
  return (k.o.cnpgDataDurability ?? 'required') === 'required'
    ? { rpo: 'zero', why: 'every commit waits for a synchronous standby (quorum ANY 1, dataDurability required), and CloudNativePG promotes the most advanced one' +
      (k.t.database.instances < 3 ? '; with 2 instances writes stop while the only standby is down' : '') }
    : { rpo: 'zero', why: 'commits wait for the synchronous standby while it is up; with dataDurability preferred, commits made while no standby was healthy are lost if the primary then fails' };
}

/** The important default few notice: five minutes between a node loss and its pods' replacements. */
function evictionNote(k: K): string {
  return k.tol >= 60
    ? `pods tolerate the not-ready/unreachable taints for ${k.tol} s (Kubernetes' default, added by the DefaultTolerationSeconds admission plugin), so replacements start only ≈ ${k.nodeGone.min + k.tol} s after the node is lost. Fix: give the Keycloak (and Infinispan) pod templates tolerations for node.kubernetes.io/not-ready and node.kubernetes.io/unreachable, effect NoExecute, with tolerationSeconds of e.g. 30 (Keycloak pods are stateless, so an early eviction is cheap)`
    : `pods tolerate the not-ready/unreachable taints for ${k.tol} s (shortened from Kubernetes' 300 s default), so replacements start ≈ ${k.nodeGone.min + k.tol} s after the node is lost`;
}

const statefulSetNote = 'the Infinispan StatefulSet pod of a lost node is not replaced until the node object is deleted, the pod is force-deleted or the node gets the node.kubernetes.io/out-of-service taint (StatefulSets keep at most one pod per identity); the remaining owners serve meanwhile';

/** The multi-site rows of `analyzeFailures` name Aurora; with CloudNativePG the same facts hold for a replica cluster. */
function toCloudNativePg(k: K): (row: FailureMode) => FailureMode {
  const rules: ReadonlyArray<readonly [RegExp, string]> = [
    [/up to the replication lag, typically < 1 s: Aurora Global Database replicates asynchronously and a failover \(unlike a switchover\) drops/,
      'up to the replication lag: a CloudNativePG replica cluster in another site follows asynchronously, and promoting it without demoting the lost primary (unlike a controlled switchover) drops'],
    [/\(AWS: promotion typically within a minute once started\)/, '(CloudNativePG: promote the replica cluster through .spec.replica)'],
    [/'s Aurora cluster \(failover-global-cluster with --allow-data-loss\)/, '\'s CloudNativePG replica cluster (.spec.replica, accepting the lag\'s loss)'],
    [/re-add its database cluster to the global database, /, 'rebuild its CloudNativePG cluster as a replica cluster of the primary, '],
    [/the Aurora failover \([^)]*\)/, `the CloudNativePG failover (${range(k.writer)})`],
    [/Aurora/g, 'the database'],
  ];
  const fix = (s: string): string => rules.reduce((acc, [re, to]) => acc.replace(re, to), s);
  return (r) => ({
    ...r, failure: fix(r.failure), serving: fix(r.serving), whoReLogsIn: fix(r.whoReLogsIn),
    inFlightLoginsLost: { ...r.inFlightLoginsLost, why: fix(r.inFlightLoginsLost.why) },
    writesLost: { ...r.writesLost, why: fix(r.writesLost.why) },
    recoverySeconds: { ...r.recoverySeconds, formula: fix(r.recoverySeconds.formula) },
    ...(r.operatorAction ? { operatorAction: fix(r.operatorAction) } : {}),
    notes: r.notes.map(fix),
  });
}

const fmt = formatSeconds;
const range = formatSecondsRange;
