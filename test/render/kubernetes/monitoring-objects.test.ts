import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineTopology, TopologyInput } from '../../../lib/model/define';
import { KeycloakVersion } from '../../../lib/model/version';
import { LATENCY_OBJECTIVE_MS } from '../../../lib/render/keycloak-options';
import { renderKeycloakObjects } from '../../../lib/render/kubernetes/keycloak-objects';
import {
  AlertingRule, MIN_CACHE_READS, MIN_LOGIN_ATTEMPTS, MonitoringObjects, MonitoringObjectsOptions, monitoringAlertSummaries,
  monitoringObjectList, renderMonitoringObjects,
} from '../../../lib/render/kubernetes/monitoring-objects';
import { toYaml } from '../../../lib/render/kubernetes/yaml';
import { conformanceUnavailable, runConformance, withScratchFolder } from '../../conformance';

// ---- fixtures ----------------------------------------------------------------------------------

const SINGLE: TopologyInput = { hostname: 'auth.example.com', sites: { 'eu-west': { region: 'eu-west-1', zones: 3, nodes: 3 } } };
const TWO_SITES: TopologyInput = {
  hostname: 'auth.example.com',
  sites: { 'eu-a': { region: 'eu-west-1', cidr: '10.10.0.0/16' }, 'eu-b': { region: 'eu-west-1', cidr: '10.20.0.0/16' } },
};
const INFINISPAN: NonNullable<MonitoringObjectsOptions['infinispan']> = {
  credentialsSecret: { name: 'infinispan-credentials', usernameKey: 'username', passwordKey: 'password' },
  caSecret: { name: 'infinispan-ca', key: 'ca.pem' },
};

const single = (options: MonitoringObjectsOptions = {}, input: Partial<TopologyInput> = {}) =>
  renderMonitoringObjects(defineTopology({ ...SINGLE, ...input }), 'eu-west', options);
const twoSites = (options: MonitoringObjectsOptions = { infinispan: INFINISPAN }) =>
  renderMonitoringObjects(defineTopology(TWO_SITES), 'eu-b', options);

function rules(objects: MonitoringObjects): Record<string, AlertingRule> {
  return Object.fromEntries(objects.prometheusRule.spec.groups.flatMap((g) => g.rules).map((rule) => [rule.alert, rule]));
}

// ---- objects -----------------------------------------------------------------------------------

describe('renderMonitoringObjects', () => {
  test('GIVEN a single site THEN a management Service, one ServiceMonitor and the rule, in the namespace', () => {
    const objects = single();
    expect(monitoringObjectList(objects).map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.name}`)).toEqual([
      'v1 Service/keycloak-management',
      'monitoring.coreos.com/v1 ServiceMonitor/keycloak-management',
      'monitoring.coreos.com/v1 PrometheusRule/keycloak-alerts',
    ]);
    for (const object of monitoringObjectList(objects)) expect(object.metadata.namespace).toBe('keycloak');
  });

  test('the management Service selects exactly the Keycloak Deployment\'s pods on 9000', () => {
    const topology = defineTopology(SINGLE);
    const deployment = renderKeycloakObjects(topology, 'eu-west', {
      database: { cnpg: { clusterName: 'keycloak-db' }, credentialsSecret: { name: 'db', usernameKey: 'username', passwordKey: 'password' } },
      bootstrapAdminSecret: { name: 'admin', passwordKey: 'password' },
      ingress: { tlsSecretName: 'tls' },
      trustedProxyCidrs: ['10.244.0.0/16'],
    }).find((o) => o.kind === 'Deployment' && o.metadata.name === 'keycloak');
    if (deployment?.kind !== 'Deployment') throw new Error('no Deployment keycloak');
    const { managementService } = renderMonitoringObjects(topology, 'eu-west', {});
    expect(managementService.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'keycloak', 'app.kubernetes.io/instance': 'keycloak-eu-west' },
      ports: [{ name: 'management', port: 9000, targetPort: 'management', protocol: 'TCP' }],
    });
    expect(managementService.spec!.selector).toEqual(deployment.spec!.selector.matchLabels);
  });

  test('the Keycloak ServiceMonitor scrapes /metrics on the management port of that Service only', () => {
    const objects = single({ prometheusSelectorLabels: { release: 'kube-prometheus-stack' }, scrapeIntervalSeconds: 15 });
    const [monitor] = objects.serviceMonitors;
    expect(monitor.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'keycloak', 'app.kubernetes.io/instance': 'keycloak-eu-west', 'app.kubernetes.io/component': 'management' } },
      namespaceSelector: { matchNames: ['keycloak'] },
      endpoints: [{ port: 'management', path: '/metrics', scheme: 'http', interval: '15s' }],
    });
    // The selector matches the management Service's labels and nothing the HTTP Service carries.
    expect(objects.managementService.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(monitor.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    expect(objects.prometheusRule.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    expect(objects.managementService.metadata.labels).not.toHaveProperty('release');
  });

  test('GIVEN several sites THEN Infinispan is scraped over TLS with basic auth (metrics-auth defaults to true)', () => {
    const objects = twoSites();
    expect(objects.serviceMonitors.map((m) => m.metadata.name)).toEqual(['keycloak-management', 'infinispan']);
    expect(objects.serviceMonitors[1].spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'infinispan', 'app.kubernetes.io/instance': 'infinispan-eu-b' } },
      namespaceSelector: { matchNames: ['keycloak'] },
      endpoints: [{
        port: 'hotrod', path: '/metrics', scheme: 'https', interval: '30s',
        basicAuth: { username: { name: 'infinispan-credentials', key: 'username' }, password: { name: 'infinispan-credentials', key: 'password' } },
        tlsConfig: { ca: { secret: { name: 'infinispan-ca', key: 'ca.pem' } }, serverName: 'infinispan.keycloak.svc' },
      }],
    });
  });

  test('a single site has no Infinispan monitor nor cross-site alert, and ignores infinispan options', () => {
    const objects = single({ infinispan: INFINISPAN });
    expect(objects.serviceMonitors).toHaveLength(1);
    expect(Object.keys(rules(objects))).not.toContain('InfinispanCrossSiteViewLost');
  });

  test('same input, same output', () => {
    expect(toYaml(monitoringObjectList(twoSites()))).toBe(toYaml(monitoringObjectList(twoSites())));
  });
});

// ---- alerts ------------------------------------------------------------------------------------

describe('alerts', () => {
  const sel = 'namespace="keycloak", job="keycloak-management"';

  test('GIVEN defaults THEN every alert with its expression, threshold, for, severity and annotations', () => {
    const r = rules(twoSites());
    expect(Object.keys(r)).toEqual([
      'KeycloakLoginSuccessRateLow', 'KeycloakLoginLatencyHigh', 'KeycloakDatabasePoolSaturated', 'KeycloakCacheHitRatioLow',
      'InfinispanCrossSiteViewLost', 'KeycloakPodsBelowDisruptionBudget', 'InfinispanPodsBelowDisruptionBudget',
    ]);
    const attempts = `sum by (realm) (increase(keycloak_user_events_total{${sel}, event="login"}[15m]))`;
    const successes = `sum by (realm) (increase(keycloak_user_events_total{${sel}, event="login", error=""}[15m]))`;
    expect(r.KeycloakLoginSuccessRateLow.expr).toBe(`(${successes} or ${attempts} * 0) / ${attempts} * 100 < 80 and ${attempts} >= ${MIN_LOGIN_ATTEMPTS}`);
    expect(r.KeycloakLoginLatencyHigh.expr).toBe(
      `histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{${sel}, uri=~"/realms/{realm}/protocol/{protocol}.*|/realms/{realm}/login-actions.*"}[5m]))) > 1`,
    );
    expect(r.KeycloakDatabasePoolSaturated.expr).toBe(`max by (pod) (agroal_active_count{${sel}}) >= 27`);
    const hits = `sum by (cache) (increase(vendor_statistics_hit_times_seconds_count{${sel}, cache=~"realms|users"}[15m]))`;
    const misses = `sum by (cache) (increase(vendor_statistics_miss_times_seconds_count{${sel}, cache=~"realms|users"}[15m]))`;
    expect(r.KeycloakCacheHitRatioLow.expr).toBe(`${hits} / (${hits} + ${misses}) * 100 < 80 and (${hits} + ${misses}) >= ${MIN_CACHE_READS}`);
    expect(r.InfinispanCrossSiteViewLost.expr).toBe('min by (site) (vendor_jgroups_site_view_status{namespace="keycloak", job="infinispan"}) < 1');
    const pdb = (name: string) => `namespace="keycloak", poddisruptionbudget="${name}"`;
    expect(r.KeycloakPodsBelowDisruptionBudget.expr).toBe(
      `kube_poddisruptionbudget_status_current_healthy{${pdb('keycloak')}} < kube_poddisruptionbudget_status_desired_healthy{${pdb('keycloak')}}`,
    );
    expect(r.InfinispanPodsBelowDisruptionBudget.expr).toContain('poddisruptionbudget="infinispan"');
    expect(Object.fromEntries(Object.values(r).map((rule) => [rule.alert, `${rule.labels.severity} ${rule.for}`]))).toEqual({
      KeycloakLoginSuccessRateLow: 'critical 10m', KeycloakLoginLatencyHigh: 'warning 10m', KeycloakDatabasePoolSaturated: 'warning 5m',
      KeycloakCacheHitRatioLow: 'warning 15m', InfinispanCrossSiteViewLost: 'critical 2m',
      KeycloakPodsBelowDisruptionBudget: 'critical 5m', InfinispanPodsBelowDisruptionBudget: 'critical 5m',
    });
    for (const rule of Object.values(r)) {
      expect(rule.labels).toEqual({ severity: rule.labels.severity, keycloak_site: 'eu-b' });
      expect(rule.annotations.summary).not.toBe('');
      expect(rule.annotations.description).not.toBe('');
      expect(rule.annotations.runbook).toMatch(/^RUNBOOK\.md, section "/);
      expect(balanced(rule.expr)).toBe(true);
      // Terraform would read `${` as an interpolation in kubernetes_manifest.
      expect(JSON.stringify(rule)).not.toContain('${');
    }
  });

  test('the latency threshold derives from LATENCY_OBJECTIVE_MS', () => {
    const [latency] = monitoringAlertSummaries(defineTopology(SINGLE), 'eu-west').filter((a) => a.name === 'KeycloakLoginLatencyHigh');
    expect(latency.threshold).toBe((4 * LATENCY_OBJECTIVE_MS) / 1000);
    expect(rules(single({ thresholds: { loginLatencyP99Ms: LATENCY_OBJECTIVE_MS } })).KeycloakLoginLatencyHigh.expr).toMatch(/\) > 0\.25$/);
  });

  test('WHEN dbPoolSize changes THEN the pool threshold moves', () => {
    const threshold = (dbPoolSize: number) =>
      monitoringAlertSummaries(defineTopology({ ...SINGLE, keycloak: { dbPoolSize } }), 'eu-west').find((a) => a.name === 'KeycloakDatabasePoolSaturated')!.threshold;
    expect([threshold(10), threshold(30), threshold(50)]).toEqual([9, 27, 45]);
    expect(rules(single({ thresholds: { databasePoolPercent: 50 } }, { keycloak: { dbPoolSize: 10 } })).KeycloakDatabasePoolSaturated.expr).toMatch(/>= 5$/);
  });

  test('WHEN nodes change THEN the disruption-budget threshold moves', () => {
    const threshold = (nodes: number) =>
      monitoringAlertSummaries(defineTopology({ ...SINGLE, sites: { 'eu-west': { region: 'eu-west-1', zones: 3, nodes } } }), 'eu-west')
        .find((a) => a.name === 'KeycloakPodsBelowDisruptionBudget')!.threshold;
    expect([threshold(3), threshold(6)]).toEqual([2, 5]);
    const infinispan = (replicas: number) =>
      monitoringAlertSummaries(defineTopology(TWO_SITES), 'eu-b', { infinispan: { ...INFINISPAN, replicas } })
        .find((a) => a.name === 'InfinispanPodsBelowDisruptionBudget')!.threshold;
    expect([infinispan(3), infinispan(4)]).toEqual([2, 3]);
  });

  test('percent thresholds are options', () => {
    const r = rules(single({ thresholds: { loginSuccessPercent: 95, cacheHitPercent: 60 } }));
    expect(r.KeycloakLoginSuccessRateLow.expr).toContain('* 100 < 95 and');
    expect(r.KeycloakCacheHitRatioLow.expr).toContain('* 100 < 60 and');
  });

  test('GIVEN Keycloak 26.0 (no user-event metrics) THEN no login success alert', () => {
    const names = Object.keys(rules(single({}, { version: KeycloakVersion.of('26.0.5') })));
    expect(names).not.toContain('KeycloakLoginSuccessRateLow');
    expect(names).toContain('KeycloakLoginLatencyHigh');
  });

  test('summaries and rules list the same alerts with the same PromQL', () => {
    const summaries = monitoringAlertSummaries(defineTopology(TWO_SITES), 'eu-b', { infinispan: INFINISPAN });
    expect(summaries.map((s) => [s.name, s.metric])).toEqual(Object.values(rules(twoSites())).map((r) => [r.alert, r.expr]));
    for (const s of summaries) {
      expect(Object.keys(s).sort()).toEqual(['action', 'comparison', 'metric', 'name', 'threshold', 'unit', 'why', 'window']);
      expect(Number.isFinite(s.threshold)).toBe(true);
      expect(s.why.length).toBeGreaterThan(20);
      expect(s.action.length).toBeGreaterThan(20);
    }
  });

  test('a namePrefix and namespace flow into names, selectors and PromQL', () => {
    const objects = single({ namePrefix: 'kc', namespace: 'iam' });
    expect(objects.managementService.metadata).toMatchObject({ name: 'kc-management', namespace: 'iam' });
    expect(objects.managementService.spec!.selector).toEqual({ 'app.kubernetes.io/name': 'keycloak', 'app.kubernetes.io/instance': 'kc-eu-west' });
    const r = rules(objects);
    expect(r.KeycloakDatabasePoolSaturated.expr).toContain('{namespace="iam", job="kc-management"}');
    expect(r.KeycloakPodsBelowDisruptionBudget.expr).toContain('poddisruptionbudget="kc"');
  });
});

// ---- validation --------------------------------------------------------------------------------

describe('invalid options', () => {
  test('an unknown site is named', () => {
    expect(() => renderMonitoringObjects(defineTopology(SINGLE), 'us', {})).toThrow(/siteName is "us"; use one of the topology's sites \(eu-west\)/);
  });

  test('several sites without Infinispan credentials: every missing field listed', () => {
    const error = (() => { try { twoSites({}); return ''; } catch (e) { return (e as Error).message; } })();
    expect(error).toMatch(/^renderMonitoringObjects: invalid options for site 'eu-b':/);
    for (const field of ['credentialsSecret.name', 'credentialsSecret.usernameKey', 'credentialsSecret.passwordKey', 'caSecret.name', 'caSecret.key']) {
      expect(error).toContain(`infinispan.${field} is missing`);
    }
  });

  test.each([
    [{ namespace: 'Key_cloak' }, /namespace is "Key_cloak"/],
    [{ namePrefix: 'x'.repeat(53) }, /namePrefix is "x{53}"/],
    [{ scrapeIntervalSeconds: 2 }, /scrapeIntervalSeconds is 2; use whole seconds from 5 to 300/],
    [{ thresholds: { loginSuccessPercent: 0 } }, /thresholds\.loginSuccessPercent is 0; use a percentage above 0 and at most 100/],
    [{ thresholds: { cacheHitPercent: 101 } }, /thresholds\.cacheHitPercent is 101/],
    [{ thresholds: { databasePoolPercent: Number.NaN } }, /thresholds\.databasePoolPercent/],
    [{ thresholds: { loginLatencyP99Ms: 0.5 } }, /thresholds\.loginLatencyP99Ms is 0\.5; use whole milliseconds/],
    [{ prometheusSelectorLabels: { release: 'not a label value' } }, /prometheusSelectorLabels\['release'\]/],
  ] as [MonitoringObjectsOptions, RegExp][])('%j is refused', (options, message) => {
    expect(() => single(options)).toThrow(message);
  });

  test('infinispan.replicas below 2 is refused', () => {
    expect(() => twoSites({ infinispan: { ...INFINISPAN, replicas: 1 } })).toThrow(/infinispan\.replicas is 1/);
  });
});

// ---- schemas -----------------------------------------------------------------------------------

// The conformance tool knows the Kubernetes 1.30 schemas and a few CRDs (Keycloak, Infinispan,
// CloudNativePG), not the Prometheus Operator's: it fails a ServiceMonitor or PrometheusRule as
// "no schema known for this kind". So only the Service goes through it; the custom resources are
// checked structurally above and below.
const unavailable = conformanceUnavailable();
if (unavailable) console.warn(`SKIPPED: Kubernetes schema conformance of the management Service (${unavailable})`);

(unavailable ? test.skip : test)('the management Service validates against the Kubernetes 1.30 schema', () => {
  withScratchFolder('monitoring-objects-', (folder) => {
    writeFileSync(join(folder, 'management-service.yaml'), toYaml([single().managementService, twoSites().managementService]));
    const run = runConformance(folder);
    expect({ status: run.status, output: run.stdout + run.stderr }).toMatchObject({ status: 0 });
    expect([run.passed, run.failed]).toEqual([2, 0]);
  });
});

test('the custom resources have the shape the Prometheus Operator CRDs require', () => {
  for (const monitor of twoSites().serviceMonitors) {
    expect(Object.keys(monitor).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(monitor.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    // ServiceMonitor spec requires selector and endpoints; each endpoint names a Service port.
    expect(Object.keys(monitor.spec.selector.matchLabels).length).toBeGreaterThan(0);
    for (const endpoint of monitor.spec.endpoints) {
      expect(endpoint.port).toMatch(/^[a-z][-a-z0-9]*$/);
      expect(endpoint.path).toBe('/metrics');
      expect(endpoint.interval).toMatch(/^\d+s$/);
    }
  }
  const rule = twoSites().prometheusRule;
  for (const group of rule.spec.groups) {
    expect(group.name).not.toBe('');
    for (const r of group.rules) {
      expect(Object.keys(r).sort()).toEqual(['alert', 'annotations', 'expr', 'for', 'labels']);
      expect(r.alert).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(r.for).toMatch(/^\d+m$/);
      for (const value of [...Object.values(r.labels), ...Object.values(r.annotations)]) expect(typeof value).toBe('string');
    }
  }
});

/** Parentheses, braces and brackets outside string literals are balanced. */
function balanced(expr: string): boolean {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  let quoted = false;
  for (const c of expr) {
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if ('({['.includes(c)) stack.push(c);
    else if (c in pairs && stack.pop() !== pairs[c]) return false;
  }
  return stack.length === 0 && !quoted;
}
