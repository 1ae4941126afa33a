import fc from 'fast-check';
import { TopologyInput } from '../lib/model/define';
import { defaultDnsRouting, DnsRoutingSpec, DnsSpec } from '../lib/model/dns-routing';
import { KeycloakImage } from '../lib/model/image';
import { FARGATE_MEMORY_BY_VCPU, LOG_RETENTION_DAYS } from '../lib/model/aws-limits';
import { Topology } from '../lib/model/topology';

/** Topologies that satisfy every rule: validate must find no error in any of them. */
export const validTopology: fc.Arbitrary<TopologyInput> = fc
  .record({
    zones: fc.integer({ min: 2, max: 6 }),
    extraNodes: fc.integer({ min: 0, max: 9 }),
    ownersWanted: fc.integer({ min: 2, max: 5 }),
    second: fc.integer({ min: 0, max: 255 }),
    prefix: fc.integer({ min: 16, max: 20 }),
    vcpu: fc.constantFrom(...FARGATE_MEMORY_BY_VCPU.keys()),
    memoryIndex: fc.nat(),
    pool: fc.integer({ min: 1, max: 1000 }),
    instances: fc.integer({ min: 2, max: 6 }),
    retention: fc.constantFrom(...LOG_RETENTION_DAYS),
    siteName: fc.stringMatching(/^[a-z][a-z0-9-]{0,18}[a-z0-9]$/).filter((name) => !name.includes('--')),
    wrapper: fc.boolean(),
  })
  .map((g) => {
    const nodes = g.zones + g.extraNodes;
    const memories = FARGATE_MEMORY_BY_VCPU.get(g.vcpu) ?? [];
    return {
      hostname: 'auth.example.com',
      sites: { [g.siteName]: { region: 'eu-central-1', cidr: `10.${g.second}.0.0/${g.prefix}`, zones: g.zones, nodes } },
      keycloak: {
        vcpu: g.vcpu,
        memoryMiB: memories[g.memoryIndex % memories.length],
        dbPoolSize: g.pool,
        cacheOwners: Math.min(g.ownersWanted, nodes),
        image: g.wrapper ? KeycloakImage.fromRegistry('r.example.com/kc:1', { bundlesAwsJdbcWrapper: true }) : KeycloakImage.official(),
      },
      database: { instances: Math.min(g.instances, g.zones) },
      traffic: { logRetentionDays: g.retention },
    };
  });


/** Regions the shapes draw from: two sites often share one, and up to four regions differ. */
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'ap-southeast-2'] as const;
/** Route 53 geolocation codes, some of them wrong on purpose. */
const CONTINENTS = ['EU', 'NA', 'AS', 'OC', 'XX', 'eu'] as const;
const COUNTRIES = ['DE', 'IE', 'US', 'AU', 'D', 'usa'] as const;

/** One site of a generated shape: where it runs and, on AWS, which stack and provider hold it. */
export interface SiteShape {
  readonly name: string;
  readonly region: string;
  readonly zones: number;
  readonly nodes: number;
  /** AWS: the site lives in a stack of its own instead of the construct's stack. */
  readonly ownStack: boolean;
  /** AWS: the site gets an AWS provider of its region (in its own stack, or in the construct's). */
  readonly provider: boolean;
}

/** How the hostname chooses a site; `default` leaves it to the pattern. */
export type RoutingShape =
  | { readonly kind: 'default' }
  | { readonly kind: 'failover'; readonly primary: string }
  | { readonly kind: 'latency' }
  | { readonly kind: 'geolocation'; readonly locations: Readonly<Record<string, { continent?: string; country?: string }>>; readonly default: string };

/** A whole deployment as data: `shapeInput` makes it a topology, test/fuzz-shapes.ts constructs. */
export interface TopologyShape {
  readonly substrate: 'aws' | 'kubernetes';
  readonly sites: readonly SiteShape[];
  readonly mode?: 'active-active' | 'active-passive';
  readonly primarySite?: string;
  readonly acknowledge: readonly ('cross-region-active-active' | 'cross-region-sync-replication')[];
  /** Kubernetes: whether Route 53 records are asked for at all (AWS always has them with several sites). */
  readonly dns: boolean;
  readonly routing: RoutingShape;
  readonly trafficDirector?: 'route53' | 'global-accelerator';
  readonly healthCheck?: { readonly intervalSeconds: number; readonly failureThreshold: number };
}

const siteShape = (name: string): fc.Arbitrary<SiteShape> => fc.record({
  name: fc.constant(name),
  region: fc.constantFrom(...REGIONS),
  zones: fc.integer({ min: 2, max: 3 }),
  extra: fc.integer({ min: 0, max: 1 }),
  ownStack: fc.boolean(),
  provider: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
}).map(({ extra, ...s }) => ({ ...s, nodes: s.zones + extra }));

const routingShape = (names: readonly string[]): fc.Arbitrary<RoutingShape> => fc.oneof(
  fc.constant({ kind: 'default' } as const),
  fc.constantFrom(...names, 'nowhere').map((primary) => ({ kind: 'failover', primary }) as const),
  fc.constant({ kind: 'latency' } as const),
  fc.record({
    located: fc.shuffledSubarray([...names], { minLength: 1 }),
    codes: fc.array(fc.oneof(
      fc.constantFrom(...CONTINENTS).map((continent) => ({ continent })),
      fc.constantFrom(...COUNTRIES).map((country) => ({ country })),
    ), { minLength: names.length, maxLength: names.length }),
    default: fc.constantFrom(...names),
  }).map(({ located, codes, default: fallback }) => ({
    kind: 'geolocation', default: fallback, locations: Object.fromEntries(located.map((site, i) => [site, codes[i]])),
  }) as const),
);

/**
 * Deployments of one to four sites on either substrate, valid and invalid alike: sites sharing
 * regions or not, in the construct's stack or their own (with or without a provider), every mode,
 * every routing kind (with wrong primaries and location codes), Route 53 or Global Accelerator.
 * Each must synthesize or be rejected with coded diagnostics; nothing may crash.
 */
export const topologyShape: fc.Arbitrary<TopologyShape> = fc.integer({ min: 1, max: 4 }).chain((count) => {
  const names = ['site-a', 'site-b', 'site-c', 'site-d'].slice(0, count);
  return fc.record({
    substrate: fc.constantFrom('aws' as const, 'kubernetes' as const),
    sites: fc.tuple(...names.map(siteShape)),
    mode: fc.constantFrom(undefined, 'active-active' as const, 'active-passive' as const),
    primarySite: fc.constantFrom(undefined, ...names),
    acknowledge: fc.subarray(['cross-region-active-active', 'cross-region-sync-replication'] as const),
    dns: fc.boolean(),
    routing: routingShape(names),
    trafficDirector: fc.constantFrom(undefined, 'route53' as const, 'global-accelerator' as const),
    healthCheck: fc.constantFrom(undefined, { intervalSeconds: 10, failureThreshold: 3 }, { intervalSeconds: 30, failureThreshold: 1 }),
  }, { requiredKeys: ['substrate', 'sites', 'acknowledge', 'dns', 'routing'] });
});

/** The topology part of a shape (what `validate()` reads); the constructs add stacks and providers. */
export function shapeInput(shape: TopologyShape): TopologyInput {
  return {
    hostname: 'auth.example.com',
    keycloak: { image: KeycloakImage.fromRegistry('registry.example.com/keycloak:26.7.0', { bundlesAwsJdbcWrapper: true }) },
    sites: Object.fromEntries(shape.sites.map((site, i) => [site.name, { region: site.region, cidr: `10.${10 + i}.0.0/16`, zones: site.zones, nodes: site.nodes }])),
    ...(shape.mode ? { mode: shape.mode } : {}),
    ...(shape.primarySite ? { primarySite: shape.primarySite } : {}),
    acknowledge: shape.acknowledge,
  };
}

/** The routing a shape asks for as data, or undefined where a pattern picks it (AWS default). */
export function shapeRouting(shape: TopologyShape): DnsRoutingSpec | undefined {
  switch (shape.routing.kind) {
    case 'default': return shape.substrate === 'kubernetes' ? { kind: 'latency' } : undefined;
    case 'failover': return { kind: 'failover', primarySite: shape.routing.primary };
    case 'latency': return { kind: 'latency' };
    case 'geolocation': return { kind: 'geolocation', locations: shape.routing.locations, defaultSite: shape.routing.default };
  }
}

/** The routing the pattern checks for a shape: AWS with several sites always, Kubernetes when asked for. */
export function shapeDns(shape: TopologyShape, topology: Topology): DnsSpec | undefined {
  if (shape.substrate === 'aws' ? shape.sites.length < 2 : !shape.dns) return undefined;
  const director = shape.substrate === 'aws' ? shape.trafficDirector ?? 'route53' : 'route53';
  const regions = Object.fromEntries(Object.values(topology.sites).map((site) => [site.name, site.region]));
  return {
    routing: shapeRouting(shape) ?? defaultDnsRouting(topology, regions, director),
    ...(shape.substrate === 'aws' ? { trafficDirector: director } : {}),
    ...(shape.healthCheck ? { healthCheck: shape.healthCheck } : {}),
  };
}
