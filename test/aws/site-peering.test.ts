import { App, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Construct } from 'constructs';
import { AwsSiteContext } from '../../lib/aws/site-context';
import { allowBetweenPeerGroups, PeeringEnd, SitePeering } from '../../lib/aws/site-peering';
import { SiteNetwork } from '../../lib/aws/site-network';
import { defineTopology, SiteInput } from '../../lib/model/define';

type Body = Record<string, unknown>;
interface StackJson {
  resource?: Record<string, Record<string, Body>>;
  data?: Record<string, Record<string, Body>>;
  output?: Record<string, Body>;
}

/** Sites of the tests; us-east has two zones so per-zone counts cannot pass by accident. */
const SITES: Record<string, SiteInput> = {
  'eu-west': { region: 'eu-west-1', cidr: '10.10.0.0/16' },
  'us-east': { region: 'us-east-1', cidr: '10.20.0.0/16', zones: 2 },
  'ap-south': { region: 'ap-southeast-2', cidr: '10.30.0.0/16' },
};

/** A site as KeycloakOnAws builds it: a construct named after the site holding its network. */
interface TestSite extends PeeringEnd {
  /** The Infinispan and database security groups, for ingress rules. */
  readonly infinispan: SecurityGroup;
  readonly database: SecurityGroup;
}

function buildSite(scope: Construct, name: string, provider?: AwsProvider, sites = SITES): TestSite {
  const topology = defineTopology({ hostname: 'auth.example.com', sites });
  const context: AwsSiteContext = {
    topology,
    site: topology.sites[name],
    name: `keycloak-${name}`,
    ...(provider ? { provider } : {}),
    tags: { app: 'keycloak', 'keycloak-site': name },
  };
  const siteScope = new Construct(scope, name);
  const network = new SiteNetwork(siteScope, 'Network', context, { kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/test' });
  const group = (id: string) => new SecurityGroup(siteScope, id, { provider, vpcId: network.vpc.id, name: `${context.name}-${id.toLowerCase()}` });
  return { scope: siteScope, context, network, infinispan: group('Infinispan'), database: group('Database') };
}

function parse(stack: TerraformStack): StackJson {
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

function resources(json: StackJson, type: string): Record<string, Body> {
  return json.resource?.[type] ?? {};
}

const ref = (type: string, name: string, attribute = 'id') => `\${${type}.${name}.${attribute}}`;

function nameOf(json: StackJson, type: string, match: (body: Body) => boolean): string {
  const names = Object.entries(resources(json, type)).filter(([, body]) => match(body)).map(([name]) => name);
  if (names.length !== 1) throw new Error(`expected one ${type}, found ${names.length}`);
  return names[0];
}

/** The private and database route tables of the VPC with this block, as references. */
function routeTablesOf(json: StackJson, cidr: string): string[] {
  const vpc = ref('aws_vpc', nameOf(json, 'aws_vpc', (body) => body.cidr_block === cidr));
  return Object.entries(resources(json, 'aws_route_table'))
    .filter(([name, body]) => body.vpc_id === vpc && /PrivateRoutes|DatabaseRoutes/.test(name))
    .map(([name]) => ref('aws_route_table', name))
    .sort();
}

function peeringRoutes(json: StackJson): Body[] {
  return Object.values(resources(json, 'aws_route')).filter((route) => route.vpc_peering_connection_id !== undefined);
}

/** Two sites in two regions in one stack, an AWS provider per region. */
function oneStack(sites = ['eu-west', 'us-east']) {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'keycloak');
  const providers: Record<string, AwsProvider> = {};
  const built: Record<string, TestSite> = {};
  for (const name of sites) {
    providers[name] = new AwsProvider(stack, `aws-${name}`, { region: SITES[name].region, alias: name });
    built[name] = buildSite(stack, name, providers[name]);
  }
  return { stack, sites: built };
}

describe('SitePeering across regions in one stack', () => {
  const { stack, sites } = oneStack();
  const { 'eu-west': eu, 'us-east': us } = sites;
  const peering = new SitePeering({ requester: eu, accepter: us });
  peering.requester.allowFromPeer('InfinispanBridge', {
    securityGroupId: eu.infinispan.id, ports: [7900], description: 'Infinispan cross-site bridge',
  });
  peering.accepter.allowFromPeer('InfinispanBridge', {
    securityGroupId: us.infinispan.id, ports: [7900], description: 'Infinispan cross-site bridge',
  });
  peering.requester.allowFromPeer('Postgres', {
    securityGroupId: eu.database.id, ports: [5432], description: 'Keycloak to Aurora PostgreSQL',
  });
  peering.accepter.associateZone('EuWestDiscovery', 'Z0EUWESTCLOUDMAP');
  const json = parse(stack);
  const connection = nameOf(json, 'aws_vpc_peering_connection', () => true);
  const accepter = nameOf(json, 'aws_vpc_peering_connection_accepter', () => true);

  test('the requester asks from eu-west-1 for the us-east-1 VPC and does not accept itself', () => {
    expect(resources(json, 'aws_vpc_peering_connection')[connection]).toMatchObject({
      provider: 'aws.eu-west',
      vpc_id: ref('aws_vpc', nameOf(json, 'aws_vpc', (vpc) => vpc.cidr_block === '10.10.0.0/16')),
      peer_vpc_id: ref('aws_vpc', nameOf(json, 'aws_vpc', (vpc) => vpc.cidr_block === '10.20.0.0/16')),
      peer_region: 'us-east-1',
      auto_accept: false,
      tags: { app: 'keycloak', 'keycloak-site': 'eu-west', Name: 'keycloak-eu-west-to-us-east' },
    });
  });

  test('the accepter accepts that connection in us-east-1', () => {
    expect(resources(json, 'aws_vpc_peering_connection_accepter')[accepter]).toMatchObject({
      provider: 'aws.us-east',
      vpc_peering_connection_id: ref('aws_vpc_peering_connection', connection),
      auto_accept: true,
      tags: { 'keycloak-site': 'us-east', Name: 'keycloak-us-east-to-eu-west' },
    });
  });

  test("every private and the database route table of each VPC routes the other's block through the peering", () => {
    const routes = peeringRoutes(json);
    const euRoutes = routes.filter((route) => route.destination_cidr_block === '10.20.0.0/16');
    const usRoutes = routes.filter((route) => route.destination_cidr_block === '10.10.0.0/16');
    expect(euRoutes.length + usRoutes.length).toBe(routes.length);
    // eu-west: three zones + database; us-east: two zones + database.
    expect(euRoutes.map((route) => route.route_table_id).sort()).toEqual(routeTablesOf(json, '10.10.0.0/16'));
    expect(usRoutes.map((route) => route.route_table_id).sort()).toEqual(routeTablesOf(json, '10.20.0.0/16'));
    expect(euRoutes).toHaveLength(4);
    expect(usRoutes).toHaveLength(3);
    expect(euRoutes.every((route) => route.provider === 'aws.eu-west' &&
      route.vpc_peering_connection_id === ref('aws_vpc_peering_connection', connection))).toBe(true);
    // The accepter's routes wait for the acceptance.
    expect(usRoutes.every((route) => route.provider === 'aws.us-east' &&
      route.vpc_peering_connection_id === ref('aws_vpc_peering_connection_accepter', accepter))).toBe(true);
  });

  test("ingress opens only the requested ports, from the peer's private subnets", () => {
    const rules = Object.values(resources(json, 'aws_vpc_security_group_ingress_rule'));
    const group = (site: TestSite, id: 'infinispan' | 'database') =>
      ref('aws_security_group', nameOf(json, 'aws_security_group', (sg) => sg.name === `${site.context.name}-${id}`));
    const summary = rules.map((rule) => `${rule.security_group_id} ${rule.ip_protocol} ${rule.from_port}-${rule.to_port} ${rule.cidr_ipv4}`).sort();
    const usPrivate = us.network.plan.zones.map((zone) => zone.private);
    const euPrivate = eu.network.plan.zones.map((zone) => zone.private);
    expect(usPrivate).toEqual(['10.20.0.0/19', '10.20.32.0/19']);
    expect(summary).toEqual([
      ...usPrivate.map((cidr) => `${group(eu, 'infinispan')} tcp 7900-7900 ${cidr}`),
      ...usPrivate.map((cidr) => `${group(eu, 'database')} tcp 5432-5432 ${cidr}`),
      ...euPrivate.map((cidr) => `${group(us, 'infinispan')} tcp 7900-7900 ${cidr}`),
    ].sort());
    expect(rules.some((rule) => rule.cidr_ipv4 === '0.0.0.0/0' || rule.referenced_security_group_id)).toBe(false);
    const euBridge = rules.filter((rule) => rule.security_group_id === group(eu, 'infinispan'));
    expect(euBridge.map((rule) => rule.description).sort()).toEqual([
      'Infinispan cross-site bridge from site us-east zone 1',
      'Infinispan cross-site bridge from site us-east zone 2',
    ]);
  });

  test("the peer's private zone is associated with this side's VPC in its region", () => {
    expect(Object.values(resources(json, 'aws_route53_zone_association'))).toEqual([{
      provider: 'aws.us-east',
      zone_id: 'Z0EUWESTCLOUDMAP',
      vpc_id: ref('aws_vpc', nameOf(json, 'aws_vpc', (vpc) => vpc.cidr_block === '10.20.0.0/16')),
      vpc_region: 'us-east-1',
    }]);
  });

  test('no peering DNS options: they cover public EC2 names only, and private zones are associated instead', () => {
    expect(resources(json, 'aws_vpc_peering_connection_options')).toEqual({});
  });
});

describe('SitePeering within one region', () => {
  test('leaves peer_region out and gives both resources the same tags, since they tag one connection', () => {
    const sites = { ...SITES, 'us-east': { ...SITES['us-east'], region: 'eu-west-1' } };
    let json: StackJson = {};
    const stack = new TerraformStack(Testing.app(), 'keycloak');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    new SitePeering({ requester: buildSite(stack, 'eu-west', undefined, sites), accepter: buildSite(stack, 'us-east', undefined, sites) });
    json = parse(stack);
    const [connection] = Object.values(resources(json, 'aws_vpc_peering_connection'));
    const [accepter] = Object.values(resources(json, 'aws_vpc_peering_connection_accepter'));
    expect(connection.peer_region).toBeUndefined();
    expect(connection.auto_accept).toBe(false);
    expect(accepter.auto_accept).toBe(true);
    expect(accepter.tags).toEqual(connection.tags);
    expect(peeringRoutes(json)).toHaveLength(7);
  });

  test('allowBetweenPeerGroups admits a peer security group by reference once the peering is accepted; across regions it refuses, naming the alternative', () => {
    const sameRegionSites = { ...SITES, 'us-east': { ...SITES['us-east'], region: 'eu-west-1' } };
    const stack = new TerraformStack(Testing.app(), 'keycloak');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const [a, b] = [buildSite(stack, 'eu-west', undefined, sameRegionSites), buildSite(stack, 'us-east', undefined, sameRegionSites)];
    const peering = new SitePeering({ requester: a, accepter: b });
    allowBetweenPeerGroups(peering, 'Bridge', { from: 'accepter', fromGroupId: b.infinispan.id, toGroupId: a.infinispan.id, port: 7900, description: 'bridge', egress: true });
    const json = parse(stack);
    const accepter = nameOf(json, 'aws_vpc_peering_connection_accepter', () => true);
    const [ingress] = Object.values(resources(json, 'aws_vpc_security_group_ingress_rule'));
    const [egress] = Object.values(resources(json, 'aws_vpc_security_group_egress_rule'));
    const group = (site: string) => expect.stringMatching(new RegExp(`^\\$\\{aws_security_group\\.${site}_Infinispan_\\w+\\.id\\}$`));
    expect(ingress).toMatchObject({ security_group_id: group('eu-west'), referenced_security_group_id: group('us-east'), from_port: 7900, to_port: 7900, depends_on: [`aws_vpc_peering_connection_accepter.${accepter}`] });
    expect(ingress.cidr_ipv4).toBeUndefined();
    expect(egress).toMatchObject({ security_group_id: group('us-east'), referenced_security_group_id: group('eu-west'), from_port: 7900 });

    const { sites } = oneStack();
    const crossRegion = new SitePeering({ requester: sites['eu-west'], accepter: sites['us-east'] });
    expect(() => allowBetweenPeerGroups(crossRegion, 'Bridge', { from: 'requester', fromGroupId: 'sg-1', toGroupId: 'sg-2', port: 7900, description: 'bridge' }))
      .toThrow(/different regions, where security groups cannot reference each other; use allowFromPeer/);
  });
});

describe('SitePeering across stacks', () => {
  /** Each site in its own stack with its own provider, as the multi-region pattern lays them out. */
  function siteStacks(app: App) {
    const stacks: Record<string, TerraformStack> = {};
    const sites: Record<string, TestSite> = {};
    for (const name of ['eu-west', 'us-east']) {
      stacks[name] = new TerraformStack(app, name);
      sites[name] = buildSite(stacks[name], name, new AwsProvider(stacks[name], 'aws', { region: SITES[name].region }));
    }
    return { stacks, sites };
  }

  function regionalProvider(stack: TerraformStack, name: string): AwsProvider {
    return new AwsProvider(stack, `aws-${name}`, { region: SITES[name].region, alias: name });
  }

  test('an interconnect stack holds both ends and reads the VPCs from the site stacks, which stay independent', () => {
    const app = Testing.app();
    const { stacks, sites } = siteStacks(app);
    const interconnect = new TerraformStack(app, 'eu-west-us-east-peering');
    const end = (name: string): PeeringEnd => ({ ...sites[name], scope: interconnect, provider: regionalProvider(interconnect, name) });
    const peering = new SitePeering({ requester: end('eu-west'), accepter: end('us-east') });
    peering.requester.allowFromPeer('InfinispanBridge', {
      securityGroupId: sites['eu-west'].infinispan.id, ports: [7900], description: 'Infinispan cross-site bridge',
    });
    app.synth();

    const json = parse(interconnect);
    const [connection] = Object.values(resources(json, 'aws_vpc_peering_connection'));
    const remote = (stack: string) => new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${stack}\\.outputs\\.cross-stack-output-`);
    expect(connection.vpc_id).toMatch(remote('eu-west'));
    expect(connection.peer_vpc_id).toMatch(remote('us-east'));
    const routes = peeringRoutes(json);
    expect(routes).toHaveLength(7);
    expect(routes.filter((route) => remote('eu-west').test(String(route.route_table_id)))).toHaveLength(4);
    expect(routes.filter((route) => remote('us-east').test(String(route.route_table_id)))).toHaveLength(3);
    expect(Object.keys(json.data?.terraform_remote_state ?? {}).sort()).toEqual([
      'cross-stack-reference-input-eu-west', 'cross-stack-reference-input-us-east',
    ]);

    // Neither site stack reads the other (nor the interconnect), so a region outage blocks only its own site.
    for (const name of ['eu-west', 'us-east']) {
      const site = parse(stacks[name]);
      expect(site.data?.terraform_remote_state).toBeUndefined();
      expect(resources(site, 'aws_vpc_peering_connection')).toEqual({});
      expect(Object.keys(site.output ?? {}).every((id) => id.startsWith('cross-stack-output-'))).toBe(true);
    }
  });

  test("the accepter in a stack of its own reads the connection id through cdktf's remote state", () => {
    const app = Testing.app();
    const { stacks, sites } = siteStacks(app);
    const accepterStack = new TerraformStack(app, 'us-east-peering');
    new SitePeering({
      requester: sites['eu-west'],
      accepter: { ...sites['us-east'], scope: accepterStack, provider: regionalProvider(accepterStack, 'us-east') },
    });
    app.synth();

    const requester = parse(stacks['eu-west']);
    const [connectionName] = Object.keys(resources(requester, 'aws_vpc_peering_connection'));
    const [outputName, output] = Object.entries(requester.output ?? {})
      .find(([, value]) => value.value === ref('aws_vpc_peering_connection', connectionName)) ?? [];
    expect(outputName).toMatch(/^cross-stack-output-aws_vpc_peering_connection/);
    expect(output?.sensitive).toBe(true);

    const accepting = parse(accepterStack);
    const [accepter] = Object.values(resources(accepting, 'aws_vpc_peering_connection_accepter'));
    expect(accepter.vpc_peering_connection_id)
      .toBe(`\${data.terraform_remote_state.cross-stack-reference-input-eu-west.outputs.${outputName}}`);
    expect(accepting.data?.terraform_remote_state?.['cross-stack-reference-input-eu-west']).toMatchObject({
      backend: 'local',
      config: { path: expect.stringMatching(/terraform\.eu-west\.tfstate$/) },
    });
    // The requester reads the accepter's VPC id from the us-east site stack in the same way.
    const [connection] = Object.values(resources(requester, 'aws_vpc_peering_connection'));
    expect(connection.peer_vpc_id).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-us-east\.outputs\./);
  });

  test('each end in its own site stack would make the two stacks depend on each other, and says how to fix it', () => {
    const { sites } = siteStacks(Testing.app());
    expect(() => new SitePeering({ requester: sites['eu-west'], accepter: sites['us-east'] }))
      .toThrow(/accepter\.scope is in stack 'us-east', which holds a peered VPC.*depend on each other.*Fix: put accepter\.scope in a stack of its own \(e\.g\. 'us-east-peering'/);
  });

  test("a provider from another stack than the end's scope is rejected", () => {
    const app = Testing.app();
    const { sites } = siteStacks(app);
    const interconnect = new TerraformStack(app, 'peering');
    // Forgot the providers of the interconnect stack: the sites' providers are elsewhere.
    expect(() => new SitePeering({ requester: { ...sites['eu-west'], scope: interconnect }, accepter: { ...sites['us-east'], scope: interconnect } }))
      .toThrow(/provider of site 'eu-west' is in stack 'eu-west', but this end's resources go to stack 'peering'.*Fix: pass provider/);
  });
});

describe('SitePeering validation', () => {
  test('overlapping site blocks are rejected, naming both props', () => {
    const sites = { ...SITES, 'us-east': { ...SITES['us-east'], cidr: '10.10.0.0/17' } };
    const stack = new TerraformStack(Testing.app(), 'keycloak');
    const eu = buildSite(stack, 'eu-west', new AwsProvider(stack, 'eu', { region: 'eu-west-1', alias: 'eu' }), sites);
    const us = buildSite(stack, 'us-east', new AwsProvider(stack, 'us', { region: 'us-east-1', alias: 'us' }), sites);
    expect(() => new SitePeering({ requester: eu, accepter: us })).toThrow(
      "site peering: the networks of site 'eu-west' (sites.eu-west.cidr '10.10.0.0/16') and site 'us-east' " +
      "(sites.us-east.cidr '10.10.0.0/17') overlap",
    );
  });

  test('a site cannot be peered with itself', () => {
    const { sites } = oneStack();
    expect(() => new SitePeering({ requester: sites['eu-west'], accepter: sites['eu-west'] }))
      .toThrow(/both ends are site 'eu-west'.*cannot be peered with itself/);
    expect(() => new SitePeering({ requester: sites['eu-west'], accepter: { ...sites['us-east'], network: sites['eu-west'].network } }))
      .toThrow(/both ends are one network \(requester\.network and accepter\.network, sites 'eu-west' and 'us-east'\)/);
  });

  test('ports and descriptions are checked at synth rather than at apply', () => {
    const { sites } = oneStack();
    const peering = new SitePeering({ requester: sites['eu-west'], accepter: sites['us-east'] });
    const securityGroupId = sites['eu-west'].infinispan.id;
    expect(() => peering.requester.allowFromPeer('Bad', { securityGroupId, ports: [0, 7900], description: 'bridge' }))
      .toThrow('Bad.ports must list TCP ports 1–65535 (got [0, 7900])');
    expect(() => peering.requester.allowFromPeer('None', { securityGroupId, ports: [], description: 'bridge' }))
      .toThrow('None.ports must list TCP ports');
    expect(() => peering.requester.allowFromPeer('Quote', { securityGroupId, ports: [7900], description: "Infinispan's bridge" }))
      .toThrow(/Quote\.description must be/);
  });
});

describe('SitePeering addresses', () => {
  const PEERING_TYPES = ['aws_vpc_peering_connection', 'aws_vpc_peering_connection_accepter', 'aws_route', 'aws_vpc_security_group_ingress_rule'];

  function synthPairs(siteNames: string[], pairs: [string, string][]): StackJson {
    const { stack, sites } = oneStack(siteNames);
    for (const [requester, accepter] of pairs) {
      const peering = new SitePeering({ requester: sites[requester], accepter: sites[accepter] });
      for (const side of [peering.requester, peering.accepter]) {
        side.allowFromPeer('InfinispanBridge', { securityGroupId: sites[side.siteName].infinispan.id, ports: [7900], description: 'bridge' });
      }
    }
    return parse(stack);
  }

  test('adding a third site leaves every address and body of the existing peering unchanged', () => {
    const two = synthPairs(['eu-west', 'us-east'], [['eu-west', 'us-east']]);
    const three = synthPairs(['eu-west', 'us-east', 'ap-south'], [['ap-south', 'eu-west'], ['eu-west', 'us-east'], ['us-east', 'ap-south']]);
    for (const type of PEERING_TYPES) {
      const before = resources(two, type);
      expect(Object.keys(before).length).toBeGreaterThan(0);
      for (const [name, body] of Object.entries(before)) expect(resources(three, type)[name]).toEqual(body);
    }
    expect(Object.keys(resources(three, 'aws_vpc_peering_connection'))).toHaveLength(3);
  });

  test('addresses name both sites, never positions', () => {
    const json = synthPairs(['eu-west', 'us-east'], [['eu-west', 'us-east']]);
    expect(Object.keys(resources(json, 'aws_vpc_peering_connection'))).toEqual([expect.stringMatching(/^eu-west_eu-west-to-us-east_[0-9A-F]{8}$/)]);
    expect(Object.keys(resources(json, 'aws_vpc_peering_connection_accepter'))).toEqual([expect.stringMatching(/^us-east_us-east-to-eu-west_[0-9A-F]{8}$/)]);
    expect(Object.keys(resources(json, 'aws_route')).filter((name) => name.includes('-to-')).sort()).toEqual([
      expect.stringMatching(/^eu-west_eu-west-to-us-east_DatabaseRoute_/),
      expect.stringMatching(/^eu-west_eu-west-to-us-east_Zone1PrivateRoute_/),
      expect.stringMatching(/^eu-west_eu-west-to-us-east_Zone2PrivateRoute_/),
      expect.stringMatching(/^eu-west_eu-west-to-us-east_Zone3PrivateRoute_/),
      expect.stringMatching(/^us-east_us-east-to-eu-west_DatabaseRoute_/),
      expect.stringMatching(/^us-east_us-east-to-eu-west_Zone1PrivateRoute_/),
      expect.stringMatching(/^us-east_us-east-to-eu-west_Zone2PrivateRoute_/),
    ]);
  });
});
