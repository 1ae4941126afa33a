import { App, S3Backend, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DnsRouting, HostedZone, KeycloakImage, KeycloakOnAws, KeycloakVersion } from '../../lib';

const ACCOUNT = '123456789012';

function keycloakImage(region: string): KeycloakImage {
  return KeycloakImage.fromRegistry(`${ACCOUNT}.dkr.ecr.${region}.amazonaws.com/keycloak:26.7.0-aws-jdbc`, {
    bundlesAwsJdbcWrapper: true,
    rdsCaBundlePath: '/opt/keycloak/conf/rds-global-bundle.pem',
  });
}

/**
 * Where a stack keeps its Terraform state: a bucket in `region`, S3's own lock file. Each site's
 * state lives in the site's region, so deploying a site needs nothing of another region; the
 * DNS and interconnect stacks' state lives in us-east-1, where Route 53's control plane is and no
 * site is, so the DNS layer can be planned while any one site's region is down.
 */
function stateIn(stack: TerraformStack, region: string): void {
  new S3Backend(stack, { bucket: `example-terraform-state-${region}`, key: `keycloak/${stack.node.id}.tfstate`, region, encrypt: true })
    .addOverride('use_lockfile', true);
}

/** The stacks of the example: one per site, the global (DNS) one holding the construct, and the interconnect. */
export interface MultiRegionStacks {
  readonly global: TerraformStack;
  readonly sites: Readonly<Record<string, TerraformStack>>;
  /** VPC peering between the sites (made by the construct; it reads the site stacks' state). */
  readonly interconnect: TerraformStack;
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
  // Route 53 (records, health checks) and its health-check metrics live in us-east-1.
  const dnsProvider = new AwsProvider(global, 'aws', { region: 'us-east-1' });
  stateIn(global, 'us-east-1');
  const sites: Record<string, TerraformStack> = {};
  const siteInput = (name: string, region: string, cidr: string) => {
    const stack = new TerraformStack(app, `keycloak-multi-region-${name}`);
    sites[name] = stack;
    stateIn(stack, region);
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
    regionProviders: { 'us-east-1': dnsProvider },
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
  const interconnect = keycloak.interconnectStack;
  if (!interconnect) throw new Error('several sites always have an interconnect stack');
  stateIn(interconnect, 'us-east-1');
  return { global, sites, interconnect, keycloak };
}
