import { TerraformStack, Testing } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { KeycloakOnKubernetes, KeycloakOnKubernetesProps } from '../../lib/index-kubernetes';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

function synthOneSite(overrides: Partial<KeycloakOnKubernetesProps> = {}): { keycloak: KeycloakOnKubernetes; resources: Resources } {
  const stack = new TerraformStack(Testing.app(), 'stack');
  const provider = new KubernetesProvider(stack, 'kubernetes', { configPath: '~/.kube/config' });
  const keycloak = new KeycloakOnKubernetes(stack, 'Keycloak', {
    hostname: 'auth.example.com',
    sites: { main: { region: 'eu-west-1', zones: 3, nodes: 3, provider, trustedProxyCidrs: ['10.244.0.0/16'] } },
    databaseConnection: { cnpg: { clusterName: 'keycloak-db' }, credentialsSecret: { name: 'keycloak-db-app', usernameKey: 'username', passwordKey: 'password' }, createCloudNativePgCluster: true },
    bootstrapAdminSecret: { name: 'keycloak-bootstrap-admin', usernameKey: 'username', passwordKey: 'password' },
    ingress: { tlsSecretName: 'auth-tls' },
    ...overrides,
  });
  return { keycloak, resources: JSON.parse(Testing.synth(stack)).resource };
}

describe('KeycloakOnKubernetes', () => {
  test('GIVEN one site with CloudNativePG THEN the database Cluster is the only kubernetes_manifest', () => {
    const { resources } = synthOneSite();
    const manifests = Object.values(resources.kubernetes_manifest ?? {}) as { manifest: { kind: string; apiVersion: string } }[];
    expect(manifests.map((m) => `${m.manifest.apiVersion} ${m.manifest.kind}`)).toEqual(['postgresql.cnpg.io/v1 Cluster']);
    expect(resources.kubernetes_stateful_set_v1).toBeUndefined(); // no external Infinispan for one site
  });

  test('GIVEN monitoring THEN a management Service, ServiceMonitor and PrometheusRule, and Prometheus may scrape 9000', () => {
    const { resources, keycloak } = synthOneSite({ monitoring: { prometheusNamespace: 'monitoring' } });
    const kinds = (Object.values(resources.kubernetes_manifest) as { manifest: { kind: string } }[]).map((m) => m.manifest.kind).sort();
    expect(kinds).toEqual(['Cluster', 'PrometheusRule', 'ServiceMonitor']);
    expect(Object.keys(resources.kubernetes_service_v1).some((name) => name.includes('management'))).toBe(true);
    const rule = keycloak.objects.main.find((o) => o.kind === 'PrometheusRule');
    expect(JSON.stringify(rule)).toContain('agroal_active_count');
    expect(JSON.stringify(resources.kubernetes_network_policy_v1)).toContain('"kubernetes.io/metadata.name":"monitoring"');
  });

  test('without monitoring nothing needs the Prometheus Operator CRDs', () => {
    const { resources } = synthOneSite();
    expect(JSON.stringify(resources.kubernetes_manifest)).not.toContain('monitoring.coreos.com');
  });

  test('a topology error fails with the coded diagnostics', () => {
    expect(() => synthOneSite({ hostname: 'htps://auth.example.com' })).toThrow(/\[hostname-scheme\] hostname/);
  });
});
