import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SiteLink } from '../../lib/model/topology';
import { KeycloakVersion } from '../../lib/model/version';
import {
  CROSS_REGION_BACKUP, CROSS_REGION_SYNC_BACKUP, keycloakRemoteCaches, NO_BACKUP, SAME_REGION_BACKUP,
} from '../../lib/render/infinispan-caches';
import { CrossSiteBridge, InfinispanSiteConfig, renderInfinispanServerXml } from '../../lib/render/infinispan-xml';

// ---- fixtures ----------------------------------------------------------------------------------

const TWO_SITES = ['eu-a', 'eu-b'] as const;
const THREE_SITES = ['eu-a', 'eu-b', 'us-east'] as const;

function tunnel(sites: readonly string[]): CrossSiteBridge {
  return { kind: 'tunnel', gossipRouters: Object.fromEntries(sites.map((site) => [site, { host: `gossip.${site}.internal`, port: 12001 }])) };
}

function tcpping(sites: readonly string[]): CrossSiteBridge {
  return { kind: 'tcpping', initialHosts: Object.fromEntries(sites.map((site, i) => [site, [`10.${i}.0.10`, `10.${i}.1.10`]])) };
}

function dns(sites: readonly string[], port?: number): CrossSiteBridge {
  return { kind: 'dns', dnsQueries: Object.fromEntries(sites.map((site) => [site, `infinispan.${site}.internal`])), ...(port === undefined ? {} : { port }) };
}

/** Same-region links to every other site unless `links` says otherwise. */
function siteConfig(site: string, sites: readonly string[], overrides: Partial<InfinispanSiteConfig> = {}, links: Record<string, SiteLink> = {}): InfinispanSiteConfig {
  const defaultLinks = Object.fromEntries(sites.filter((s) => s !== site).map((s): [string, SiteLink] => [s, 'same-region']));
  return {
    version: KeycloakVersion.LATEST,
    site,
    sites,
    caches: keycloakRemoteCaches({ links: { ...defaultLinks, ...links } }),
    discovery: { dnsQuery: `infinispan.${site}.keycloak.local` },
    bridge: tunnel(sites),
    hotRod: { tls: { keystorePath: '/etc/infinispan/tls/keystore.p12', keystorePasswordEnv: 'INFINISPAN_KEYSTORE_PASSWORD' } },
    ...overrides,
  };
}

// ---- a minimal reader for the renderer's own output (elements, attributes, text) -------------------

interface XmlNode {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlNode[];
  text: string;
}

function parse(xml: string): XmlNode {
  const body = xml.replace(/<\?xml[^>]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '');
  const document: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const open = [document];
  for (const [, close, name, rawAttrs, selfClosing, text] of body.matchAll(/<(\/?)([\w.:-]+)((?:\s+[\w.:-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g)) {
    const parent = open[open.length - 1];
    if (text !== undefined) {
      parent.text += text.trim() === '' ? '' : unescapeXml(text);
    } else if (close) {
      expect(open.pop()?.name).toBe(name);
    } else {
      const attrs = Object.fromEntries([...rawAttrs.matchAll(/([\w.:-]+)="([^"]*)"/g)].map(([, key, value]) => [key, unescapeXml(value)]));
      const node: XmlNode = { name, attrs, children: [], text: '' };
      parent.children.push(node);
      if (!selfClosing) open.push(node);
    }
  }
  expect(open).toHaveLength(1);
  expect(document.children).toHaveLength(1);
  return document.children[0];
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|amp|#\d+);/g, (_, entity: string) =>
    entity.startsWith('#') ? String.fromCharCode(Number(entity.slice(1))) : { lt: '<', gt: '>', quot: '"', amp: '&' }[entity]!);
}

function all(node: XmlNode, name: string): XmlNode[] {
  return node.children.flatMap((child) => [...(child.name === name ? [child] : []), ...all(child, name)]);
}

function one(node: XmlNode, name: string): XmlNode {
  const found = all(node, name);
  expect(found.map((n) => n.name)).toEqual([name]);
  return found[0];
}

function stack(root: XmlNode, name: string): XmlNode {
  const found = all(root, 'stack').filter((s) => s.attrs.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

function cache(root: XmlNode, name: string): XmlNode {
  const found = all(root, 'distributed-cache').filter((c) => c.attrs.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

/** Remote site → backup attributes (plus take-offline) of one cache. */
function backupsOf(root: XmlNode, cacheName: string): Record<string, Record<string, string>> {
  return Object.fromEntries(all(cache(root, cacheName), 'backup').map((backup) => {
    const takeOffline = backup.children.find((c) => c.name === 'take-offline');
    const stateTransferMode = backup.children.find((c) => c.name === 'state-transfer')?.attrs.mode;
    const { site, ...attrs } = backup.attrs;
    return [site, {
      ...attrs,
      ...(takeOffline ? { 'take-offline': `${takeOffline.attrs['after-failures']}/${takeOffline.attrs['min-wait']}` } : {}),
      ...(stateTransferMode ? { 'state-transfer': stateTransferMode } : {}),
    }];
  }));
}

const render = (config: InfinispanSiteConfig) => parse(renderInfinispanServerXml(config));
const TRANSPORT_TLS = {
  keystorePath: '/tls/keystore.p12', keystorePasswordEnv: 'KS_PASSWORD', truststorePath: '/tls/truststore.p12', truststorePasswordEnv: 'TS_PASSWORD',
};

function renderError(config: InfinispanSiteConfig): string {
  try {
    renderInfinispanServerXml(config);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected renderInfinispanServerXml to reject the configuration');
}

// ---- behaviour ---------------------------------------------------------------------------------

describe('renderInfinispanServerXml', () => {
  test.each([
    ['26.0.0', '15.0', '5.3'],
    ['26.5.3', '15.0', '5.3'],
    ['26.6.0', '16.0', '5.5'],
    ['26.7.0', '16.0', '5.5'],
  ])('GIVEN Keycloak %s THEN the file uses the Infinispan %s and JGroups %s schemas', (keycloak, infinispan, jgroups) => {
    const root = render(siteConfig('eu-a', TWO_SITES, { version: KeycloakVersion.of(keycloak) }));
    expect(root.name).toBe('infinispan');
    expect(root.attrs.xmlns).toBe(`urn:infinispan:config:${infinispan}`);
    expect(root.attrs['xmlns:ispn']).toBe(`urn:infinispan:config:${infinispan}`);
    expect(one(root, 'server').attrs.xmlns).toBe(`urn:infinispan:server:${infinispan}`);
    expect(root.attrs['xsi:schemaLocation']).toContain(`urn:org:jgroups http://www.jgroups.org/schema/jgroups-${jgroups}.xsd`);
  });

  test('the transport relays to every site through the xsite stack; protocols are in the JGroups namespace', () => {
    const root = render(siteConfig('eu-b', THREE_SITES));
    expect(one(root, 'transport').attrs).toEqual({ cluster: 'infinispan', stack: 'xsite' });
    const xsite = stack(root, 'xsite');
    expect(one(xsite, 'relay.RELAY2').attrs).toMatchObject({ xmlns: 'urn:org:jgroups', site: 'eu-b', max_site_masters: '128' });
    const remoteSites = one(xsite, 'remote-sites');
    expect(remoteSites.attrs).toEqual({ 'default-stack': 'bridge' });
    expect(remoteSites.children.map((s) => s.attrs.name)).toEqual(['eu-a', 'eu-b', 'us-east']);
    for (const s of all(root, 'stack')) {
      for (const protocol of s.children.filter((c) => c.name !== 'remote-sites')) expect(protocol.attrs.xmlns).toBe('urn:org:jgroups');
    }
  });

  test('nodes of a site find each other by DNS on 7800; failure detection listens at 7800 + 50000', () => {
    const xsite = stack(render(siteConfig('eu-a', TWO_SITES, { discovery: { dnsQuery: 'ispn.eu-a.svc', recordType: 'SRV' } })), 'xsite');
    expect(xsite.attrs.extends).toBe('kubernetes');
    expect(one(xsite, 'dns.DNS_PING').attrs).toMatchObject({ dns_query: 'ispn.eu-a.svc', dns_record_type: 'SRV' });
    expect(one(xsite, 'TCP').attrs).toMatchObject({ bind_port: '7800', port_range: '0' });
    expect(one(xsite, 'FD_SOCK2').attrs).toMatchObject({ offset: '50000' });
  });

  test('GIVEN two sites THEN both render the same bridge, each Gossip Router listed by both', () => {
    const [a, b] = TWO_SITES.map((site) => render(siteConfig(site, TWO_SITES)));
    expect(stack(a, 'bridge')).toEqual(stack(b, 'bridge'));
    expect(one(stack(a, 'xsite'), 'remote-sites')).toEqual(one(stack(b, 'xsite'), 'remote-sites'));
    expect([one(a, 'relay.RELAY2').attrs.site, one(b, 'relay.RELAY2').attrs.site]).toEqual(['eu-a', 'eu-b']);
    const bridge = stack(a, 'bridge');
    expect(bridge.attrs.extends).toBe('tunnel');
    expect(one(bridge, 'TUNNEL').attrs).toMatchObject({
      gossip_router_hosts: 'gossip.eu-a.internal[12001],gossip.eu-b.internal[12001]',
      bind_port: '0',
      heartbeat_interval: '2000',
      heartbeat_timeout: '8000',
    });
    expect(one(bridge, 'FD_ALL3').attrs).toMatchObject({ interval: '2000', timeout: '10000' });
  });

  test('GIVEN a TCPPING bridge THEN every site lists every relay node on one fixed port, without FD_SOCK2 between sites', () => {
    const roots = THREE_SITES.map((site) => render(siteConfig(site, THREE_SITES, { bridge: tcpping(THREE_SITES) })));
    const bridge = stack(roots[0], 'bridge');
    roots.forEach((root) => expect(stack(root, 'bridge')).toEqual(bridge));
    expect(bridge.attrs.extends).toBe('tcp');
    expect(one(bridge, 'TCP').attrs).toMatchObject({ bind_port: '7900', port_range: '0' });
    expect(one(bridge, 'TCPPING').attrs).toMatchObject({
      initial_hosts: '10.0.0.10[7900],10.0.1.10[7900],10.1.0.10[7900],10.1.1.10[7900],10.2.0.10[7900],10.2.1.10[7900]',
      'ispn:stack.combine': 'REPLACE',
      'ispn:stack.position': 'MPING',
    });
    expect(one(bridge, 'FD_SOCK2').attrs['ispn:stack.combine']).toBe('REMOVE');
  });

  test('GIVEN a DNS bridge THEN every site queries every site\'s relay-node name (A records) on one fixed port, without FD_SOCK2 between sites', () => {
    const roots = THREE_SITES.map((site) => render(siteConfig(site, THREE_SITES, { bridge: dns(THREE_SITES) })));
    const bridge = stack(roots[0], 'bridge');
    roots.forEach((root) => expect(stack(root, 'bridge')).toEqual(bridge));
    expect(bridge.attrs.extends).toBe('kubernetes');
    expect(one(bridge, 'TCP').attrs).toMatchObject({ bind_port: '7900', port_range: '0', 'ispn:stack.combine': 'COMBINE' });
    expect(one(bridge, 'dns.DNS_PING').attrs).toEqual({
      xmlns: 'urn:org:jgroups',
      dns_query: 'infinispan.eu-a.internal,infinispan.eu-b.internal,infinispan.us-east.internal',
      dns_record_type: 'A',
      'ispn:stack.combine': 'COMBINE',
    });
    expect(one(bridge, 'FD_SOCK2').attrs['ispn:stack.combine']).toBe('REMOVE');
    expect(one(bridge, 'FD_ALL3').attrs).toMatchObject({ interval: '2000', timeout: '10000' });
    // The site's own discovery is untouched by the bridge.
    expect(one(stack(roots[1], 'xsite'), 'dns.DNS_PING').attrs.dns_query).toBe('infinispan.eu-b.keycloak.local');
  });

  test('GIVEN a DNS bridge with its own port and names in another key order THEN the port is used and names follow the sites order', () => {
    const bridge = dns(TWO_SITES, 7950) as Extract<CrossSiteBridge, { kind: 'dns' }>;
    const reversed: CrossSiteBridge = { ...bridge, dnsQueries: Object.fromEntries(Object.entries(bridge.dnsQueries).reverse()) };
    const root = render(siteConfig('eu-b', TWO_SITES, { bridge: reversed }));
    expect(one(stack(root, 'bridge'), 'TCP').attrs).toMatchObject({ bind_port: '7950', port_range: '0' });
    expect(one(stack(root, 'bridge'), 'dns.DNS_PING').attrs.dns_query).toBe('infinispan.eu-a.internal,infinispan.eu-b.internal');
  });

  test('each cache backs up to the remote sites only, never to its own site', () => {
    for (const site of THREE_SITES) {
      const root = render(siteConfig(site, THREE_SITES));
      for (const c of all(root, 'distributed-cache')) {
        expect(Object.keys(backupsOf(root, c.attrs.name))).toEqual(THREE_SITES.filter((s) => s !== site));
      }
    }
  });

  test('<backups> is the first child of every cache and state-transfer the last (schema order)', () => {
    const root = render(siteConfig('eu-a', THREE_SITES, { caches: keycloakRemoteCaches({ links: { 'eu-b': 'same-region', 'us-east': 'cross-region' }, sessionCaches: true }) }));
    for (const c of all(root, 'distributed-cache')) {
      const indexed = ['authenticationSessions', 'loginFailures', 'sessions', 'clientSessions', 'offlineSessions', 'offlineClientSessions'].includes(c.attrs.name);
      expect(c.children.map((child) => child.name)).toEqual(['backups', 'encoding', 'locking', 'transaction', ...(indexed ? ['indexing'] : []), 'security', 'state-transfer']);
    }
  });

  test('GIVEN same-region sites THEN the blueprint: distributed, owners 2, SYNC, ProtoStream, pessimistic XA, SYNC/FAIL/4500 backups fenced by take-offline 3/15000', () => {
    const root = render(siteConfig('eu-a', TWO_SITES));
    expect(all(root, 'distributed-cache').map((c) => c.attrs.name)).toEqual(['actionTokens', 'authenticationSessions', 'loginFailures', 'work']);
    for (const c of all(root, 'distributed-cache')) {
      expect(c.attrs).toEqual({ name: c.attrs.name, mode: 'SYNC', owners: '2', 'remote-timeout': '5000', statistics: 'true' });
      expect(one(c, 'encoding').attrs).toEqual({ 'media-type': 'application/x-protostream' });
      expect(one(c, 'locking').attrs).toEqual({ 'acquire-timeout': '4000' });
      expect(one(c, 'transaction').attrs).toEqual({ mode: 'NON_DURABLE_XA', locking: 'PESSIMISTIC' });
      expect(c.children.at(-1)).toEqual({ name: 'state-transfer', attrs: { 'chunk-size': '16' }, children: [], text: '' });
      expect(backupsOf(root, c.attrs.name)).toEqual({ 'eu-b': { strategy: 'SYNC', 'failure-policy': 'FAIL', timeout: '4500', 'take-offline': '3/15000' } });
      // Merge policies only matter to ASYNC backups.
      expect(one(c, 'backups').attrs).toEqual({});
    }
  });

  test('every cache checks authorization: Keycloak\'s Hot Rod user (role deployer) uses the caches, nobody without a role does', () => {
    const root = render(siteConfig('eu-a', TWO_SITES));
    const container = one(root, 'cache-container');
    expect(container.children.filter((c) => c.name === 'security').map((s) => s.children.map((c) => c.name))).toEqual([['authorization']]);
    for (const c of all(root, 'distributed-cache')) {
      expect(one(c, 'security').children).toEqual([{ name: 'authorization', attrs: {}, children: [], text: '' }]);
    }
  });

  test('GIVEN a cross-region site THEN ASYNC/WARN with automatic state transfer, except actionTokens which stays SYNC; every backup is fenced', () => {
    const root = render(siteConfig('eu-a', THREE_SITES, {}, { 'us-east': 'cross-region' }));
    expect(backupsOf(root, 'actionTokens')).toEqual({
      'eu-b': { strategy: 'SYNC', 'failure-policy': 'FAIL', timeout: '4500', 'take-offline': '3/15000' },
      'us-east': { strategy: 'SYNC', 'failure-policy': 'WARN', timeout: '4500', 'take-offline': '3/15000' },
    });
    for (const name of ['authenticationSessions', 'loginFailures', 'work']) {
      expect(backupsOf(root, name)['us-east']).toEqual({ strategy: 'ASYNC', 'failure-policy': 'WARN', timeout: '15000', 'take-offline': '3/15000', 'state-transfer': 'AUTO' });
    }
    // Keycloak's blueprint: concurrent ASYNC writes of a login are dropped, not merged.
    expect(one(cache(root, 'authenticationSessions'), 'backups').attrs).toEqual({ 'merge-policy': 'ALWAYS_REMOVE' });
    expect(one(cache(root, 'work'), 'backups').attrs).toEqual({});
    expect(CROSS_REGION_BACKUP).toMatchObject({ strategy: 'ASYNC', failurePolicy: 'WARN', stateTransferMode: 'AUTO' });
    expect(CROSS_REGION_SYNC_BACKUP).toMatchObject({ strategy: 'SYNC', failurePolicy: 'WARN' });
    expect(SAME_REGION_BACKUP).toEqual({ strategy: 'SYNC', failurePolicy: 'FAIL', timeoutMs: 4500, takeOffline: { afterFailures: 3, minWaitMs: 15000 } });
  });

  test('the fencing rule is one setting for every backup; automatic state transfer is refused with SYNC', () => {
    const caches = keycloakRemoteCaches({ links: { 'eu-b': 'same-region', 'us-east': 'cross-region' }, takeOffline: { afterFailures: 0, minWaitMs: 5000 } });
    const root = render(siteConfig('eu-a', THREE_SITES, { caches }));
    for (const c of all(root, 'distributed-cache')) {
      expect(Object.values(backupsOf(root, c.attrs.name)).map((b) => b['take-offline'])).toEqual(['0/5000', '0/5000']);
    }
    const sync = keycloakRemoteCaches({ links: { 'eu-b': 'same-region' }, overrides: { work: { backups: { 'eu-b': { strategy: 'SYNC', failurePolicy: 'FAIL', timeoutMs: 4500, stateTransferMode: 'AUTO' } } } } });
    expect(renderError(siteConfig('eu-a', TWO_SITES, { caches: sync }))).toContain("caches.work.backups['eu-b'].stateTransferMode is \"AUTO\"; use 'MANUAL' with SYNC");
  });

  test('loginFailures can stay local to each site; its cache then has no <backups>', () => {
    const root = render(siteConfig('eu-a', TWO_SITES, { caches: keycloakRemoteCaches({ links: { 'eu-b': 'same-region' }, replicateLoginFailures: false }) }));
    expect(cache(root, 'loginFailures').children.map((c) => c.name)).not.toContain('backups');
    expect(Object.keys(backupsOf(root, 'actionTokens'))).toEqual(['eu-b']);
  });

  test('session caches are rendered only when asked for, in a fixed order', () => {
    const caches = keycloakRemoteCaches({ links: { 'eu-b': 'same-region' }, sessionCaches: true });
    const reordered = Object.fromEntries(Object.entries(caches).reverse()) as typeof caches;
    expect(all(render(siteConfig('eu-a', TWO_SITES, { caches: reordered })), 'distributed-cache').map((c) => c.attrs.name)).toEqual([
      'actionTokens', 'authenticationSessions', 'loginFailures', 'work', 'sessions', 'clientSessions', 'offlineSessions', 'offlineClientSessions',
    ]);
  });

  test('settings can be overridden per cache, backups per site', () => {
    const caches = keycloakRemoteCaches({
      links: { 'eu-b': 'same-region', 'us-east': 'same-region' },
      overrides: { authenticationSessions: { owners: 3, backups: { 'us-east': NO_BACKUP } }, work: { transactionMode: 'NONE' } },
    });
    const root = render(siteConfig('eu-a', THREE_SITES, { caches }));
    expect(cache(root, 'authenticationSessions').attrs.owners).toBe('3');
    expect(Object.keys(backupsOf(root, 'authenticationSessions'))).toEqual(['eu-b']);
    expect(cache(root, 'actionTokens').attrs.owners).toBe('2');
    expect(all(cache(root, 'work'), 'transaction')).toEqual([]);
  });

  test('authenticationSessions and loginFailures are indexed as Keycloak queries them, with no index work at start (Keycloak uploads the schema later)', () => {
    const root = render(siteConfig('eu-a', TWO_SITES));
    const indexed = Object.fromEntries(all(root, 'distributed-cache').flatMap((c) => c.children.filter((x) => x.name === 'indexing')
      .map((indexing) => [c.attrs.name, { attrs: indexing.attrs, entities: all(indexing, 'indexed-entity').map((e) => e.text) }])));
    const attrs = { enabled: 'true', storage: 'local-heap', 'startup-mode': 'none' };
    expect(indexed).toEqual({
      authenticationSessions: { attrs, entities: ['keycloak.RootAuthenticationSessionEntity'] },
      loginFailures: { attrs, entities: ['keycloak.LoginFailureEntity'] },
    });
    const caches = keycloakRemoteCaches({ links: { 'eu-b': 'same-region' }, overrides: { loginFailures: { indexedEntities: [] } } });
    expect(all(cache(render(siteConfig('eu-a', TWO_SITES, { caches })), 'loginFailures'), 'indexing')).toEqual([]);
  });

  test.each([['tunnel', tunnel, ['TCP', 'TUNNEL']], ['dns', dns, ['TCP', 'TCP']], ['tcpping', tcpping, ['TCP', 'TCP']]] as const)(
    'WHEN transportTls is given (%s bridge) THEN the site cluster, the bridge and the routers speak mutual TLS 1.3 with the keystore and truststore, passwords from the environment',
    (_, bridge, transports) => {
      const root = render(siteConfig('eu-a', TWO_SITES, { bridge: bridge(TWO_SITES), transportTls: TRANSPORT_TLS }));
      const tls = {
        'tls.enabled': 'true', 'tls.client_auth': 'NEED', 'tls.protocols': 'TLSv1.3',
        'tls.keystore_path': '/tls/keystore.p12', 'tls.keystore_password': '${env.KS_PASSWORD}', 'tls.keystore_type': 'PKCS12',
        'tls.truststore_path': '/tls/truststore.p12', 'tls.truststore_password': '${env.TS_PASSWORD}', 'tls.truststore_type': 'PKCS12',
      };
      expect(one(stack(root, 'xsite'), transports[0]).attrs).toMatchObject(tls);
      expect(one(stack(root, 'bridge'), transports[1]).attrs).toMatchObject(tls);
      // Without it, no TLS attribute at all.
      const plain = renderInfinispanServerXml(siteConfig('eu-a', TWO_SITES, { bridge: bridge(TWO_SITES) }));
      expect(plain).not.toContain('tls.');
    });

  test('transportTls problems are named with the fix', () => {
    expect(renderError(siteConfig('eu-a', TWO_SITES, { transportTls: { ...TRANSPORT_TLS, truststorePath: 'truststore.p12', truststorePasswordEnv: 'secret!' } })))
      .toMatch(/transportTls\.truststorePath is "truststore\.p12"; give the absolute path[\s\S]*transportTls\.truststorePasswordEnv is "secret!"/);
  });

  test('Hot Rod and REST share 11222 behind TLS and realm "default" (SCRAM-SHA-512, as Keycloak connects)', () => {
    const root = render(siteConfig('eu-a', TWO_SITES));
    expect(one(root, 'socket-binding').attrs).toEqual({ name: 'default', port: '11222' });
    expect(one(root, 'endpoint').attrs).toEqual({ 'socket-binding': 'default', 'security-realm': 'default' });
    expect(one(root, 'security-realm').attrs).toEqual({ name: 'default' });
    expect(one(one(root, 'hotrod-connector'), 'sasl').attrs).toEqual({ mechanisms: 'SCRAM-SHA-512' });
    expect(one(one(root, 'rest-connector'), 'authentication').attrs).toEqual({ mechanisms: 'BASIC' });
    expect(one(root, 'keystore').attrs).toEqual({ path: '/etc/infinispan/tls/keystore.p12', password: '${env.INFINISPAN_KEYSTORE_PASSWORD}' });
    expect(one(root, 'user-properties').attrs).toEqual({ path: 'users.properties' });
  });

  test('secrets never appear as literals: every password is an environment reference, and the environment is not read', () => {
    process.env.INFINISPAN_KEYSTORE_PASSWORD = 'hunter2-literal-secret';
    try {
      const xml = renderInfinispanServerXml(siteConfig('eu-a', THREE_SITES, { bridge: tcpping(THREE_SITES) }));
      expect(xml).not.toContain('hunter2');
      const passwords = [...xml.matchAll(/\b[\w-]*password[\w-]*="([^"]*)"/gi)].map((m) => m[1]);
      expect(passwords).toEqual(['${env.INFINISPAN_KEYSTORE_PASSWORD}']);
    } finally {
      delete process.env.INFINISPAN_KEYSTORE_PASSWORD;
    }
  });

  test('same input, same bytes, whatever the key order of keyed collections', () => {
    const config = siteConfig('eu-b', THREE_SITES, {}, { 'us-east': 'cross-region' });
    const bridge = config.bridge as Extract<CrossSiteBridge, { kind: 'tunnel' }>;
    const reordered: InfinispanSiteConfig = {
      ...config,
      bridge: { ...bridge, gossipRouters: Object.fromEntries(Object.entries(bridge.gossipRouters).reverse()) },
      caches: Object.fromEntries(Object.entries(config.caches).reverse()) as typeof config.caches,
    };
    const first = renderInfinispanServerXml(config);
    expect(renderInfinispanServerXml(config)).toBe(first);
    expect(renderInfinispanServerXml(reordered)).toBe(first);
    expect(first.endsWith('</infinispan>\n')).toBe(true);
  });

  test('attribute values are escaped', () => {
    const path = '/etc/tls/a&b<c>"d".p12';
    const xml = renderInfinispanServerXml(siteConfig('eu-a', TWO_SITES, { hotRod: { tls: { keystorePath: path, keystorePasswordEnv: 'KS_PASSWORD' } } }));
    expect(xml).toContain('path="/etc/tls/a&amp;b&lt;c&gt;&quot;d&quot;.p12"');
    expect(one(parse(xml), 'keystore').attrs.path).toBe(path);
  });
});

describe('renderInfinispanServerXml rejects configurations that cannot work', () => {
  test.each<[string, InfinispanSiteConfig, RegExp]>([
    ['the local site is not one of the sites', siteConfig('eu-c', TWO_SITES), /site is "eu-c"; use one of sites \(eu-a, eu-b\) or add it to sites/],
    ['a site is named twice', { ...siteConfig('eu-a', TWO_SITES), sites: ['eu-a', 'eu-b', 'eu-b'] }, /sites is \["eu-a","eu-b","eu-b"\]; name each site once \(repeated: eu-b\)/],
    ['only one site', { ...siteConfig('eu-a', TWO_SITES), sites: ['eu-a'] }, /sites is \["eu-a"\]; list at least two sites/],
    ['a site name that is not a DNS-like label', { ...siteConfig('eu-a', TWO_SITES), sites: ['eu-a', 'eu b'] }, /sites\[1\] is "eu b"; use letters, digits/],
    ['owners below 1', siteConfig('eu-a', TWO_SITES, { caches: keycloakRemoteCaches({ links: { 'eu-b': 'same-region' }, overrides: { work: { owners: 0 } } }) }),
      /caches\.work\.owners is 0; use a whole number from 1/],
    ['ASYNC with the FAIL policy', siteConfig('eu-a', TWO_SITES, {
      caches: keycloakRemoteCaches({ links: { 'eu-b': 'same-region' }, overrides: { work: { backups: { 'eu-b': { strategy: 'ASYNC', failurePolicy: 'FAIL', timeoutMs: 4500 } } } } }),
    }), /caches\.work\.backups\['eu-b'\]\.failurePolicy is "FAIL"; use WARN or IGNORE with ASYNC/],
    ['actionTokens backed up asynchronously', siteConfig('eu-a', TWO_SITES, {
      caches: keycloakRemoteCaches({ links: { 'eu-b': 'same-region' }, overrides: { actionTokens: { backups: { 'eu-b': CROSS_REGION_BACKUP } } } }),
    }), /caches\.actionTokens\.backups\['eu-b'\]\.strategy is "ASYNC"; use SYNC \(CROSS_REGION_SYNC_BACKUP on slow links\)/],
    ['a backup timeout not above the lock acquire timeout', siteConfig('eu-a', TWO_SITES, {
      caches: keycloakRemoteCaches({ links: { 'eu-b': 'same-region' }, overrides: { loginFailures: { lockAcquireTimeoutMs: 5000 } } }),
    }), /caches\.loginFailures\.backups\['eu-b'\]\.timeoutMs is 4500; use more than lockAcquireTimeoutMs \(5000\)/],
    ['a remote site without a backup decision', siteConfig('eu-a', THREE_SITES, { caches: keycloakRemoteCaches({ links: { 'eu-b': 'same-region' } }) }),
      /caches\.actionTokens\.backups\['us-east'\] is missing; say how actionTokens backs up to 'us-east' \(NO_BACKUP keeps it local\)/],
    ['a backup to the local site', siteConfig('eu-a', TWO_SITES, { caches: keycloakRemoteCaches({ links: { 'eu-a': 'same-region', 'eu-b': 'same-region' } }) }),
      /caches\.work\.backups\['eu-a'\] is .*; remove it: a site does not back up to itself/],
    ['a required cache left out', siteConfig('eu-a', TWO_SITES, {
      caches: { ...keycloakRemoteCaches({ links: { 'eu-b': 'same-region' } }), work: undefined } as unknown as InfinispanSiteConfig['caches'],
    }), /caches\.work is missing; define it: Keycloak requires it/],
    ['the bridge port on the failure-detection port', siteConfig('eu-a', TWO_SITES, { bridge: tcpping(TWO_SITES), ports: { failureDetectionOffset: 100 } }),
      /bridge\.port is 7900, which collides with the transport's failure-detection ports \(7800 \+ ports\.failureDetectionOffset 100\) at 7900-7903; change bridge\.port or ports\.failureDetectionOffset/],
    ['Hot Rod on the transport port', siteConfig('eu-a', TWO_SITES, { ports: { hotRod: 7800 } }),
      /ports\.hotRod is 7800, which collides with ports\.transport at 7800/],
    ['a TUNNEL bridge that misses a site\'s router', siteConfig('eu-a', THREE_SITES, { bridge: tunnel(TWO_SITES) }),
      /bridge\.gossipRouters\['us-east'\] is missing; add the Gossip Router of site 'us-east': every site must list every site/],
    ['a TUNNEL router for an unknown site', siteConfig('eu-a', TWO_SITES, { bridge: tunnel(THREE_SITES) }),
      /bridge\.gossipRouters\['us-east'\] is .*; remove it or add 'us-east' to sites/],
    ['a TCPPING bridge that misses a site', siteConfig('eu-a', THREE_SITES, { bridge: tcpping(TWO_SITES) }),
      /bridge\.initialHosts\['us-east'\] is missing; add the relay-node hosts of site 'us-east'/],
    ['a DNS bridge that misses a site', siteConfig('eu-a', THREE_SITES, { bridge: dns(TWO_SITES) }),
      /bridge\.dnsQueries\['us-east'\] is missing; add the relay-node DNS name of site 'us-east': every site must list every site/],
    ['a DNS bridge name for an unknown site', siteConfig('eu-a', TWO_SITES, { bridge: dns(THREE_SITES) }),
      /bridge\.dnsQueries\['us-east'\] is "infinispan\.us-east\.internal"; remove it or add 'us-east' to sites/],
    ['a DNS bridge name that is not a DNS name', siteConfig('eu-a', TWO_SITES, {
      bridge: { kind: 'dns', dnsQueries: { 'eu-a': 'infinispan.eu-a.internal', 'eu-b': 'infinispan eu-b' } },
    }), /bridge\.dnsQueries\['eu-b'\] is "infinispan eu-b"; use one DNS name that resolves \(A records\) to every relay node of site 'eu-b'/],
    ['a DNS bridge port out of range', siteConfig('eu-a', TWO_SITES, { bridge: dns(TWO_SITES, 70000) }),
      /bridge\.port is 70000; use a whole number from 1 to 65535/],
    ['a DNS bridge on the transport port', siteConfig('eu-a', TWO_SITES, { bridge: dns(TWO_SITES, 7800) }),
      /bridge\.port is 7800, which collides with ports\.transport at 7800; change bridge\.port or ports\.transport/],
    ['a DNS bridge on the failure-detection ports', siteConfig('eu-a', TWO_SITES, { bridge: dns(TWO_SITES, 57802) }),
      /bridge\.port is 57802, which collides with the transport's failure-detection ports \(7800 \+ ports\.failureDetectionOffset 50000\) at 57800-57803; change bridge\.port or ports\.failureDetectionOffset/],
    ['a bridge of an unknown kind', siteConfig('eu-a', TWO_SITES, { bridge: { kind: 'multicast' } as unknown as CrossSiteBridge }),
      /bridge\.kind is "multicast"; use 'tunnel', 'tcpping' or 'dns'/],
    ['a keystore password that is not an environment variable name', siteConfig('eu-a', TWO_SITES, {
      hotRod: { tls: { keystorePath: '/tls/ks.p12', keystorePasswordEnv: 'changeit!' } },
    }), /hotRod\.tls\.keystorePasswordEnv is "changeit!"; use the name of an environment variable/],
    ['a take-offline that never triggers', siteConfig('eu-a', TWO_SITES, {
      caches: keycloakRemoteCaches({ links: { 'eu-b': 'same-region' }, overrides: { work: { backups: { 'eu-b': { strategy: 'SYNC', failurePolicy: 'FAIL', timeoutMs: 4500, takeOffline: { afterFailures: 0, minWaitMs: 0 } } } } } }),
    }), /caches\.work\.backups\['eu-b'\]\.takeOffline is .*; set afterFailures or minWaitMs above 0/],
  ])('%s', (_, config, message) => {
    expect(renderError(config)).toMatch(message);
  });

  test('every problem is reported at once, prefixed with the site', () => {
    const message = renderError(siteConfig('eu-a', TWO_SITES, { ports: { hotRod: 7800 }, maxSiteMasters: 0 }));
    expect(message).toMatch(/^renderInfinispanServerXml: invalid configuration for site 'eu-a':\n- /);
    expect(message).toContain('maxSiteMasters is 0');
    expect(message).toContain('ports.hotRod is 7800');
  });

  test('keycloakRemoteCaches rejects an override of a cache it does not render', () => {
    expect(() => keycloakRemoteCaches({ links: { 'eu-b': 'same-region' }, overrides: { sessions: { owners: 3 } } })).toThrow(
      'keycloakRemoteCaches: overrides.sessions names no rendered cache; use one of actionTokens, authenticationSessions, loginFailures, work or set sessionCaches: true',
    );
  });

  test('keycloakRemoteCaches rejects an unknown link kind', () => {
    expect(() => keycloakRemoteCaches({ links: { 'eu-b': 'same-continent' as SiteLink } })).toThrow(
      "keycloakRemoteCaches: links['eu-b'] is 'same-continent'; use 'same-region' or 'cross-region'",
    );
  });
});

// ---- schema validation (xmllint, as /work/shared/schemas/SOURCES.md §7 and §8e prescribe) --------------

const REPO = resolve(__dirname, '..', '..');
const SCHEMAS = resolve(REPO, '..', 'shared', 'schemas');
/** SOURCES.md §7: the server XSD does not compile with XSD 1.0 tools, so <server> is removed first. */
const STRIP_SERVER = [
  'import sys, xml.etree.ElementTree as ET',
  'r = ET.parse(sys.argv[1]).getroot()',
  'for c in list(r):',
  '    if c.tag == "{%s}server" % sys.argv[2]: r.remove(c)',
  'sys.stdout.write(ET.tostring(r, encoding="unicode"))',
].join('\n');
const missingForXsd = [
  ...(['xmllint', 'python3'] as const).filter((tool) => spawnSync(tool, ['--version']).error !== undefined),
  ...(existsSync(join(SCHEMAS, 'catalog.xml')) ? [] : [`schemas at ${SCHEMAS}`]),
];
if (missingForXsd.length > 0) {
  console.warn(`SKIPPED: Infinispan XSD validation of rendered infinispan.xml (missing: ${missingForXsd.join(', ')})`);
}
const describeXsd = missingForXsd.length === 0 ? describe : describe.skip;

describeXsd('rendered infinispan.xml validates against the Infinispan XSD (xmllint)', () => {
  let folder: string;
  beforeAll(() => {
    mkdirSync(join(REPO, '.cache'), { recursive: true });
    folder = mkdtempSync(join(REPO, '.cache', 'infinispan-xsd-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  function xmllint(file: string, version: KeycloakVersion) {
    const stripped = spawnSync('python3', ['-c', STRIP_SERVER, file, version.infinispanServerNamespace], { encoding: 'utf8' });
    expect(stripped.status).toBe(0);
    expect(stripped.stdout).not.toMatch(/<(\w+:)?server[\s>]/);
    const xsd = version.infinispan === '16.0'
      ? join(SCHEMAS, 'infinispan', 'patched-16.0', 'infinispan-config-16.0.xsd')
      : join(SCHEMAS, 'infinispan', `infinispan-config-${version.infinispan}.xsd`);
    const run = spawnSync('xmllint', ['--nonet', '--noout', '--schema', xsd, '-'], {
      input: stripped.stdout,
      encoding: 'utf8',
      env: { ...process.env, XML_CATALOG_FILES: join(SCHEMAS, 'catalog.xml') },
    });
    return { file, status: run.status, stderr: run.stderr.trim() };
  }

  /** Sites in one region reach each other same-region; `crossRegionSite` is reached cross-region by all. */
  const linksFor = (site: string, sites: readonly string[], crossRegionSite?: string) => Object.fromEntries(sites
    .filter((s) => s !== site)
    .map((s): [string, SiteLink] => [s, s === crossRegionSite || site === crossRegionSite ? 'cross-region' : 'same-region']));
  const scenarios: [string, readonly string[], (sites: readonly string[]) => CrossSiteBridge, string | undefined][] = [
    ['2 sites, TUNNEL bridge, TLS transport', TWO_SITES, tunnel, undefined],
    ['3 sites, TCPPING bridge, one cross-region, session caches, indexing', THREE_SITES, tcpping, 'us-east'],
    ['3 sites, DNS bridge, one cross-region, session caches, indexing', THREE_SITES, dns, 'us-east'],
  ];
  describe.each([KeycloakVersion.V26_4_0, KeycloakVersion.V26_7_0].map((v) => [v.text, v] as const))('Keycloak %s', (_, version) => {
    test.each(scenarios)('%s: every site validates', (label, sites, bridge, crossRegionSite) => {
      const extras = crossRegionSite !== undefined;
      const results = sites.map((site) => {
        const xml = renderInfinispanServerXml(siteConfig(site, sites, {
          version,
          bridge: bridge(sites),
          ...(label.includes('TLS transport') ? { transportTls: TRANSPORT_TLS } : {}),
          caches: keycloakRemoteCaches({
            links: linksFor(site, sites, crossRegionSite),
            sessionCaches: extras,
            overrides: extras ? { authenticationSessions: { indexedEntities: ['keycloak.RootAuthenticationSessionEntity'] } } : {},
          }),
        }));
        const file = join(folder, `${version.infinispan}-${label.replace(/\W+/g, '-')}-${site}.xml`);
        writeFileSync(file, xml);
        return xmllint(file, version);
      });
      for (const result of results) expect(result).toEqual({ file: result.file, status: 0, stderr: '- validates' });
    });

    test('a broken variant is rejected, so the check is real', () => {
      const xml = renderInfinispanServerXml(siteConfig('eu-a', TWO_SITES, { version })).replace('strategy="SYNC"', 'strategy="SOMETIMES"');
      const file = join(folder, `${version.infinispan}-broken.xml`);
      writeFileSync(file, xml);
      const result = xmllint(file, version);
      expect(result.status).toBe(3);
      expect(result.stderr).toContain("'SOMETIMES' is not an element of the set");
    });

    test('a misspelt attribute of the DNS bridge is rejected, so the JGroups protocols are checked too', () => {
      const xml = renderInfinispanServerXml(siteConfig('eu-a', TWO_SITES, { version, bridge: dns(TWO_SITES) }));
      expect(xml.match(/dns_record_type="A"/g)).toHaveLength(2);
      const file = join(folder, `${version.infinispan}-broken-dns.xml`);
      writeFileSync(file, xml.replace(/(<dns\.DNS_PING[^>]*infinispan\.eu-a\.internal,[^>]*)dns_record_type=/, '$1dns_record_typo='));
      const result = xmllint(file, version);
      expect(result.status).toBe(3);
      expect(result.stderr).toContain("attribute 'dns_record_typo'");
    });
  });
});
