import { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct } from 'constructs';
import { DnsRouting, HostedZone, KeycloakImage, KeycloakVersion } from '../../lib';
import { KeycloakOnKubernetes } from '../../lib/index-kubernetes';

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
          provider: cluster('site-a', 'eks-keycloak-site-a'),
          trustedProxyCidrs: ['10.10.0.0/16'],
          gossipRouter: { host: 'ispn-router.site-a.auth.example.com', allowedClientCidrs: ['203.0.113.20/32'] },
        },
        'site-b': {
          region: 'eu-west-1', cidr: '10.20.0.0/16', zones: 2, nodes: 3,
          provider: cluster('site-b', 'eks-keycloak-site-b'),
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
      },
      // Keycloak's blueprint: DNS sends everyone to one site while its /lb-check answers 200, and to
      // the other when it stops (both sites keep serving whoever reaches them).
      dns: {
        hostedZone: HostedZone.fromAttributes({ zoneId: 'Z04213802QEXAMPLE1234', zoneName: 'example.com' }),
        routing: DnsRouting.failover({ primary: 'site-a' }),
      },
    });
  }
}
