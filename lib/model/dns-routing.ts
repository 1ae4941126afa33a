import { Diagnostic } from './diagnostic';
import { DnsRoutingKind, HEALTH_CHECK_FAILURE_THRESHOLD, HEALTH_CHECK_INTERVALS_SECONDS, TrafficDirector } from './failover-time';
import { DeploymentMode, RiskAcknowledgement } from './topology';

/**
 * The routing of the shared hostname between sites, as data, and every check of it. Pure: the
 * patterns hand it to `validate()`, the GeoDns construct checks it the same way, so a problem is
 * reported once, with all others, before anything is built.
 */

/** Route 53 geolocation continent codes. */
export const CONTINENT_CODES = ['AF', 'AN', 'AS', 'EU', 'NA', 'OC', 'SA'] as const;

/** Where the users of a geolocation record are: a continent, or a country (optionally one of its subdivisions). */
export interface GeoLocation {
  /** One of `AF`, `AN`, `AS`, `EU`, `NA`, `OC`, `SA`. */
  readonly continent?: string;
  /** ISO 3166-1 alpha-2 code, e.g. `DE`. */
  readonly country?: string;
  /** Subdivision of `country`, e.g. `CA` (California) in `US`. */
  readonly subdivision?: string;
}

/** A routing choice (`DnsRouting` satisfies it). */
export interface DnsRoutingSpec {
  readonly kind: DnsRoutingKind;
  /** Failover: the site that serves while it is healthy. */
  readonly primarySite?: string;
  /** Geolocation: the location each site serves. */
  readonly locations?: Readonly<Record<string, GeoLocation>>;
  /** Geolocation: the site of the default (`*`) record. */
  readonly defaultSite?: string;
}

/** Health checks of the sites as the DNS layer probes them. */
export interface DnsHealthCheckSpec {
  readonly intervalSeconds?: number;
  readonly failureThreshold?: number;
  readonly checkerRegions?: readonly string[];
}

/** The hostname's routing between sites, as a pattern or the GeoDns construct receives it. */
export interface DnsSpec {
  readonly routing: DnsRoutingSpec;
  /** @default 'route53' */
  readonly trafficDirector?: TrafficDirector;
  readonly healthCheck?: DnsHealthCheckSpec;
}

/** What the routing must agree with: the deployment's mode, primary and accepted risks. */
export interface DnsTopologyFacts {
  readonly mode: DeploymentMode;
  readonly primarySite: string;
  readonly acknowledged: readonly RiskAcknowledgement[];
}

/** Where Route 53 health checkers can run (the API's HealthCheckRegion values). */
export const ROUTE53_CHECKER_REGIONS = [
  'us-east-1', 'us-west-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1',
] as const;

/** The set identifier of the geolocation default (`*`) record. */
export const GEOLOCATION_DEFAULT_ID = 'default';

/**
 * The order in which sites take over with failover routing: the primary, then every other site
 * in the order the sites were given. Route 53 takes one PRIMARY and one SECONDARY record per name,
 * so with three or more sites each standby but the last is the PRIMARY of a name of its own, which
 * the name before it reaches through its SECONDARY (see `failoverChainName`).
 */
export function failoverOrder(primarySite: string, siteNames: readonly string[]): string[] {
  return [primarySite, ...siteNames.filter((name) => name !== primarySite)];
}

/**
 * The name of link `level` (1-based) of a failover chain under `host`: `standby-1.<host>` holds the
 * second site as PRIMARY and the third (or the next link) as SECONDARY, and so on.
 */
export function failoverChainName(host: string, level: number): string {
  return `standby-${level}.${host}`;
}

/**
 * The name of a site's own record under `host`, `<site>.sites.<host>`: an alias of that site's load
 * balancer, created where the load balancer is (the site's stack). The hostname's routed records
 * alias it, and the site's health check probes it, so the DNS layer names sites without reading
 * their load balancers' attributes (no cross-stack read of a site's state), and the probe's Host
 * is a name the site's routing rules serve (a host-less `/lb-check` rule). The `sites` label keeps
 * it apart from the failover chain's `standby-<k>.<host>`.
 */
export function siteRecordName(host: string, site: string): string {
  return `${site}.sites.${host}`;
}

/** Routing when the user picks none: failover in active/passive and for sites sharing a region (Route 53 keeps one latency record per region), latency otherwise. */
export function defaultDnsRouting(facts: DnsTopologyFacts, sites: Readonly<Record<string, string>>, director: TrafficDirector): DnsRoutingSpec {
  const regions = Object.values(sites);
  const sharedRegion = new Set(regions).size < regions.length && director !== 'global-accelerator';
  return facts.mode === 'active-passive' || sharedRegion ? { kind: 'failover', primarySite: facts.primarySite } : { kind: 'latency' };
}

/**
 * Every problem of a routing choice at once, each with a stable code, the path of the prop
 * (under `at`, e.g. `dns`), the value and a fix. `sites` maps each site to its region; `facts`,
 * when given, adds the checks against the deployment's mode and primary. `host`, when given,
 * checks the names a failover chain needs.
 */
export function checkDnsRouting(dns: DnsSpec, sites: Readonly<Record<string, string>>, at: string,
  facts?: DnsTopologyFacts, host?: string): Diagnostic[] {
  const found: Diagnostic[] = [];
  const report = (severity: Diagnostic['severity'], code: string, path: string, value: unknown, message: string, fix: string) =>
    found.push({ code, severity, path: [at, path].filter((part) => part !== '').join('.'), value, message, fix });
  const names = Object.keys(sites);
  const director = dns.trafficDirector ?? 'route53';
  if (director !== 'route53' && director !== 'global-accelerator') {
    report('error', 'dns-traffic-director-invalid', 'trafficDirector', director, "the director is 'route53' or 'global-accelerator'",
      'leave it unset for Route 53 records');
  }
  checkHealthCheck(dns.healthCheck, director, report);
  const routing = dns.routing;
  const kinds: readonly DnsRoutingKind[] = ['failover', 'latency', 'geolocation'];
  if (typeof routing !== 'object' || routing === null || !kinds.includes(routing.kind)) {
    report('error', 'dns-routing-invalid', 'routing', routing, 'this is not a routing choice',
      'pass DnsRouting.failover({ primary }), DnsRouting.latency() or DnsRouting.geolocation(...)');
    return found;
  }
  // Latency and geolocation answer with several sites at once: serving users from a standby contradicts active/passive.
  if (facts?.mode === 'active-passive' && routing.kind !== 'failover' && !facts.acknowledged.includes('cross-region-active-active')) {
    report('error', 'dns-routing-contradicts-mode', 'routing', routing.kind,
      `${routing.kind} routing sends users to every site, but in active/passive only the primary '${facts.primarySite}' serves ` +
        '(standbys would take logins while their caches back up asynchronously)',
      "use DnsRouting.failover({ primary }) (the default), or set mode 'active-active' (with acknowledge: ['cross-region-active-active'] across regions)");
  }
  if (routing.kind === 'failover') checkFailover(routing, sites, director, facts, host, report);
  if (routing.kind === 'latency' && director === 'route53') {
    // Route 53 API reference (ChangeResourceRecordSets, Region): one latency record set per region for a name and type.
    const byRegion = new Map<string, string[]>();
    for (const name of names) byRegion.set(sites[name], [...(byRegion.get(sites[name]) ?? []), name]);
    for (const [region, members] of byRegion) {
      if (members.length < 2) continue;
      report('error', 'dns-latency-region-shared', 'routing', 'latency',
        `sites ${members.join(', ')} share the region '${region}', but Route 53 keeps one latency record per region`,
        "use DnsRouting.failover({ primary }), or trafficDirector: 'global-accelerator' (one endpoint group per region holds them all)");
    }
  }
  if (routing.kind === 'geolocation') {
    if (director === 'global-accelerator') {
      report('error', 'dns-accelerator-geolocation', 'routing', 'geolocation',
        'geolocation is a Route 53 policy; an accelerator sends each user to the nearest healthy region',
        "use DnsRouting.latency() or DnsRouting.failover(), or trafficDirector 'route53'");
    }
    checkGeolocation(routing, names, report);
  }
  return found;
}

type Report = (severity: Diagnostic['severity'], code: string, path: string, value: unknown, message: string, fix: string) => void;

function checkFailover(routing: DnsRoutingSpec, sites: Readonly<Record<string, string>>, director: TrafficDirector,
  facts: DnsTopologyFacts | undefined, host: string | undefined, report: Report): void {
  const names = Object.keys(sites);
  const primary = routing.primarySite;
  if (typeof primary !== 'string' || !names.includes(primary)) {
    report('error', 'dns-failover-primary-unknown', 'routing.primary', primary, `the primary is not one of the sites (${names.join(', ')})`,
      'name the site that serves while it is healthy');
    return;
  }
  if (names.length < 2) {
    report('error', 'dns-failover-needs-sites', 'routing', 'failover', `failover needs a site to fail over to, but there is only '${primary}'`,
      'add a site, or use DnsRouting.latency()');
  }
  if (facts?.mode === 'active-passive' && facts.primarySite !== primary) {
    report('error', 'dns-failover-primary-mismatch', 'routing.primary', primary,
      `DNS would send users to '${primary}', but the primary site (database writer) is '${facts.primarySite}'`,
      `use DnsRouting.failover({ primary: '${facts.primarySite}' }), or set primarySite: '${primary}'`);
  }
  const standbys = failoverOrder(primary, names).slice(1);
  if (director === 'global-accelerator') {
    // An accelerator dials traffic per region (endpoint group), not per site.
    const sharing = standbys.filter((site) => sites[site] === sites[primary]);
    if (sharing.length > 0) {
      report('error', 'dns-accelerator-failover-shared-region', 'routing', 'failover',
        `standby ${sharing.join(', ')} shares the region '${sites[primary]}' with the primary '${primary}', but an accelerator dials traffic per region, so they would serve together`,
        "use trafficDirector 'route53' (failover records per site), DnsRouting.latency() (every site active), or put standbys in other regions");
    }
    const standbyRegions = new Set(standbys.map((site) => sites[site]));
    if (standbyRegions.size > 1) {
      report('warning', 'dns-accelerator-standby-order', 'trafficDirector', director,
        `the standby regions ${[...standbyRegions].join(', ')} take over by proximity to each user, not in the order of the sites`,
        "use trafficDirector 'route53' for a fixed order of standbys (a chain of failover records)");
    }
  } else if (host !== undefined && standbys.length > 1) {
    const longest = failoverChainName(host, standbys.length - 1);
    if (longest.length > 253) {
      report('error', 'dns-failover-chain-name-too-long', 'routing', longest,
        `three or more sites chain failover records under '${host}', and '${longest}' is longer than a DNS name may be (253)`,
        'use a shorter hostname');
    }
  }
}

function checkGeolocation(routing: DnsRoutingSpec, names: readonly string[], report: Report): void {
  const locations = routing.locations ?? {};
  const seen = new Map<string, string>();
  for (const [site, location] of Object.entries(locations)) {
    const path = `routing.locations.${site}`;
    if (!names.includes(site)) {
      report('error', 'dns-geolocation-site-unknown', 'routing.locations', site, `'${site}' is not one of the sites (${names.join(', ')})`,
        'give locations only for sites');
      continue;
    }
    const { continent, country, subdivision } = location ?? {};
    if ((continent === undefined) === (country === undefined)) {
      report('error', 'dns-geolocation-location-invalid', path, location, 'a location names either a continent or a country',
        "pass e.g. { continent: 'EU' } or { country: 'DE' }");
      continue;
    }
    if (continent !== undefined && !(CONTINENT_CODES as readonly string[]).includes(continent)) {
      report('error', 'dns-geolocation-continent-invalid', `${path}.continent`, continent, 'this is not a Route 53 continent code',
        `use one of ${CONTINENT_CODES.join(', ')}`);
    }
    if (country !== undefined && !/^[A-Z]{2}$/.test(country)) {
      report('error', 'dns-geolocation-country-invalid', `${path}.country`, country, 'this is not an ISO 3166-1 alpha-2 country code',
        "use e.g. 'DE' (everyone else gets the default record)");
    }
    if (subdivision !== undefined && (country === undefined || !/^[A-Z0-9]{1,3}$/.test(subdivision))) {
      report('error', 'dns-geolocation-subdivision-invalid', `${path}.subdivision`, subdivision, 'a subdivision needs a country and a subdivision code',
        "pass e.g. { country: 'US', subdivision: 'CA' }");
    }
    const key = JSON.stringify([continent, country, subdivision]);
    const other = seen.get(key);
    if (other !== undefined) {
      report('error', 'dns-geolocation-location-duplicate', path, location,
        `the location is also '${other}'s, and Route 53 allows one record per location`, 'give each site its own location');
    }
    seen.set(key, site);
  }
  for (const site of names.filter((name) => !Object.hasOwn(locations, name))) {
    report('error', 'dns-geolocation-site-unlocated', 'routing.locations', Object.keys(locations),
      `site '${site}' has no location, so it would get no users`, `give '${site}' a location, e.g. { continent: 'EU' }`);
  }
  if (names.includes(GEOLOCATION_DEFAULT_ID)) {
    report('error', 'dns-geolocation-site-named-default', 'sites', GEOLOCATION_DEFAULT_ID,
      `'${GEOLOCATION_DEFAULT_ID}' is the set identifier of the geolocation default ('*') record`, "rename the site, e.g. 'default-site'");
  }
  if (typeof routing.defaultSite !== 'string' || !names.includes(routing.defaultSite)) {
    report('error', 'dns-geolocation-default-unknown', 'routing.default', routing.defaultSite,
      `the default is not one of the sites (${names.join(', ')})`, 'name the site that answers users no location matches');
  }
}

function checkHealthCheck(healthCheck: DnsHealthCheckSpec | undefined, director: TrafficDirector, report: Report): void {
  const interval = healthCheck?.intervalSeconds ?? 10;
  if (!HEALTH_CHECK_INTERVALS_SECONDS.includes(interval)) {
    report('error', 'dns-health-check-interval-invalid', 'healthCheck.intervalSeconds', interval,
      'Route 53 and Global Accelerator check every 10 or 30 seconds', 'use 10 for faster failover, or 30');
  }
  const threshold = healthCheck?.failureThreshold ?? 3;
  const { min, max } = HEALTH_CHECK_FAILURE_THRESHOLD;
  if (!Number.isInteger(threshold) || threshold < min || threshold > max) {
    report('error', 'dns-health-check-threshold-invalid', 'healthCheck.failureThreshold', threshold,
      `the failure threshold is a whole number from ${min} to ${max}`, 'use 3 (the AWS default); lower fails over sooner but on briefer blips');
  }
  const checkers = healthCheck?.checkerRegions;
  if (checkers === undefined) return;
  const unknown = Array.isArray(checkers) ? checkers.filter((r) => !(ROUTE53_CHECKER_REGIONS as readonly string[]).includes(r)) : [checkers];
  if (unknown.length > 0 || new Set(checkers).size !== checkers.length || checkers.length < 3) {
    report('error', 'dns-checker-regions-invalid', 'healthCheck.checkerRegions', checkers,
      `checkers run in at least 3 distinct Route 53 checker regions${unknown.length > 0 ? `; not checker regions: ${unknown.join(', ')}` : ''}`,
      `list three or more of ${ROUTE53_CHECKER_REGIONS.join(', ')}, or leave it unset for Route 53's default set`);
  }
  if (director === 'global-accelerator') {
    report('warning', 'dns-checker-regions-ignored', 'healthCheck.checkerRegions', checkers,
      'an accelerator has no checker regions of its own', 'leave checkerRegions unset with Global Accelerator');
  }
}
