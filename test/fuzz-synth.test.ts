import fc from 'fast-check';
import { KeycloakOnAws, KeycloakOnAwsProps, runChecks, SynthesizedResource, TopologyError } from '../lib';
import { validTopology } from './arbitraries';
import { awsProps, synth } from './helpers';

// Synthesis takes ~0.1 s, so CI runs a few dozen; FUZZ_RUNS=1000 for a long run.
const RUNS = Math.max(1, Math.floor(Number(process.env.FUZZ_RUNS ?? 400) / 16));

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
