import { App, S3Backend, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HostedZone, KeycloakImage, KeycloakOnAws, KeycloakVersion } from '../../lib';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';

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
export interface MultiSiteStacks {
  readonly global: TerraformStack;
  readonly sites: Readonly<Record<string, TerraformStack>>;
  /** VPC peering between the sites (made by the construct; it reads the site stacks' state). */
  readonly interconnect: TerraformStack;
  readonly keycloak: KeycloakOnAws;
}

/**
 * Keycloak's multi-site blueprint on AWS: two sites in one region, each its own VPC, Keycloak
 * cluster and Infinispan cluster, sharing one Aurora regional cluster (writer and readers in
 * different zones). Caches back up synchronously to the other site; both sites serve
 * (active/active) behind Route 53 failover records with health checks on /lb-check.
 */
export function multiSiteStacks(app: App): MultiSiteStacks {
  const global = new TerraformStack(app, 'keycloak-multi-site-global');
  // Route 53 (records, health checks) and its health-check metrics live in us-east-1.
  const dnsProvider = new AwsProvider(global, 'aws', { region: 'us-east-1' });
  stateIn(global, 'us-east-1');
  const sites: Record<string, TerraformStack> = {};
  const siteInput = (name: string, cidr: string) => {
    const stack = new TerraformStack(app, `keycloak-multi-site-${name}`);
    sites[name] = stack;
    stateIn(stack, REGION);
    return {
      region: REGION,
      cidr,
      zones: 3,
      nodes: 3,
      stack,
      provider: new AwsProvider(stack, 'aws', { region: REGION }),
      // Created once per site before the first deploy (RUNBOOK.md, "Infinispan TLS").
      infinispanTlsSecretArn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:keycloak-${name}/infinispan-tls-AbCdEf`,
    };
  };
  const keycloak = new KeycloakOnAws(global, 'Keycloak', {
    hostname: 'auth.example.com',
    // 26.4 (Infinispan 15.0): the multi-region example runs 26.7 (Infinispan 16.0).
    version: KeycloakVersion.V26_4_0,
    mode: 'active-active',
    primarySite: 'site-a',
    regionProviders: { 'us-east-1': dnsProvider },
    hostedZone: HostedZone.fromAttributes({ zoneId: 'Z04213802QEXAMPLE1234', zoneName: 'example.com' }),
    sites: {
      'site-a': siteInput('site-a', '10.30.0.0/16'),
      'site-b': siteInput('site-b', '10.31.0.0/16'),
    },
    keycloak: {
      // Built from ../aws-multi-az/Dockerfile: the AWS Advanced JDBC Wrapper and the RDS CA bundle.
      image: KeycloakImage.fromRegistry(`${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/keycloak:26.4.0-aws-jdbc`, {
        bundlesAwsJdbcWrapper: true,
        rdsCaBundlePath: '/opt/keycloak/conf/rds-global-bundle.pem',
      }),
      vcpu: 2,
      memoryMiB: 4096,
    },
    database: { instances: 3, instanceClass: 'db.r7g.large' },
    traffic: { adminAllowedCidrs: ['198.51.100.0/24'] },
    alarms: { emails: ['iam-oncall@example.com'] },
    tags: { environment: 'production', owner: 'iam-platform' },
  });
  const interconnect = keycloak.interconnectStack;
  if (!interconnect) throw new Error('several sites always have an interconnect stack');
  stateIn(interconnect, 'us-east-1');
  return { global, sites, interconnect, keycloak };
}
