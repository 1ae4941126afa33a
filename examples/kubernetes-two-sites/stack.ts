import { App, S3Backend, TerraformStack, TerraformVariable } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Construct } from 'constructs';
import { DnsRouting, HostedZone, KeycloakImage, KeycloakOnKubernetes, KeycloakVersion } from '../../lib/index-kubernetes';

const REGION = 'eu-west-1';

/** The stacks of the example: one per site (cluster), and the global (DNS) one holding the construct. */
export interface KubernetesTwoSitesStacks {
  readonly global: TerraformStack;
  readonly sites: Readonly<Record<string, TerraformStack>>;
  readonly keycloak: KeycloakOnKubernetes;
}

/**
 * Where a stack keeps its Terraform state: a bucket in `region`, S3's own lock file. The global
 * (DNS) stack reads nothing of the clusters, so a cluster that cannot be reached never blocks it.
 */
function stateIn(stack: TerraformStack, region: string): void {
  new S3Backend(stack, { bucket: `example-terraform-state-${region}`, key: `keycloak/${stack.node.id}.tfstate`, region, encrypt: true })
    .addOverride('use_lockfile', true);
}

/**
 * Keycloak's multi-site blueprint on Kubernetes: two clusters in one region (one per availability
 * zone), each with its Keycloak cluster and its external Infinispan, joined by RELAY2 through Gossip
 * Routers; both sites active, sharing one Aurora PostgreSQL regional cluster. Each cluster's
 * objects (and its Secrets, its own DNS records) live in a stack of their own, so an unreachable
 * cluster never blocks deploying the other or the DNS layer.
 */
export function kubernetesTwoSitesStacks(app: App): KubernetesTwoSitesStacks {
  const global = new TerraformStack(app, 'keycloak-kubernetes-two-sites');
  // Route 53's control plane is in us-east-1: the hostname's records and health checks.
  const dnsProvider = new AwsProvider(global, 'aws', { region: 'us-east-1' });
  stateIn(global, 'us-east-1');
  const sites: Record<string, TerraformStack> = {};
  const providers: Record<string, KubernetesProvider> = {};
  const siteInput = (name: string, cidr: string, routerClient: string) => {
    const stack = new TerraformStack(app, `keycloak-kubernetes-two-sites-${name}`);
    sites[name] = stack;
    stateIn(stack, REGION);
    providers[name] = new KubernetesProvider(stack, 'kubernetes', { configPath: '~/.kube/config', configContext: `eks-keycloak-${name}` });
    return {
      region: REGION, cidr, zones: 2, nodes: 3, stack,
      provider: providers[name],
      // The site's own records (its ingress, its Gossip Router) in the hosted zone.
      awsProvider: new AwsProvider(stack, 'aws', { region: REGION }),
      trustedProxyCidrs: [cidr],
      gossipRouter: { host: `ispn-router.${name}.auth.example.com`, allowedClientCidrs: [routerClient] },
    };
  };

  const keycloak = new KeycloakOnKubernetes(global, 'Keycloak', {
    hostname: 'auth.example.com',
    version: KeycloakVersion.V26_7_0,
    keycloak: {
      image: KeycloakImage.fromRegistry('123456789012.dkr.ecr.eu-west-1.amazonaws.com/keycloak:26.7.0-aws-jdbc', { bundlesAwsJdbcWrapper: true }),
      vcpu: 2,
      memoryMiB: 4096,
    },
    sites: {
      'site-a': siteInput('site-a', '10.10.0.0/16', '203.0.113.20/32'),
      'site-b': siteInput('site-b', '10.20.0.0/16', '203.0.113.10/32'),
    },
    // Aurora PostgreSQL regional cluster shared by both sites (writer in one zone, reader in the other).
    databaseConnection: {
      jdbcUrl: 'jdbc:aws-wrapper:postgresql://keycloak.cluster-c0ffee.eu-west-1.rds.amazonaws.com:5432/keycloak',
      credentialsSecret: { name: 'keycloak-db', usernameKey: 'username', passwordKey: 'password' },
    },
    bootstrapAdminSecret: { name: 'keycloak-bootstrap-admin', usernameKey: 'username', passwordKey: 'password' },
    ingress: { className: 'nginx', tlsSecretName: 'auth-example-com-tls' },
    infinispan: {
      credentialsSecret: { name: 'infinispan-keycloak', usernameKey: 'username', passwordKey: 'password' },
      operatorCredentialsSecret: { name: 'infinispan-operator', usernameKey: 'username', passwordKey: 'password' },
      hotRodTls: { keystoreSecretName: 'infinispan-tls', keystoreKey: 'keystore.p12', password: { name: 'infinispan-tls', key: 'password' } },
      caSecret: { name: 'infinispan-ca', key: 'ca.pem' },
      // The Infinispan that Keycloak 26.7.0 embeds, pinned so every pod runs the same build.
      image: 'quay.io/infinispan/server:16.0.12',
    },
    // ServiceMonitors and a PrometheusRule for the Prometheus Operator in namespace `monitoring`.
    monitoring: { prometheusNamespace: 'monitoring' },
    // Keycloak's blueprint: DNS sends everyone to one site while its /lb-check answers 200, and to
    // the other when it stops (both sites keep serving whoever reaches them).
    dns: {
      hostedZone: HostedZone.fromAttributes({ zoneId: 'Z04213802QEXAMPLE1234', zoneName: 'example.com' }),
      routing: DnsRouting.failover({ primary: 'site-a' }),
      awsProvider: dnsProvider,
    },
  });
  // The Secrets the objects name, in each site's stack, created after the namespace and before the pods that read them.
  for (const [site, stack] of Object.entries(sites)) {
    keycloak.dependOnSecrets(site, ...siteSecrets(stack, site, keycloak.namespaceOf(site), providers[site], secretVariables(stack)));
  }
  return { global, sites, keycloak };
}

/**
 * Every secret value as a sensitive input variable (`TF_VAR_<name>` at deploy time): the synthesized
 * files only reference them, and the Secrets take them through write-only attributes
 * (`data_wo`, Terraform 1.11+), so they stay out of the state too. Bump the revision to rotate.
 */
function secretVariables(scope: Construct) {
  const names = ['db_username', 'db_password', 'admin_username', 'admin_password', 'tls_crt', 'tls_key',
    'infinispan_username', 'infinispan_password', 'infinispan_operator_username', 'infinispan_operator_password', 'infinispan_keystore_p12_base64', 'infinispan_truststore_p12_base64',
    'infinispan_keystore_password', 'infinispan_ca_pem'] as const;
  return Object.fromEntries(names.map((name) => [name, new TerraformVariable(scope, name, { type: 'string', sensitive: true }).stringValue])) as Record<(typeof names)[number], string>;
}

function siteSecrets(scope: Construct, site: string, namespace: string, provider: KubernetesProvider, v: ReturnType<typeof secretVariables>): SecretV1[] {
  const secret = (name: string, data: Record<string, string>, type = 'Opaque', binary?: Record<string, string>) =>
    new SecretV1(scope, `${site}-secret-${name}`, {
      provider, type, metadata: { name, namespace },
      dataWo: data, dataWoRevision: 1,
      ...(binary ? { binaryDataWo: binary, binaryDataWoRevision: 1 } : {}),
    });
  return [
    secret('keycloak-db', { username: v.db_username, password: v.db_password }),
    // Only the primary site creates the temporary administrator (one per deployment): the other reads no such Secret.
    ...(site === 'site-a' ? [secret('keycloak-bootstrap-admin', { username: v.admin_username, password: v.admin_password })] : []),
    secret('auth-example-com-tls', { 'tls.crt': v.tls_crt, 'tls.key': v.tls_key }, 'kubernetes.io/tls'),
    secret('infinispan-keycloak', { username: v.infinispan_username, password: v.infinispan_password }),
    // The runbook's cross-site operations (role admin); Keycloak's user above has role deployer.
    secret('infinispan-operator', { username: v.infinispan_operator_username, password: v.infinispan_operator_password }),
    // Keystore and truststore (the CA both sites' certificates come from): mutual TLS on Hot Rod's
    // JGroups transport, the cross-site bridge and the Gossip Router.
    secret('infinispan-tls', { password: v.infinispan_keystore_password }, 'Opaque',
      { 'keystore.p12': v.infinispan_keystore_p12_base64, 'truststore.p12': v.infinispan_truststore_p12_base64 }),
    secret('infinispan-ca', { 'ca.pem': v.infinispan_ca_pem }),
  ];
}
