import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { kubernetesTwoSitesStacks } from '../../examples/kubernetes-two-sites/stack';
import { runChecks } from '../../lib/checks/pack';
import { conformanceUnavailable, runConformance, withScratchFolder, withScratchFolderAsync } from '../conformance';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

describe('examples/kubernetes-two-sites', () => {
  const { global, sites, keycloak } = kubernetesTwoSitesStacks(Testing.app());
  const stack = { keycloak };
  type StackJson = { resource: Resources; data?: Resources; provider?: Record<string, unknown[]>; terraform?: { backend?: Record<string, unknown> } };
  const json: Record<string, StackJson> = Object.fromEntries([global, ...Object.values(sites)].map((s) => [s.node.id, JSON.parse(Testing.synth(s)) as StackJson]));
  const bySite: Record<string, Resources> = Object.fromEntries(Object.entries(sites).map(([site, s]) => [site, json[s.node.id].resource]));
  const dnsStack = json[global.node.id];
  // Every stack's resources together (their names differ: each carries its site).
  const resources: Resources = {};
  for (const stackJson of Object.values(json)) {
    for (const [type, byName] of Object.entries(stackJson.resource ?? {})) resources[type] = { ...resources[type], ...byName };
  }
  const of = (type: string, nameIncludes: string) =>
    Object.entries(resources[type] ?? {}).filter(([name]) => name.includes(nameIncludes)).map(([, body]) => body as unknown);

  test('typed kubernetes_*_v1 resources, each cluster\'s in its own stack; kubernetes_manifest only for the monitoring CRDs', () => {
    expect(Object.values(resources.kubernetes_manifest).map((m) => (m.manifest as { kind: string }).kind).sort())
      .toEqual(['PrometheusRule', 'PrometheusRule', 'ServiceMonitor', 'ServiceMonitor', 'ServiceMonitor', 'ServiceMonitor']);
    for (const [site, siteResources] of Object.entries(bySite)) {
      expect(Object.keys(siteResources.kubernetes_deployment_v1).every((name) => name.startsWith(`Keycloak-${site}_`))).toBe(true);
    }
    expect(Object.keys(dnsStack.resource).filter((type) => type.startsWith('kubernetes_'))).toEqual([]);
  });

  test('the DNS stack reads nothing of either cluster: no Kubernetes provider, no remote state, Route 53 on us-east-1, state in us-east-1', () => {
    expect(Object.keys(dnsStack.provider ?? {})).toEqual(['aws']);
    expect(dnsStack.provider?.aws).toEqual([{ region: 'us-east-1' }]);
    expect(dnsStack.data?.terraform_remote_state).toBeUndefined();
    expect(JSON.stringify(dnsStack.resource)).not.toMatch(/kubernetes_|Keycloak-site-/);
    expect(dnsStack.terraform?.backend).toEqual({ s3: expect.objectContaining({ region: 'us-east-1' }) });
    // Neither site reads the other's state or the DNS stack's.
    for (const s of Object.values(sites)) expect(json[s.node.id].data?.terraform_remote_state).toBeUndefined();
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
    const records = (Object.values(resources.aws_route53_record ?? {}) as { failover_routing_policy?: { type: string }; health_check_id?: string }[])
      .filter((r) => r.failover_routing_policy);
    expect(records.map((r) => r.failover_routing_policy?.type).sort()).toEqual(['PRIMARY', 'SECONDARY']);
    expect(records.every((r) => /aws_route53_health_check/.test(String(r.health_check_id)))).toBe(true);
    // Each routed record aliases its site's own record, which aliases the Ingress's load balancer.
    const siteRecords = (Object.values(resources.aws_route53_record ?? {}) as { name: string; set_identifier?: string; alias: { name: string } }[])
      .filter((r) => r.set_identifier === undefined && r.name.includes('.sites.'));
    expect(siteRecords.map((r) => r.name).sort()).toEqual(['site-a.sites.auth.example.com', 'site-b.sites.auth.example.com']);
    for (const record of siteRecords) expect(record.alias.name).toContain('status[0].load_balancer[0].ingress[0].hostname');
  });

  test('the check pack finds nothing wrong with the DNS in front of the clusters', () => {
    const all = Object.entries(resources).flatMap(([type, byName]) => Object.entries(byName).map(([name, body]) => ({ type, name, path: name, body })));
    expect(runChecks(all).filter((f) => ['dns-health-check', 'global-health-lb-check', 'plaintext-secret'].includes(f.ruleId))).toEqual([]);
  });

  test('first deploy: every namespaced object depends on its own cluster\'s namespace, directly or through a reference', () => {
    let checked = 0;
    for (const siteResources of Object.values(bySite)) {
      const namespaces = Object.keys(siteResources.kubernetes_namespace_v1).map((name) => `kubernetes_namespace_v1.${name}`);
      expect(namespaces).toHaveLength(1);
      const [own] = namespaces;
      for (const [type, byName] of Object.entries(siteResources)) {
        if (!type.startsWith('kubernetes_') || type === 'kubernetes_namespace_v1') continue;
        for (const [name, body] of Object.entries(byName)) {
          const metadata = (type === 'kubernetes_manifest' ? (body.manifest as { metadata: unknown }).metadata : body.metadata) as { namespace?: string };
          if (metadata.namespace === undefined) continue;
          const viaDependsOn = ((body.depends_on ?? []) as string[]).includes(own);
          const viaReference = metadata.namespace.includes(`\${${own}.`);
          expect({ resource: `${type}.${name}`, ordered: viaDependsOn || viaReference }).toEqual({ resource: `${type}.${name}`, ordered: true });
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  test('first deploy: the pods wait for the Secrets, which take their values from sensitive variables through write-only attributes', () => {
    const secrets = Object.entries(resources.kubernetes_secret_v1);
    // Seven per site (the Infinispan operator's included), except the bootstrap administrator's, which only the primary (site-a) reads.
    expect(secrets.map(([name]) => name).filter((name) => name.endsWith('keycloak-bootstrap-admin'))).toEqual(['site-a-secret-keycloak-bootstrap-admin']);
    expect(JSON.stringify(of('kubernetes_deployment_v1', 'site-b_Deployment-keycloak'))).not.toContain('keycloak-bootstrap-admin');
    expect(secrets).toHaveLength(13);
    // Mutual TLS on the transport and at the routers needs the truststore next to the keystore.
    for (const site of ['site-a', 'site-b']) {
      expect(Object.keys(resources.kubernetes_secret_v1[`${site}-secret-infinispan-tls`].binary_data_wo as object).sort()).toEqual(['keystore.p12', 'truststore.p12']);
    }
    for (const [, secret] of secrets) {
      expect(secret.data).toBeUndefined();
      for (const value of Object.values(secret.data_wo as Record<string, string>)) expect(value).toMatch(/^\$\{var\.[a-z_0-9]+\}$/);
    }
    for (const [site, siteResources] of Object.entries(bySite)) {
      for (const workload of [...Object.values(siteResources.kubernetes_deployment_v1), ...Object.values(siteResources.kubernetes_stateful_set_v1)]) {
        expect(((workload.depends_on ?? []) as string[]).filter((d) => d.startsWith(`kubernetes_secret_v1.${site}-secret-`))).toHaveLength(site === 'site-a' ? 7 : 6);
      }
    }
  });

  test('rollout waits outlast the deadlines: the provider fails on the Deployment\'s progress deadline, never taints on its own timeout first', () => {
    const [keycloak] = of('kubernetes_deployment_v1', 'site-a_Deployment-keycloak') as { wait_for_rollout: boolean; timeouts: { create: string; update: string }; spec: { progress_deadline_seconds: number; replicas: string } }[];
    expect(keycloak.wait_for_rollout).toBe(true);
    const minutes = (text: string) => Number(/^(\d+)m$/.exec(text)![1]);
    // Three pods one after another, each allowed the whole deadline.
    expect(minutes(keycloak.timeouts.update) * 60).toBeGreaterThanOrEqual(Number(keycloak.spec.replicas) * keycloak.spec.progress_deadline_seconds);
    expect(keycloak.timeouts.create).toBe(keycloak.timeouts.update);
    const [infinispan] = of('kubernetes_stateful_set_v1', 'site-a_StatefulSet-infinispan') as { timeouts: { update: string }; spec: { replicas: string; min_ready_seconds: number } }[];
    expect(minutes(infinispan.timeouts.update) * 60).toBeGreaterThanOrEqual(Number(infinispan.spec.replicas) * (600 + infinispan.spec.min_ready_seconds));
  });

  test('Gossip Routers: their names are alias records of the routers\' load balancers, whose class and scheme are stated', () => {
    const records = Object.values(resources.aws_route53_record) as { name: string; type: string; alias?: { name: string } }[];
    const routers = records.filter((r) => r.name.startsWith('ispn-router.'));
    expect(routers.map((r) => r.name).sort()).toEqual(['ispn-router.site-a.auth.example.com', 'ispn-router.site-b.auth.example.com']);
    for (const record of routers) expect(record.alias?.name).toMatch(/kubernetes_service_v1\.Keycloak-site-[ab]_Service-gossip-router_[0-9A-F]+\.status\[0\]\.load_balancer\[0\]\.ingress\[0\]\.hostname/);
    const [router] = of('kubernetes_service_v1', 'site-a_Service-gossip-router') as { metadata: { annotations: Record<string, string> }; spec: { load_balancer_class: string } }[];
    expect(router.spec.load_balancer_class).toBe('service.k8s.aws/nlb');
    expect(router.metadata.annotations['service.beta.kubernetes.io/aws-load-balancer-scheme']).toBe('internet-facing');
    expect(stack.keycloak.warnings.filter((w) => w.code === 'gossip-router-dns-unmanaged')).toEqual([]);
  });

  test('the whole check pack finds nothing, over the stack and through the construct\'s aspect', () => {
    const all = Object.entries(resources).flatMap(([type, byName]) => Object.entries(byName).map(([name, body]) => ({ type, name, path: name, body })));
    expect(runChecks(all).map((f) => `${f.ruleId} ${f.address}: ${f.detail}`)).toEqual([]);
    expect(stack.keycloak.checks?.findings).toEqual([]);
    for (const pack of Object.values(stack.keycloak.siteChecks)) expect(pack.findings).toEqual([]);
    expect(Object.keys(stack.keycloak.siteChecks)).toEqual(['site-a', 'site-b']);
  });

  (conformanceUnavailable() ? test.skip : test)('the synthesized stack, monitoring included, passes the shared conformance tool', () => {
    withScratchFolder('k8s-example-', (dir) => {
      for (const [id, stackJson] of Object.entries(json)) {
        mkdirSync(join(dir, id));
        writeFileSync(join(dir, id, 'cdk.tf.json'), JSON.stringify(stackJson));
      }
      const run = runConformance(dir);
      expect({ status: run.status, failures: run.stdout.split('\n').filter((l) => l.startsWith('FAIL')) }).toEqual({ status: 0, failures: [] });
      expect(run.stdout).toMatch(/CRD monitoring\.coreos\.com\/v1 ServiceMonitor/);
      expect(run.stdout).toMatch(/CRD monitoring\.coreos\.com\/v1 PrometheusRule/);
    });
  });

  test('stateful objects keep their Terraform addresses', () => {
    const pinned = Object.entries(sites).flatMap(([site, s]) => ['kubernetes_namespace_v1', 'kubernetes_stateful_set_v1']
      .flatMap((type) => Object.keys(bySite[site][type]).map((name) => `${s.node.id}: ${type}.${name}`))).sort();
    expect(pinned).toEqual([
      'keycloak-kubernetes-two-sites-site-a: kubernetes_namespace_v1.Keycloak-site-a_Namespace-keycloak_F307D8CE',
      'keycloak-kubernetes-two-sites-site-a: kubernetes_stateful_set_v1.Keycloak-site-a_StatefulSet-infinispan_3B04051C',
      'keycloak-kubernetes-two-sites-site-b: kubernetes_namespace_v1.Keycloak-site-b_Namespace-keycloak_0B35754D',
      'keycloak-kubernetes-two-sites-site-b: kubernetes_stateful_set_v1.Keycloak-site-b_StatefulSet-infinispan_49C17F03',
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
      // Commands that work from where they run: the CLI inside the pod (no NetworkPolicy on localhost, the
      // certificate names the Service), kcadm inside a Keycloak pod (the Ingress forwards no /admin/).
      expect(runbook).toContain('kubectl -n keycloak exec -it infinispan-0 -- /opt/infinispan/bin/cli.sh -c https://localhost:11222 --trustall');
      expect(runbook).toContain('kubectl -n keycloak exec -it deployment/keycloak -- /opt/keycloak/bin/kcadm.sh config credentials --config /tmp/kcadm.config --server http://localhost:8080');
      expect(runbook).not.toContain('--server https://auth.example.com');
      const topology = readFileSync(join(dir, 'TOPOLOGY.md'), 'utf8');
      expect(topology).toContain('| site-a (primary) | eu-west-1 |');
      // The failure table is computed for Kubernetes: pods, nodes (with the eviction delay), DNS from the GeoDNS settings.
      expect(topology).toContain('## Failure modes');
      expect(topology).toMatch(/\| one Keycloak pod of site site-a \|/);
      expect(topology).toContain('tolerationSeconds');
      expect(topology).not.toMatch(/\bECS\b|\bALB\b/);
      // Only what the stack creates: no site network, the database named as external.
      expect(topology).toContain('Database: external PostgreSQL at `keycloak.cluster-c0ffee.eu-west-1.rds.amazonaws.com:5432`, not created by this stack.');
      expect(topology).not.toContain('10.10.0.0/16');
      expect(topology).not.toContain('external or CloudNativePG');
    });
  });
});
