import { Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { DnsRouting } from '../../lib/aws/dns-routing';
import { GeoDns, GeoDnsProps, GeoDnsSite } from '../../lib/aws/geo-dns';
import { HostedZone } from '../../lib/aws/references';
import { runChecks } from '../../lib/checks/pack';
import { SynthesizedResource } from '../../lib/checks/rule';

// Local helpers rather than test/helpers: those import the library's barrel, and this construct
// needs nothing from it.
type ResourcesByType = Record<string, Record<string, Record<string, unknown>>>;

interface Synthesized {
  /** The synthesized stack, parsed. */
  readonly json: { resource: ResourcesByType };
  /** The same resources with their construct paths (`//` metadata), as the checks aspect reads them. */
  readonly resolved: { resource: ResourcesByType };
}

/** Synthesizes what `build` adds to a stack (`stack`) whose default AWS provider is in eu-west-1. */
function synth(build: (scope: Construct) => void): Synthesized {
  const stack = new TerraformStack(Testing.app(), 'stack');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  build(stack);
  const json = JSON.parse(Testing.synth(stack));
  return { json, resolved: stack.toTerraform() as Synthesized['resolved'] };
}

/** Bodies of every resource of a type, in address order. */
function resourcesOf(out: Synthesized, type: string): Record<string, unknown>[] {
  const byName = out.json.resource[type] ?? {};
  return Object.keys(byName).sort().map((name) => byName[name]);
}

const zone = HostedZone.fromAttributes({ zoneId: 'Z04213802QEXAMPLE1234', zoneName: 'example.com' });

function site(name: string, region: string): GeoDnsSite {
  return {
    region,
    loadBalancer: {
      arn: `arn:aws:elasticloadbalancing:${region}:123456789012:loadbalancer/app/keycloak-${name}/0123456789abcdef`,
      dnsName: `keycloak-${name}-1234567890.${region}.elb.amazonaws.com`,
      zoneId: region === 'eu-west-1' ? 'Z32O12XQLNTSW2' : 'Z35SXDOTRQ7X7K',
    },
  };
}

const twoRegions = { eu: site('eu', 'eu-west-1'), us: site('us', 'us-east-1') };

function props(overrides: Partial<GeoDnsProps> = {}): GeoDnsProps {
  return { hostname: 'auth.example.com', zone, sites: twoRegions, routing: DnsRouting.failover({ primary: 'eu' }), ...overrides };
}

function synthGeoDns(overrides: Partial<GeoDnsProps> = {}): { out: Synthesized; geoDns: GeoDns } {
  let geoDns: GeoDns | undefined;
  const out = synth((scope) => {
    geoDns = new GeoDns(scope, 'GeoDns', props(overrides));
  });
  return { out, geoDns: geoDns as GeoDns };
}

/** The resources of a synthesized stack as the check pack sees them. */
function asCheckedResources(out: Synthesized): SynthesizedResource[] {
  return Object.entries(out.resolved.resource).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => ({
      type,
      name,
      path: String((body['//'] as { metadata?: { path?: string } } | undefined)?.metadata?.path ?? ''),
      body,
    })));
}

const GLOBAL_RULES = ['dns-health-check', 'global-health-lb-check'];

function globalFindings(resources: SynthesizedResource[]): string[] {
  return runChecks(resources).filter((f) => GLOBAL_RULES.includes(f.ruleId)).map((f) => `${f.ruleId} ${f.path}`);
}

function expectCompliant(out: Synthesized): void {
  const resources = asCheckedResources(out);
  expect(resources.some((r) => r.path.includes('/GeoDns/'))).toBe(true);
  expect(globalFindings(resources)).toEqual([]);
}

/** Records of the hostname by set identifier. */
function recordsById(out: Synthesized): Record<string, Record<string, unknown>> {
  return Object.fromEntries(resourcesOf(out, 'aws_route53_record').map((r) => [String(r.set_identifier ?? ''), r]));
}

describe('GeoDns with Route 53', () => {
  describe('GIVEN two sites in two regions and failover routing with eu primary', () => {
    const { out, geoDns } = synthGeoDns();

    test('THEN each site gets an HTTPS health check of /lb-check on its own load balancer', () => {
      const checks = resourcesOf(out, 'aws_route53_health_check');
      expect(checks).toHaveLength(2);
      for (const [name, check] of [['eu', checks[0]], ['us', checks[1]]] as const) {
        expect(check).toEqual(expect.objectContaining({
          type: 'HTTPS',
          fqdn: twoRegions[name].loadBalancer.dnsName,
          port: 443,
          resource_path: '/lb-check',
          enable_sni: true,
          request_interval: 10,
          failure_threshold: 3,
          measure_latency: false,
          tags: { Name: `keycloak-${name}-lb-check` },
        }));
        expect(check.regions).toBeUndefined();
      }
    });

    test('THEN the hostname has a PRIMARY and a SECONDARY alias, each with its site\'s health check', () => {
      const records = recordsById(out);
      expect(Object.keys(records).sort()).toEqual(['eu', 'us']);
      expect(records.eu).toEqual(expect.objectContaining({
        name: 'auth.example.com',
        type: 'A',
        zone_id: 'Z04213802QEXAMPLE1234',
        failover_routing_policy: { type: 'PRIMARY' },
        alias: { name: twoRegions.eu.loadBalancer.dnsName, zone_id: 'Z32O12XQLNTSW2', evaluate_target_health: true },
      }));
      expect(records.eu.health_check_id).toMatch(/^\$\{aws_route53_health_check\.GeoDns_eu_HealthCheck_[0-9A-F]+\.id\}$/);
      expect(records.us).toEqual(expect.objectContaining({ failover_routing_policy: { type: 'SECONDARY' }, alias: expect.objectContaining({ evaluate_target_health: true }) }));
      expect(records.us.health_check_id).toMatch(/GeoDns_us_HealthCheck/);
      expect(records.eu.ttl).toBeUndefined();
    });

    test('THEN no accelerator, and the resources are exposed by site', () => {
      expect(out.json.resource.aws_globalaccelerator_accelerator).toBeUndefined();
      expect(Object.keys(geoDns.healthChecks)).toEqual(['eu', 'us']);
      expect(Object.keys(geoDns.records)).toEqual(['eu', 'us']);
      expect(geoDns.accelerator).toBeUndefined();
      expect(geoDns.warnings).toEqual([]);
    });

    test('THEN the failover time is 10 s × 3 checks (+ timeouts and aggregation) and the alias TTL of 60 s', () => {
      expect(geoDns.failoverTime).toMatchObject({ probingSeconds: 30, detectionSeconds: 58, dnsPropagationSeconds: 60, totalSeconds: 118 });
    });

    test('THEN the check pack finds no DNS or global health-check problem', () => {
      expectCompliant(out);
    });
  });

  test('GIVEN latency routing over three sites THEN each record names its site\'s region', () => {
    const sites = { ...twoRegions, ap: site('ap', 'ap-southeast-2') };
    const { out } = synthGeoDns({ sites, routing: DnsRouting.latency() });
    const records = recordsById(out);
    expect(Object.fromEntries(Object.entries(records).map(([id, r]) => [id, r.latency_routing_policy]))).toEqual({
      eu: { region: 'eu-west-1' }, us: { region: 'us-east-1' }, ap: { region: 'ap-southeast-2' },
    });
    expect(Object.values(records).every((r) => String(r.health_check_id).includes('aws_route53_health_check'))).toBe(true);
    expectCompliant(out);
  });

  test('GIVEN geolocation routing THEN one record per location and a default record, with a warning about the default site', () => {
    const { out, geoDns } = synthGeoDns({
      routing: DnsRouting.geolocation({ eu: { continent: 'EU' }, us: { country: 'US', subdivision: 'CA' } }, { default: 'eu' }),
    });
    const records = recordsById(out);
    expect(records.eu.geolocation_routing_policy).toEqual({ continent: 'EU' });
    expect(records.us.geolocation_routing_policy).toEqual({ country: 'US', subdivision: 'CA' });
    expect(records.default).toEqual(expect.objectContaining({
      geolocation_routing_policy: { country: '*' },
      alias: expect.objectContaining({ name: twoRegions.eu.loadBalancer.dnsName, evaluate_target_health: true }),
    }));
    expect(records.default.health_check_id).toMatch(/GeoDns_eu_HealthCheck/);
    expect(geoDns.defaultRecord).toBeDefined();
    expect(geoDns.warnings.map((w) => w.code)).toEqual(['geo-dns-geolocation-no-fallback']);
    expect(geoDns.failoverTime.routing).toBe('geolocation');
    expectCompliant(out);
  });

  test('GIVEN check settings THEN they reach every health check and the failover time', () => {
    const { out, geoDns } = synthGeoDns({
      healthCheck: { intervalSeconds: 30, failureThreshold: 2, checkerRegions: ['eu-west-1', 'us-east-1', 'ap-southeast-1'], measureLatency: true },
    });
    for (const check of resourcesOf(out, 'aws_route53_health_check')) {
      expect(check).toEqual(expect.objectContaining({ request_interval: 30, failure_threshold: 2, measure_latency: true, regions: ['eu-west-1', 'us-east-1', 'ap-southeast-1'] }));
    }
    expect(geoDns.failoverTime).toMatchObject({ probingSeconds: 60, probeTimeoutSeconds: 12, aggregationSeconds: 30, totalSeconds: 162 });
  });

  test('the check pack would catch a record without health check or a check off /lb-check (control)', () => {
    const resources = asCheckedResources(synthGeoDns().out).map((r) => {
      if (r.type === 'aws_route53_health_check') return { ...r, body: { ...r.body, resource_path: '/' } };
      if (r.type === 'aws_route53_record') return { ...r, body: { ...r.body, health_check_id: undefined, alias: { ...(r.body.alias as object), evaluate_target_health: false } } };
      return r;
    });
    expect(globalFindings(resources).sort()).toEqual([
      'dns-health-check stack/GeoDns/eu/Record',
      'dns-health-check stack/GeoDns/us/Record',
      'global-health-lb-check stack/GeoDns/eu/HealthCheck',
      'global-health-lb-check stack/GeoDns/us/HealthCheck',
    ]);
  });

  test('adding a site does not change the addresses of the others', () => {
    const addresses = (out: Synthesized) => Object.keys(out.json.resource.aws_route53_health_check ?? {}).sort();
    const before = addresses(synthGeoDns({ routing: DnsRouting.latency() }).out);
    const after = addresses(synthGeoDns({ routing: DnsRouting.latency(), sites: { ...twoRegions, ap: site('ap', 'ap-southeast-2') } }).out);
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after).toHaveLength(3);
  });
});

describe('GeoDns with Global Accelerator', () => {
  describe('GIVEN active/passive across two regions', () => {
    const { out, geoDns } = synthGeoDns({ trafficDirector: 'global-accelerator' });

    test('THEN an accelerator with one TCP listener for 443 and 80', () => {
      expect(resourcesOf(out, 'aws_globalaccelerator_accelerator')).toEqual([expect.objectContaining({ name: 'keycloak', ip_address_type: 'IPV4', enabled: true })]);
      expect(resourcesOf(out, 'aws_globalaccelerator_listener')).toEqual([expect.objectContaining({
        protocol: 'TCP',
        client_affinity: 'SOURCE_IP',
        port_range: [{ from_port: 443, to_port: 443 }, { from_port: 80, to_port: 80 }],
      })]);
    });

    test('THEN one endpoint group per region: the primary at 100 %, the passive region at 0 %, /lb-check over HTTPS', () => {
      const groups = Object.fromEntries(resourcesOf(out, 'aws_globalaccelerator_endpoint_group').map((g) => [String(g.endpoint_group_region), g]));
      expect(Object.keys(groups).sort()).toEqual(['eu-west-1', 'us-east-1']);
      for (const [region, name, dial] of [['eu-west-1', 'eu', 100], ['us-east-1', 'us', 0]] as const) {
        expect(groups[region]).toEqual(expect.objectContaining({
          health_check_protocol: 'HTTPS',
          health_check_port: 443,
          health_check_path: '/lb-check',
          health_check_interval_seconds: 10,
          threshold_count: 3,
          traffic_dial_percentage: dial,
          endpoint_configuration: [{ endpoint_id: twoRegions[name].loadBalancer.arn, weight: 128, client_ip_preservation_enabled: true }],
        }));
      }
    });

    test('THEN the hostname is an alias of the accelerator, and there are no Route 53 health checks', () => {
      expect(resourcesOf(out, 'aws_route53_record')).toEqual([expect.objectContaining({
        name: 'auth.example.com',
        type: 'A',
        alias: expect.objectContaining({ evaluate_target_health: false }),
      })]);
      const [record] = resourcesOf(out, 'aws_route53_record');
      expect((record.alias as { name: string }).name).toMatch(/aws_globalaccelerator_accelerator\.GeoDns_Accelerator_[0-9A-F]+\.dns_name/);
      expect((record.alias as { zone_id: string }).zone_id).toMatch(/\.hosted_zone_id\}$/);
      expect(out.json.resource.aws_route53_health_check).toBeUndefined();
      expect(geoDns.acceleratorRecord).toBeDefined();
    });

    test('THEN the failover time has no DNS term, and a warning says load balancer endpoints are judged by target health', () => {
      expect(geoDns.failoverTime).toMatchObject({ trafficDirector: 'global-accelerator', detectionSeconds: 40, dnsPropagationSeconds: 0, totalSeconds: 40 });
      expect(geoDns.warnings.map((w) => w.code)).toEqual(['geo-dns-accelerator-load-balancer-health']);
    });

    test('THEN the check pack finds no DNS or global health-check problem', () => {
      expectCompliant(out);
    });
  });

  test('GIVEN two active sites in one region (Keycloak\'s blueprint) THEN they share one endpoint group at 100 %', () => {
    const { out } = synthGeoDns({
      trafficDirector: 'global-accelerator',
      routing: DnsRouting.latency(),
      sites: { a: site('a', 'eu-west-1'), b: site('b', 'eu-west-1') },
    });
    const [group, ...others] = resourcesOf(out, 'aws_globalaccelerator_endpoint_group');
    expect(others).toEqual([]);
    expect(group.traffic_dial_percentage).toBe(100);
    expect((group.endpoint_configuration as { weight: number }[]).map((e) => e.weight)).toEqual([128, 128]);
  });
});

test('GIVEN load balancers of two regional providers and a global provider THEN GeoDns uses the global one', () => {
  const stack = new TerraformStack(Testing.app(), 'global');
  const global = new AwsProvider(stack, 'global', { region: 'us-east-1', alias: 'global' });
  const lbs: Record<string, Lb> = {};
  for (const [name, region] of [['eu', 'eu-west-1'], ['us', 'us-east-1']]) {
    const regional = new AwsProvider(stack, `aws-${name}`, { region, alias: name });
    lbs[name] = new Lb(new Construct(stack, `Site-${name}`), 'LoadBalancer', { provider: regional, name: `keycloak-${name}`, subnets: ['subnet-1', 'subnet-2'] });
  }
  new GeoDns(stack, 'GeoDns', props({
    sites: { eu: { region: 'eu-west-1', loadBalancer: lbs.eu }, us: { region: 'us-east-1', loadBalancer: lbs.us } },
    globalProvider: global,
  }));
  const json = JSON.parse(Testing.synth(stack)) as Synthesized['json'];
  const checks = Object.values(json.resource.aws_route53_health_check);
  expect(checks.map((c) => c.provider)).toEqual(['aws.global', 'aws.global']);
  expect(String(checks[0].fqdn)).toMatch(/^\$\{aws_lb\.Site-eu_LoadBalancer_[0-9A-F]+\.dns_name\}$/);
  expect(Object.values(json.resource.aws_route53_record).every((r) => r.provider === 'aws.global')).toBe(true);
});

describe('GeoDns rejects, naming the prop, the value and the fix', () => {
  test.each<[string, Partial<GeoDnsProps>, RegExp]>([
    ['no site', { sites: {} }, /GeoDns: sites \{\} names no site; pass at least one site/],
    ['failover with one site', { sites: { eu: twoRegions.eu } }, /GeoDns: sites \["eu"\] has 1 site\(s\), but failover routing has exactly one primary and one secondary; give two sites/],
    ['failover with three sites', { sites: { ...twoRegions, ap: site('ap', 'ap-southeast-2') } }, /has 3 site\(s\).*exactly one primary and one secondary/],
    ['an unknown primary', { routing: DnsRouting.failover({ primary: 'asia' }) }, /GeoDns: routing\.primary 'asia' is not one of the sites \(eu, us\); name the active site/],
    ['a geolocation default that is not a site', { routing: DnsRouting.geolocation({ eu: { continent: 'EU' }, us: { continent: 'NA' } }, { default: 'ap' }) }, /GeoDns: routing\.default 'ap' is not one of the sites \(eu, us\)/],
    ['a location for an unknown site', { routing: DnsRouting.geolocation({ eu: { continent: 'EU' }, us: { continent: 'NA' }, ap: { continent: 'AS' } }, { default: 'eu' }) }, /GeoDns: routing\.locations 'ap' is not one of the sites/],
    ['a site without a location', { routing: DnsRouting.geolocation({ eu: { continent: 'EU' } }, { default: 'eu' }) }, /GeoDns: routing\.locations \["eu"\] has no location for site 'us', which would get no users/],
    ['a site named like the default record', { sites: { default: twoRegions.eu, us: twoRegions.us }, routing: DnsRouting.geolocation({ default: { continent: 'EU' }, us: { continent: 'NA' } }, { default: 'us' }) }, /GeoDns: sites 'default' is the set identifier of the geolocation default/],
    ['a threshold of 0', { healthCheck: { failureThreshold: 0 } }, /GeoDns: healthCheck\.failureThreshold 0 is not a whole number from 1 to 10; use 3/],
    ['a threshold of 11', { healthCheck: { failureThreshold: 11 } }, /healthCheck\.failureThreshold 11 is not a whole number from 1 to 10/],
    ['an interval of 20', { healthCheck: { intervalSeconds: 20 } }, /GeoDns: healthCheck\.intervalSeconds 20 is not 10 or 30/],
    ['two checker regions', { healthCheck: { checkerRegions: ['eu-west-1', 'us-east-1'] } }, /healthCheck\.checkerRegions \["eu-west-1","us-east-1"\] must be at least 3 distinct regions/],
    ['an unknown checker region', { healthCheck: { checkerRegions: ['eu-west-1', 'us-east-1', 'eu-central-1'] } }, /healthCheck\.checkerRegions \["eu-central-1"\] are not Route 53 checker regions; use some of us-east-1/],
    ['a site region that is not one', { sites: { eu: { ...twoRegions.eu, region: 'Ireland' }, us: twoRegions.us } }, /GeoDns: sites\.eu\.region 'Ireland' is not an AWS region; pass e\.g\. 'eu-west-1'/],
    ['a site name that is not a DNS label', { sites: { EU: twoRegions.eu, us: twoRegions.us } }, /GeoDns: sites 'EU' is not a site name/],
    ['a hostname outside the zone', { hostname: 'auth.example.org' }, /GeoDns: zone\.zoneName 'example\.com' does not contain the hostname 'auth\.example\.org'/],
    ['a hostname with a path', { hostname: 'https://example.com/auth' }, /GeoDns: hostname 'https:\/\/example\.com\/auth' is not usable/],
    ['geolocation with an accelerator', { trafficDirector: 'global-accelerator', routing: DnsRouting.geolocation({ eu: { continent: 'EU' }, us: { continent: 'NA' } }, { default: 'eu' }) }, /GeoDns: routing 'geolocation' is a Route 53 policy.*use DnsRouting\.latency\(\)/],
    ['accelerator failover inside one region', { trafficDirector: 'global-accelerator', sites: { a: site('a', 'eu-west-1'), b: site('b', 'eu-west-1') }, routing: DnsRouting.failover({ primary: 'a' }) }, /share the region 'eu-west-1', but an accelerator dials traffic per region; use DnsRouting\.latency\(\)/],
    ['an accelerator name with dots', { name: 'key.cloak' }, /GeoDns: name 'key\.cloak' is not 1-64 letters/],
  ])('%s', (_case, overrides, message) => {
    expect(() => synthGeoDns(overrides)).toThrow(message);
  });

  test.each<[string, () => DnsRouting, RegExp]>([
    ['failover without a primary', () => DnsRouting.failover({ primary: '' }), /DnsRouting\.failover: primary '' is not a site name/],
    ['a continent that is not one', () => DnsRouting.geolocation({ eu: { continent: 'Europe' } }, { default: 'eu' }), /locations\.eu\.continent 'Europe' is not a continent code; use one of AF, AN, AS, EU, NA, OC, SA/],
    ['both continent and country', () => DnsRouting.geolocation({ eu: { continent: 'EU', country: 'DE' } }, { default: 'eu' }), /must name either a continent or a country/],
    ['a lower-case country', () => DnsRouting.geolocation({ eu: { country: 'de' } }, { default: 'eu' }), /locations\.eu\.country 'de' is not an ISO 3166-1 alpha-2 code/],
    ['two sites with one location', () => DnsRouting.geolocation({ eu: { continent: 'EU' }, de: { continent: 'EU' } }, { default: 'eu' }), /locations\.de \{"continent":"EU"\} is also the location of 'eu'/],
    ['no locations', () => DnsRouting.geolocation({}, { default: 'eu' }), /locations \{\} names no site/],
  ])('DnsRouting: %s', (_case, make, message) => {
    expect(make).toThrow(message);
  });
});
