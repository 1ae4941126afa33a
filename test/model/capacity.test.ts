import fc from 'fast-check';
import { FARGATE_MEMORY_BY_VCPU } from '../../lib/model/aws-limits';
import { KEYCLOAK_SIZING, LoadTarget, planCapacity, renderCapacity, vcpusOfInstanceClass } from '../../lib/model/capacity';
import { defineTopology, TopologyInput } from '../../lib/model/define';
import { KeycloakImage } from '../../lib/model/image';

const image = KeycloakImage.fromRegistry('registry.example.com/keycloak:26.7.0', { bundlesAwsJdbcWrapper: true });
const singleSite = (site: object = {}, keycloak: object = {}, database: object = {}): TopologyInput => ({
  hostname: 'auth.example.com',
  keycloak: { image, ...keycloak },
  database,
  sites: { 'eu-west': { region: 'eu-west-1', ...site } },
});
const sameRegion = (nodes?: number): TopologyInput => ({
  hostname: 'auth.example.com',
  keycloak: { image },
  sites: { 'eu-a': { region: 'eu-west-1', cidr: '10.10.0.0/16', nodes }, 'eu-b': { region: 'eu-west-1', cidr: '10.20.0.0/16', nodes } },
});
const twoRegions = (primaryNodes?: number, standbyNodes?: number): TopologyInput => ({
  hostname: 'auth.example.com',
  keycloak: { image },
  sites: { eu: { region: 'eu-west-1', cidr: '10.10.0.0/16', nodes: primaryNodes }, us: { region: 'us-east-1', cidr: '10.20.0.0/16', nodes: standbyNodes } },
});
const plan = (input: TopologyInput, load: LoadTarget, options = {}) => planCapacity(defineTopology(input), load, options);
const codes = (input: TopologyInput, load: LoadTarget): string[] => plan(input, load).diagnostics.map((d) => d.code);

/** Keycloak's worked example: 45 logins, 360 client-credential grants and 360 refreshes per second. */
const GUIDE_EXAMPLE: LoadTarget = { passwordLoginsPerSecond: 45, clientCredentialGrantsPerSecond: 360, refreshesPerSecond: 360 };

describe('planCapacity', () => {
  test("GIVEN Keycloak's worked example THEN 3 + 3 + 3 vCPU, 22.5 with 150 % headroom, and the guide's database figures", () => {
    const result = plan(singleSite(), GUIDE_EXAMPLE);
    expect(result.vcpu).toEqual({ passwordLogins: 3, clientCredentialGrants: 3, refreshes: 3, steadyState: 9, headroomPercent: 150, required: 22.5 });
    // 405 logins and refreshes per second: 4.05 × 1400 IOPS, 0.3 idle + 4.05 × 0.35–0.7 vCPU.
    expect(result.database.writeIops).toBeCloseTo(5670, 6);
    expect(result.database.vcpu.min).toBeCloseTo(1.7175, 6);
    expect(result.database.vcpu.max).toBeCloseTo(3.135, 6);
    // (1250 − 300) / 0.7 = 1357.1 → 1358 MiB.
    expect(result.memory).toEqual({ expectedMiB: 1250, minimumLimitMiB: 1358, configuredMiB: 4096 });
  });

  test('GIVEN one site over 3 zones THEN the survivors of a zone loss must hold the load with headroom', () => {
    // 45 logins/s → 3 vCPU → 7.5 with headroom; (n − ceil(n / 3)) × 2 ≥ 7.5 first holds at n = 6.
    const result = plan(singleSite({ nodes: 3 }), { passwordLoginsPerSecond: 45 });
    expect(result.sites).toEqual([{ site: 'eu-west', role: 'serving', zoneCount: 3, vcpuPerNode: 2, configuredNodes: 3, recommendedNodes: 6 }]);
    expect(result.scenarios).toEqual([expect.objectContaining({
      failure: 'a zone of eu-west-1', site: 'eu-west', requiredVcpu: 7.5, survivingVcpu: 4, carries: false,
      formula: '(3 − ceil(3 / 3)) × 2 vCPU = 4 vCPU < 7.5 vCPU needed',
    })]);
  });

  test('warns, validate-style, when the survivors are too small, and not otherwise', () => {
    const [warning] = plan(singleSite({ nodes: 3 }), { passwordLoginsPerSecond: 45 }).diagnostics;
    expect(warning).toMatchObject({ code: 'capacity-insufficient', severity: 'warning', path: 'sites.eu-west.nodes', value: 3 });
    expect(warning.fix).toBe("set nodes to 6 in site 'eu-west', or keycloak.vcpu to 4 (with a matching memoryMiB)");
    expect(codes(singleSite({ nodes: 6 }), { passwordLoginsPerSecond: 45 })).toEqual([]);
    expect(codes(singleSite({ nodes: 3 }, { vcpu: 4, memoryMiB: 8192 }), { passwordLoginsPerSecond: 45 })).toEqual([]);
  });

  test('GIVEN no load THEN nothing is needed beyond one node per zone and per owner, and nothing is reported', () => {
    const result = plan(singleSite({ zones: 2, nodes: 2 }), {});
    expect(result.vcpu.required).toBe(0);
    expect(result.sites[0].recommendedNodes).toBe(2);
    expect(result.diagnostics).toEqual([]);
  });

  test('GIVEN active/active sites THEN each holds its share after a zone loss and the whole load after the other site is lost', () => {
    // 7.5 vCPU: a zone loss leaves each site its 3.75 share (3 nodes → 4 vCPU: fine); a site loss needs 4 nodes × 2 ≥ 7.5.
    const result = plan(sameRegion(3), { passwordLoginsPerSecond: 45 });
    expect(result.sites.map((s) => [s.site, s.role, s.recommendedNodes])).toEqual([['eu-a', 'serving', 4], ['eu-b', 'serving', 4]]);
    expect(result.scenarios.filter((s) => !s.carries).map((s) => [s.site, s.failure])).toEqual([['eu-a', 'site eu-b'], ['eu-b', 'site eu-a']]);
    expect(result.diagnostics.map((d) => d.path)).toEqual(['sites.eu-a.nodes', 'sites.eu-b.nodes']);
    expect(codes(sameRegion(4), { passwordLoginsPerSecond: 45 })).toEqual([]);
  });

  test('GIVEN active/passive regions THEN the primary survives a zone loss and the standby alone carries everything', () => {
    const result = plan(twoRegions(3, 3), { passwordLoginsPerSecond: 45 });
    expect(result.sites.map((s) => [s.site, s.role, s.recommendedNodes])).toEqual([['eu', 'serving', 6], ['us', 'standby', 4]]);
    expect(codes(twoRegions(6, 4), { passwordLoginsPerSecond: 45 })).toEqual([]);
    expect(result.notes.join('\n')).toContain('lower throughput per node across sites');
  });

  test('the headroom is an option', () => {
    expect(plan(singleSite(), GUIDE_EXAMPLE, { cpuHeadroomPercent: 0 }).vcpu.required).toBe(9);
    expect(() => plan(singleSite(), GUIDE_EXAMPLE, { cpuHeadroomPercent: -1 })).toThrow(/cpuHeadroomPercent -1/);
  });

  test('warns when a node has less memory than the heap rule needs', () => {
    const [warning] = plan(singleSite({}, { vcpu: 0.5, memoryMiB: 1024 }), {}).diagnostics;
    expect(warning).toMatchObject({ code: 'capacity-memory-insufficient', path: 'keycloak.memoryMiB', value: 1024, fix: 'set memoryMiB to 2048' });
  });

  test('warns when the database writer has fewer vCPUs than the low end of the guidance', () => {
    // 1000 logins/s: 0.3 + 10 × 0.35 = 3.8 vCPU at least.
    const busy: LoadTarget = { passwordLoginsPerSecond: 1000 };
    const [warning] = plan(singleSite({}, {}, { instanceClass: 'db.t4g.medium' }), busy).diagnostics.filter((d) => d.code === 'capacity-database-insufficient');
    expect(warning).toMatchObject({ path: 'database.instanceClass', value: 'db.t4g.medium' });
    expect(warning.fix).toContain('at least 8 vCPU');
    expect(plan(singleSite({}, {}, { instanceClass: 'db.r7g.xlarge' }), busy).diagnostics.map((d) => d.code)).not.toContain('capacity-database-insufficient');
  });

  test('reads vCPUs from RDS class sizes', () => {
    expect(['db.t4g.medium', 'db.r7g.large', 'db.r7g.xlarge', 'db.r7g.2xlarge', 'db.r6i.16xlarge', 'db.serverless'].map(vcpusOfInstanceClass))
      .toEqual([2, 2, 4, 8, 64, undefined]);
  });

  test('notes loads beyond what Keycloak tested, and rejects rates that are not rates', () => {
    expect(plan(singleSite(), { passwordLoginsPerSecond: 400 }).notes.join('\n')).toContain(`beyond what Keycloak tested (${KEYCLOAK_SIZING.tested.passwordLoginsPerSecond}/s)`);
    expect(() => plan(singleSite(), { refreshesPerSecond: -5 })).toThrow('planCapacity: load.refreshesPerSecond -5 is not a rate');
    expect(() => plan(singleSite(), { activeSessions: Number.NaN })).toThrow(/load.activeSessions/);
  });
});

describe('renderCapacity', () => {
  test('is deterministic Markdown with the numbers a reviewer checks', () => {
    const text = renderCapacity(plan(singleSite({ nodes: 3 }), GUIDE_EXAMPLE));
    expect(text).toEqual(renderCapacity(plan(singleSite({ nodes: 3 }), GUIDE_EXAMPLE)));
    expect(text).toContain('| with 150 % headroom (held by the survivors of a failure) | | | 22.5 |');
    expect(text).toContain('| eu-west | serving | 3 | 2 | 3 | 18 |');
    expect(text).toContain('5670 write IOPS');
    expect(text).toContain('[capacity-insufficient] sites.eu-west.nodes');
  });
});

describe('planCapacity (property-based)', () => {
  const loads = fc.record({
    passwordLoginsPerSecond: fc.integer({ min: 0, max: 300 }),
    clientCredentialGrantsPerSecond: fc.integer({ min: 0, max: 2000 }),
    refreshesPerSecond: fc.integer({ min: 0, max: 435 }),
  });
  const vcpus = fc.constantFrom(...[...FARGATE_MEMORY_BY_VCPU.keys()].filter((v) => v >= 1));

  test('the recommended node count carries the load, and one node fewer does not (when the count is load-bound)', () => {
    fc.assert(fc.property(loads, fc.integer({ min: 2, max: 4 }), vcpus, (load, zones, vcpu) => {
      const memoryMiB = FARGATE_MEMORY_BY_VCPU.get(vcpu)![0];
      const recommended = plan(singleSite({ zones }, { vcpu, memoryMiB }), load).sites[0].recommendedNodes;
      expect(codes(singleSite({ zones, nodes: recommended }, { vcpu, memoryMiB }), load)).not.toContain('capacity-insufficient');
      if (recommended > zones) {
        expect(codes(singleSite({ zones, nodes: recommended - 1 }, { vcpu, memoryMiB }), load)).toContain('capacity-insufficient');
      }
    }));
  });
});
