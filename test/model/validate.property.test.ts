import { ok } from 'node:assert/strict';
import fc from 'fast-check';
import { defineTopology, TopologyInput } from '../../lib/model/define';
import { worstCaseFailoverTime } from '../../lib/model/failover-time';
import { analyzeFailures, renderFailureTable } from '../../lib/model/failure-modes';
import { analyzeKubernetesFailures } from '../../lib/model/failure-modes-kubernetes';
import { errorsOf, validate } from '../../lib/model/validate';
import { reviewBundleFiles } from '../../lib/review/bundle';
import { shapeDns, shapeInput, topologyShape, validTopology } from '../arbitraries';

const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
// Model-level runs over the widened shapes: cheap (no synthesis), so most of the 10,000 topologies
// a default run covers are here; test/fuzz-synth.test.ts synthesizes a sample of the same shapes.
const SHAPE_RUNS = RUNS * 25;

/** Anything at all in every slot a user can fill, including wrong types from plain JavaScript. */
const anything = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(undefined), fc.constant(null), fc.array(fc.string()));
const garbageTopology = fc.record({
  hostname: anything,
  sites: fc.dictionary(fc.string(), fc.record({ region: anything, cidr: anything, zones: anything, nodes: anything, natGateways: anything }), { maxKeys: 3 }),
  keycloak: fc.record({ vcpu: anything, memoryMiB: anything, dbPoolSize: anything, cacheOwners: anything, bootstrapAdminUsername: anything }),
  database: fc.record({ engineVersion: anything, instances: anything, instanceClass: anything, databaseName: anything, backupRetentionDays: anything }),
  traffic: fc.record({ stickinessSeconds: anything, deregistrationDelaySeconds: anything, logRetentionDays: anything }),
}) as unknown as fc.Arbitrary<TopologyInput>;

/**
 * Fails with the offending diagnostics. jest's expect() builds an error with a stack trace on every
 * call, pass or fail, which made this file's 10,000 runs spend 40 % of their time in expect alone;
 * node's assert builds one only on failure.
 */
function expectNone(diagnostics: readonly object[]): void {
  ok(diagnostics.length === 0, `unexpected diagnostics: ${JSON.stringify(diagnostics, null, 1)}`);
}

describe('validate (property-based)', () => {
  test('every valid topology passes without errors', () => {
    fc.assert(fc.property(validTopology, (input) => {
      expectNone(errorsOf(validate(defineTopology(input))));
    }), { numRuns: RUNS });
  });

  test('no input makes it throw, and every finding has a code, a path, a message and a fix', () => {
    fc.assert(fc.property(garbageTopology, (input) => {
      const malformed = validate(defineTopology(input)).filter((d) =>
        !/^[a-z]+(-[a-z]+)*$/.test(d.code) || !['error', 'warning'].includes(d.severity) || d.path.length === 0 || d.message.length === 0 || d.fix.length === 0);
      expectNone(malformed);
    }), { numRuns: RUNS });
  });

  test('1-4 sites, every mode, routing and director, both substrates: coded findings only, and every accepted one analyses and reviews', () => {
    const codes = /^[a-z]+(-[a-z]+)*$/;
    fc.assert(fc.property(topologyShape, (shape) => {
      const topology = defineTopology(shapeInput(shape));
      const dns = shapeDns(shape, topology);
      const diagnostics = validate(topology, { substrate: shape.substrate, ...(dns ? { dns } : {}) });
      expectNone(diagnostics.filter((d) => !codes.test(d.code) || d.path.length === 0 || d.fix.length === 0));
      if (errorsOf(diagnostics).length > 0) return;
      // What the patterns compute for the review bundle, from the accepted topology alone.
      const order = dns?.routing.kind === 'failover' ? [dns.routing.primarySite ?? '', ...Object.keys(topology.sites).filter((s) => s !== dns.routing.primarySite)] : undefined;
      const time = dns && worstCaseFailoverTime({
        trafficDirector: dns.trafficDirector ?? 'route53', routing: dns.routing.kind, intervalSeconds: dns.healthCheck?.intervalSeconds ?? 10,
        failureThreshold: dns.healthCheck?.failureThreshold ?? 3, ...(order ? { failoverOrder: order } : {}),
      });
      const options = time ? { dns: { detectionSeconds: time.detectionSeconds, ttlSeconds: time.dnsPropagationSeconds } } : {};
      const rows = shape.substrate === 'aws' ? analyzeFailures(topology, options) : analyzeKubernetesFailures(topology, options);
      const files = reviewBundleFiles(topology, { deployment: 'keycloak', substrate: shape.substrate, sections: [renderFailureTable(rows)] });
      ok(files['TOPOLOGY.md'].includes('| Failure |'), 'TOPOLOGY.md has no failure table');
    }), { numRuns: SHAPE_RUNS });
  });

  test('breaking the node count of a valid topology is always caught', () => {
    fc.assert(fc.property(validTopology, fc.integer({ min: -3, max: 1 }), (input, nodes) => {
      const [name, site] = Object.entries(input.sites)[0];
      const broken = { ...input, sites: { [name]: { ...site, nodes } } };
      const codes = errorsOf(validate(defineTopology(broken))).map((d) => d.code);
      ok(codes.some((c) => c === 'nodes-invalid' || c === 'nodes-fewer-than-zones'), `node count ${nodes} not caught: ${codes.join(', ')}`);
    }), { numRuns: RUNS });
  });
});
