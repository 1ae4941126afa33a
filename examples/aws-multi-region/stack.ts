import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DnsRouting, HostedZone, KeycloakImage, KeycloakOnAws, KeycloakVersion } from '../../lib';

const ACCOUNT = '123456789012';

function keycloakImage(region: string): KeycloakImage {
  return KeycloakImage.fromRegistry(`${ACCOUNT}.dkr.ecr.${region}.amazonaws.com/keycloak:26.7.0-aws-jdbc`, {
    bundlesAwsJdbcWrapper: true,
    rdsCaBundlePath: '/opt/keycloak/conf/rds-global-bundle.pem',
  });
}

/** The stacks of the example: one per site, and the global one holding the construct. */
export interface MultiRegionStacks {
  readonly global: TerraformStack;
  readonly sites: Readonly<Record<string, TerraformStack>>;
  readonly keycloak: KeycloakOnAws;
}

/**
 * Two regions, active/passive: Frankfurt serves, Dublin stands by with its own Keycloak and
 * Infinispan clusters and the Aurora Global Database secondary. Caches back up asynchronously
 * (RPO > 0); Route 53 failover records move the hostname when Frankfurt's /lb-check fails.
 * Each site has its own stack, so a region outage never blocks deploying the other.
 */
export function multiRegionStacks(app: App): MultiRegionStacks {
  const global = new TerraformStack(app, 'keycloak-multi-region-global');
  new AwsProvider(global, 'aws', { region: 'eu-central-1' });
  const sites: Record<string, TerraformStack> = {};
  const siteInput = (name: string, region: string, cidr: string) => {
    const stack = new TerraformStack(app, `keycloak-multi-region-${name}`);
    sites[name] = stack;
    return {
      region,
      cidr,
      zones: 3,
      nodes: 3,
      stack,
      provider: new AwsProvider(stack, 'aws', { region }),
      infinispanTlsSecretArn: `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:keycloak-${name}/infinispan-tls-AbCdEf`,
      // The same build, replicated to this region's ECR: a Frankfurt outage never blocks Dublin's pulls.
      image: keycloakImage(region),
    };
  };
  const keycloak = new KeycloakOnAws(global, 'Keycloak', {
    hostname: 'auth.example.com',
    version: KeycloakVersion.V26_7_0,
    mode: 'active-passive',
    primarySite: 'frankfurt',
    hostedZone: HostedZone.fromAttributes({ zoneId: 'Z04213802QEXAMPLE1234', zoneName: 'example.com' }),
    sites: {
      frankfurt: siteInput('frankfurt', 'eu-central-1', '10.40.0.0/16'),
      dublin: siteInput('dublin', 'eu-west-1', '10.41.0.0/16'),
    },
    keycloak: {
      // Built from ../aws-multi-az/Dockerfile; each site overrides it with its own region's copy.
      image: keycloakImage('eu-central-1'),
      vcpu: 2,
      memoryMiB: 4096,
    },
    database: { instances: 2, instanceClass: 'db.r7g.large' },
    dns: {
      routing: DnsRouting.failover({ primary: 'frankfurt' }),
      healthCheck: { intervalSeconds: 10, failureThreshold: 3 },
    },
    traffic: { adminAllowedCidrs: ['198.51.100.0/24'] },
    alarms: { emails: ['iam-oncall@example.com'] },
    tags: { environment: 'production', owner: 'iam-platform' },
  });
  return { global, sites, keycloak };
}
