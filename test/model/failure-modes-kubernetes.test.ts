import type { Deployment } from 'kubernetes-types/apps/v1';
import { defineTopology, TopologyInput } from '../../lib/model/define';
import { FailureMode, renderFailureTable } from '../../lib/model/failure-modes';
import { analyzeKubernetesFailures, KUBERNETES_FAILURE_DEFAULTS, KubernetesFailureAnalysisOptions } from '../../lib/model/failure-modes-kubernetes';
import { renderKeycloakObjects } from '../../lib/render/kubernetes/keycloak-objects';

const singleSite = (site: object = {}, extra: Partial<TopologyInput> = {}): TopologyInput => ({
  hostname: 'auth.example.com',
  sites: { 'eu-west': { region: 'eu-west-1', zones: 3, nodes: 3, ...site } },
  ...extra,
});
const sameRegion: TopologyInput = {
  hostname: 'auth.example.com',
  sites: { 'eu-a': { region: 'eu-west-1', cidr: '10.10.0.0/16' }, 'eu-b': { region: 'eu-west-1', cidr: '10.20.0.0/16' } },
};
const twoRegions: TopologyInput = { ...sameRegion, sites: { eu: { region: 'eu-west-1', cidr: '10.10.0.0/16' }, us: { region: 'us-east-1', cidr: '10.20.0.0/16' } } };
const analyze = (input: TopologyInput, options: KubernetesFailureAnalysisOptions = {}): FailureMode[] => analyzeKubernetesFailures(defineTopology(input), options);
const row = (rows: FailureMode[], id: string): FailureMode => {
  const found = rows.find((r) => r.id === id);
  if (!found) throw new Error(`no row '${id}' in ${rows.map((r) => r.id).join(', ')}`);
  return found;
};
const text = (r: FailureMode): string => JSON.stringify(r);

describe('Kubernetes failure modes of one site', () => {
  test('pod, node, zone, ingress, database and region rows, in that order', () => {
    expect(analyze(singleSite()).map((r) => r.id)).toEqual(['pod:eu-west', 'node:eu-west', 'zone:eu-west-1', 'ingress', 'database-writer', 'region:eu-west-1']);
  });

  test('a pod: a crash leaves the endpoints at once, a hang after 3 readiness failures; the kubelet restarts it in place', () => {
    const pod = row(analyze(singleSite()), 'pod:eu-west');
    // Interval 10 s, timeout 5 s (define.ts): (3 − 1) × 10 = 20 s to 3 × 10 + 5 = 35 s.
    expect(pod.recoverySeconds).toMatchObject({ min: 0, max: 35 });
    expect(pod.recoverySeconds.formula).toContain('(3 − 1) × 10 = 20 s to 3 × 10 + 5 s timeout = 35 s');
    // Start 60–120 s (assumed); a hang adds liveness 20–35 s; + one readiness period.
    expect(pod.capacityRestoredSeconds).toMatchObject({ min: 60, max: 35 + 120 + 10 });
    expect(pod.capacityRestoredSeconds?.formula).toMatch(/restarts the container in the same pod.*No new pod/);
    expect(pod.inFlightLoginsLost.extent).toBe('none');
  });

  test('WHEN the probe interval changes THEN the pod cells move with it', () => {
    const fast = row(analyze(singleSite({}, { traffic: { healthCheckIntervalSeconds: 5 } })), 'pod:eu-west');
    // Interval 5 s → timeout 4 s: 3 × 5 + 4 = 19 s.
    expect(fast.recoverySeconds.max).toBe(19);
    expect(renderFailureTable([fast])).not.toEqual(renderFailureTable([row(analyze(singleSite()), 'pod:eu-west')]));
  });

  test('a node: pods leave the endpoints after node-monitor-grace-period; replacements wait for the 300 s toleration', () => {
    const node = row(analyze(singleSite()), 'node:eu-west');
    expect(node.recoverySeconds).toMatchObject({ min: 50, max: 55 });
    // 50–55 s detection + 300 s toleration + 60–120 s start (+ 10 s readiness at most).
    expect(node.capacityRestoredSeconds).toMatchObject({ min: 50 + 300 + 60, max: 55 + 300 + 120 + 10 });
    const note = node.notes.join('\n');
    expect(note).toContain('DefaultTolerationSeconds');
    expect(note).toContain('≈ 350 s after the node is lost');
    expect(note).toMatch(/Fix: .*node\.kubernetes\.io\/unreachable.*tolerationSeconds/);
  });

  test('shorter tolerations and an older grace period move the node numbers, and the note says they were shortened', () => {
    const node = row(analyze(singleSite(), { tolerationSeconds: 30, nodeMonitorGracePeriodSeconds: 40 }), 'node:eu-west');
    expect(node.recoverySeconds).toMatchObject({ min: 40, max: 45 });
    expect(node.capacityRestoredSeconds).toMatchObject({ min: 40 + 30 + 60, max: 45 + 30 + 120 + 10 });
    expect(node.notes.join('\n')).toContain('shortened');
  });

  test('several pods on one node lose nothing with 2 owners (machine name = node), but everything they own with 1', () => {
    const two = row(analyze(singleSite({ nodes: 6 }), { podsPerNode: 2 }), 'node:eu-west');
    expect(two.inFlightLoginsLost).toMatchObject({ extent: 'none', fraction: 0 });
    expect(two.serving).toContain('4 of 6 pods keep serving');
    const one = row(analyze(singleSite({ nodes: 6 }, { keycloak: { cacheOwners: 1 } }), { podsPerNode: 2 }), 'node:eu-west');
    expect(one.inFlightLoginsLost.fraction).toBeCloseTo(2 / 6, 10);
  });

  test('a zone: pods per zone and the in-flight share follow nodes, zones and owners', () => {
    const six = row(analyze(singleSite({ nodes: 6 })), 'zone:eu-west-1');
    expect(six.serving).toContain('loses up to 2 of 6 pods');
    expect(six.inFlightLoginsLost.fraction).toBeCloseTo(1 / 15, 10); // C(2,2) / C(6,2)
    expect(row(analyze(singleSite({ nodes: 6 }, { keycloak: { cacheOwners: 3 } })), 'zone:eu-west-1').inFlightLoginsLost.extent).toBe('none');
    expect(six.capacityRestoredSeconds?.formula).toContain('nodeTaintsPolicy Honor');
    expect(six.notes.join('\n')).toContain('DefaultTolerationSeconds');
    expect(six.notes.join('\n')).toContain('55 %');
  });

  test('the ingress row depends on the assumed replicas', () => {
    expect(row(analyze(singleSite()), 'ingress')).toMatchObject({ keepsServing: 'degraded', recoverySeconds: { min: 0, max: 55 } });
    const one = row(analyze(singleSite(), { ingressReplicas: 1 }), 'ingress');
    expect(one).toMatchObject({ keepsServing: 'no', recoverySeconds: { max: 55 + 300 + 120 } });
    expect(one.notes.join('\n')).toContain('at least 2');
  });

  test('an external database defers to the provider (Aurora 30–60 s) and flags a failover that outlasts readiness', () => {
    const writer = row(analyze(singleSite()), 'database-writer');
    expect(writer.failure).toContain('external');
    // Readiness gives up after 20 s < 60 s: every pod leaves the Service; + 10 s to come back.
    expect(writer.recoverySeconds).toMatchObject({ min: 30, max: 70 });
    expect(writer.notes.join('\n')).toContain('503');
    const fast = row(analyze(singleSite(), { externalFailoverSeconds: { min: 5, max: 15 } }), 'database-writer');
    expect(fast.recoverySeconds).toMatchObject({ min: 5, max: 15 });
    expect(fast.notes.join('\n')).not.toContain('503');
  });

  test('CloudNativePG: readiness 20–30 s + promotion, or the node grace period; switchoverDelay is called out; RPO 0 by instances', () => {
    const rows = analyze(singleSite({}, { database: { instances: 3 } }), { database: 'cloudnative-pg' });
    const writer = row(rows, 'database-writer');
    // min: (3 − 1) × 10 + 5; max: 50 + 5 + 15, + 10 s readiness.
    expect(writer.recoverySeconds).toMatchObject({ min: 25, max: 80 });
    expect(writer.notes.join('\n')).toContain('switchoverDelay (default 3600 s)');
    expect(writer.writesLost).toMatchObject({ rpo: 'zero' });
    expect(writer.writesLost.why).toContain('dataDurability required');
    const two = row(analyze(singleSite({}, { database: { instances: 2 } }), { database: 'cloudnative-pg' }), 'database-writer');
    expect(two.writesLost.why).toContain('with 2 instances writes stop while the only standby is down');
    const preferred = row(analyze(singleSite(), { database: 'cloudnative-pg', cnpgDataDurability: 'preferred' }), 'database-writer');
    expect(preferred.writesLost.why).toContain('dataDurability preferred');
    const promo = row(analyze(singleSite(), { database: 'cloudnative-pg', cnpgPromotionSeconds: { min: 10, max: 30 } }), 'database-writer');
    expect(promo.recoverySeconds).toMatchObject({ min: 30, max: 95 });
    expect(rows.map(text).join('\n')).not.toMatch(/Aurora|ECS|ALB/);
  });
});

describe('Kubernetes failure modes of several sites', () => {
  test('two sites in one region: per-site pod and node rows, then the substrate-neutral site, region, link and DNS rows', () => {
    expect(analyze(sameRegion).map((r) => r.id)).toEqual([
      'pod:eu-a', 'pod:eu-b', 'node:eu-a', 'node:eu-b', 'zone:eu-west-1', 'ingress', 'database-writer',
      'site:eu-a', 'site:eu-b', 'region:eu-west-1', 'link:eu-a-eu-b', 'dns-false-negative',
    ]);
    const site = row(analyze(sameRegion), 'site:eu-a');
    expect(site).toMatchObject({ recovery: 'operator', inFlightLoginsLost: { extent: 'none' } });
    expect(row(analyze(sameRegion), 'node:eu-a').notes.join('\n')).toContain('StatefulSet');
  });

  test('in-flight logins of a zone follow the external Infinispan pods and owners', () => {
    expect(row(analyze(sameRegion), 'zone:eu-west-1').inFlightLoginsLost.extent).toBe('none');
    expect(row(analyze(sameRegion, { infinispanNodesPerSite: 6 }), 'zone:eu-west-1').inFlightLoginsLost).toMatchObject({ extent: 'some' });
    expect(row(analyze(sameRegion), 'pod:eu-a').inFlightLoginsLost.why).toContain('external Infinispan');
  });

  test('active/passive across regions: losing the primary costs the replication lag, in CloudNativePG words with CNPG', () => {
    const external = row(analyze(twoRegions), 'site:eu');
    expect(external).toMatchObject({ keepsServing: 'no', recovery: 'operator', writesLost: { rpo: 'replication-lag' } });
    expect(external.operatorAction).toContain('Aurora');
    const cnpgRows = analyze(twoRegions, { database: 'cloudnative-pg' });
    const cnpg = row(cnpgRows, 'site:eu');
    expect(cnpg.writesLost.rpo).toBe('replication-lag');
    expect(cnpg.operatorAction).toContain('CloudNativePG replica cluster');
    expect(cnpgRows.map(text).join('\n')).not.toMatch(/Aurora|ECS|ALB|failover-global-cluster/);
  });

  test('renderFailureTable renders the Kubernetes rows: one line per row, same bytes every time', () => {
    const options = { dns: { detectionSeconds: 56, ttlSeconds: 60 } };
    const rows = analyze(twoRegions, options);
    const table = renderFailureTable(rows);
    expect(table).toEqual(renderFailureTable(analyze(twoRegions, options)));
    expect(table.split('\n').filter((l) => l.startsWith('| '))).toHaveLength(rows.length + 2);
    expect(table).toContain('DefaultTolerationSeconds');
    for (const r of rows) {
      if (r.recoverySeconds.max !== null) expect(r.recoverySeconds.max).toBeGreaterThanOrEqual(r.recoverySeconds.min);
      expect(r.recovery === 'operator').toBe(r.recoverySeconds.max === null);
    }
  });
});

test('the probe settings assumed here are the ones keycloak-objects renders, with no tolerations of its own', () => {
  const topology = defineTopology(singleSite({}, { traffic: { healthCheckIntervalSeconds: 7 } }));
  const deployment = renderKeycloakObjects(topology, 'eu-west', {
    database: { cnpg: { clusterName: 'keycloak-db' }, credentialsSecret: { name: 'db', usernameKey: 'username', passwordKey: 'password' } },
    bootstrapAdminSecret: { name: 'admin', passwordKey: 'password' },
    ingress: { tlsSecretName: 'tls' },
    trustedProxyCidrs: ['10.244.0.0/16'],
  }).find((o) => o.kind === 'Deployment') as Deployment | undefined;
  const pod = deployment?.spec?.template.spec;
  const container = pod?.containers[0];
  for (const probe of [container?.readinessProbe, container?.livenessProbe]) {
    expect(probe).toMatchObject({ periodSeconds: 7, failureThreshold: KUBERNETES_FAILURE_DEFAULTS.probeFailureThreshold });
  }
  expect(pod?.topologySpreadConstraints?.[0]).toMatchObject({ whenUnsatisfiable: 'DoNotSchedule', nodeTaintsPolicy: 'Honor' });
  // No tolerations: the admission plugin's 300 s apply, which the analysis assumes by default.
  expect(pod?.tolerations).toBeUndefined();
  expect(container?.env?.some((e) => e.valueFrom?.fieldRef?.fieldPath === 'spec.nodeName')).toBe(true);
});
