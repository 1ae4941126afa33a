import fc from 'fast-check';
import { defineTopology, TopologyInput } from '../../lib/model/define';
import { analyzeFailures, FAILURE_ANALYSIS_DEFAULTS, FailureMode, renderFailureTable } from '../../lib/model/failure-modes';
import { KeycloakImage } from '../../lib/model/image';
import { CROSS_REGION_BACKUP, CROSS_REGION_SYNC_BACKUP, SAME_REGION_BACKUP } from '../../lib/render/infinispan-caches';
import { validTopology } from '../arbitraries';
import { sameRegion, twoRegions } from '../topologies';

const image = KeycloakImage.fromRegistry('registry.example.com/keycloak:26.7.0', { bundlesAwsJdbcWrapper: true });
const singleSite = (site: object = {}, extra: Partial<TopologyInput> = {}): TopologyInput => ({
  hostname: 'auth.example.com',
  keycloak: { image, ...extra.keycloak },
  sites: { 'eu-west': { region: 'eu-west-1', ...site } },
  ...(extra.traffic ? { traffic: extra.traffic } : {}),
});
const analyze = (input: TopologyInput, options = {}): FailureMode[] => analyzeFailures(defineTopology(input), options);
const row = (rows: FailureMode[], id: string): FailureMode => {
  const found = rows.find((r) => r.id === id);
  if (!found) throw new Error(`no row '${id}' in ${rows.map((r) => r.id).join(', ')}`);
  return found;
};

describe('failure modes of one site', () => {
  test('GIVEN the defaults THEN node, zone, load balancer, database writer and region are analysed, in that order', () => {
    expect(analyze(singleSite()).map((r) => r.id)).toEqual(['node:eu-west', 'zone:eu-west-1', 'load-balancer', 'database-writer', 'region:eu-west-1']);
  });

  test('WHEN the database writer fails over THEN sessions survive but a login submitted meanwhile starts over (measured by the rehearsal)', () => {
    const db = row(analyze({ hostname: 'auth.example.com', sites: { a: { region: 'eu-west-1' } } }), 'database-writer');
    expect(db.whoReLogsIn).toBe('nobody');
    expect(db.inFlightLoginsLost.extent).toBe('some');
    expect(db.inFlightLoginsLost.why).toContain('starts the login over');
  });

  test('GIVEN one node per zone WHEN a zone is lost THEN no in-flight login is lost: the other owner is elsewhere', () => {
    const zone = row(analyze(singleSite({ zones: 3, nodes: 3 })), 'zone:eu-west-1');
    expect(zone.inFlightLoginsLost).toMatchObject({ extent: 'none', fraction: 0 });
    expect(zone.whoReLogsIn).toMatch(/^nobody/);
    expect(zone.writesLost.rpo).toBe('zero');
    expect(zone.recovery).toBe('automatic');
  });

  test('GIVEN 6 nodes in 3 zones with 2 owners WHEN a zone is lost THEN some in-flight logins may go: both owners of 1 entry in 15 share the zone', () => {
    const zone = row(analyze(singleSite({ zones: 3, nodes: 6 })), 'zone:eu-west-1');
    expect(zone.inFlightLoginsLost.extent).toBe('some');
    expect(zone.inFlightLoginsLost.fraction).toBeCloseTo(1 / 15, 10); // C(2,2) / C(6,2)
    expect(zone.inFlightLoginsLost.why).toContain('6.7 %');
    expect(zone.serving).toContain('loses up to 2 of 6 nodes');
  });

  test('GIVEN 6 nodes in 3 zones with 3 owners THEN a zone loss keeps a copy of every entry again', () => {
    const zone = row(analyze(singleSite({ zones: 3, nodes: 6 }, { keycloak: { cacheOwners: 3 } })), 'zone:eu-west-1');
    expect(zone.inFlightLoginsLost).toMatchObject({ extent: 'none' });
  });

  test('a node loss is noticed after 9 failed checks 10 s apart: 0 s for a crash, up to 9 × 10 + 5 s for a hang', () => {
    const node = row(analyze(singleSite()), 'node:eu-west');
    expect(node.recoverySeconds).toMatchObject({ min: 0, max: 95 });
    expect(node.recoverySeconds.formula).toContain('(9 − 1) × 10 = 80 s to 9 × 10 + 5 s timeout = 95 s');
    // Replacement: detection + task start (assumed 60–120 s) + 2 healthy checks × 10 s.
    expect(node.capacityRestoredSeconds).toMatchObject({ min: 80 + 60 + 20, max: 95 + 120 + 20 });
    expect(node.whoReLogsIn).toContain('persistent sessions');
  });

  test('WHEN the health-check interval changes THEN the recovery cells move with it', () => {
    const fast = analyze(singleSite({}, { traffic: { healthCheckIntervalSeconds: 5 } }));
    // Interval 5 s → timeout 4 s: a hang is seen after 9 × 5 + 4 s.
    expect(row(fast, 'node:eu-west').recoverySeconds.max).toBe(49);
    expect(row(fast, 'zone:eu-west-1').recoverySeconds.min).toBe(40);
    expect(renderFailureTable(fast)).not.toEqual(renderFailureTable(analyze(singleSite())));
  });

  test('the assumed task start time is an option', () => {
    const node = row(analyze(singleSite(), { taskStartSeconds: { min: 30, max: 45 } }), 'node:eu-west');
    expect(node.capacityRestoredSeconds).toMatchObject({ min: 80 + 30 + 20, max: 95 + 45 + 20 });
  });

  test('the database writer fails over in 30–60 s (AWS) without losing a commit, and a failover that outlasts readiness is flagged', () => {
    const writer = row(analyze(singleSite()), 'database-writer');
    expect(writer).toMatchObject({ keepsServing: 'degraded', recovery: 'automatic', writesLost: { rpo: 'zero' } });
    expect(writer.recoverySeconds).toMatchObject({ min: 30, max: 60 });
    // Readiness tolerates (9 − 1) × 10 = 80 s, more than AWS's 60 s: no node is taken out.
    expect(writer.notes.join('\n')).not.toContain('can take nodes out');
    const slow = row(analyze(singleSite(), { auroraFailoverSeconds: { min: 60, max: 120 } }), 'database-writer');
    expect(slow.recoverySeconds).toMatchObject({ min: 60, max: 120 });
    expect(slow.notes.join('\n')).toContain('can take nodes out');
  });

  test('the load balancer is managed and multi-zone: clients recover within its 60 s DNS TTL', () => {
    expect(row(analyze(singleSite()), 'load-balancer')).toMatchObject({ recovery: 'automatic', recoverySeconds: { min: 0, max: 60 } });
  });

  test('losing the only region stops service and needs an operator', () => {
    expect(row(analyze(singleSite()), 'region:eu-west-1')).toMatchObject({ keepsServing: 'no', recovery: 'operator', recoverySeconds: { max: null } });
  });

  test('a single NAT gateway is called out on the zone row', () => {
    expect(row(analyze(singleSite({ natGateways: 'single' })), 'zone:eu-west-1').notes.join('\n')).toContain('one NAT gateway');
  });
});

describe('failure modes of several sites', () => {
  test('GIVEN two sites in one region (active/active) THEN per-site rows, the link and the DNS checker are analysed', () => {
    expect(analyze(sameRegion).map((r) => r.id)).toEqual([
      'node:eu-a', 'node:eu-b', 'zone:eu-west-1', 'database-writer', 'site:eu-a', 'site:eu-b', 'region:eu-west-1', 'link:eu-a-eu-b', 'dns-false-negative',
    ]);
  });

  test('active/active: losing a site loses no in-flight login (SYNC); the survivor fences it by itself, only the hostname waits for an operator without health-checked DNS', () => {
    const site = row(analyze(sameRegion), 'site:eu-a');
    expect(site).toMatchObject({ keepsServing: 'degraded', recovery: 'operator', writesLost: { rpo: 'zero' }, inFlightLoginsLost: { extent: 'none' } });
    expect(site.operatorAction).not.toContain('take eu-a offline');
    expect(site.operatorAction).toContain('point the hostname at eu-b');
    // Default fencing: 3 failures and 15 s; each failure may wait the 4.5 s backup timeout: 15 s to 15 + 3 × 4.5 = 28.5 s
    // per cache, and a login meets its two FAIL caches one after the other (the rehearsal measured it): 30–57 s.
    expect(site.serving).toContain('until the lost site is taken offline (30–57 s)');
  });

  test('active/active with health-checked DNS: site loss recovers by itself, bounded by DNS and the default fencing', () => {
    const site = row(analyze(sameRegion, { dns: { detectionSeconds: 56, ttlSeconds: 60 } }), 'site:eu-a');
    expect(site).toMatchObject({ recovery: 'automatic', recoverySeconds: { min: 56, max: 116 } });
    expect(site.recoverySeconds.formula).toContain('SYNC backups taken offline after 3 failures and 15 s: 30–57 s');
    // The fencing follows the topology's setting.
    const slow = row(analyze({ ...sameRegion, caches: { takeOffline: { afterFailures: 10, minWaitMs: 120000 } } }, { dns: { detectionSeconds: 56, ttlSeconds: 60 } }), 'site:eu-a');
    // Per cache 120 s to 120 + 10 × 4.5 = 165 s, two caches in turn.
    expect(slow.recoverySeconds).toMatchObject({ min: 240, max: 330 });
  });

  test('active/active with health-checked DNS and a take-offline rule recovers by itself, bounded by the slower of the two', () => {
    const sameRegionSync = { failurePolicy: 'FAIL' as const, timeoutMs: 4500, takeOffline: { afterFailures: 3, minWaitMs: 60000 } };
    const site = row(analyze(sameRegion, { dns: { detectionSeconds: 56, ttlSeconds: 60 }, backups: { sameRegionSync } }), 'site:eu-a');
    expect(site.recovery).toBe('automatic');
    // DNS: 56 s detection + 60 s TTL = 116 s; take-offline: 60 s + 3 × 4.5 s = 73.5 s.
    // 2 × (60 s to 60 + 3 × 4.5 s) of fencing is slower than DNS (56 + 60 s).
    expect(site.recoverySeconds).toMatchObject({ min: 120, max: 147 });
  });

  test('WHEN authenticationSessions replicate ASYNC or not at all THEN a site loss costs in-flight logins', () => {
    const asyncSite = row(analyze({ ...sameRegion, caches: { crossSite: { authenticationSessions: 'ASYNC' } } }), 'site:eu-a');
    expect(asyncSite.inFlightLoginsLost.extent).toBe('some');
    expect(asyncSite.writesLost.rpo).toBe('replication-lag');
    const unreplicated = row(analyze({ ...sameRegion, caches: { crossSite: { authenticationSessions: 'NONE' } } }), 'site:eu-a');
    expect(unreplicated.inFlightLoginsLost).toMatchObject({ extent: 'all', fraction: 1 });
  });

  test('a split brain between same-region sites fails new logins in both until each takes the other offline by itself', () => {
    const link = row(analyze(sameRegion), 'link:eu-a-eu-b');
    expect(link).toMatchObject({ keepsServing: 'degraded', recovery: 'automatic', writesLost: { rpo: 'zero' }, recoverySeconds: { min: 30, max: 57 } });
    expect(link.serving).toContain('new logins fail');
    expect(link.operatorAction).toContain('when the link is back: bring the sites online, push state');
  });

  test('GIVEN two regions (active/passive) WHEN the primary is lost THEN RPO > 0 and an operator promotes the database', () => {
    const primary = row(analyze(twoRegions), 'site:eu');
    expect(primary).toMatchObject({ keepsServing: 'no', recovery: 'operator', writesLost: { rpo: 'replication-lag' } });
    expect(primary.writesLost.why).toContain('typically < 1 s');
    expect(primary.operatorAction).toContain('failover-global-cluster');
    // Fencing is not among the operator's steps: the standby's Infinispan takes the primary offline by itself.
    expect(primary.operatorAction).toContain("us's Infinispan takes eu offline by itself (SYNC backups taken offline after 3 failures and 15 s: 15–28.5 s");
    expect(primary.whoReLogsIn).toContain('within the replication lag');
  });

  test('active/passive: losing the standby keeps serving; cross-region actionTokens (SYNC, WARN) only slow logins until take-offline', () => {
    const standby = row(analyze(twoRegions), 'site:us');
    expect(standby).toMatchObject({ keepsServing: 'degraded', recovery: 'automatic', writesLost: { rpo: 'zero' } });
    // Take-offline after 3 failures and 15 s, each failure waiting up to 4.5 s.
    expect(standby.recoverySeconds).toMatchObject({ min: 15, max: 28.5 });
    expect(row(analyze(twoRegions), 'node:us')).toMatchObject({ keepsServing: 'yes', recoverySeconds: { min: 0, max: 0 } });
  });

  test('the DNS false negative: harmless without health-checked DNS, an outage in active/passive, a shift in active/active', () => {
    expect(row(analyze(twoRegions), 'dns-false-negative').keepsServing).toBe('yes');
    const dns = { dns: { detectionSeconds: { min: 30, max: 56 }, ttlSeconds: 60 } };
    const passive = row(analyze(twoRegions, dns), 'dns-false-negative');
    expect(passive).toMatchObject({ keepsServing: 'no', recoverySeconds: { min: 30, max: 116 } });
    expect(passive.operatorAction).toContain('do not promote');
    expect(row(analyze(sameRegion, dns), 'dns-false-negative')).toMatchObject({ keepsServing: 'degraded', inFlightLoginsLost: { extent: 'none' } });
  });

  test('in multi-site, Keycloak nodes hold no login state; a zone takes Infinispan servers, counted per site', () => {
    const rows = analyze(sameRegion, { infinispanNodesPerSite: 6 });
    expect(row(rows, 'node:eu-a').inFlightLoginsLost.extent).toBe('none');
    expect(row(rows, 'zone:eu-west-1').inFlightLoginsLost).toMatchObject({ extent: 'some' });
    expect(row(analyze(sameRegion), 'zone:eu-west-1').inFlightLoginsLost.extent).toBe('none');
  });
});

describe('renderFailureTable', () => {
  test('renders one Markdown row per failure, the same bytes every time, escaping pipes', () => {
    const rows = analyze(twoRegions, { dns: { detectionSeconds: 56, ttlSeconds: 60 } });
    const table = renderFailureTable(rows);
    expect(table).toEqual(renderFailureTable(analyze(twoRegions, { dns: { detectionSeconds: 56, ttlSeconds: 60 } })));
    const lines = table.split('\n').filter((l) => l.startsWith('| '));
    expect(lines).toHaveLength(rows.length + 2); // header and separator
    expect(lines[0]).toBe('| Failure | Keeps serving | Who logs in again | In-flight logins lost | Writes lost (RPO) | Time to recover (RTO) | Recovery |');
    expect(table).toContain('> 0: up to the replication lag, typically < 1 s');
    expect(table).toContain('operator-bound');
    const piped = renderFailureTable([{ ...rows[0], failure: 'a | b' }]);
    expect(piped).toContain('a \\| b');
  });
});

describe('failure modes (property-based)', () => {
  test('any valid single-site topology: rows are unique, fractions in [0, 1], bounds ordered', () => {
    fc.assert(fc.property(validTopology, (input) => {
      const rows = analyze(input);
      expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
      for (const r of rows) {
        const fraction = r.inFlightLoginsLost.fraction ?? 0;
        expect(fraction).toBeGreaterThanOrEqual(0);
        expect(fraction).toBeLessThanOrEqual(1);
        if (r.recoverySeconds.max !== null) expect(r.recoverySeconds.max).toBeGreaterThanOrEqual(r.recoverySeconds.min);
        expect(r.recovery === 'operator').toBe(r.recoverySeconds.max === null);
      }
    }), { numRuns: 200 });
  });

  test('a zone loss loses in-flight logins exactly when a zone can hold every owner of an entry', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 2, max: 5 }), (zones, extra, ownersWanted) => {
      const nodes = zones + extra;
      const owners = Math.min(ownersWanted, nodes);
      const zone = row(analyze(singleSite({ zones, nodes }, { keycloak: { cacheOwners: owners } })), 'zone:eu-west-1');
      expect(zone.inFlightLoginsLost.extent === 'none').toBe(Math.ceil(nodes / zones) < owners);
    }));
  });
});

test('the cross-site backup defaults mirror the renderer, whose fencing is the topology default', () => {
  const { sameRegionSync, crossRegionSync, async } = FAILURE_ANALYSIS_DEFAULTS.backups;
  const { takeOffline } = defineTopology(sameRegion).caches;
  expect(SAME_REGION_BACKUP).toEqual({ strategy: 'SYNC', ...sameRegionSync, takeOffline });
  expect(CROSS_REGION_SYNC_BACKUP).toEqual({ strategy: 'SYNC', ...crossRegionSync, takeOffline });
  expect(CROSS_REGION_BACKUP).toEqual({ strategy: 'ASYNC', ...async, takeOffline, stateTransferMode: 'AUTO' });
});
