import { TerraformStack, Testing } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TopologyError } from '../../lib/model/diagnostic';
import { DnsRouting } from '../../lib/aws/dns-routing';
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

  test('GIVEN two sites without Infinispan Secrets or Gossip Routers THEN every missing prop is one coded diagnostic, at once', () => {
    let error: unknown;
    try {
      synthOneSite({ sites: {
        a: { region: 'eu-west-1', zones: 2, provider: new KubernetesProvider(new TerraformStack(Testing.app(), 'x'), 'k'), trustedProxyCidrs: ['10.0.0.0/16'] },
        b: { region: 'eu-west-1', zones: 2, provider: new KubernetesProvider(new TerraformStack(Testing.app(), 'y'), 'k'), trustedProxyCidrs: ['10.1.0.0/16'] },
      } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TopologyError);
    expect((error as TopologyError).diagnostics.map((d) => `${d.code} ${d.path}`)).toEqual([
      'infinispan-secrets-missing infinispan', 'gossip-router-missing sites.a.gossipRouter', 'gossip-router-missing sites.b.gossipRouter',
      // synthOneSite's database is a CloudNativePG cluster, which one site only can own.
      'cloudnative-pg-several-sites databaseConnection.createCloudNativePgCluster',
      // The providers were made in stacks of their own, not the sites' (the construct's) stack.
      'site-provider-other-stack sites.a.provider', 'site-provider-other-stack sites.b.provider',
    ]);
  });

  test('a topology error fails with the coded diagnostics', () => {
    expect(() => synthOneSite({ hostname: 'htps://auth.example.com' })).toThrow(/\[hostname-scheme\] hostname/);
  });
});

describe('KeycloakOnKubernetes validation: coded diagnostics naming prop, value and fix', () => {
  const errorOf = (fn: () => unknown): TopologyError => {
    try {
      fn();
    } catch (error) {
      if (error instanceof TopologyError) return error;
      throw error;
    }
    throw new Error('no TopologyError');
  };

  test('AWS-only props are errors on Kubernetes, every one at once, instead of being silently ignored', () => {
    const error = errorOf(() => synthOneSite({
      sites: { main: { region: 'eu-west-1', zones: 3, nodes: 3, natGateways: 'single', flowLogs: true, provider: undefined as never /* validation fails before any resource */, trustedProxyCidrs: ['10.244.0.0/16'] } },
      traffic: { adminAllowedCidrs: ['10.0.0.0/8'] },
      database: { instanceClass: 'db.r7g.large', deletionProtection: false },
    }));
    expect(error.diagnostics.filter((d) => d.code === 'aws-only-prop').map((d) => [d.path, d.value])).toEqual([
      ['sites.main.natGateways', 'single'], ['sites.main.flowLogs', true], ['traffic.adminAllowedCidrs', ['10.0.0.0/8']],
      ['database.instanceClass', 'db.r7g.large'], ['database.deletionProtection', false],
    ]);
    expect(error.message).toContain('[aws-only-prop] sites.main.natGateways: configures AWS NAT gateways');
  });

  test('an autoscaler below the site\'s nodes is a coded error with the prop path', () => {
    const error = errorOf(() => synthOneSite({ hpa: { minReplicas: 2, maxReplicas: 1, cpuUtilization: 150 } }));
    expect(error.diagnostics.map((d) => `${d.code} ${d.path}`)).toEqual([
      'hpa-min-below-nodes hpa.minReplicas', 'hpa-max-below-min hpa.maxReplicas', 'hpa-cpu-invalid hpa.cpuUtilization',
    ]);
  });

  test('with CloudNativePG, preferred durability is a warning that states RPO > 0', () => {
    const { keycloak } = synthOneSite({ database: { instances: 3 }, databaseConnection: {
      cnpg: { clusterName: 'keycloak-db' }, credentialsSecret: { name: 'keycloak-db-app', usernameKey: 'username', passwordKey: 'password' },
      createCloudNativePgCluster: true, cloudNativePg: { dataDurability: 'preferred' },
    } });
    expect(keycloak.warnings.map((w) => w.code)).toContain('cloudnative-pg-durability-preferred');
    expect(keycloak.warnings.find((w) => w.code === 'cloudnative-pg-durability-preferred')?.message).toMatch(/RPO > 0/);
  });

  test('createNamespace false: no namespace resource, nothing depends on one, objects still name the namespace', () => {
    const { resources, keycloak } = synthOneSite({ createNamespace: false });
    expect(resources.kubernetes_namespace_v1).toBeUndefined();
    expect(JSON.stringify(resources)).not.toContain('kubernetes_namespace_v1');
    expect(keycloak.namespaceOf('main')).toBe('keycloak');
    expect(keycloak.objects.main.some((o) => o.kind === 'Namespace')).toBe(false);
  });
});

describe('KeycloakOnKubernetes with two sites', () => {
  const twoSites = (overrides: Partial<KeycloakOnKubernetesProps> = {}) => {
    const stack = new TerraformStack(Testing.app(), 'stack');
    const provider = new KubernetesProvider(stack, 'kubernetes', { configPath: '~/.kube/config' });
    const site = (host: string) => ({ region: 'eu-west-1', zones: 2, nodes: 2, provider, trustedProxyCidrs: ['10.244.0.0/16'], gossipRouter: { host, allowedClientCidrs: ['203.0.113.10/32'] } });
    return new KeycloakOnKubernetes(stack, 'Keycloak', {
      hostname: 'auth.example.com',
      sites: { a: site('router.a.example.net'), b: site('router.b.example.net') },
      databaseConnection: { jdbcUrl: 'jdbc:postgresql://db.example.net:5432/keycloak', credentialsSecret: { name: 'db', usernameKey: 'username', passwordKey: 'password' } },
      bootstrapAdminSecret: { name: 'admin', passwordKey: 'password' },
      ingress: { tlsSecretName: 'auth-tls' },
      infinispan: {
        credentialsSecret: { name: 'ispn', usernameKey: 'username', passwordKey: 'password' },
        operatorCredentialsSecret: { name: 'ispn-operator', usernameKey: 'username', passwordKey: 'password' },
        hotRodTls: { keystoreSecretName: 'ispn-tls', password: { name: 'ispn-tls', key: 'password' } },
        caSecret: { name: 'ispn-ca', key: 'ca.pem' },
      },
      ...overrides,
    });
  };

  test('a site in a stack of its own with DNS needs an AWS provider there for its own records: a coded error names the site and the fix', () => {
    const app = Testing.app();
    const siteStack = new TerraformStack(app, 'site-b');
    const provider = new KubernetesProvider(siteStack, 'kubernetes', { configPath: '~/.kube/config' });
    let error: unknown;
    try {
      twoSites({
        sites: {
          a: { region: 'eu-west-1', zones: 2, nodes: 2, provider: undefined as never, trustedProxyCidrs: ['10.0.0.0/16'], gossipRouter: { host: 'router.a.example.net', allowedClientCidrs: ['203.0.113.10/32'] } },
          b: { region: 'eu-west-1', zones: 2, nodes: 2, provider, stack: siteStack, trustedProxyCidrs: ['10.1.0.0/16'], gossipRouter: { host: 'router.b.example.net', allowedClientCidrs: ['203.0.113.10/32'] } },
        },
        dns: { hostedZone: { zoneId: 'Z1', zoneName: 'example.com' }, routing: DnsRouting.failover({ primary: 'a' }) },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TopologyError);
    const [diagnostic] = (error as TopologyError).diagnostics.filter((d) => d.code === 'site-stack-provider-missing');
    expect(diagnostic).toMatchObject({ path: 'sites.b.awsProvider', message: expect.stringContaining("stack 'site-b'"), fix: expect.stringContaining('new AwsProvider(stack') });
  });

  test('without a hosted zone for the routers\' names, a warning says who must create their DNS records', () => {
    const keycloak = twoSites();
    expect(keycloak.warnings.filter((w) => w.code === 'gossip-router-dns-unmanaged').map((w) => w.path)).toEqual(['sites.a.gossipRouter.host', 'sites.b.gossipRouter.host']);
  });

  test('a missing Gossip Router or Infinispan Secrets are coded errors, not plain exceptions', () => {
    const error = (() => {
      try {
        twoSites({ infinispan: undefined, sites: { a: { region: 'eu-west-1', zones: 2, nodes: 2, provider: undefined as never, trustedProxyCidrs: ['10.0.0.0/16'] }, b: { region: 'eu-west-1', zones: 2, nodes: 2, provider: undefined as never, trustedProxyCidrs: ['10.0.0.0/16'] } } });
      } catch (e) {
        return e as TopologyError;
      }
      throw new Error('no error');
    })();
    expect(error.diagnostics.map((d) => `${d.code} ${d.path}`)).toEqual([
      'infinispan-secrets-missing infinispan', 'gossip-router-missing sites.a.gossipRouter', 'gossip-router-missing sites.b.gossipRouter',
    ]);
  });

  test('CloudNativePG with several sites is refused: each site would get its own database', () => {
    expect(() => twoSites({ databaseConnection: {
      cnpg: { clusterName: 'keycloak-db' }, credentialsSecret: { name: 'keycloak-db-app', usernameKey: 'username', passwordKey: 'password' }, createCloudNativePgCluster: true,
    } })).toThrow(/\[cloudnative-pg-several-sites\] databaseConnection\.createCloudNativePgCluster/);
  });
});

describe('KeycloakOnKubernetes: the renderer\'s option checks as coded diagnostics', () => {
  test('a trusted proxy that trusts everyone names the site\'s prop, the value and the fix', () => {
    expect(() => synthOneSite({ sites: { main: { region: 'eu-west-1', zones: 3, nodes: 3, provider: undefined as never, trustedProxyCidrs: ['0.0.0.0/0'] } } }))
      .toThrow(/\[kubernetes-option-invalid\] sites\.main\.trustedProxyCidrs: trusts every address.*\(got '0\.0\.0\.0\/0'\)\. Fix: give the ingress controller's pod CIDR/);
  });

  test('a malformed database Secret name is reported at databaseConnection', () => {
    expect(() => synthOneSite({ databaseConnection: { cnpg: { clusterName: 'keycloak-db' }, credentialsSecret: { name: 'Not_A_Name', usernameKey: 'username', passwordKey: 'password' } } }))
      .toThrow(/\[kubernetes-option-invalid\] databaseConnection\.credentialsSecret\.name: is not a Secret name/);
  });
});
