import { Construct } from 'constructs';
import { GlobalacceleratorAccelerator, GlobalacceleratorEndpointGroup, GlobalacceleratorListener, Route53HealthCheck, Route53Record } from '../private/aws-classes';
import type { Route53RecordConfig } from '@cdktf/provider-aws/lib/route53-record';
import { Diagnostic, formatDiagnostic, TopologyError } from '../model/diagnostic';
import { checkDnsRouting, DnsRoutingSpec, failoverChainName, failoverOrder, siteRecordName } from '../model/dns-routing';
import { FailoverTime, TrafficDirector, worstCaseFailoverTime } from '../model/failover-time';
import { isHostnameProblem, parseHostname } from '../model/hostname';
import { LB_CHECK_PATH } from '../model/topology';
import { errorsOf } from '../model/validate';
import { Annotations, TerraformProvider, Token } from '../private/cdktf';
import { HostnameAlias } from './hostname-dns';
import { IHostedZone } from './references';

/** An internet-facing load balancer of a site; an `Lb` resource satisfies it. */
export interface ISiteLoadBalancer {
  /** Needed only with Global Accelerator. */
  readonly arn?: string;
  readonly dnsName: string;
  /** Hosted zone of the load balancer's DNS name (the alias target's zone). */
  readonly zoneId: string;
}

export interface GeoDnsSite {
  /** AWS region of the site, e.g. `eu-west-1`: the latency record's region and the accelerator endpoint group's region. */
  readonly region: string;
  /**
   * The site's load balancer. Given, GeoDns creates the site's own record `<site>.sites.<host>`
   * (an alias of it) and, with Global Accelerator, the region's endpoint group. Leave it out when
   * the site's own stack creates both (`HostnameAlias` at `siteRecordName(host, site)`,
   * `AcceleratorEndpointGroup`): the DNS layer then reads nothing of the site's stack, so it plans
   * and applies while the site's region is down (KeycloakOnAws lays sites out this way).
   * @default - the site's record (and endpoint group) are made by the site's stack
   */
  readonly loadBalancer?: ISiteLoadBalancer;
}

export interface GeoDnsHealthCheckProps {
  /** Seconds between checks: 10 or 30 (Route 53 bills 10 s checks higher). @default 10 */
  readonly intervalSeconds?: number;
  /** Consecutive failed checks before a site is unhealthy, 1-10. @default 3 */
  readonly failureThreshold?: number;
  /**
   * Route 53 checker regions (at least 3, from `ROUTE53_CHECKER_REGIONS`).
   * @default - Route 53's default set of checker regions
   */
  readonly checkerRegions?: readonly string[];
  /** Record latency between checkers and sites in CloudWatch (changing it replaces the check). @default false */
  readonly measureLatency?: boolean;
}

export interface GeoDnsProps {
  /** The one hostname of every site, e.g. `auth.example.com`. */
  readonly hostname: string;
  /** The public hosted zone that holds `hostname`. */
  readonly zone: IHostedZone;
  /** Sites by caller-chosen name (a DNS label); adding one never renames the others' resources. */
  readonly sites: Readonly<Record<string, GeoDnsSite>>;
  /** e.g. `DnsRouting.failover({ primary: 'eu' })`. */
  readonly routing: DnsRoutingSpec;
  /**
   * `route53`: one health-checked alias record per site. `global-accelerator`: two static anycast
   * addresses in front of every site, so failover does not wait for DNS caches ('failover' and
   * 'latency' routing only; geolocation is a DNS feature).
   * @default 'route53'
   */
  readonly trafficDirector?: TrafficDirector;
  /** @default - every 10 s, unhealthy after 3 failures, Route 53's default checker regions */
  readonly healthCheck?: GeoDnsHealthCheckProps;
  /**
   * Provider for everything this construct creates. Route 53 and Global Accelerator are global
   * services (the provider sends Global Accelerator calls to us-west-2 whatever its region), so
   * no site's regional provider is involved: sites are referenced by their load balancers'
   * attributes, and their regions are given as data. Keep this in the global stack.
   * @default - the stack's default AWS provider
   */
  readonly globalProvider?: TerraformProvider;
  /** Accelerator name and prefix of health-check `Name` tags. @default 'keycloak' */
  readonly name?: string;
  /** @default - no tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Endpoint weight Keycloak's blueprint gives each site (half of 255) so healthy sites share traffic evenly. */
const ENDPOINT_WEIGHT = 128;
const SITE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCELERATOR_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?$/;

/**
 * One hostname in front of several Keycloak sites. With Route 53, each site gets an HTTPS health
 * check on `/lb-check` of its load balancer and an alias record (failover, latency or geolocation)
 * that is withdrawn while the check fails or the load balancer has no healthy target. With Global
 * Accelerator, the hostname is an alias of the accelerator, whose endpoint group per region holds
 * that region's load balancers. `failoverTime` states how long users may still reach a failed site.
 */
export class GeoDns extends Construct {
  /** The routing the records implement (what the review bundle's diagram shows). */
  readonly routing: DnsRoutingSpec;
  readonly failoverTime: FailoverTime;
  /** How often the sites are probed and after how many failures one is unhealthy (defaults filled). */
  readonly probe: { readonly intervalSeconds: number; readonly failureThreshold: number };
  /** Legal but risky choices, also reported as annotations. */
  readonly warnings: readonly Diagnostic[];
  /** Route 53 only: the `/lb-check` health check of each site. */
  readonly healthChecks: Readonly<Record<string, Route53HealthCheck>>;
  /** Route 53 only: each site's record of the hostname. */
  readonly records: Readonly<Record<string, Route53Record>>;
  /** Route 53 geolocation only: the `*` record for everyone no location matches. */
  readonly defaultRecord?: Route53Record;
  readonly accelerator?: GlobalacceleratorAccelerator;
  readonly listener?: GlobalacceleratorListener;
  /** Global Accelerator only: endpoint groups by region. */
  readonly endpointGroups: Readonly<Record<string, AcceleratorEndpointGroup>>;
  /** The site records GeoDns created (sites given with a load balancer), by site. */
  readonly siteRecords: Readonly<Record<string, HostnameAlias>>;
  /** Global Accelerator only: the hostname as an alias of the accelerator. */
  readonly acceleratorRecord?: Route53Record;

  constructor(scope: Construct, id: string, props: GeoDnsProps) {
    super(scope, id);
    const checked = validate(props);
    const { host, intervalSeconds, failureThreshold, director, name } = checked.settings;
    const { routing, sites, zone, healthCheck } = props;
    const provider = props.globalProvider;
    const tags = { ...(props.tags ?? {}) };
    const order = routing.kind === 'failover' ? failoverOrder(routing.primarySite ?? '', Object.keys(sites)) : undefined;
    // The alias targets a load balancer, so Route 53 serves its 60 s TTL; the accelerator's
    // addresses never change, so its record's TTL plays no part in failover.
    this.failoverTime = worstCaseFailoverTime({
      trafficDirector: director, routing: routing.kind, intervalSeconds, failureThreshold, ...(order ? { failoverOrder: order } : {}),
    });
    this.probe = { intervalSeconds, failureThreshold };
    this.routing = routing;
    this.warnings = [...checked.warnings, ...warningsFor(props, director)];
    for (const warning of this.warnings) Annotations.of(this).addWarning(formatDiagnostic(warning));

    const healthChecks: Record<string, Route53HealthCheck> = {};
    const records: Record<string, Route53Record> = {};
    const endpointGroups: Record<string, AcceleratorEndpointGroup> = {};
    const siteRecords: Record<string, HostnameAlias> = {};
    this.healthChecks = healthChecks;
    this.records = records;
    this.endpointGroups = endpointGroups;
    this.siteRecords = siteRecords;
    for (const [site, spec] of Object.entries(sites)) {
      if (!spec.loadBalancer || director !== 'route53') continue;
      siteRecords[site] = new HostnameAlias(this, `SiteRecord-${site}`, {
        ...(provider ? { provider } : {}),
        name: siteRecordName(host, site),
        zone,
        loadBalancerDnsName: spec.loadBalancer.dnsName,
        loadBalancerZoneId: spec.loadBalancer.zoneId,
      });
    }

    if (director === 'route53') {
      const alias = (site: string) => ({
        // The site's own record in the same zone (Route 53 aliases within a zone by name), whose
        // alias of the load balancer evaluates target health: a site with no healthy target is
        // withdrawn as before, and no attribute of the load balancer is read here.
        name: siteRecordName(host, site),
        zoneId: zone.zoneId,
        evaluateTargetHealth: true,
      });
      for (const site of Object.keys(sites)) {
        const siteScope = new Construct(this, site);
        healthChecks[site] = new Route53HealthCheck(siteScope, 'HealthCheck', {
          provider,
          type: 'HTTPS',
          // The site's own record, not the hostname: the hostname resolves to whichever site is
          // healthy, so checking it would not tell the sites apart. The request's Host is this
          // name, which the site's host-less /lb-check rule serves. Route 53 does not validate
          // the certificate, so the name differing from the certificate's is harmless.
          fqdn: siteRecordName(host, site),
          port: 443,
          enableSni: true,
          resourcePath: LB_CHECK_PATH,
          requestInterval: intervalSeconds,
          failureThreshold,
          measureLatency: healthCheck?.measureLatency ?? false,
          ...(healthCheck?.checkerRegions ? { regions: [...healthCheck.checkerRegions] } : {}),
          tags: { ...tags, Name: `${name}-${site}-lb-check` },
        });
        const level = order ? chainLevel(order, site) : 0;
        records[site] = new Route53Record(siteScope, 'Record', {
          provider,
          zoneId: zone.zoneId,
          name: level === 0 ? host : failoverChainName(host, level),
          type: 'A',
          setIdentifier: site,
          healthCheckId: healthChecks[site].id,
          alias: alias(site),
          ...routingPolicy(routing, site, sites[site], order),
        });
      }
      // Route 53 takes one PRIMARY and one SECONDARY per name: with three or more sites the
      // SECONDARY of each name but the last is an alias of the next name, whose health Route 53
      // evaluates at query time from the sites' own checks (a failover alias in a decision tree:
      // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-complex-configs.html).
      const links = order ? order.length - 2 : 0;
      for (let level = 0; level < links; level++) {
        new Route53Record(this, `StandbyLink${level + 1}`, {
          provider,
          zoneId: zone.zoneId,
          name: level === 0 ? host : failoverChainName(host, level),
          type: 'A',
          // A dot: no site name (a DNS label) can take this identifier.
          setIdentifier: `standbys.${level + 1}`,
          alias: { name: failoverChainName(host, level + 1), zoneId: zone.zoneId, evaluateTargetHealth: true },
          failoverRoutingPolicy: { type: 'SECONDARY' },
        });
      }
      if (routing.kind === 'geolocation' && routing.defaultSite) {
        // At the top level, not under its site: moving the default to another site then updates
        // the record in place instead of replacing it (a window with no default answer).
        this.defaultRecord = new Route53Record(this, 'DefaultRecord', {
          provider,
          zoneId: zone.zoneId,
          name: host,
          type: 'A',
          setIdentifier: 'default',
          healthCheckId: healthChecks[routing.defaultSite].id,
          alias: alias(routing.defaultSite),
          geolocationRoutingPolicy: { country: '*' },
        });
      }
    } else {
      this.accelerator = new GlobalacceleratorAccelerator(this, 'Accelerator', {
        provider,
        name,
        ipAddressType: 'IPV4',
        enabled: true,
        tags,
      });
      this.listener = new GlobalacceleratorListener(this, 'Listener', {
        provider,
        acceleratorArn: this.accelerator.arn,
        protocol: 'TCP',
        // 80 only reaches the load balancers' redirect to HTTPS.
        portRange: [{ fromPort: 443, toPort: 443 }, { fromPort: 80, toPort: 80 }],
        // Keycloak's AUTH_SESSION_ID stickiness works inside one load balancer; keeping a client's
        // connections on one endpoint keeps a login on one site when a region holds two.
        clientAffinity: 'SOURCE_IP',
      });
      // A listener takes one endpoint group per region, so sites sharing a region share a group.
      for (const [region, members] of sitesByRegion(sites)) {
        const loadBalancers = members.map((site) => sites[site].loadBalancer);
        if (!loadBalancers.every((lb): lb is ISiteLoadBalancer => lb !== undefined)) continue;
        endpointGroups[region] = new AcceleratorEndpointGroup(this, `EndpointGroup-${region}`, {
          ...(provider ? { provider } : {}),
          listenerArn: this.listener.arn,
          region,
          loadBalancerArns: loadBalancers.map((lb) => lb.arn ?? ''),
          passive: routing.kind === 'failover' && !members.includes(routing.primarySite ?? ''),
          intervalSeconds,
          failureThreshold,
        });
      }
      this.acceleratorRecord = new Route53Record(this, 'AcceleratorRecord', {
        provider,
        zoneId: zone.zoneId,
        name: host,
        type: 'A',
        // One simple record with nothing to fail over to; the accelerator does the failover.
        alias: { name: this.accelerator.dnsName, zoneId: this.accelerator.hostedZoneId, evaluateTargetHealth: false },
      });
    }
  }
}

export interface AcceleratorEndpointGroupProps {
  /** AWS provider of the stack holding the group (Global Accelerator is global; any region works). */
  readonly provider?: TerraformProvider;
  /** The accelerator's listener (`GeoDns.listener.arn`; a cross-stack reference is fine). */
  readonly listenerArn: string;
  /** The region of the group's load balancers. */
  readonly region: string;
  /** ARNs of the region's sites' load balancers. */
  readonly loadBalancerArns: readonly string[];
  /** Failover routing, a region without the primary: its dial stays at 0 %. */
  readonly passive: boolean;
  readonly intervalSeconds: number;
  readonly failureThreshold: number;
}

/**
 * The endpoint group of one region of an accelerator: made by GeoDns when it is given the load
 * balancers, or by the stack of the region's first site, which then depends on the DNS stack's
 * listener and not the other way round.
 */
export class AcceleratorEndpointGroup extends Construct {
  readonly resource: GlobalacceleratorEndpointGroup;

  constructor(scope: Construct, id: string, props: AcceleratorEndpointGroupProps) {
    super(scope, id);
    this.resource = new GlobalacceleratorEndpointGroup(this, 'Resource', {
      provider: props.provider,
      listenerArn: props.listenerArn,
      // Explicit: left out, the group would land in the provider's region.
      endpointGroupRegion: props.region,
      endpointConfiguration: props.loadBalancerArns.map((endpointId) => ({
        endpointId,
        weight: ENDPOINT_WEIGHT,
        // Keycloak and the load balancer see the client's address, not the accelerator's.
        clientIpPreservationEnabled: true,
      })),
      // Global Accelerator applies these to EC2 and Elastic IP endpoints only; load balancer
      // endpoints are judged by their own target health (see the warning).
      healthCheckProtocol: 'HTTPS',
      healthCheckPort: 443,
      healthCheckPath: LB_CHECK_PATH,
      healthCheckIntervalSeconds: props.intervalSeconds,
      thresholdCount: props.failureThreshold,
      // Failover ignores the dial, so a passive region at 0 % still takes over.
      trafficDialPercentage: props.passive ? 0 : 100,
    });
  }
}

/** Sites by region, in the order given: a listener takes one endpoint group per region. */
export function sitesByRegion(sites: Readonly<Record<string, { readonly region: string }>>): Map<string, string[]> {
  const regions = new Map<string, string[]>();
  for (const [site, spec] of Object.entries(sites)) regions.set(spec.region, [...(regions.get(spec.region) ?? []), site]);
  return regions;
}

/**
 * The name a site's failover record sits at: 0 (the hostname) for the primary and, with two sites,
 * the standby; level k (`standby-k.<host>`) for the k-th standby, and the last standby shares the
 * level of the one before it as its SECONDARY.
 */
function chainLevel(order: readonly string[], site: string): number {
  const position = order.indexOf(site);
  return Math.min(position, order.length - 2);
}

function routingPolicy(routing: DnsRoutingSpec, site: string, spec: GeoDnsSite, order: readonly string[] | undefined): Partial<Route53RecordConfig> {
  switch (routing.kind) {
    case 'failover':
      // The last site is the SECONDARY of the last name; every other site is the PRIMARY of its own.
      return { failoverRoutingPolicy: { type: order && order.indexOf(site) === order.length - 1 ? 'SECONDARY' : 'PRIMARY' } };
    case 'latency':
      return { latencyRoutingPolicy: { region: spec.region } };
    case 'geolocation': {
      const { continent, country, subdivision } = routing.locations?.[site] ?? {};
      return { geolocationRoutingPolicy: { ...(continent ? { continent } : {}), ...(country ? { country } : {}), ...(subdivision ? { subdivision } : {}) } };
    }
  }
}

interface Settings {
  readonly host: string;
  readonly intervalSeconds: number;
  readonly failureThreshold: number;
  readonly director: TrafficDirector;
  readonly name: string;
}

/**
 * Every problem of the props at once (the routing's through the model's `checkDnsRouting`, the
 * same check `validate()` runs for the patterns); throws a `TopologyError` with all of them.
 */
function validate(props: GeoDnsProps): { settings: Settings; warnings: Diagnostic[] } {
  const found: Diagnostic[] = [];
  const report = (code: string, path: string, value: unknown, message: string, fix: string) =>
    found.push({ code, severity: 'error', path, value, message, fix });
  const hostname = parseHostname(props.hostname);
  if (isHostnameProblem(hostname)) report(hostname.code, 'hostname', props.hostname, hostname.message, hostname.fix);
  const host = isHostnameProblem(hostname) ? String(props.hostname) : hostname.host;
  const zoneName = props.zone?.zoneName;
  if (!isHostnameProblem(hostname) && zoneName && !Token.isUnresolved(zoneName) && host !== zoneName && !host.endsWith(`.${zoneName}`)) {
    report('hosted-zone-mismatch', 'zone.zoneName', zoneName, `the zone cannot hold the hostname '${host}'`, `pass the hosted zone of '${host}'`);
  }
  const director = props.trafficDirector ?? 'route53';
  const names = Object.keys(props.sites ?? {});
  if (names.length === 0) report('sites-empty', 'sites', props.sites, 'no site is named', "pass at least one site, e.g. { eu: { region: 'eu-west-1', loadBalancer } }");
  const regions: Record<string, string> = {};
  for (const site of names) {
    if (!SITE_NAME.test(site)) report('site-name-invalid', `sites.${site}`, site, 'a site name is a lower-case DNS label', "rename the site, e.g. 'eu-west'");
    const { region, loadBalancer } = props.sites[site] ?? {};
    regions[site] = region;
    if (typeof region !== 'string' || (!Token.isUnresolved(region) && !REGION.test(region))) {
      report('region-invalid', `sites.${site}.region`, region, 'this is not an AWS region', "pass e.g. 'eu-west-1'");
    }
    // Route 53 needs the DNS name and its zone (e.g. a Kubernetes ingress's load balancer, found by
    // hostname); only Global Accelerator needs the ARN of a load balancer it attaches.
    const needsArn = director === 'global-accelerator';
    if (loadBalancer !== undefined && (!loadBalancer?.dnsName || !loadBalancer.zoneId || (needsArn && !loadBalancer.arn))) {
      report('geo-dns-load-balancer-incomplete', `sites.${site}.loadBalancer`, loadBalancer ?? null, `the load balancer lacks ${needsArn ? 'arn, ' : ''}dnsName or zoneId`,
        "pass the site's load balancer (an Lb resource has all three)");
    }
  }
  const given = names.filter((site) => props.sites[site]?.loadBalancer !== undefined);
  if (given.length > 0 && given.length < names.length) {
    const missing = names.filter((site) => !given.includes(site));
    report('geo-dns-load-balancer-partial', `sites.${missing[0]}.loadBalancer`, undefined,
      `sites ${given.join(', ')} give a load balancer and ${missing.join(', ')} do not: GeoDns would make the site records of some sites only`,
      'give every site its load balancer, or none (each site\'s stack then makes its own record at siteRecordName(host, site))');
  }
  const name = props.name ?? 'keycloak';
  if (!ACCELERATOR_NAME.test(name)) report('geo-dns-name-invalid', 'name', name, 'the name is 1-64 letters, digits and inner hyphens', "use e.g. 'keycloak'");
  const routingFound = checkDnsRouting({ routing: props.routing, trafficDirector: director, ...(props.healthCheck ? { healthCheck: props.healthCheck } : {}) },
    regions, '', undefined, isHostnameProblem(hostname) ? undefined : host);
  const errors = [...found, ...errorsOf(routingFound)];
  if (errors.length > 0) throw new TopologyError(errors);
  return {
    settings: { host, intervalSeconds: props.healthCheck?.intervalSeconds ?? 10, failureThreshold: props.healthCheck?.failureThreshold ?? 3, director, name },
    warnings: routingFound.filter((d) => d.severity === 'warning'),
  };
}

function warningsFor(props: GeoDnsProps, director: TrafficDirector): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  if (director === 'global-accelerator') {
    warnings.push({
      code: 'geo-dns-accelerator-load-balancer-health',
      severity: 'warning',
      path: 'trafficDirector',
      value: director,
      message:
        "Global Accelerator judges load balancer endpoints by the load balancer's target health (the nodes' /health/ready), " +
        'not by the endpoint group\'s /lb-check, so a site whose cross-site link is down keeps receiving users',
      fix: "put a Network Load Balancer whose target group checks /lb-check in front of each site (Keycloak's blueprint), or use trafficDirector 'route53'",
    });
  }
  const { routing } = props;
  if (director === 'route53' && routing.kind === 'geolocation' && routing.defaultSite) {
    warnings.push({
      code: 'geo-dns-geolocation-no-fallback',
      severity: 'warning',
      path: 'routing.default',
      value: routing.defaultSite,
      message: `users of '${routing.defaultSite}' fall back to the default record, which points at '${routing.defaultSite}' itself, so they have no site to fail over to`,
      fix: 'use DnsRouting.latency() or DnsRouting.failover() when every user needs automatic failover',
    });
  }
  return warnings;
}
