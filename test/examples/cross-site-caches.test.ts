import { EXAMPLES, infinispanXmlOf, synthExample } from './examples';

/** `<backup>` elements of one cache in an infinispan.xml: site, strategy, failure policy, take-offline. */
function backupsOf(xml: string, cache: string): { site: string; strategy: string; takeOffline: boolean }[] {
  const body = new RegExp(`<distributed-cache\\s[^>]*name="${cache}"[^]*?</distributed-cache>`).exec(xml)?.[0] ?? '';
  return [...body.matchAll(/<backup\s([^>]*)>([^]*?)<\/backup>/g)].map((m) => ({
    site: /site="([^"]+)"/.exec(m[1])?.[1] ?? '',
    strategy: /strategy="([^"]+)"/.exec(m[1])?.[1] ?? '',
    takeOffline: m[2].includes('<take-offline'),
  }));
}

describe.each(Object.keys(EXAMPLES).filter((e) => e !== 'aws-multi-az'))('example %s', (example) => {
  const files = Object.values(synthExample(example)).flatMap(infinispanXmlOf);

  test('a single-use action token cannot be used at two sites: every site backs actionTokens up SYNC to every other site', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
    const sites = files.map((xml) => /<relay\.RELAY2[^>]*site="([^"]+)"/.exec(xml)?.[1]);
    for (const [i, xml] of files.entries()) {
      const backups = backupsOf(xml, 'actionTokens');
      expect(backups.map((b) => b.site).sort()).toEqual(sites.filter((_, j) => j !== i).sort());
      expect(backups.every((b) => b.strategy === 'SYNC')).toBe(true);
    }
  });

  test('every backup of every cache is fenced automatically (take-offline)', () => {
    for (const xml of files) {
      for (const cache of ['actionTokens', 'authenticationSessions', 'loginFailures', 'work']) {
        expect(backupsOf(xml, cache).filter((b) => !b.takeOffline)).toEqual([]);
      }
    }
  });
});
