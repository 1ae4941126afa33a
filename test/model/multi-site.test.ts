import { defineTopology } from '../../lib/model/define';
import { errorsOf, validate } from '../../lib/model/validate';
import { siteLinks } from '../../lib/model/validate';
import { sameRegion, twoRegions } from '../topologies';


describe('multi-site topologies', () => {
  test('GIVEN two sites in one region THEN they run active/active (the blueprint) and validate cleanly', () => {
    const topology = defineTopology(sameRegion);
    expect(topology.mode).toBe('active-active');
    expect(topology.primarySite).toBe('eu-a');
    expect(validate(topology)).toEqual([]);
    expect(siteLinks(topology, 'eu-a')).toEqual({ 'eu-b': 'same-region' });
  });

  test('GIVEN two regions THEN they run active/passive with the first site primary, unless told otherwise', () => {
    expect(defineTopology(twoRegions)).toMatchObject({ mode: 'active-passive', primarySite: 'eu' });
    expect(defineTopology({ ...twoRegions, primarySite: 'us' }).primarySite).toBe('us');
    expect(siteLinks(defineTopology(twoRegions), 'us')).toEqual({ eu: 'cross-region' });
    expect(errorsOf(validate(defineTopology(twoRegions)))).toEqual([]);
  });

  test('active/active across regions is refused unless the risk is acknowledged', () => {
    const risky = { ...twoRegions, mode: 'active-active' as const };
    expect(errorsOf(validate(defineTopology(risky))).map((d) => d.code)).toEqual(['active-active-cross-region']);
    expect(errorsOf(validate(defineTopology({ ...risky, acknowledge: ['cross-region-active-active'] })))).toEqual([]);
  });

  test('synchronous replication across regions is refused unless acknowledged; actionTokens stays SYNC', () => {
    const sync = { ...twoRegions, caches: { crossSite: { authenticationSessions: 'SYNC' as const, actionTokens: 'SYNC' as const } } };
    expect(errorsOf(validate(defineTopology(sync))).map((d) => d.code)).toEqual(['sync-cross-region']);
    expect(errorsOf(validate(defineTopology({ ...sync, acknowledge: ['cross-region-sync-replication'] })))).toEqual([]);
  });

  test('the defaults of cross-site caches are recorded, user choices kept', () => {
    const topology = defineTopology({ ...sameRegion, caches: { crossSite: { loginFailures: 'NONE' }, replicateLoginFailures: false } });
    expect(topology.caches).toEqual({
      owners: 2, crossSiteStrategies: { loginFailures: 'NONE' }, replicateLoginFailures: false, takeOffline: { afterFailures: 3, minWaitMs: 15000 },
    });
  });
});
