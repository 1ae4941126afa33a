import { TerraformStack, TerraformVariable } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Construct } from 'constructs';
import { DnsRouting, HostedZone, KeycloakImage, KeycloakOnKubernetes, KeycloakVersion } from '../../lib/index-kubernetes';

/**
 * Keycloak's multi-site blueprint on Kubernetes: two clusters in one region (one per availability
 * zone), each with its Keycloak cluster and its external Infinispan, joined by RELAY2 through Gossip
 * Routers; both sites active, sharing one Aurora PostgreSQL regional cluster.
 */
export class KubernetesTwoSitesStack extends TerraformStack {
  readonly keycloak: KeycloakOnKubernetes;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Route 53 (global) for the hostname's records and health checks.
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    const cluster = (alias: string, context: string) =>
      new KubernetesProvider(this, alias, { alias, configPath: '~/.kube/config', configContext: context });
    const providers: Record<string, KubernetesProvider> = {
      'site-a': cluster('site-a', 'eks-keycloak-site-a'),
      'site-b': cluster('site-b', 'eks-keycloak-site-b'),
    };

    this.keycloak = new KeycloakOnKubernetes(this, 'Keycloak', {
      hostname: 'auth.example.com',
      version: KeycloakVersion.V26_7_0,
      keycloak: {
        image: KeycloakImage.fromRegistry('123456789012.dkr.ecr.eu-west-1.amazonaws.com/keycloak:26.7.0-aws-jdbc', { bundlesAwsJdbcWrapper: true }),
        vcpu: 2,
        memoryMiB: 4096,
      },
      sites: {
        'site-a': {
          region: 'eu-west-1', cidr: '10.10.0.0/16', zones: 2, nodes: 3,
          provider: providers['site-a'],
          trustedProxyCidrs: ['10.10.0.0/16'],
          gossipRouter: { host: 'ispn-router.site-a.auth.example.com', allowedClientCidrs: ['203.0.113.20/32'] },
        },
        'site-b': {
          region: 'eu-west-1', cidr: '10.20.0.0/16', zones: 2, nodes: 3,
          provider: providers['site-b'],
          trustedProxyCidrs: ['10.20.0.0/16'],
          gossipRouter: { host: 'ispn-router.site-b.auth.example.com', allowedClientCidrs: ['203.0.113.10/32'] },
        },
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
      },
    });
    // The Secrets the objects name, created after the namespace and before the pods that read them.
    const secrets = secretVariables(this);
    for (const site of ['site-a', 'site-b']) {
      this.keycloak.dependOnSecrets(site, ...siteSecrets(this, site, this.keycloak.namespaceOf(site), providers[site], secrets));
    }
  }
}

/**
 * Every secret value as a sensitive input variable (`TF_VAR_<name>` at deploy time): the synthesized
 * files only reference them, and the Secrets take them through write-only attributes
 * (`data_wo`, Terraform 1.11+), so they stay out of the state too. Bump the revision to rotate.
 */
function secretVariables(scope: Construct) {
  const names = ['db_username', 'db_password', 'admin_username', 'admin_password', 'tls_crt', 'tls_key',
    'infinispan_username', 'infinispan_password', 'infinispan_keystore_p12_base64', 'infinispan_truststore_p12_base64',
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
    // Keystore and truststore (the CA both sites' certificates come from): mutual TLS on Hot Rod's
    // JGroups transport, the cross-site bridge and the Gossip Router.
    secret('infinispan-tls', { password: v.infinispan_keystore_password }, 'Opaque',
      { 'keystore.p12': v.infinispan_keystore_p12_base64, 'truststore.p12': v.infinispan_truststore_p12_base64 }),
    secret('infinispan-ca', { 'ca.pem': v.infinispan_ca_pem }),
  ];
}
