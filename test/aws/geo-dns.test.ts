import { Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { DnsRouting } from '../../lib/aws/dns-routing';
import { GeoDns, GeoDnsProps, GeoDnsSite } from '../../lib/aws/geo-dns';
import { HostedZone } from '../../lib/aws/references';
import { TopologyError } from '../../lib/model/diagnostic';
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

/** Routed records (those with a set identifier) by set identifier. */
function recordsById(out: Synthesized): Record<string, Record<string, unknown>> {
  return Object.fromEntries(resourcesOf(out, 'aws_route53_record').filter((r) => r.set_identifier !== undefined).map((r) => [String(r.set_identifier), r]));
}

/** The load balancer a test site was given. */
function lbOf(spec: GeoDnsSite): { arn?: string; dnsName: string; zoneId: string } {
  if (!spec.loadBalancer) throw new Error('test site without a load balancer');
  return spec.loadBalancer;
}

describe('GeoDns with Route 53', () => {
  describe('GIVEN two sites in two regions and failover routing with eu primary', () => {
    const { out, geoDns } = synthGeoDns();

    test('THEN each site gets its own record, an alias of its load balancer that evaluates target health', () => {
      const siteRecords = resourcesOf(out, 'aws_route53_record').filter((r) => r.set_identifier === undefined);
      expect(siteRecords.map((r) => [r.name, r.alias])).toEqual((['eu', 'us'] as const).map((name) => [
        `${name}.sites.auth.example.com`,
        { name: lbOf(twoRegions[name]).dnsName, zone_id: lbOf(twoRegions[name]).zoneId, evaluate_target_health: true },
      ]));
      expect(Object.keys(geoDns.siteRecords)).toEqual(['eu', 'us']);
    });

    test('THEN each site gets an HTTPS health check of /lb-check on its own record', () => {
      const checks = resourcesOf(out, 'aws_route53_health_check');
      expect(checks).toHaveLength(2);
      for (const [name, check] of [['eu', checks[0]], ['us', checks[1]]] as const) {
        expect(check).toEqual(expect.objectContaining({
          type: 'HTTPS',
          fqdn: `${name}.sites.auth.example.com`,
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
        // The site's own record in the same zone, so the routed record reads nothing of the load balancer.
        alias: { name: 'eu.sites.auth.example.com', zone_id: 'Z04213802QEXAMPLE1234', evaluate_target_health: true },
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

  describe('GIVEN four sites and failover routing with eu primary (a primary and an order of standbys)', () => {
    const sites = { ...twoRegions, ap: site('ap', 'ap-southeast-2'), sa: site('sa', 'sa-east-1') };
    const { out, geoDns } = synthGeoDns({ sites });
    const all = Object.values(out.json.resource.aws_route53_record);
    const at = (name: string) => all.filter((r) => r.name === name)
      .map((r) => [(r.failover_routing_policy as { type: string }).type, (r.alias as { name: string }).name, r.health_check_id === undefined ? 'no check' : 'checked'])
      .sort(([a], [b]) => a.localeCompare(b));

    test('THEN every name has exactly one PRIMARY and one SECONDARY, and the SECONDARY of each name but the last is the next name', () => {
      expect(at('auth.example.com')).toEqual([['PRIMARY', 'eu.sites.auth.example.com', 'checked'], ['SECONDARY', 'standby-1.auth.example.com', 'no check']]);
      expect(at('standby-1.auth.example.com')).toEqual([['PRIMARY', 'us.sites.auth.example.com', 'checked'], ['SECONDARY', 'standby-2.auth.example.com', 'no check']]);
      expect(at('standby-2.auth.example.com')).toEqual([['PRIMARY', 'ap.sites.auth.example.com', 'checked'], ['SECONDARY', 'sa.sites.auth.example.com', 'checked']]);
      // 6 routed records and the 4 sites' own records.
      expect(all).toHaveLength(10);
      // A link alias is healthy while a site below it is: Route 53 evaluates the chain at query time.
      for (const link of all.filter((r) => r.health_check_id === undefined && r.set_identifier !== undefined)) {
        expect(link.alias).toEqual(expect.objectContaining({ zone_id: 'Z04213802QEXAMPLE1234', evaluate_target_health: true }));
      }
    });

    test('THEN the failover time is that of one failover, and the notes state the order and why depth adds nothing', () => {
      expect(geoDns.failoverTime.totalSeconds).toBe(118);
      expect(geoDns.failoverTime.notes.join('\n')).toContain('failover order eu → us → ap → sa');
    });

    test('THEN the check pack finds no DNS problem', () => {
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
      alias: expect.objectContaining({ name: 'eu.sites.auth.example.com', evaluate_target_health: true }),
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
          endpoint_configuration: [{ endpoint_id: lbOf(twoRegions[name]).arn, weight: 128, client_ip_preservation_enabled: true }],
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
  expect(checks[0].fqdn).toBe('eu.sites.auth.example.com');
  const records = Object.values(json.resource.aws_route53_record);
  expect(records.every((r) => r.provider === 'aws.global')).toBe(true);
  // The site's own record carries the load balancer's attributes; the routed records only its name.
  const euSite = records.find((r) => r.name === 'eu.sites.auth.example.com');
  expect(String((euSite?.alias as { name: string }).name)).toMatch(/^\$\{aws_lb\.Site-eu_LoadBalancer_[0-9A-F]+\.dns_name\}$/);
});

describe('GIVEN sites without load balancers (their stacks make their records and endpoint groups)', () => {
  const regionsOnly = { eu: { region: 'eu-west-1' }, us: { region: 'us-east-1' } };

  test('THEN Route 53 records and health checks name the sites\' records and reference nothing of theirs', () => {
    const { out, geoDns } = synthGeoDns({ sites: regionsOnly });
    expect(geoDns.siteRecords).toEqual({});
    const records = resourcesOf(out, 'aws_route53_record');
    expect(records.map((r) => (r.alias as { name: string }).name).sort()).toEqual(['eu.sites.auth.example.com', 'us.sites.auth.example.com']);
    expect(resourcesOf(out, 'aws_route53_health_check').map((c) => c.fqdn)).toEqual(['eu.sites.auth.example.com', 'us.sites.auth.example.com']);
    expect(JSON.stringify(out.json.resource)).not.toMatch(/aws_lb\./);
  });

  test('THEN with Global Accelerator only the accelerator, its listener and the hostname\'s record', () => {
    const { out, geoDns } = synthGeoDns({ sites: regionsOnly, trafficDirector: 'global-accelerator' });
    expect(out.json.resource.aws_globalaccelerator_endpoint_group).toBeUndefined();
    expect(geoDns.listener).toBeDefined();
    expect(geoDns.probe).toEqual({ intervalSeconds: 10, failureThreshold: 3 });
  });

  test('THEN some sites with and some without a load balancer is a coded error', () => {
    expect(rejection({ sites: { eu: twoRegions.eu, us: { region: 'us-east-1' } } })).toEqual(['geo-dns-load-balancer-partial sites.us.loadBalancer']);
  });
});

/** The diagnostics GeoDns throws for `overrides`, as `code path` lines. */
function rejection(overrides: Partial<GeoDnsProps>): string[] {
  try {
    synthGeoDns(overrides);
  } catch (error) {
    expect(error).toBeInstanceOf(TopologyError);
    const { diagnostics } = error as TopologyError;
    for (const d of diagnostics) expect(d.fix.length).toBeGreaterThan(0);
    return diagnostics.map((d) => `${d.code} ${d.path}`);
  }
  throw new Error('GeoDns accepted the props');
}

describe('GeoDns rejects with coded diagnostics naming the prop, the value and the fix', () => {
  test.each<[string, Partial<GeoDnsProps>, string[]]>([
    ['no site', { sites: {} }, ['sites-empty sites', 'dns-failover-primary-unknown routing.primary']],
    ['failover with one site', { sites: { eu: twoRegions.eu } }, ['dns-failover-needs-sites routing']],
    ['an unknown primary', { routing: DnsRouting.failover({ primary: 'asia' }) }, ['dns-failover-primary-unknown routing.primary']],
    ['failover without a primary', { routing: DnsRouting.failover({ primary: '' }) }, ['dns-failover-primary-unknown routing.primary']],
    ['a geolocation default that is not a site', { routing: DnsRouting.geolocation({ eu: { continent: 'EU' }, us: { continent: 'NA' } }, { default: 'ap' }) }, ['dns-geolocation-default-unknown routing.default']],
    ['a location for an unknown site', { routing: DnsRouting.geolocation({ eu: { continent: 'EU' }, us: { continent: 'NA' }, ap: { continent: 'AS' } }, { default: 'eu' }) }, ['dns-geolocation-site-unknown routing.locations']],
    ['a site without a location', { routing: DnsRouting.geolocation({ eu: { continent: 'EU' } }, { default: 'eu' }) }, ['dns-geolocation-site-unlocated routing.locations']],
    ['no locations', { routing: DnsRouting.geolocation({}, { default: 'eu' }) }, ['dns-geolocation-site-unlocated routing.locations', 'dns-geolocation-site-unlocated routing.locations']],
    ['a continent that is not one', { routing: DnsRouting.geolocation({ eu: { continent: 'Europe' }, us: { continent: 'NA' } }, { default: 'eu' }) }, ['dns-geolocation-continent-invalid routing.locations.eu.continent']],
    ['both continent and country', { routing: DnsRouting.geolocation({ eu: { continent: 'EU', country: 'DE' }, us: { continent: 'NA' } }, { default: 'eu' }) }, ['dns-geolocation-location-invalid routing.locations.eu']],
    ['a lower-case country', { routing: DnsRouting.geolocation({ eu: { country: 'de' }, us: { continent: 'NA' } }, { default: 'eu' }) }, ['dns-geolocation-country-invalid routing.locations.eu.country']],
    ['two sites with one location', { routing: DnsRouting.geolocation({ eu: { continent: 'EU' }, us: { continent: 'EU' } }, { default: 'eu' }) }, ['dns-geolocation-location-duplicate routing.locations.us']],
    ['a site named like the default record', { sites: { default: twoRegions.eu, us: twoRegions.us }, routing: DnsRouting.geolocation({ default: { continent: 'EU' }, us: { continent: 'NA' } }, { default: 'us' }) }, ['dns-geolocation-site-named-default sites']],
    ['a threshold of 0', { healthCheck: { failureThreshold: 0 } }, ['dns-health-check-threshold-invalid healthCheck.failureThreshold']],
    ['a threshold of 11', { healthCheck: { failureThreshold: 11 } }, ['dns-health-check-threshold-invalid healthCheck.failureThreshold']],
    ['an interval of 20', { healthCheck: { intervalSeconds: 20 } }, ['dns-health-check-interval-invalid healthCheck.intervalSeconds']],
    ['two checker regions', { healthCheck: { checkerRegions: ['eu-west-1', 'us-east-1'] } }, ['dns-checker-regions-invalid healthCheck.checkerRegions']],
    ['an unknown checker region', { healthCheck: { checkerRegions: ['eu-west-1', 'us-east-1', 'eu-central-1'] } }, ['dns-checker-regions-invalid healthCheck.checkerRegions']],
    ['a site region that is not one', { sites: { eu: { ...twoRegions.eu, region: 'Ireland' }, us: twoRegions.us } }, ['region-invalid sites.eu.region']],
    ['a site name that is not a DNS label', { sites: { EU: twoRegions.eu, us: twoRegions.us }, routing: DnsRouting.latency() }, ['site-name-invalid sites.EU']],
    ['a hostname outside the zone', { hostname: 'auth.example.org' }, ['hosted-zone-mismatch zone.zoneName']],
    ['a hostname with a path', { hostname: 'https://example.com/auth' }, ['hostname-path hostname']],
    ['latency over sites sharing a region', { sites: { a: site('a', 'eu-west-1'), b: site('b', 'eu-west-1') }, routing: DnsRouting.latency() }, ['dns-latency-region-shared routing']],
    ['geolocation with an accelerator', { trafficDirector: 'global-accelerator', routing: DnsRouting.geolocation({ eu: { continent: 'EU' }, us: { continent: 'NA' } }, { default: 'eu' }) }, ['dns-accelerator-geolocation routing']],
    ['accelerator failover inside one region', { trafficDirector: 'global-accelerator', sites: { a: site('a', 'eu-west-1'), b: site('b', 'eu-west-1') }, routing: DnsRouting.failover({ primary: 'a' }) }, ['dns-accelerator-failover-shared-region routing']],
    ['an accelerator name with dots', { name: 'key.cloak' }, ['geo-dns-name-invalid name']],
  ])('%s', (_case, overrides, expected) => {
    expect(rejection(overrides)).toEqual(expected);
  });

  test('every problem at once, not the first', () => {
    expect(rejection({
      hostname: 'auth.example.org',
      routing: DnsRouting.geolocation({ eu: { continent: 'Europe' }, us: { country: 'usa' } }, { default: 'ap' }),
      healthCheck: { intervalSeconds: 20, failureThreshold: 0 },
    })).toEqual([
      'hosted-zone-mismatch zone.zoneName',
      'dns-health-check-interval-invalid healthCheck.intervalSeconds',
      'dns-health-check-threshold-invalid healthCheck.failureThreshold',
      'dns-geolocation-continent-invalid routing.locations.eu.continent',
      'dns-geolocation-country-invalid routing.locations.us.country',
      'dns-geolocation-default-unknown routing.default',
    ]);
  });
});
