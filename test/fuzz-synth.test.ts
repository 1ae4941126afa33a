import fc from 'fast-check';
import { KeycloakOnAws, KeycloakOnAwsProps, runChecks, SynthesizedResource, TopologyError } from '../lib';
import { SiteShape, topologyShape, TopologyShape, validTopology } from './arbitraries';
import { runShape } from './fuzz-shapes';
import { awsProps, synth } from './helpers';

// Synthesis takes ~0.1 s, so CI runs a few dozen; FUZZ_RUNS=1000 for a long run.
const RUNS = Math.max(1, Math.floor(Number(process.env.FUZZ_RUNS ?? 400) / 16));
// Whole deployments of the widened shapes (1-4 sites, stacks, providers, routing, both substrates):
// each synthesizes every stack and writes its bundle, ~0.1-0.3 s; the model-level run of the same
// shapes (test/model/validate.property.test.ts) covers 25 times as many.
const SHAPE_RUNS = Math.max(1, Math.floor(Number(process.env.FUZZ_RUNS ?? 400) / 10));
/**
 * A secret-named variable with a literal value in a bundle file: placeholders start with `<`,
 * references and shell commands with `$` or `"$` (the runbook generates values at the operator's shell).
 */
const LITERAL_SECRET = /^\s*-?\s*(?:name: )?\w*(?:PASSWORD|SECRET|TOKEN)\s*[=:]\s*(?!"?[<$]|\s*$|valueFrom)\S/m;

/** Ways to break a valid topology; each must be rejected with a coded diagnostic at a path. */
const breakers: [string, (p: KeycloakOnAwsProps) => KeycloakOnAwsProps][] = [
  ['scheme typo', (p) => ({ ...p, hostname: `htps://${p.hostname}` })],
  ['site CIDR with host bits', (p) => ({ ...p, sites: mapSites(p, { cidr: '10.0.0.1/16' }) })],
  ['fewer nodes than zones', (p) => ({ ...p, sites: mapSites(p, { zones: 3, nodes: 2 }) })],
  ['more owners than nodes', (p) => ({ ...p, keycloak: { ...p.keycloak, cacheOwners: 99 } })],
  ['unknown log retention', (p) => ({ ...p, traffic: { ...p.traffic, logRetentionDays: 2 } })],
  ['Fargate size that does not exist', (p) => ({ ...p, keycloak: { ...p.keycloak, vcpu: 3 } })],
  ['no certificate and no zone', (p) => ({ ...p, certificate: undefined })],
];

function mapSites(props: KeycloakOnAwsProps, change: object): KeycloakOnAwsProps['sites'] {
  return Object.fromEntries(Object.entries(props.sites).map(([name, site]) => [name, { ...site, ...change }]));
}

describe('fuzzed topologies (synthesized)', () => {
  test('every valid topology synthesizes, passes the check pack and leaks no secret', () => {
    fc.assert(fc.property(validTopology, (topology) => {
      let construct: KeycloakOnAws | undefined;
      const out = synth((scope) => { construct = new KeycloakOnAws(scope, 'Keycloak', awsProps(topology)); });
      expect(construct?.checks?.findings).toEqual([]);
      // The whole pack once more over every synthesized resource, independent of the aspect.
      const all: SynthesizedResource[] = Object.entries(out.json.resource).flatMap(([type, byName]) =>
        Object.entries(byName).map(([name, body]) => ({ type, name, path: name, body })));
      expect(runChecks(all)).toEqual([]);
    }), { numRuns: RUNS });
  });

  test('any shape synthesizes every stack, passes the check pack, writes its bundle and leaks no secret, or is rejected with codes', async () => {
    await fc.assert(fc.asyncProperty(topologyShape, async (shape) => {
      const outcome = await runShape(shape);
      if (outcome.kind === 'crash') throw outcome.error;
      if (outcome.kind === 'coded') {
        expect(outcome.codes.length).toBeGreaterThan(0);
        for (const code of outcome.codes) expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
        return;
      }
      expect(outcome.findings).toEqual([]);
      expect(outcome.bundle.some((file) => file.includes('| Failure |'))).toBe(true);
      for (const file of outcome.bundle) expect(file).not.toMatch(LITERAL_SECRET);
    }), { numRuns: SHAPE_RUNS });
  }, 120_000);

  test('every broken topology is rejected with coded diagnostics at a path', () => {
    fc.assert(fc.property(validTopology, fc.constantFrom(...breakers), (topology, [, breakIt]) => {
      let error: unknown;
      try {
        synth((scope) => new KeycloakOnAws(scope, 'Keycloak', breakIt(awsProps(topology))));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TopologyError);
      for (const d of (error as TopologyError).diagnostics) {
        expect(d.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
        expect(d.path.length).toBeGreaterThan(0);
        expect(d.severity).toBe('error');
      }
    }), { numRuns: RUNS * 2 });
  });
});

/** One site of a regression shape: two zones, two nodes, its own stack and provider unless told. */
const at = (name: string, region: string, placement: Partial<SiteShape> = {}): SiteShape =>
  ({ name, region, zones: 2, nodes: 2, ownStack: true, provider: true, ...placement });
const shape = (sites: SiteShape[], rest: Partial<TopologyShape> = {}): TopologyShape =>
  ({ substrate: 'aws', sites, acknowledge: [], dns: true, routing: { kind: 'default' }, ...rest });
const threeRegions = [at('site-a', 'eu-west-1'), at('site-b', 'eu-central-1'), at('site-c', 'us-east-1')];

describe('the crash classes of issue 15, from their minimal inputs', () => {
  test('three regions active/passive (two standbys) synthesize, pass the check pack and write a bundle with a failover chain', async () => {
    for (const substrate of ['aws', 'kubernetes'] as const) {
      const outcome = await runShape(shape(threeRegions, { substrate, mode: 'active-passive', routing: { kind: 'failover', primary: 'site-a' } }));
      expect(outcome).toMatchObject({ kind: 'accepted', findings: [] });
      const topologyDoc = outcome.kind === 'accepted' ? outcome.bundle.find((file) => file.includes('| Failure |')) : undefined;
      expect(topologyDoc).toContain('the cross-site link site-b ↔ site-c (two standbys)');
      expect(topologyDoc).toContain('failover order site-a → site-b → site-c');
    }
  });

  test.each<[string, TopologyShape, string[]]>([
    ['a site stack using the database of a site beside the construct',
      shape([at('site-a', 'eu-west-1', { ownStack: false }), at('site-b', 'eu-west-1')]), ['site-stack-cycle']],
    ['a site stack without an AWS provider', shape([at('site-a', 'eu-west-1', { provider: false })]), ['site-stack-provider-missing']],
    ['latency routing with active/passive', shape(threeRegions, { routing: { kind: 'latency' } }), ['dns-routing-contradicts-mode']],
    ['latency records sharing a region', shape([at('site-a', 'eu-west-1'), at('site-b', 'eu-west-1')], { routing: { kind: 'latency' } }), ['dns-latency-region-shared']],
    ['an accelerator failing over inside one region',
      shape([at('site-a', 'eu-west-1'), at('site-b', 'eu-west-1')], { trafficDirector: 'global-accelerator', routing: { kind: 'failover', primary: 'site-a' } }),
      ['dns-accelerator-failover-shared-region']],
    ['bad geolocation codes, all at once',
      shape([at('site-a', 'eu-west-1'), at('site-b', 'us-east-1')], { mode: 'active-active', acknowledge: ['cross-region-active-active'], routing: { kind: 'geolocation', locations: { 'site-a': { continent: 'XX' }, 'site-b': { country: 'usa' } }, default: 'site-a' } }),
      ['dns-geolocation-continent-invalid', 'dns-geolocation-country-invalid']],
  ])('%s: rejected with a coded diagnostic', async (_case, input, codes) => {
    const outcome = await runShape(input);
    expect(outcome).toEqual({ kind: 'coded', codes });
  });
});
