import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { KubernetesTwoSitesStack } from '../../examples/kubernetes-two-sites/stack';
import { runChecks } from '../../lib/checks/pack';
import { withScratchFolderAsync } from '../conformance';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

describe('examples/kubernetes-two-sites', () => {
  const stack = new KubernetesTwoSitesStack(Testing.app(), 'keycloak-kubernetes-two-sites');
  const resources: Resources = JSON.parse(Testing.synth(stack)).resource;
  const of = (type: string, nameIncludes: string) =>
    Object.entries(resources[type] ?? {}).filter(([name]) => name.includes(nameIncludes)).map(([, body]) => body as unknown);

  test('typed kubernetes_*_v1 resources (no kubernetes_manifest), each on its own cluster', () => {
    expect(resources.kubernetes_manifest).toBeUndefined();
    const providers = Object.values(resources.kubernetes_deployment_v1).map((d) => d.provider);
    expect(new Set(providers)).toEqual(new Set(['kubernetes.site-a', 'kubernetes.site-b']));
  });

  test('Keycloak: probes on 9000, zone spread, one pod at a time, a PDB per site', () => {
    for (const site of ['site-a', 'site-b']) {
      const [deployment] = of('kubernetes_deployment_v1', `${site}_Deployment-keycloak`) as { spec: unknown }[];
      const pod = (deployment.spec as { template: { spec: { container: Record<string, { http_get: { port: string; path: string } }>[]; topology_spread_constraint: { topology_key: string; when_unsatisfiable: string }[] } } }).template.spec;
      const keycloak = pod.container[0];
      expect([keycloak.startup_probe.http_get, keycloak.readiness_probe.http_get, keycloak.liveness_probe.http_get]).toEqual([
        { path: '/health/started', port: '9000' }, { path: '/health/ready', port: '9000' }, { path: '/health/live', port: '9000' },
      ]);
      expect(pod.topology_spread_constraint[0]).toMatchObject({ topology_key: 'topology.kubernetes.io/zone', when_unsatisfiable: 'DoNotSchedule' });
      expect(JSON.stringify(deployment.spec)).toContain('"max_unavailable":"0"');
      expect(of('kubernetes_pod_disruption_budget_v1', `${site}_PodDisruptionBudget-keycloak`)).toHaveLength(1);
    }
  });

  test('the Ingress keeps a login on one pod with cookie affinity and exposes /lb-check for DNS health checks', () => {
    const [ingress] = of('kubernetes_ingress_v1', 'site-a_Ingress-keycloak') as { metadata: { annotations: Record<string, string> }; spec: unknown }[];
    expect(ingress.metadata.annotations).toMatchObject({ 'nginx.ingress.kubernetes.io/affinity': 'cookie', 'nginx.ingress.kubernetes.io/affinity-mode': 'persistent' });
    expect(JSON.stringify(ingress.spec)).toContain('/lb-check');
  });

  test('each site\'s infinispan.xml names its own site in RELAY2 and tunnels through both routers', () => {
    for (const [site, other] of [['site-a', 'site-b'], ['site-b', 'site-a']]) {
      const [configMap] = of('kubernetes_config_map_v1', `${site}_ConfigMap-infinispan-config`) as { data: Record<string, string> }[];
      const xml = configMap.data['infinispan.xml'];
      expect(xml).toMatch(new RegExp(`<relay\\.RELAY2[^>]* site="${site}"`));
      expect(xml).toContain(`ispn-router.${other}.auth.example.com[7900]`);
      expect(xml).toContain(`gossip-router.keycloak.svc.cluster.local[7900]`);
      expect(xml).toContain(`<backup site="${other}"`);
    }
  });

  test('the Gossip Router Service is a LoadBalancer open only to the other site', () => {
    const [router] = of('kubernetes_service_v1', 'site-a_Service-gossip-router') as { spec: { type: string; load_balancer_source_ranges: string[] } }[];
    expect(router.spec.type).toBe('LoadBalancer');
    expect(router.spec.load_balancer_source_ranges).toEqual(['203.0.113.20/32']);
  });

  test('Keycloak in each site uses its own Infinispan, over TLS, with the multi-site feature', () => {
    const [deployment] = of('kubernetes_deployment_v1', 'site-b_Deployment-keycloak');
    const env = JSON.stringify(deployment);
    expect(env).toContain('{"name":"KC_CACHE_REMOTE_HOST","value":"infinispan.keycloak.svc"}');
    expect(env).toContain('{"name":"KC_FEATURES","value":"multi-site"}');
    expect(env).toContain('{"name":"KC_CACHE_REMOTE_TLS_ENABLED","value":"true"}');
  });

  test('the worst-case DNS failover time is computed from the settings: 58 s detection + 60 s alias TTL', () => {
    expect(stack.keycloak.dns?.failoverTime).toMatchObject({ detectionSeconds: 58, dnsPropagationSeconds: 60, totalSeconds: 118 });
  });

  test('Route 53 health checks probe each site\'s /lb-check; failover records use them', () => {
    const checks = Object.values(resources.aws_route53_health_check ?? {});
    expect(checks).toHaveLength(2);
    for (const check of checks) expect(check).toMatchObject({ type: 'HTTPS', resource_path: '/lb-check', port: 443 });
    const records = Object.values(resources.aws_route53_record ?? {}) as { failover_routing_policy?: { type: string }; health_check_id?: string }[];
    expect(records.map((r) => r.failover_routing_policy?.type).sort()).toEqual(['PRIMARY', 'SECONDARY']);
    expect(records.every((r) => /aws_route53_health_check/.test(String(r.health_check_id)))).toBe(true);
    expect(JSON.stringify(records)).toContain('status[0].load_balancer[0].ingress[0].hostname');
  });

  test('the check pack finds nothing wrong with the DNS in front of the clusters', () => {
    const all = Object.entries(resources).flatMap(([type, byName]) => Object.entries(byName).map(([name, body]) => ({ type, name, path: name, body })));
    expect(runChecks(all).filter((f) => ['dns-health-check', 'global-health-lb-check', 'plaintext-secret'].includes(f.ruleId))).toEqual([]);
  });

  test('stateful objects keep their Terraform addresses', () => {
    const pinned = ['kubernetes_namespace_v1', 'kubernetes_stateful_set_v1']
      .flatMap((type) => Object.keys(resources[type]).map((name) => `${type}.${name}`)).sort();
    expect(pinned).toEqual([
      'kubernetes_namespace_v1.Keycloak_site-a_Namespace-keycloak_96871058',
      'kubernetes_namespace_v1.Keycloak_site-b_Namespace-keycloak_A1B72A77',
      'kubernetes_stateful_set_v1.Keycloak_site-a_StatefulSet-infinispan_1EE3306E',
      'kubernetes_stateful_set_v1.Keycloak_site-b_StatefulSet-infinispan_50A3056E',
    ]);
  });

  test('the review bundle has the topology, a kubectl runbook naming the sites, and each site\'s objects and infinispan.xml', async () => {
    await withScratchFolderAsync('k8s-bundle-', async (dir) => {
      const files = (await stack.keycloak.writeReviewBundle(dir)).map((f) => f.slice(dir.length + 1));
      expect(files).toEqual([
        'RUNBOOK.md', 'TOPOLOGY.md', 'site-a/infinispan.xml', 'site-a/objects.yaml', 'site-b/infinispan.xml', 'site-b/objects.yaml',
        'topology.dot',
      ]);
      const runbook = readFileSync(join(dir, 'RUNBOOK.md'), 'utf8');
      expect(runbook).toContain('kubectl -n keycloak rollout restart deployment/keycloak');
      expect(runbook).toContain('site take-offline --cache=actionTokens --site=site-b');
      const topology = readFileSync(join(dir, 'TOPOLOGY.md'), 'utf8');
      expect(topology).toContain('| site-a (primary) | eu-west-1 |');
      // The failure table is computed for Kubernetes: pods, nodes (with the eviction delay), DNS from the GeoDNS settings.
      expect(topology).toContain('## Failure modes');
      expect(topology).toMatch(/\| one Keycloak pod of site site-a \|/);
      expect(topology).toContain('tolerationSeconds');
      expect(topology).not.toMatch(/\bECS\b|\bALB\b/);
    });
  });
});
