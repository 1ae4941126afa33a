import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { KubernetesSingleSiteStack } from '../../examples/kubernetes-single-site/stack';
import { runChecks } from '../../lib/checks/pack';
import { conformanceUnavailable, runConformance, withScratchFolder, withScratchFolderAsync } from '../conformance';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

describe('examples/kubernetes-single-site (CloudNativePG, autoscaler, monitoring)', () => {
  const stack = new KubernetesSingleSiteStack(Testing.app(), 'keycloak-kubernetes-single-site');
  const synthesized = Testing.synth(stack);
  const resources: Resources = JSON.parse(synthesized).resource;
  const manifest = (kind: string) => Object.entries(resources.kubernetes_manifest).find(([, m]) => (m.manifest as { kind: string }).kind === kind)!;

  test('the CloudNativePG Cluster takes the options given through the pattern and sizes max_connections for the autoscaler', () => {
    const [, cluster] = manifest('Cluster');
    const spec = (cluster.manifest as { spec: Record<string, unknown> }).spec;
    expect(spec).toMatchObject({
      instances: 3,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:17.5',
      storage: { size: '50Gi', storageClass: 'gp3' },
      resources: { requests: { cpu: '1', memory: '2Gi' } },
      // (6 pods at most + 1 surge) × pool 30 + 20 headroom.
      postgresql: { parameters: { max_connections: '230' }, synchronous: { dataDurability: 'required' } },
    });
    expect(cluster.wait).toEqual({ condition: [{ type: 'Ready', status: 'True' }] });
  });

  test('first deploy: Keycloak waits for the database Cluster to be Ready, the Cluster for the namespace', () => {
    const [clusterName, cluster] = manifest('Cluster');
    const [namespace] = Object.keys(resources.kubernetes_namespace_v1);
    expect(cluster.depends_on).toEqual([`kubernetes_namespace_v1.${namespace}`]);
    const [keycloak] = Object.values(resources.kubernetes_deployment_v1);
    expect(keycloak.depends_on).toEqual(expect.arrayContaining([`kubernetes_namespace_v1.${namespace}`, `kubernetes_manifest.${clusterName}`]));
  });

  test('the autoscaler owns the replica count; the rollout wait covers its maximum', () => {
    const [hpa] = Object.values(resources.kubernetes_horizontal_pod_autoscaler_v2) as { spec: { max_replicas: number } }[];
    expect(hpa.spec.max_replicas).toBe(6);
    const [keycloak] = Object.values(resources.kubernetes_deployment_v1) as { spec: { replicas?: string; progress_deadline_seconds: number }; timeouts: { update: string } }[];
    expect(keycloak.spec.replicas).toBeUndefined();
    expect(Number(keycloak.timeouts.update.replace('m', '')) * 60).toBeGreaterThanOrEqual(6 * keycloak.spec.progress_deadline_seconds);
  });

  test('TOPOLOGY.md states the CloudNativePG cluster it creates, its durability and RPO', async () => {
    await withScratchFolderAsync('k8s-single-bundle-', async (dir) => {
      await stack.keycloak.writeReviewBundle(dir);
      const topology = readFileSync(join(dir, 'TOPOLOGY.md'), 'utf8');
      expect(topology).toContain('Database: CloudNativePG cluster `keycloak-db` (created by this stack), 3 instances, one per zone; commits wait for a synchronous standby (dataDurability required)');
      expect(topology).toContain('RPO = 0 for data: every commit waits for a synchronous standby in another zone');
    });
  });

  test('the check pack finds nothing', () => {
    const all = Object.entries(resources).flatMap(([type, byName]) => Object.entries(byName).map(([name, body]) => ({ type, name, path: name, body })));
    expect(runChecks(all).map((f) => `${f.ruleId} ${f.address}: ${f.detail}`)).toEqual([]);
    expect(stack.keycloak.checks?.findings).toEqual([]);
  });

  (conformanceUnavailable() ? test.skip : test)('the Cluster, ServiceMonitor and PrometheusRule pass the shared conformance tool', () => {
    withScratchFolder('k8s-single-', (dir) => {
      writeFileSync(join(dir, 'cdk.tf.json'), synthesized);
      const run = runConformance(dir);
      expect({ status: run.status, failures: run.stdout.split('\n').filter((l) => l.startsWith('FAIL')) }).toEqual({ status: 0, failures: [] });
      for (const kind of ['postgresql\\.cnpg\\.io/v1 Cluster', 'monitoring\\.coreos\\.com/v1 ServiceMonitor', 'monitoring\\.coreos\\.com/v1 PrometheusRule']) {
        expect(run.stdout).toMatch(new RegExp(`CRD ${kind}`));
      }
    });
  });
});
