import fc from 'fast-check';
import { defineTopology, TopologyInput } from '../../lib/model/define';
import { errorsOf, validate } from '../../lib/model/validate';
import { validTopology } from '../arbitraries';

const RUNS = Number(process.env.FUZZ_RUNS ?? 400);

/** Anything at all in every slot a user can fill, including wrong types from plain JavaScript. */
const anything = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(undefined), fc.constant(null), fc.array(fc.string()));
const garbageTopology = fc.record({
  hostname: anything,
  sites: fc.dictionary(fc.string(), fc.record({ region: anything, cidr: anything, zones: anything, nodes: anything, natGateways: anything }), { maxKeys: 3 }),
  keycloak: fc.record({ vcpu: anything, memoryMiB: anything, dbPoolSize: anything, cacheOwners: anything, bootstrapAdminUsername: anything }),
  database: fc.record({ engineVersion: anything, instances: anything, instanceClass: anything, databaseName: anything, backupRetentionDays: anything }),
  traffic: fc.record({ stickinessSeconds: anything, deregistrationDelaySeconds: anything, logRetentionDays: anything }),
}) as unknown as fc.Arbitrary<TopologyInput>;

describe('validate (property-based)', () => {
  test('every valid topology passes without errors', () => {
    fc.assert(fc.property(validTopology, (input) => {
      expect(errorsOf(validate(defineTopology(input)))).toEqual([]);
    }), { numRuns: RUNS });
  });

  test('no input makes it throw, and every finding has a code, a path, a message and a fix', () => {
    fc.assert(fc.property(garbageTopology, (input) => {
      for (const d of validate(defineTopology(input))) {
        expect(d.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
        expect(['error', 'warning']).toContain(d.severity);
        expect(d.path.length).toBeGreaterThan(0);
        expect(d.message.length).toBeGreaterThan(0);
        expect(d.fix.length).toBeGreaterThan(0);
      }
    }), { numRuns: RUNS });
  });

  test('breaking the node count of a valid topology is always caught', () => {
    fc.assert(fc.property(validTopology, fc.integer({ min: -3, max: 1 }), (input, nodes) => {
      const [name, site] = Object.entries(input.sites)[0];
      const broken = { ...input, sites: { [name]: { ...site, nodes } } };
      const codes = errorsOf(validate(defineTopology(broken))).map((d) => d.code);
      expect(codes.some((c) => c === 'nodes-invalid' || c === 'nodes-fewer-than-zones')).toBe(true);
    }), { numRuns: RUNS });
  });
});
