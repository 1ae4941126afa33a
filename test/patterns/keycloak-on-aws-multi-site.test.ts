import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { multiRegionStacks } from '../../examples/aws-multi-region/stack';
import { multiSiteStacks } from '../../examples/aws-multi-site/stack';
import { HostedZone, KeycloakOnAws, KeycloakOnAwsProps, TopologyError } from '../../lib';
import { withScratchFolder, withScratchFolderAsync } from '../conformance';
import { wrapperImage } from '../topologies';
import { DnsRouting } from '../../lib/aws/dns-routing';

type Body = Record<string, unknown>;
interface StackJson {
  resource: Record<string, Record<string, Body>>;
  data?: Record<string, Record<string, Body>>;
  output?: Record<string, Body>;
  provider?: Record<string, Body[]>;
  terraform?: { backend?: Record<string, Body> };
}

/** Synthesizes a whole app (several stacks, cross-stack references) and parses every stack. */
function synthApp(build: (app: App) => void): Record<string, StackJson> {
  return withScratchFolder('multi-site-', (outdir) => {
    const app = new App({ outdir });
    build(app);
    app.synth();
    const stacksDir = join(outdir, 'stacks');
    return Object.fromEntries(readdirSync(stacksDir).map((stack) =>
      [stack, JSON.parse(readFileSync(join(stacksDir, stack, 'cdk.tf.json'), 'utf8')) as StackJson]));
  });
}

const all = (stack: StackJson, type: string): Body[] => Object.values(stack.resource[type] ?? {});
const names = (stack: StackJson, type: string): string[] => Object.keys(stack.resource[type] ?? {});

interface Container { name: string; environment: { name: string; value: string }[]; secrets: { name: string; valueFrom: string }[]; entryPoint?: string[] }
function containers(stack: StackJson): Container[] {
  return all(stack, 'aws_ecs_task_definition').flatMap((td) => JSON.parse(td.container_definitions as string) as Container[]);
}
const env = (container: Container): Record<string, string> => Object.fromEntries(container.environment.map((e) => [e.name, e.value]));
const keycloakOf = (stack: StackJson): Container => {
  const found = containers(stack).filter((c) => c.name === 'keycloak');
  expect(found).toHaveLength(1);
  return found[0];
};
const infinispanXmlOf = (stack: StackJson): string => {
  const xml = containers(stack).flatMap((c) => c.environment).filter((e) => e.value.includes('urn:infinispan:config'));
  expect(xml).toHaveLength(1);
  return xml[0].value;
};

describe('examples/aws-multi-region (two regions, active/passive, one stack per site plus a global stack)', () => {
  const stacks = synthApp((app) => multiRegionStacks(app));
  const global = stacks['keycloak-multi-region-global'];
  const frankfurt = stacks['keycloak-multi-region-frankfurt'];
  const dublin = stacks['keycloak-multi-region-dublin'];
  const interconnect = stacks['keycloak-multi-region-global-interconnect'];

  test('synthesizes exactly a global (DNS) stack, one stack per site and the interconnect', () => {
    expect(Object.keys(stacks).sort()).toEqual([
      'keycloak-multi-region-dublin', 'keycloak-multi-region-frankfurt', 'keycloak-multi-region-global', 'keycloak-multi-region-global-interconnect',
    ]);
  });

  test('the DNS stack survives the loss of either region: it reads no site\'s state and uses only a us-east-1 provider', () => {
    expect(global.data?.terraform_remote_state).toBeUndefined();
    // A site's outputs live in the site's stack: an output here would read that stack's state.
    expect(Object.keys(global.output ?? {})).toEqual(['keycloak-failover-seconds']);
    expect(global.provider?.aws).toEqual([{ region: 'us-east-1' }]);
    // Every resource on that provider, nothing names a resource of a site stack.
    for (const [type, byName] of Object.entries(global.resource ?? {})) {
      for (const body of Object.values(byName)) expect({ type, provider: body.provider ?? 'aws' }).toEqual({ type, provider: 'aws' });
    }
    expect(JSON.stringify(global.resource)).not.toMatch(/Keycloak-(frankfurt|dublin)_/);
    // Its state is kept in a region that hosts no site.
    expect(global.terraform?.backend).toEqual({ s3: expect.objectContaining({ region: 'us-east-1', use_lockfile: true }) });
  });

  test('each site keeps its state in its own region, and no site reads the other\'s state', () => {
    for (const [stack, region] of [[frankfurt, 'eu-central-1'], [dublin, 'eu-west-1']] as const) {
      expect(stack.terraform?.backend).toEqual({ s3: expect.objectContaining({ region }) });
      expect(stack.data?.terraform_remote_state).toBeUndefined();
    }
  });

  test('each site publishes its own record, which the DNS stack\'s records alias and its health checks probe', () => {
    for (const [stack, site] of [[frankfurt, 'frankfurt'], [dublin, 'dublin']] as const) {
      const own = all(stack, 'aws_route53_record').filter((r) => r.name === `${site}.sites.auth.example.com`);
      expect(own).toHaveLength(1);
      expect((own[0].alias as { name: string }).name).toMatch(/^\$\{aws_lb\.Keycloak-[a-z]+_LoadBalancer_[0-9A-F]+\.dns_name\}$/);
      expect(all(global, 'aws_route53_health_check').map((c) => c.fqdn)).toContain(`${site}.sites.auth.example.com`);
    }
  });

  test('a first `cdktf deploy \'*\'` applies the primary before the secondary, whose lookups need the primary\'s global database and credentials', () => {
    const { sites } = multiRegionStacks(Testing.app());
    expect(sites.dublin.dependencies).toEqual([sites.frankfurt]);
    expect(sites.frankfurt.dependencies).toEqual([]);
  });

  test('the primary site creates the Aurora Global Database; the secondary joins it by name without a reference to the primary stack', () => {
    expect(all(frankfurt, 'aws_rds_global_cluster')).toHaveLength(1);
    expect(all(frankfurt, 'aws_rds_global_cluster')[0]).toMatchObject({ global_cluster_identifier: 'keycloak-global', storage_encrypted: true });
    expect(all(dublin, 'aws_rds_global_cluster')).toHaveLength(0);
    const [secondary] = all(dublin, 'aws_rds_cluster');
    expect(secondary.global_cluster_identifier).toBe('keycloak-global');
    expect(secondary).not.toHaveProperty('master_username');
    // No terraform_remote_state: a Frankfurt outage cannot stop a plan of Dublin.
    expect(JSON.stringify(dublin)).not.toContain('terraform_remote_state');
  });

  test('Keycloak of both sites writes through the global writer endpoint, and reads credentials in its own region', () => {
    expect(env(keycloakOf(frankfurt)).KC_DB_URL).toMatch(/^jdbc:postgresql:\/\/\$\{aws_rds_global_cluster\.[^}]+\.endpoint\}:5432\/keycloak\?targetServerType=primary&sslmode=verify-ca/);
    expect(env(keycloakOf(dublin)).KC_DB_URL).toMatch(/^jdbc:postgresql:\/\/\$\{data\.aws_rds_global_cluster\.[^}]+\.endpoint\}:5432\//);
    expect(env(keycloakOf(dublin))).not.toHaveProperty('KC_DB_DRIVER');
    const dbSecret = keycloakOf(dublin).secrets.find((s) => s.name === 'KCRAW_DB_PASSWORD');
    expect(dbSecret?.valueFrom).toMatch(/^\$\{data\.aws_secretsmanager_secret\.[^}]+\.arn\}:password::$/);
    expect(Object.values(dublin.data?.aws_secretsmanager_secret ?? {}).map((s) => s.name)).toEqual(['keycloak-frankfurt/database', 'keycloak-frankfurt/database-app']);
    expect(dbSecret?.valueFrom).toContain('KeycloakDatabaseCredentials');
  });

  test('the secondary region creates the role through the global writer endpoint, as the master user of the replicated secret', () => {
    const role = containers(dublin).find((c) => c.name === 'database-role');
    expect(env(role as Container).PGHOST).toMatch(/^\$\{data\.aws_rds_global_cluster\.[^}]+\.endpoint\}$/);
    const secrets = Object.fromEntries((role as Container).secrets.map((s) => [s.name, s.valueFrom]));
    expect(secrets.PGPASSWORD).toMatch(/^\$\{data\.aws_secretsmanager_secret\.[^}]*DatabaseCredentials[^}]+\.arn\}:password::$/);
    expect(secrets.PGPASSWORD).not.toContain('KeycloakDatabaseCredentials');
    expect(keycloakOf(dublin).secrets.map((s) => s.valueFrom).filter((from) => from === secrets.PGPASSWORD)).toEqual([]);
  });

  test('across regions each side admits the other by subnet: the bridge only from its Infinispan (cache) subnets, PostgreSQL only from its Keycloak subnets', () => {
    // Dublin is 10.41.0.0/16 over 3 zones: Keycloak in the first three /19s, Infinispan in 10.41.208.0/23 and the next two.
    const rules = (stack: StackJson, port: number) => all(stack, 'aws_vpc_security_group_ingress_rule')
      .filter((r) => r.from_port === port && r.cidr_ipv4 !== undefined).map((r) => String(r.cidr_ipv4)).sort();
    expect(rules(frankfurt, 7900)).toEqual(['10.41.208.0/23', '10.41.210.0/23', '10.41.212.0/23']);
    expect(rules(frankfurt, 5432)).toEqual(['10.41.0.0/19', '10.41.32.0/19', '10.41.64.0/19']);
    // Dublin's Infinispan runs in those cache subnets, on the zones' private route tables (peering routes included).
    const [service] = all(dublin, 'aws_ecs_service').filter((r) => String(r.name).endsWith('infinispan'));
    expect((service.network_configuration as { subnets: string[] }).subnets.every((id) => /Zone\dCache/.test(id))).toBe(true);
    const cacheSubnets = all(dublin, 'aws_subnet').filter((r) => String((r.tags as Record<string, string>).Name).includes('-cache-')).map((r) => r.cidr_block).sort();
    expect(cacheSubnets).toEqual(['10.41.208.0/23', '10.41.210.0/23', '10.41.212.0/23']);
  });

  test('the interconnect stack peers the VPCs: connection, accepter and routes both ways', () => {
    expect(all(interconnect, 'aws_vpc_peering_connection')).toHaveLength(1);
    expect(all(interconnect, 'aws_vpc_peering_connection')[0]).toMatchObject({ peer_region: 'eu-west-1', auto_accept: false });
    expect(all(interconnect, 'aws_vpc_peering_connection_accepter')).toHaveLength(1);
    const routes = all(interconnect, 'aws_route');
    // Three private route tables and the database route table, on each side.
    expect(routes).toHaveLength(8);
    expect(routes.filter((r) => r.destination_cidr_block === '10.41.0.0/16')).toHaveLength(4);
    expect(routes.filter((r) => r.destination_cidr_block === '10.40.0.0/16')).toHaveLength(4);
  });

  test('each site resolves the other site\'s Infinispan names (Cloud Map zone associated across the peering)', () => {
    const associations = all(interconnect, 'aws_route53_zone_association');
    expect(associations.map((a) => a.vpc_region).sort()).toEqual(['eu-central-1', 'eu-west-1']);
  });

  test('Route 53: health checks on /lb-check per site and failover records that use them', () => {
    const checks = all(global, 'aws_route53_health_check');
    expect(checks).toHaveLength(2);
    for (const check of checks) expect(check).toMatchObject({ resource_path: '/lb-check', type: 'HTTPS', request_interval: 10, failure_threshold: 3 });
    const records = all(global, 'aws_route53_record').filter((r) => r.failover_routing_policy !== undefined);
    expect(records.map((r) => (r.failover_routing_policy as { type: string }).type).sort()).toEqual(['PRIMARY', 'SECONDARY']);
    for (const record of records) expect(record.health_check_id).toMatch(/aws_route53_health_check/);
  });

  test('each Keycloak uses its own site\'s Infinispan, with the multi-site feature and the CA from the TLS secret', () => {
    for (const [site, stack] of [['frankfurt', frankfurt], ['dublin', dublin]] as const) {
      const keycloak = keycloakOf(stack);
      expect(env(keycloak).KC_CACHE_REMOTE_HOST).toBe(`infinispan.keycloak-${site}.internal`);
      expect(env(keycloak).KC_FEATURES).toContain('multi-site');
      expect(env(keycloak)).not.toHaveProperty('KC_CACHE_STACK');
      expect(keycloak.secrets.map((s) => s.name)).toEqual(expect.arrayContaining(['KCRAW_CACHE_REMOTE_USERNAME', 'KCRAW_CACHE_REMOTE_PASSWORD', 'INFINISPAN_CA_PEM']));
      // bash writes the CA to the truststore path, then execs kc.sh with the task's command ($0 = kc.sh).
      expect(keycloak.entryPoint).toEqual(['/bin/bash', '-c', expect.stringContaining('exec /opt/keycloak/bin/kc.sh "$@"'), 'kc.sh']);
      expect(keycloak.entryPoint?.[2]).toContain(`"$INFINISPAN_CA_PEM" > ${env(keycloak).KC_TRUSTSTORE_PATHS}`);
      expect((keycloak as Container & { command: string[] }).command).toEqual(['start']);
    }
  });

  test('each site validates its own certificate, but only the primary owns the shared ACM validation record', () => {
    expect(all(frankfurt, 'aws_acm_certificate_validation')).toHaveLength(1);
    expect(all(dublin, 'aws_acm_certificate_validation')).toHaveLength(1);
    const validationRecords = (stack: typeof dublin) => all(stack, 'aws_route53_record').filter((r) => String(r.name).includes('domain_validation_options'));
    expect(validationRecords(frankfurt)).toHaveLength(1);
    expect(validationRecords(dublin)).toEqual([]);
    // The standby waits for the same record, named by its own certificate.
    expect(all(dublin, 'aws_acm_certificate_validation')[0].validation_record_fqdns)
      .toEqual([expect.stringMatching(/^\$\{trimsuffix\(tolist\(aws_acm_certificate\.[^)]+\.domain_validation_options\)\.0\.resource_record_name, "\."\)\}$/)]);
  });

  test('one temporary administrator per deployment: only the primary site creates it, has its secret and says where it is', () => {
    expect(keycloakOf(frankfurt).secrets.map((s) => s.name)).toContain('KCRAW_BOOTSTRAP_ADMIN_PASSWORD');
    expect(env(keycloakOf(frankfurt)).KC_BOOTSTRAP_ADMIN_USERNAME).toBe('temp-admin');
    expect(keycloakOf(dublin).secrets.map((s) => s.name).filter((n) => n.includes('BOOTSTRAP'))).toEqual([]);
    expect(env(keycloakOf(dublin))).not.toHaveProperty('KC_BOOTSTRAP_ADMIN_USERNAME');
    const secretNames = (stack: typeof dublin) => all(stack, 'aws_secretsmanager_secret').map((s) => s.name);
    expect(secretNames(frankfurt)).toContain('keycloak-frankfurt/bootstrap-admin');
    expect(secretNames(dublin).filter((n) => String(n).includes('bootstrap-admin'))).toEqual([]);
  });

  test('each Infinispan config names its own site in RELAY2 and backs up to the other', () => {
    for (const [site, other, stack] of [['frankfurt', 'dublin', frankfurt], ['dublin', 'frankfurt', dublin]] as const) {
      const xml = infinispanXmlOf(stack);
      expect(xml).toMatch(new RegExp(`<relay\\.RELAY2[^>]*site="${site}"`));
      expect(xml).toContain(`<backup site="${other}"`);
      expect(xml).not.toContain(`<backup site="${site}"`);
      // Infinispan's own ${...} syntax is escaped for Terraform.
      expect(xml).not.toMatch(/(^|[^$])\$\{env\./);
    }
  });

  test('exposes the computed worst-case failover time (detection + DNS) as an output', () => {
    expect(global.output?.['keycloak-failover-seconds']).toMatchObject({ value: '118' });
  });
});

describe('examples/aws-multi-site (two sites in one region, active/active)', () => {
  const stacks = synthApp((app) => multiSiteStacks(app));
  const a = stacks['keycloak-multi-site-site-a'];
  const b = stacks['keycloak-multi-site-site-b'];
  const global = stacks['keycloak-multi-site-global'];
  const interconnect = stacks['keycloak-multi-site-global-interconnect'];

  test('one regional Aurora cluster, in the primary site; the other site has none', () => {
    expect(all(a, 'aws_rds_cluster')).toHaveLength(1);
    expect(all(a, 'aws_rds_global_cluster')).toHaveLength(0);
    expect(all(b, 'aws_rds_cluster')).toHaveLength(0);
  });

  test('site-b\'s Keycloak connects to site-a\'s cluster, allowed from site-b\'s Keycloak security group only (not its subnets)', () => {
    expect(env(keycloakOf(b)).KC_DB_URL).toContain('jdbc:aws-wrapper:postgresql://');
    expect(all(a, 'aws_vpc_security_group_ingress_rule').filter((r) => r.from_port === 5432 && r.cidr_ipv4 !== undefined)).toEqual([]);
    const postgres = all(interconnect, 'aws_vpc_security_group_ingress_rule').filter((r) => r.from_port === 5432);
    expect(postgres).toEqual([expect.objectContaining({
      security_group_id: expect.stringMatching(/site-a_Database_SecurityGroup\w*id\}$/),
      referenced_security_group_id: expect.stringMatching(/site-b_Keycloak_SecurityGroup\w*id\}$/),
      depends_on: [expect.stringMatching(/^aws_vpc_peering_connection_accepter\./)],
    })]);
  });

  test('the cross-site bridge (7900) is open only between the two sites\' Infinispan security groups, both ways, once the peering is accepted', () => {
    for (const stack of [a, b]) {
      expect(all(stack, 'aws_vpc_security_group_ingress_rule').filter((r) => r.from_port === 7900 && r.cidr_ipv4 !== undefined)).toEqual([]);
    }
    const summary = (r: Record<string, unknown>) => `${/(site-[ab])_Infinispan_SecurityGroup/.exec(String(r.security_group_id))?.[1]} ` +
      `${/(site-[ab])_Infinispan_SecurityGroup/.exec(String(r.referenced_security_group_id))?.[1]}`;
    const bridge = (type: string) => all(interconnect, type).filter((r) => r.from_port === 7900).map(summary).sort();
    expect(bridge('aws_vpc_security_group_ingress_rule')).toEqual(['site-a site-b', 'site-b site-a']);
    expect(bridge('aws_vpc_security_group_egress_rule')).toEqual(['site-a site-b', 'site-b site-a']);
  });

  test('SYNC cross-site backups with FAIL between the two sites (Keycloak blueprint)', () => {
    const xml = infinispanXmlOf(a);
    expect(xml).toMatch(/<backup site="site-b" strategy="SYNC"[^>]*failure-policy="FAIL"/);
  });

  test('failover records for both sites (one region: Route 53 keeps one latency record per region), each with a health check on /lb-check', () => {
    expect(all(global, 'aws_route53_record').filter((r) => r.latency_routing_policy !== undefined)).toHaveLength(0);
    const records = all(global, 'aws_route53_record').filter((r) => r.failover_routing_policy !== undefined);
    expect(records).toHaveLength(2);
    for (const record of records) expect(record.health_check_id).toBeDefined();
    expect(all(global, 'aws_route53_health_check').every((c) => c.resource_path === '/lb-check')).toBe(true);
  });

  test('Keycloak tasks open no JGroups ports: with multi-site Keycloak forms no embedded cluster', () => {
    const keycloakIngress = all(a, 'aws_vpc_security_group_ingress_rule')
      .filter((r) => /aws_security_group\.Keycloak-site-a_Keycloak_SecurityGroup_/.test(String(r.security_group_id)));
    // Only the load balancer's HTTP and management traffic (the list is not empty, so the filter matched).
    expect(keycloakIngress.map((r) => r.from_port).sort()).toEqual([8080, 9000]);
    const ports = (keycloakOf(a) as Container & { portMappings: { containerPort: number }[] }).portMappings.map((p) => p.containerPort);
    expect(ports).toEqual([8080, 9000]);
  });

  test('site-b\'s Keycloak may decrypt the credentials of site-a\'s cluster (encrypted with site-a\'s key)', () => {
    const permissions = Object.entries(b.data?.aws_iam_policy_document ?? {})
      .find(([name]) => name.startsWith('Keycloak-site-b_Keycloak_ExecutionPermissions'))?.[1] as { statement: { sid: string; resources: string[] }[] };
    const decrypt = permissions.statement.find((st) => st.sid === 'DecryptKeycloakSecrets');
    expect(decrypt?.resources).toHaveLength(2);
    expect(decrypt?.resources.some((r) => r.includes('aws_kms_keyKeycloak-site-a_Key'))).toBe(true);
  });
});

describe('adding a third site', () => {
  const hostedZone = HostedZone.fromAttributes({ zoneId: 'Z04213802QEXAMPLE1234', zoneName: 'example.com' });
  const build = (siteNames: string[]) => synthApp((app) => {
    const global = new TerraformStack(app, 'global');
    new AwsProvider(global, 'aws', { region: 'eu-west-1' });
    const sites: KeycloakOnAwsProps['sites'] = Object.fromEntries(siteNames.map((name, i) => {
      const stack = new TerraformStack(app, name);
      const region = ['eu-west-1', 'eu-central-1', 'us-east-1'][i];
      return [name, {
        region, cidr: `10.${50 + i}.0.0/16`, stack, provider: new AwsProvider(stack, 'aws', { region }),
        infinispanTlsSecretArn: `arn:aws:secretsmanager:${region}:123456789012:secret:${name}-tls-AbCdEf`,
      }];
    }));
    new KeycloakOnAws(global, 'Keycloak', {
      // The default routing: failover from 'one', then the others in order (a chain of records with three).
      hostname: 'auth.example.com', keycloak: { image: wrapperImage }, mode: 'active-passive', primarySite: 'one', hostedZone, sites,
    });
  });

  test('changes no Terraform address of the first two sites, in their stacks, the global stack or the interconnect', () => {
    const two = build(['one', 'two']);
    const three = build(['one', 'two', 'three']);
    const addresses = (stack: StackJson) => Object.entries(stack.resource).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
    for (const stack of ['one', 'two']) {
      const before = addresses(two[stack]);
      const after = new Set(addresses(three[stack]));
      expect(before.filter((address) => !after.has(address))).toEqual([]);
    }
    for (const stack of ['global', 'global-interconnect']) {
      const after = new Set(addresses(three[stack]));
      expect(addresses(two[stack]).filter((address) => !after.has(address))).toEqual([]);
    }
    expect(names(three['global-interconnect'], 'aws_vpc_peering_connection')).toHaveLength(3);
  });
});

describe('the review bundle labels the routing the DNS records implement', () => {
  test('GIVEN active/passive with acknowledged latency routing THEN the diagram says latency per region, as the records do, not PRIMARY/standby', async () => {
    const hostedZone = HostedZone.fromAttributes({ zoneId: 'Z04213802QEXAMPLE1234', zoneName: 'example.com' });
    let keycloak: KeycloakOnAws | undefined;
    const stacks = synthApp((app) => {
      const stack = new TerraformStack(app, 'one');
      const sites: KeycloakOnAwsProps['sites'] = Object.fromEntries([['eu', 'eu-west-1'], ['us', 'us-west-2'], ['ap', 'ap-southeast-2']].map(([name, region], i) =>
        [name, {
          region, cidr: `10.${70 + i}.0.0/16`, provider: new AwsProvider(stack, `aws-${name}`, { region, alias: name }),
          infinispanTlsSecretArn: `arn:aws:secretsmanager:${region}:123456789012:secret:${name}-tls-AbCdEf`,
        }]));
      new AwsProvider(stack, 'aws', { region: 'us-east-1' });
      keycloak = new KeycloakOnAws(stack, 'Keycloak', {
        hostname: 'auth.example.com', keycloak: { image: wrapperImage }, mode: 'active-passive', primarySite: 'eu', hostedZone, sites,
        acknowledge: ['cross-region-active-active'], dns: { routing: DnsRouting.latency() },
      });
    });
    const latencyRegions = all(stacks.one, 'aws_route53_record').flatMap((r) => (r.latency_routing_policy as { region: string } | undefined)?.region ?? []).sort();
    expect(latencyRegions).toEqual(['ap-southeast-2', 'eu-west-1', 'us-west-2']);
    await withScratchFolderAsync('routing-bundle-', async (dir) => {
      await keycloak?.writeReviewBundle(dir);
      const labels = [...readFileSync(join(dir, 'topology.dot'), 'utf8').matchAll(/dns -> \w+_lb \[label="([^"]+)"/g)].map((m) => m[1]).sort();
      expect(labels).toEqual(latencyRegions.map((region) => `latency (${region})`));
    });
  });
});

describe('Global Accelerator with sites in stacks of their own', () => {
  const hostedZone = HostedZone.fromAttributes({ zoneId: 'Z04213802QEXAMPLE1234', zoneName: 'example.com' });
  const stacks = synthApp((app) => {
    const global = new TerraformStack(app, 'global');
    new AwsProvider(global, 'aws', { region: 'us-east-1' });
    const sites: KeycloakOnAwsProps['sites'] = Object.fromEntries([['eu', 'eu-west-1'], ['us', 'us-west-2']].map(([name, region], i) => {
      const stack = new TerraformStack(app, name);
      return [name, {
        region, cidr: `10.${60 + i}.0.0/16`, stack, provider: new AwsProvider(stack, 'aws', { region }),
        infinispanTlsSecretArn: `arn:aws:secretsmanager:${region}:123456789012:secret:${name}-tls-AbCdEf`,
      }];
    }));
    new KeycloakOnAws(global, 'Keycloak', {
      hostname: 'auth.example.com', keycloak: { image: wrapperImage }, mode: 'active-passive', primarySite: 'eu', hostedZone, sites,
      dns: { trafficDirector: 'global-accelerator', routing: DnsRouting.failover({ primary: 'eu' }) },
    });
  });

  test('each site\'s stack holds its region\'s endpoint group and reads the listener from the DNS stack, never the reverse', () => {
    expect(stacks.global.data?.terraform_remote_state).toBeUndefined();
    expect(all(stacks.global, 'aws_globalaccelerator_endpoint_group')).toEqual([]);
    expect(all(stacks.global, 'aws_globalaccelerator_listener')).toHaveLength(1);
    for (const [site, region, dial] of [['eu', 'eu-west-1', 100], ['us', 'us-west-2', 0]] as const) {
      const [group] = all(stacks[site], 'aws_globalaccelerator_endpoint_group');
      expect(group).toMatchObject({ endpoint_group_region: region, traffic_dial_percentage: dial, health_check_path: '/lb-check' });
      expect(group.listener_arn).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-global\.outputs\./);
      expect((group.endpoint_configuration as { endpoint_id: string }[])[0].endpoint_id).toMatch(/^\$\{aws_lb\.Keycloak-[a-z]+_LoadBalancer_[0-9A-F]+\.arn\}$/);
    }
  });
});

describe('multi-site props are checked before anything is built', () => {
  const hostedZone = HostedZone.fromAttributes({ zoneId: 'Z04213802QEXAMPLE1234', zoneName: 'example.com' });
  const attempt = (props: Partial<KeycloakOnAwsProps>) => () => synthApp((app) => {
    const stack = new TerraformStack(app, 'one');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    new KeycloakOnAws(stack, 'Keycloak', {
      hostname: 'auth.example.com', keycloak: { image: wrapperImage }, hostedZone,
      sites: {
        a: { region: 'eu-west-1', cidr: '10.10.0.0/16', infinispanTlsSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:a-AbCdEf' },
        b: { region: 'eu-west-1', cidr: '10.20.0.0/16', infinispanTlsSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:b-AbCdEf' },
      },
      ...props,
    });
  });
  const codes = (fn: () => unknown): string[] => {
    try {
      fn();
    } catch (error) {
      if (error instanceof TopologyError) return error.diagnostics.map((d) => d.code);
      throw error;
    }
    return [];
  };

  test('a valid two-site topology in one stack synthesizes', () => {
    expect(codes(attempt({}))).toEqual([]);
  });

  test('missing TLS secret, secret of another region, missing hosted zone, certificate of another region', () => {
    expect(codes(attempt({ sites: { a: { region: 'eu-west-1', cidr: '10.10.0.0/16' }, b: { region: 'eu-west-1', cidr: '10.20.0.0/16', infinispanTlsSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:b-AbCdEf' } } })))
      .toEqual(expect.arrayContaining(['infinispan-tls-secret-missing', 'infinispan-tls-secret-invalid']));
    expect(codes(attempt({ hostedZone: undefined }))).toContain('hosted-zone-required');
    expect(codes(attempt({ certificate: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' } }))).toContain('certificate-region-mismatch');
  });

  test('sites of two regions in one stack need a provider each', () => {
    const sites = {
      a: { region: 'eu-west-1', cidr: '10.10.0.0/16', infinispanTlsSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:a-AbCdEf' },
      b: { region: 'us-east-1', cidr: '10.20.0.0/16', infinispanTlsSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:b-AbCdEf' },
    };
    expect(codes(attempt({ mode: 'active-passive', primarySite: 'a', sites }))).toContain('site-provider-missing');
  });
});

describe('the check pack covers sites in stacks of their own', () => {
  test('each site stack is checked, and both examples have zero findings', () => {
    for (const build of [multiSiteStacks, multiRegionStacks]) {
      let keycloak: KeycloakOnAws | undefined;
      synthApp((app) => { keycloak = build(app).keycloak; });
      expect(Object.keys(keycloak?.siteChecks ?? {})).toHaveLength(2);
      const findings = [...(keycloak?.checks?.findings ?? []), ...Object.values(keycloak?.siteChecks ?? {}).flatMap((c) => c.findings)];
      expect(findings).toEqual([]);
    }
  });

  test('a violation inside a site stack is found by that site\'s pack and stops synthesis', () => {
    let keycloak: KeycloakOnAws | undefined;
    expect(() => synthApp((app) => {
      keycloak = multiSiteStacks(app).keycloak;
      const site = keycloak.sites['site-b'];
      new VpcSecurityGroupIngressRule(site, 'SshFromAnywhere', {
        securityGroupId: site.keycloak.securityGroup.id, cidrIpv4: '0.0.0.0/0', ipProtocol: 'tcp', fromPort: 22, toPort: 22,
      });
    })).toThrow(/world-open-ingress/);
    expect(keycloak?.siteChecks['site-b'].findings.map((f) => f.ruleId)).toContain('world-open-ingress');
    expect(keycloak?.siteChecks['site-a'].findings).toEqual([]);
  });

  test('the interconnect stack has a pack of its own, which finds a violation there and stops synthesis', () => {
    let keycloak: KeycloakOnAws | undefined;
    expect(() => synthApp((app) => {
      keycloak = multiSiteStacks(app).keycloak;
      const side = keycloak.peerings['site-a-to-site-b'].requester;
      new VpcSecurityGroupIngressRule(side, 'SshFromAnywhere', {
        provider: side.provider, securityGroupId: keycloak.sites['site-a'].keycloak.securityGroup.id, cidrIpv4: '0.0.0.0/0', ipProtocol: 'tcp', fromPort: 22, toPort: 22,
      });
    })).toThrow(/world-open-ingress/);
    expect(keycloak?.interconnectChecks?.findings.map((f) => f.ruleId)).toContain('world-open-ingress');
  });
});
