import type { Service } from 'kubernetes-types/core/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import { AlarmSummary } from '../../model/alarm';
import { KEYCLOAK_PORTS, SiteSpec, Topology } from '../../model/topology';
import { LATENCY_OBJECTIVE_MS } from '../keycloak-options';
import { INFINISPAN_NAMES } from './infinispan-objects';

/**
 * Prometheus Operator objects (ServiceMonitor, PrometheusRule) are custom resources: render them
 * only when the user enables Prometheus Operator monitoring, because `kubernetes_manifest` needs
 * their CRDs on the cluster at plan time.
 */
export interface MonitoringObjectsOptions {
  /** Namespace of Keycloak (and, with several sites, of the site's Infinispan). @default 'keycloak' */
  readonly namespace?: string;
  /** The `namePrefix` given to `renderKeycloakObjects`. @default 'keycloak' */
  readonly namePrefix?: string;
  /**
   * Labels the Prometheus instance selects ServiceMonitors and PrometheusRules by, e.g.
   * `{ release: 'kube-prometheus-stack' }` for that chart's defaults.
   * @default - none (a Prometheus that selects every ServiceMonitor and PrometheusRule)
   */
  readonly prometheusSelectorLabels?: Readonly<Record<string, string>>;
  /** @default 30 */
  readonly scrapeIntervalSeconds?: number;
  /** @default - the defaults of each threshold */
  readonly thresholds?: MonitoringThresholds;
  /**
   * With several sites: how Prometheus logs in to the site's Infinispan. Its `/metrics` (on the
   * TLS-only 11222 endpoint) requires authentication: the server schema's `metrics-auth` defaults
   * to true and the rendered endpoint leaves it so.
   * @default - required when the topology has several sites, ignored otherwise
   */
  readonly infinispan?: {
    /** The Secret of `InfinispanObjectsOptions.credentialsSecret`, in `namespace`. */
    readonly credentialsSecret: { readonly name: string; readonly usernameKey: string; readonly passwordKey: string };
    /** PEM of the CA that signed Infinispan's certificate (Keycloak's `infinispan.caSecret`), in `namespace`. */
    readonly caSecret: { readonly name: string; readonly key: string };
    /** Name the certificate is checked against. @default `infinispan.<namespace>.svc` (the host Keycloak connects to) */
    readonly serverName?: string;
    /** The `replicas` given to `renderInfinispanObjects`. @default - the site's zone count, at least 2 (that renderer's default) */
    readonly replicas?: number;
  };
}

/** Thresholds to move; those tied to capacity follow the topology. */
export interface MonitoringThresholds {
  /**
   * Successful logins per realm, in percent of login attempts, over 15 minutes.
   * @default 80 - users mistype passwords; below this something systematic fails (a user federation, an identity provider, credential stuffing)
   */
  readonly loginSuccessPercent?: number;
  /** 99th percentile of authentication requests, in milliseconds. @default - 4 × LATENCY_OBJECTIVE_MS (1000), as the AWS response-time alarm */
  readonly loginLatencyP99Ms?: number;
  /** Connections in use on one node, in percent of `keycloak.dbPoolSize`. @default 90 */
  readonly databasePoolPercent?: number;
  /** Read hits of the `realms` and `users` caches, in percent of reads, over 15 minutes. @default 80 */
  readonly cacheHitPercent?: number;
}

/** `monitoring.coreos.com/v1` ServiceMonitor, the fields this library sets. */
export interface ServiceMonitor {
  readonly apiVersion: 'monitoring.coreos.com/v1';
  readonly kind: 'ServiceMonitor';
  readonly metadata: ObjectMeta & { name: string; namespace: string };
  readonly spec: {
    readonly selector: { readonly matchLabels: Record<string, string> };
    readonly namespaceSelector: { readonly matchNames: string[] };
    readonly endpoints: ServiceMonitorEndpoint[];
  };
}

export interface ServiceMonitorEndpoint {
  readonly port: string;
  readonly path: string;
  readonly scheme: 'http' | 'https';
  readonly interval: string;
  readonly basicAuth?: { readonly username: SecretKeySelector; readonly password: SecretKeySelector };
  readonly tlsConfig?: { readonly ca: { readonly secret: SecretKeySelector }; readonly serverName: string };
}

interface SecretKeySelector { readonly name: string; readonly key: string }

/** `monitoring.coreos.com/v1` PrometheusRule. */
export interface PrometheusRule {
  readonly apiVersion: 'monitoring.coreos.com/v1';
  readonly kind: 'PrometheusRule';
  readonly metadata: ObjectMeta & { name: string; namespace: string };
  readonly spec: { readonly groups: { readonly name: string; readonly rules: AlertingRule[] }[] };
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  /** `keycloak_site`, not `site`: rule labels replace the series' own, and the cross-site metric's `site` names the remote site. */
  readonly labels: { readonly severity: 'critical' | 'warning'; readonly keycloak_site: string };
  readonly annotations: { readonly summary: string; readonly description: string; readonly runbook: string };
}

/** What Prometheus needs to watch one site. */
export interface MonitoringObjects {
  /** ClusterIP Service on the management port, so it is scraped without being behind the Ingress. */
  readonly managementService: Service & { apiVersion: 'v1'; kind: 'Service'; metadata: ObjectMeta & { name: string; namespace: string } };
  /** Keycloak's, then (several sites) Infinispan's. */
  readonly serviceMonitors: ServiceMonitor[];
  readonly prometheusRule: PrometheusRule;
}

export const MONITORING_DEFAULTS = {
  loginSuccessPercent: 80,
  /** Four times the objective: the p99 includes password hashing, as on AWS. */
  loginLatencyP99Ms: 4 * LATENCY_OBJECTIVE_MS,
  databasePoolPercent: 90,
  cacheHitPercent: 80,
  scrapeIntervalSeconds: 30,
} as const;

/** Fewer login attempts than this in the window say nothing about a success rate. */
export const MIN_LOGIN_ATTEMPTS = 20;
/** Fewer cache reads than this in the window say nothing about a hit ratio. */
export const MIN_CACHE_READS = 100;
/** Local caches of database entities: a low hit ratio means database load (Keycloak's cache metrics guide). */
const ENTITY_CACHES = ['realms', 'users'] as const;
/**
 * Authentication requests as the URI label of Keycloak's request histogram names them (Keycloak
 * guide "Monitoring performance with Service Level Indicators": templated paths, not real ones).
 */
const AUTHENTICATION_URIS = '/realms/{realm}/protocol/{protocol}.*|/realms/{realm}/login-actions.*';
/** Both PodDisruptionBudgets (Keycloak and Infinispan) allow one unavailable pod. */
const PDB_MAX_UNAVAILABLE = 1;
const RATE_WINDOW = '15m';
const LATENCY_WINDOW = '5m';

interface Resolved {
  readonly namespace: string;
  readonly prefix: string;
  readonly site: string;
  readonly spec: SiteSpec;
  readonly interval: string;
  readonly thresholds: Required<MonitoringThresholds>;
  readonly infinispan?: MonitoringObjectsOptions['infinispan'] & { readonly serverName: string; readonly replicas: number };
  readonly selectorLabels: Record<string, string>;
}

interface AlertSpec extends AlarmSummary {
  readonly severity: 'critical' | 'warning';
  readonly forMinutes: number;
  readonly summary: string;
  readonly description: string;
  readonly runbook: string;
}

/**
 * The Prometheus Operator objects of one site: a management Service, ServiceMonitors for Keycloak
 * (and Infinispan with several sites) and a PrometheusRule whose capacity thresholds follow the
 * topology. Pure and deterministic.
 * @throws listing every invalid option, its value and the fix
 */
export function renderMonitoringObjects(topology: Topology, siteName: string, options: MonitoringObjectsOptions = {}): MonitoringObjects {
  const r = resolve(topology, siteName, options);
  const meta = (name: string, extra: Record<string, string> = {}) => ({
    name, namespace: r.namespace, labels: { ...keycloakLabels(r), ...extra },
  });
  const serviceMonitors: ServiceMonitor[] = [{
    apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: meta(managementName(r), r.selectorLabels),
    spec: {
      // The component label keeps the other Keycloak Services (HTTP, discovery) out.
      selector: { matchLabels: { ...keycloakSelector(r), 'app.kubernetes.io/component': 'management' } },
      namespaceSelector: { matchNames: [r.namespace] },
      endpoints: [{ port: 'management', path: '/metrics', scheme: 'http', interval: r.interval }],
    },
  }];
  if (r.infinispan) {
    const { credentialsSecret: credentials, caSecret, serverName } = r.infinispan;
    serviceMonitors.push({
      apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor',
      metadata: {
        name: INFINISPAN_NAMES.hotRodService, namespace: r.namespace,
        labels: { ...infinispanSelector(r), 'app.kubernetes.io/part-of': 'keycloak-ha', 'topology.keycloak-ha/site': r.site, ...r.selectorLabels },
      },
      spec: {
        // Only the Hot Rod Service has a port named `hotrod`; the discovery Service yields no target.
        selector: { matchLabels: infinispanSelector(r) },
        namespaceSelector: { matchNames: [r.namespace] },
        endpoints: [{
          port: 'hotrod', path: '/metrics', scheme: 'https', interval: r.interval,
          basicAuth: { username: { name: credentials.name, key: credentials.usernameKey }, password: { name: credentials.name, key: credentials.passwordKey } },
          // Prometheus scrapes pod IPs; the certificate names the Service.
          tlsConfig: { ca: { secret: { name: caSecret.name, key: caSecret.key } }, serverName },
        }],
      },
    });
  }
  return {
    managementService: {
      apiVersion: 'v1', kind: 'Service', metadata: meta(managementName(r), { 'app.kubernetes.io/component': 'management' }),
      spec: {
        type: 'ClusterIP',
        selector: keycloakSelector(r),
        ports: [{ name: 'management', port: KEYCLOAK_PORTS.management, targetPort: 'management', protocol: 'TCP' }],
      },
    },
    serviceMonitors,
    prometheusRule: {
      apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: meta(`${r.prefix}-alerts`, r.selectorLabels),
      spec: {
        groups: [{
          name: `keycloak-${r.site}`,
          rules: alertSpecs(topology, r).map((a) => ({
            alert: a.name, expr: a.metric, for: `${a.forMinutes}m`,
            labels: { severity: a.severity, keycloak_site: r.site },
            annotations: { summary: a.summary, description: a.description, runbook: a.runbook },
          })),
        }],
      },
    },
  };
}

/** Every object of `renderMonitoringObjects`, in a fixed order. */
export function monitoringObjectList(objects: MonitoringObjects): (MonitoringObjects['managementService'] | ServiceMonitor | PrometheusRule)[] {
  return [objects.managementService, ...objects.serviceMonitors, objects.prometheusRule];
}

/** The alerts of `renderMonitoringObjects` as an operator reads them (for the review bundle). */
export function monitoringAlertSummaries(topology: Topology, siteName: string, options: MonitoringObjectsOptions = {}): AlarmSummary[] {
  return alertSpecs(topology, resolve(topology, siteName, options)).map(({ name, metric, comparison, threshold, unit, window, why, action }) => ({
    name, metric, comparison, threshold, unit, window, why, action,
  }));
}

// ---- alerts ----------------------------------------------------------------------------------------

function alertSpecs(topology: Topology, r: Resolved): AlertSpec[] {
  const t = r.thresholds;
  const kc = `namespace="${r.namespace}", job="${managementName(r)}"`;
  const ispn = `namespace="${r.namespace}", job="${INFINISPAN_NAMES.hotRodService}"`;
  const pool = topology.keycloak.dbPoolSize;
  const poolThreshold = Math.ceil((pool * t.databasePoolPercent) / 100);
  const latencySeconds = t.loginLatencyP99Ms / 1000;
  const specs: AlertSpec[] = [];

  if (topology.keycloak.version.hasUserEventMetrics) {
    // A failed login is event `login` with a non-empty `error` (Keycloak "Self-provided metrics").
    // `or ... * 0`: a realm where no login succeeded since the pods started has no success series.
    const attempts = `sum by (realm) (increase(keycloak_user_events_total{${kc}, event="login"}[${RATE_WINDOW}]))`;
    const successes = `sum by (realm) (increase(keycloak_user_events_total{${kc}, event="login", error=""}[${RATE_WINDOW}]))`;
    specs.push({
      name: 'KeycloakLoginSuccessRateLow', severity: 'critical', forMinutes: 10,
      metric: `(${successes} or ${attempts} * 0) / ${attempts} * 100 < ${t.loginSuccessPercent} and ${attempts} >= ${MIN_LOGIN_ATTEMPTS}`,
      comparison: 'below', threshold: t.loginSuccessPercent, unit: '% of login attempts per realm',
      window: `for 10 min, over ${RATE_WINDOW}, at least ${MIN_LOGIN_ATTEMPTS} attempts`,
      summary: `Logins fail in realm {{ $labels.realm }} (site ${r.site})`,
      description: `Only {{ $value | printf "%.0f" }} % of login attempts succeeded over ${RATE_WINDOW} (threshold ${t.loginSuccessPercent} %).`,
      why: 'Users cannot log in although Keycloak answers: a user federation or identity provider is down, a realm was misconfigured, or credentials are being stuffed.',
      action: 'Read the `error` label of keycloak_user_events_total and the LOGIN_ERROR log lines; check LDAP/identity providers; block the sources of a credential-stuffing burst.',
      runbook: `RUNBOOK.md, section "Site ${r.site}"`,
    });
  }
  specs.push({
    name: 'KeycloakLoginLatencyHigh', severity: 'warning', forMinutes: 10,
    metric: `histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{${kc}, uri=~"${AUTHENTICATION_URIS}"}[${LATENCY_WINDOW}]))) > ${latencySeconds}`,
    comparison: 'above', threshold: latencySeconds, unit: 's (99th percentile of authentication requests)',
    window: `for 10 min, over ${LATENCY_WINDOW}`,
    summary: `Slow logins (site ${r.site})`,
    description: `The 99th percentile of authentication requests is {{ $value | printf "%.2f" }} s (threshold ${latencySeconds} s, objective ${LATENCY_OBJECTIVE_MS} ms).`,
    why: `Logins slower than ${t.loginLatencyP99Ms} ms for 1 % of users: CPU saturation, a waiting database pool or slow cross-site replication.`,
    action: 'Compare pod CPU with its request, agroal_awaiting_count and Infinispan replication times; add nodes or CPU before the objective is missed for long.',
    runbook: `RUNBOOK.md, section "Site ${r.site}"`,
  });
  specs.push({
    name: 'KeycloakDatabasePoolSaturated', severity: 'warning', forMinutes: 5,
    metric: `max by (pod) (agroal_active_count{${kc}}) >= ${poolThreshold}`,
    comparison: 'above', threshold: poolThreshold, unit: `connections in use on one node, at or above (pool ${pool})`,
    window: 'for 5 min',
    summary: `Database pool nearly exhausted on {{ $labels.pod }} (site ${r.site})`,
    description: `{{ $value }} of ${pool} pooled connections are in use; further requests wait (agroal_awaiting_count).`,
    why: 'Each node opens exactly dbPoolSize connections; when all are busy, requests queue for a connection and logins slow down or time out.',
    action: 'Look for slow statements on the database first; raising dbPoolSize multiplies connections by every node, so check the database connection limit.',
    runbook: `RUNBOOK.md, section "Site ${r.site}"`,
  });
  const caches = `cache=~"${ENTITY_CACHES.join('|')}"`;
  const hits = `sum by (cache) (increase(vendor_statistics_hit_times_seconds_count{${kc}, ${caches}}[${RATE_WINDOW}]))`;
  const misses = `sum by (cache) (increase(vendor_statistics_miss_times_seconds_count{${kc}, ${caches}}[${RATE_WINDOW}]))`;
  specs.push({
    name: 'KeycloakCacheHitRatioLow', severity: 'warning', forMinutes: 15,
    metric: `${hits} / (${hits} + ${misses}) * 100 < ${t.cacheHitPercent} and (${hits} + ${misses}) >= ${MIN_CACHE_READS}`,
    comparison: 'below', threshold: t.cacheHitPercent, unit: `% of reads per cache (${ENTITY_CACHES.join(', ')})`,
    window: `for 15 min, over ${RATE_WINDOW}, at least ${MIN_CACHE_READS} reads`,
    summary: `Cache {{ $labels.cache }} misses often (site ${r.site})`,
    description: `Only {{ $value | printf "%.0f" }} % of reads of cache {{ $labels.cache }} hit (threshold ${t.cacheHitPercent} %).`,
    why: 'Every miss of the realms or users cache is a database query: the cache is too small for the working set, or entries are invalidated constantly.',
    action: 'Compare vendor_statistics_evictions with the cache size; raise cache-embedded-users-max-count / -realms-max-count if memory allows; look for admin scripts that update entities in a loop.',
    runbook: 'RUNBOOK.md, section "Clear Keycloak caches"',
  });
  if (r.infinispan) {
    // 0 offline, 1 online, 2 unknown (nodes that are not relay nodes): the minimum per remote site.
    specs.push({
      name: 'InfinispanCrossSiteViewLost', severity: 'critical', forMinutes: 2,
      metric: `min by (site) (vendor_jgroups_site_view_status{${ispn}}) < 1`,
      comparison: 'below', threshold: 1, unit: '(1 online, 0 offline)',
      window: 'for 2 min',
      summary: `Site ${r.site} lost the cross-site view of site {{ $labels.site }}`,
      description: `Infinispan in site ${r.site} no longer sees site {{ $labels.site }} in its RELAY2 view; backups to it fail or queue.`,
      why: 'Without the remote site in the view, synchronous backups fail and the sites diverge; a fencing decision (take the site offline) is due.',
      action: 'Check the Gossip Routers and the network between the clusters; if the remote site is down, take it offline, and after recovery push state and clear Keycloak caches.',
      runbook: 'RUNBOOK.md, section "Cross-site operations (Infinispan)"',
    });
  }
  specs.push(pdbAlert('KeycloakPodsBelowDisruptionBudget', r.prefix, r.spec.nodes, r));
  if (r.infinispan) specs.push(pdbAlert('InfinispanPodsBelowDisruptionBudget', INFINISPAN_NAMES.statefulSet, r.infinispan.replicas, r));
  return specs;
}

/** Fewer healthy pods than the budget wants: capacity is down and drains are blocked. */
function pdbAlert(name: string, pdb: string, plannedPods: number, r: Resolved): AlertSpec {
  const sel = `namespace="${r.namespace}", poddisruptionbudget="${pdb}"`;
  const desired = Math.max(0, plannedPods - PDB_MAX_UNAVAILABLE);
  return {
    name, severity: 'critical', forMinutes: 5,
    metric: `kube_poddisruptionbudget_status_current_healthy{${sel}} < kube_poddisruptionbudget_status_desired_healthy{${sel}}`,
    comparison: 'below', threshold: desired,
    unit: `healthy pods (desired healthy of PodDisruptionBudget ${pdb}: ${plannedPods} planned − ${PDB_MAX_UNAVAILABLE}; the rule reads the live value)`,
    window: 'for 5 min',
    summary: `PodDisruptionBudget ${pdb} is violated (site ${r.site})`,
    description: `{{ $value }} healthy pods, fewer than PodDisruptionBudget ${pdb} requires; no voluntary disruption is allowed.`,
    why: 'More than one pod is unavailable: the site runs below its planned capacity and node drains or upgrades are blocked.',
    action: 'Find why the pods are not ready (kubectl describe pod, events, node pressure); do not drain further nodes until they recover.',
    runbook: `RUNBOOK.md, section "Site ${r.site}"`,
  };
}

// ---- options ---------------------------------------------------------------------------------------

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function resolve(topology: Topology, site: string, options: MonitoringObjectsOptions): Resolved {
  const problems: string[] = [];
  const fail = (field: string, value: unknown, fix: string) => problems.push(`${field} is ${value === undefined ? 'missing' : JSON.stringify(value)}; ${fix}`);
  const spec = topology.sites[site];
  if (!spec) fail('siteName', site, `use one of the topology's sites (${Object.keys(topology.sites).join(', ')})`);
  const namespace = options.namespace ?? 'keycloak';
  const prefix = options.namePrefix ?? 'keycloak';
  if (typeof namespace !== 'string' || !DNS_LABEL.test(namespace)) fail('namespace', namespace, "use a DNS label such as 'keycloak'");
  // `<prefix>-management` and `<prefix>-alerts` must stay DNS labels too.
  if (typeof prefix !== 'string' || !DNS_LABEL.test(prefix) || prefix.length > 52) fail('namePrefix', prefix, "use the renderKeycloakObjects namePrefix, a DNS label of at most 52 characters");
  const interval = options.scrapeIntervalSeconds ?? MONITORING_DEFAULTS.scrapeIntervalSeconds;
  if (!Number.isInteger(interval) || interval < 5 || interval > 300) fail('scrapeIntervalSeconds', interval, 'use whole seconds from 5 to 300');
  for (const [key, value] of Object.entries({ ...options.prometheusSelectorLabels })) {
    if (!LABEL_KEY.test(key) || typeof value !== 'string' || !LABEL_VALUE.test(value)) fail(`prometheusSelectorLabels['${key}']`, value, 'use a Kubernetes label key and a value of at most 63 characters');
  }
  const thresholds = { ...MONITORING_DEFAULTS, ...options.thresholds };
  for (const key of ['loginSuccessPercent', 'databasePoolPercent', 'cacheHitPercent'] as const) {
    const value = thresholds[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 100) fail(`thresholds.${key}`, value, 'use a percentage above 0 and at most 100');
  }
  const latency = thresholds.loginLatencyP99Ms;
  if (!Number.isInteger(latency) || latency < 1 || latency > 60_000) fail('thresholds.loginLatencyP99Ms', latency, `use whole milliseconds from 1 to 60000 (the objective is ${LATENCY_OBJECTIVE_MS})`);

  let infinispan: Resolved['infinispan'];
  if (topology.mode !== 'single-site') {
    const given = options.infinispan;
    const named = (field: string, value: unknown, pattern: RegExp, what: string) => {
      if (typeof value !== 'string' || !pattern.test(value)) fail(`infinispan.${field}`, value, `use ${what}`);
    };
    named('credentialsSecret.name', given?.credentialsSecret?.name, DNS_SUBDOMAIN, 'the Secret holding the Hot Rod user (Infinispan requires authentication on /metrics)');
    named('credentialsSecret.usernameKey', given?.credentialsSecret?.usernameKey, SECRET_KEY, 'a key of that Secret');
    named('credentialsSecret.passwordKey', given?.credentialsSecret?.passwordKey, SECRET_KEY, 'a key of that Secret');
    named('caSecret.name', given?.caSecret?.name, DNS_SUBDOMAIN, "the Secret holding the PEM of the CA that signed Infinispan's certificate");
    named('caSecret.key', given?.caSecret?.key, SECRET_KEY, 'a key of that Secret');
    const serverName = given?.serverName ?? `${INFINISPAN_NAMES.hotRodService}.${namespace}.svc`;
    named('serverName', serverName, DNS_SUBDOMAIN, "a DNS name in Infinispan's certificate");
    const replicas = given?.replicas ?? Math.max(2, spec?.zoneCount ?? 2);
    if (!Number.isInteger(replicas) || replicas < 2) fail('infinispan.replicas', replicas, 'use the replicas given to renderInfinispanObjects (a whole number of at least 2)');
    if (given) infinispan = { ...given, serverName, replicas };
  }
  if (problems.length > 0) throw new Error(`renderMonitoringObjects: invalid options for site '${site}':\n- ${problems.join('\n- ')}`);
  return {
    namespace, prefix, site, spec, interval: `${interval}s`, infinispan,
    thresholds: {
      loginSuccessPercent: thresholds.loginSuccessPercent, loginLatencyP99Ms: latency,
      databasePoolPercent: thresholds.databasePoolPercent, cacheHitPercent: thresholds.cacheHitPercent,
    },
    selectorLabels: { ...options.prometheusSelectorLabels },
  };
}

const managementName = (r: Resolved) => `${r.prefix}-management`;

/** The Keycloak Deployment's selector (renderKeycloakObjects), built afresh so YAML has no aliases. */
function keycloakSelector(r: Resolved): Record<string, string> {
  return { 'app.kubernetes.io/name': 'keycloak', 'app.kubernetes.io/instance': `${r.prefix}-${r.site}` };
}

/** Labels of the Infinispan Services (renderInfinispanObjects). */
function infinispanSelector(r: Resolved): Record<string, string> {
  return { 'app.kubernetes.io/name': 'infinispan', 'app.kubernetes.io/instance': `infinispan-${r.site}` };
}

function keycloakLabels(r: Resolved): Record<string, string> {
  return { ...keycloakSelector(r), 'app.kubernetes.io/part-of': 'keycloak-ha', 'topology.keycloak-ha/site': r.site };
}
