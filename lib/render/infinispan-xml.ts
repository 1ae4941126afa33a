import { KeycloakVersion } from '../model/version';
import { KeycloakRemoteCaches, RemoteCacheConfig, remoteCacheProblems, REMOTE_CACHES } from './infinispan-caches';

/**
 * In-site discovery with `dns.DNS_PING`: one DNS name that resolves to every Infinispan node of the
 * site (a Kubernetes headless service or an AWS Cloud Map service).
 */
export interface DnsDiscovery {
  readonly dnsQuery: string;
  /** `SRV` also takes the ports from DNS. @default 'A' */
  readonly recordType?: 'A' | 'SRV';
}

export interface GossipRouterAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * Sites meet through JGroups Gossip Routers (`TUNNEL`), the Infinispan Operator's way between
 * clusters whose nodes cannot reach each other's addresses. Every site must list every site's router.
 */
export interface TunnelBridge {
  readonly kind: 'tunnel';
  /** The Gossip Router of each site, keyed by site name. */
  readonly gossipRouters: Readonly<Record<string, GossipRouterAddress>>;
  /** @default 2000 (Keycloak blueprint `heartbeats.interval`) */
  readonly heartbeatIntervalMs?: number;
  /** @default 8000 (Keycloak blueprint `heartbeats.timeout`) */
  readonly heartbeatTimeoutMs?: number;
}

/** Sites meet directly (`TCPPING`) where relay nodes have stable, routable addresses. */
export interface TcpPingBridge {
  readonly kind: 'tcpping';
  /** Relay-node hosts of each site, keyed by site name. */
  readonly initialHosts: Readonly<Record<string, readonly string[]>>;
  /** Bridge port on every relay node. @default 7900 (Red Hat Data Grid cross-site guide) */
  readonly port?: number;
}

/**
 * Sites meet directly (TCP) and find each other's relay nodes by DNS: per site one name that
 * resolves (A records) to that site's nodes, e.g. an AWS Cloud Map service reachable through VPC
 * peering. `dns.DNS_PING` takes the names as one comma-separated `dns_query` and, for A records,
 * probes every address on the bridge's own port.
 */
export interface DnsBridge {
  readonly kind: 'dns';
  /** The DNS name of each site's relay nodes, keyed by site name. */
  readonly dnsQueries: Readonly<Record<string, string>>;
  /** Bridge port on every relay node. @default 7900 (Red Hat Data Grid cross-site guide) */
  readonly port?: number;
}

export type CrossSiteBridge = TunnelBridge | TcpPingBridge | DnsBridge;

export interface InfinispanPorts {
  /** In-site JGroups transport. @default 7800 */
  readonly transport?: number;
  /**
   * `FD_SOCK2` listens from transport port + offset. @default 50000 (Infinispan's stacks and
   * Keycloak: 7800 → 57800; JGroups' own default of 100 would put it on 7900)
   */
  readonly failureDetectionOffset?: number;
  /** Hot Rod + REST endpoint. @default 11222 */
  readonly hotRod?: number;
}

export interface HotRodSecurity {
  /** The server's TLS identity; the password comes from the environment, never from this file. */
  readonly tls: {
    /** Absolute path of the PKCS12/JKS/PEM keystore inside the container. */
    readonly keystorePath: string;
    /** Environment variable holding the keystore password, rendered as `${env.NAME}`. */
    readonly keystorePasswordEnv: string;
    /** @default - the keystore's only entry */
    readonly keystoreAlias?: string;
  };
  /**
   * Hashed credentials, written at start by the Infinispan image from its `USER`/`PASS` (or
   * `IDENTITIES_BATCH`) environment, i.e. from secrets. Relative to the server's `conf` folder.
   * @default 'users.properties'
   */
  readonly usersPropertiesPath?: string;
  /** Group (= role) of each user (INFINISPAN_IDENTITIES: Keycloak's in `deployer`). @default 'groups.properties' */
  readonly groupsPropertiesPath?: string;
}

/**
 * TLS on every JGroups connection of the server with mutual authentication, JGroups' own TLS
 * (`org.jgroups.util.TLS`, the `tls.*` attributes of TCP and TUNNEL in JGroups 5.3 and 5.5, the same
 * component the Gossip Router's `-tls_*` options configure): the site's cluster, the RELAY2 bridge
 * and TUNNEL's connections to the Gossip Routers are encrypted, and only holders of a certificate
 * the truststore accepts can join them — what the Infinispan Operator's cross-site `encryption`
 * (transport and router keystores, a truststore, client auth `need`) provides. FD_SOCK2's liveness
 * pings inside the site keep their own plain sockets and carry no cache data. Passwords come from
 * the environment (`${env.NAME}`), never from this file.
 */
export interface TransportTls {
  /** Absolute path of the PKCS12 keystore with this site's key and certificate. */
  readonly keystorePath: string;
  /** Environment variable holding its password, rendered as `${env.NAME}`. */
  readonly keystorePasswordEnv: string;
  /** @default - the keystore's only entry */
  readonly keystoreAlias?: string;
  /** Absolute path of the PKCS12 truststore with the CA that signed every site's certificate. */
  readonly truststorePath: string;
  /** Environment variable holding the truststore's password. */
  readonly truststorePasswordEnv: string;
}

/** Everything the `infinispan.xml` of one site of a multi-site Keycloak deployment depends on. */
export interface InfinispanSiteConfig {
  readonly version: KeycloakVersion;
  /** The site this file is for. */
  readonly site: string;
  /** Every site, the local one included; the same list, in the same order, for every site. */
  readonly sites: readonly string[];
  readonly caches: KeycloakRemoteCaches;
  readonly discovery: DnsDiscovery;
  readonly bridge: CrossSiteBridge;
  /** `FD_ALL3` of the bridge. @default { intervalMs: 2000, timeoutMs: 10000 } (Keycloak blueprint `jgroups.xsite.fd.*`) */
  readonly bridgeFailureDetection?: { readonly intervalMs: number; readonly timeoutMs: number };
  readonly ports?: InfinispanPorts;
  /** Nodes per site that relay to other sites. @default 128 (blueprint `maxRelayNodes`: every node) */
  readonly maxSiteMasters?: number;
  /** In-site cluster name. @default 'infinispan' */
  readonly clusterName?: string;
  readonly hotRod: HotRodSecurity;
  /** @default - JGroups in plain text (only where the network itself is trusted) */
  readonly transportTls?: TransportTls;
}

/**
 * The Infinispan server image an external Infinispan runs by default: `quay.io/infinispan/server`
 * tagged with the `MAJOR.MINOR` of the Infinispan the Keycloak release embeds (a moving tag the
 * image build publishes for every release; pin a full version for repeatable rollouts).
 */
export function defaultInfinispanImage(version: KeycloakVersion): string {
  return `quay.io/infinispan/server:${version.infinispan}`;
}

const JGROUPS_NS = 'urn:org:jgroups';
const BRIDGE_STACK = 'bridge';
const SITE_STACK = 'xsite';
/** FD_SOCK2 probes this many ports from transport port + offset (also the JGroups default). */
const FD_SOCK2_PORT_RANGE = 3;
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const DNS_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,251}[A-Za-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The complete Infinispan server configuration (`infinispan.xml`) of one site: a JGroups stack
 * that discovers the site's nodes by DNS and relays (RELAY2) to the other sites over a bridge
 * stack, Keycloak's remote caches with their cross-site backups, and one Hot Rod/REST endpoint
 * with TLS and authentication. Namespaces follow `config.version` (Infinispan 15.0 or 16.0).
 * Same input, same bytes. Sources: https://infinispan.org/docs/stable/titles/xsite/xsite.html,
 * https://www.keycloak.org/high-availability/multi-cluster/deploy-infinispan-kubernetes-crossdc.
 * @throws listing every invalid field, its value and the fix
 */
export function renderInfinispanServerXml(config: InfinispanSiteConfig): string {
  const resolved = resolve(config);
  const problems = validate(resolved);
  if (problems.length > 0) {
    throw new Error(`renderInfinispanServerXml: invalid configuration for site '${config.site}':\n- ${problems.join('\n- ')}`);
  }
  const { version } = resolved;
  const root = el('infinispan', {
    'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
    'xsi:schemaLocation': [
      `${version.infinispanConfigNamespace} https://infinispan.org/schemas/infinispan-config-${version.infinispan}.xsd`,
      `${version.infinispanServerNamespace} https://infinispan.org/schemas/infinispan-server-${version.infinispan}.xsd`,
      `${JGROUPS_NS} http://www.jgroups.org/schema/jgroups-${version.jgroups}.xsd`,
    ].join(' '),
    xmlns: version.infinispanConfigNamespace,
    'xmlns:ispn': version.infinispanConfigNamespace,
  }, [jgroups(resolved), cacheContainer(resolved), server(resolved)]);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!-- Rendered by cdktf-keycloak-ha (renderInfinispanServerXml): change the input, not this file. -->',
    serialize(root),
    '',
  ].join('\n');
}

type Resolved = Required<Omit<InfinispanSiteConfig, 'ports' | 'transportTls'>> & {
  readonly ports: Required<InfinispanPorts>;
  readonly transportTls?: TransportTls;
};

function resolve(config: InfinispanSiteConfig): Resolved {
  for (const field of ['version', 'sites', 'caches', 'discovery', 'bridge', 'hotRod'] as const) {
    if (config[field] === undefined || config[field] === null) {
      throw new Error(`renderInfinispanServerXml: ${field} is missing; see InfinispanSiteConfig`);
    }
  }
  if (!Array.isArray(config.sites)) throw new Error(`renderInfinispanServerXml: sites is ${show(config.sites)}; list every site name`);
  if (!config.hotRod.tls) throw new Error('renderInfinispanServerXml: hotRod.tls is missing; the endpoint is always TLS');
  const { ports } = config;
  return {
    ...config,
    bridgeFailureDetection: config.bridgeFailureDetection ?? { intervalMs: 2000, timeoutMs: 10000 },
    ports: {
      transport: ports?.transport ?? 7800,
      failureDetectionOffset: ports?.failureDetectionOffset ?? 50000,
      hotRod: ports?.hotRod ?? 11222,
    },
    maxSiteMasters: config.maxSiteMasters ?? 128,
    clusterName: config.clusterName ?? 'infinispan',
  };
}

// ---- rendering -------------------------------------------------------------------------------

/** JGroups' TLS attributes of a TCP or TUNNEL protocol; none without `transportTls`. */
function tlsAttributes(tls: TransportTls | undefined): Attributes {
  if (!tls) return {};
  return {
    'tls.enabled': 'true',
    'tls.client_auth': 'NEED',
    'tls.protocols': 'TLSv1.3',
    'tls.keystore_path': tls.keystorePath,
    'tls.keystore_password': `\${env.${tls.keystorePasswordEnv}}`,
    'tls.keystore_type': 'PKCS12',
    'tls.keystore_alias': tls.keystoreAlias,
    'tls.truststore_path': tls.truststorePath,
    'tls.truststore_password': `\${env.${tls.truststorePasswordEnv}}`,
    'tls.truststore_type': 'PKCS12',
  };
}

function jgroups(c: Resolved): XmlElement {
  const { bridge, bridgeFailureDetection: fd } = c;
  const tls = tlsAttributes(c.transportTls);
  const bridgeFailureDetection = protocol('FD_ALL3', { interval: fd.intervalMs, timeout: fd.timeoutMs }, 'COMBINE');
  const bridgeStack = bridge.kind === 'tunnel'
    ? el('stack', { name: BRIDGE_STACK, extends: 'tunnel' }, [
      // bind_port 0: the base stack would otherwise follow jgroups.bind.port, the transport's property.
      protocol('TUNNEL', {
        bind_port: 0,
        port_range: 0,
        gossip_router_hosts: c.sites.map((site) => `${bridge.gossipRouters[site].host}[${bridge.gossipRouters[site].port}]`).join(','),
        heartbeat_interval: bridge.heartbeatIntervalMs ?? 2000,
        heartbeat_timeout: bridge.heartbeatTimeoutMs ?? 8000,
        ...tls,
      }, 'COMBINE'),
      bridgeFailureDetection,
    ])
    : bridge.kind === 'tcpping'
      ? el('stack', { name: BRIDGE_STACK, extends: 'tcp' }, [
        // An explicit port with no range: the base tcp stack would probe 10 more ports.
        protocol('TCP', { bind_port: bridgePort(bridge), port_range: 0, ...tls }, 'COMBINE'),
        protocol('TCPPING', {
          initial_hosts: c.sites.flatMap((site) => bridge.initialHosts[site].map((host) => `${host}[${bridgePort(bridge)}]`)).join(','),
          port_range: 0,
        }, 'REPLACE', 'MPING'),
        // FD_SOCK2 would need a second port open between sites; FD_ALL3 heartbeats use the bridge port.
        protocol('FD_SOCK2', {}, 'REMOVE'),
        bridgeFailureDetection,
      ])
      // Infinispan's `kubernetes` stack is TCP + dns.DNS_PING; with A records DNS_PING probes each
      // address on the transport's bind port (+ port_range), so the explicit port and range 0 matter here too.
      : el('stack', { name: BRIDGE_STACK, extends: 'kubernetes' }, [
        protocol('TCP', { bind_port: bridgePort(bridge), port_range: 0, ...tls }, 'COMBINE'),
        protocol('dns.DNS_PING', { dns_query: c.sites.map((site) => bridge.dnsQueries[site]).join(','), dns_record_type: 'A' }, 'COMBINE'),
        protocol('FD_SOCK2', {}, 'REMOVE'),
        bridgeFailureDetection,
      ]);
  // `kubernetes` is Infinispan's built-in TCP + dns.DNS_PING stack; nothing in it is Kubernetes-specific.
  const siteStack = el('stack', { name: SITE_STACK, extends: 'kubernetes' }, [
    protocol('TCP', { bind_port: c.ports.transport, port_range: 0, ...tls }, 'COMBINE'),
    protocol('dns.DNS_PING', { dns_query: c.discovery.dnsQuery, dns_record_type: c.discovery.recordType ?? 'A' }, 'COMBINE'),
    protocol('FD_SOCK2', { offset: c.ports.failureDetectionOffset, port_range: FD_SOCK2_PORT_RANGE }, 'COMBINE'),
    protocol('relay.RELAY2', { site: c.site, max_site_masters: c.maxSiteMasters }),
    // Every site, the local one included, in the caller's order so all sites render the same list.
    el('remote-sites', { 'default-stack': BRIDGE_STACK }, c.sites.map((site) => el('remote-site', { name: site }))),
  ]);
  return el('jgroups', {}, [bridgeStack, siteStack]);
}

function protocol(name: string, attributes: Attributes, combine?: 'COMBINE' | 'REPLACE' | 'REMOVE', position?: string): XmlElement {
  return el(name, { xmlns: JGROUPS_NS, ...attributes, 'ispn:stack.combine': combine, 'ispn:stack.position': position });
}

function cacheContainer(c: Resolved): XmlElement {
  const caches = REMOTE_CACHES.flatMap((name) => {
    const cache = c.caches[name];
    return cache ? [distributedCache(name, cache, c)] : [];
  });
  return el('cache-container', { name: 'default', statistics: 'true' }, [
    el('transport', { cluster: c.clusterName, stack: SITE_STACK }),
    el('security', {}, [el('authorization')]),
    // Metric names Keycloak's alerts and dashboards expect (`vendor_jgroups_site_view_status`, ...):
    // Infinispan 16 drops the `vendor_` names unless legacy names are on (keycloak issue 46390).
    el('metrics', c.version.infinispan === '16.0' ? { 'names-as-tags': 'true', legacy: 'true' } : { 'names-as-tags': 'true' }),
    ...caches,
  ]);
}

function distributedCache(name: string, cache: RemoteCacheConfig, c: Resolved): XmlElement {
  const backups = remoteSites(c).flatMap((site) => {
    const backup = cache.backups[site];
    if (backup.strategy === 'NONE') return [];
    return [el('backup', { site, strategy: backup.strategy, 'failure-policy': backup.failurePolicy, timeout: backup.timeoutMs }, [
      backup.takeOffline && el('take-offline', { 'after-failures': backup.takeOffline.afterFailures, 'min-wait': backup.takeOffline.minWaitMs }),
      el('state-transfer', { 'chunk-size': cache.stateTransferChunkSize, mode: backup.stateTransferMode }),
    ])];
  });
  // Merge policies resolve conflicts of ASYNC backups only.
  const asyncBackups = remoteSites(c).some((site) => cache.backups[site].strategy === 'ASYNC');
  const indexed = cache.indexedEntities ?? [];
  // Child order is the schema's: backups first, state-transfer last.
  return el('distributed-cache', { name, mode: 'SYNC', owners: cache.owners, 'remote-timeout': cache.remoteTimeoutMs, statistics: 'true' }, [
    backups.length > 0 && el('backups', { 'merge-policy': asyncBackups ? cache.mergePolicy : undefined }, backups),
    el('encoding', { 'media-type': 'application/x-protostream' }),
    el('locking', { 'acquire-timeout': cache.lockAcquireTimeoutMs }),
    cache.transactionMode === 'NON_DURABLE_XA' && el('transaction', { mode: 'NON_DURABLE_XA', locking: 'PESSIMISTIC' }),
    indexed.length > 0 && el('indexing', { enabled: 'true', storage: 'local-heap', 'startup-mode': 'none' }, [
      el('indexed-entities', {}, indexed.map((entity) => el('indexed-entity', {}, [], entity))),
    ]),
    // Every role may use the cache as far as its permissions go (INFINISPAN_IDENTITIES): Keycloak's
    // user (deployer) reads and writes, nobody without a role does.
    el('security', {}, [el('authorization')]),
    el('state-transfer', { 'chunk-size': cache.stateTransferChunkSize }),
  ]);
}

function server(c: Resolved): XmlElement {
  const { tls } = c.hotRod;
  // Keycloak's Hot Rod client authenticates against realm "default" with SCRAM-SHA-512
  // (keycloak/keycloak CacheManagerFactory.startRemoteCacheManager).
  return el('server', { xmlns: c.version.infinispanServerNamespace }, [
    el('interfaces', {}, [el('interface', { name: 'public' }, [el('inet-address', { value: '${infinispan.bind.address:0.0.0.0}' })])]),
    // The server's parser requires port-offset although the XSD leaves it optional (seen by the
    // rehearsal: Infinispan 16.0.7 refuses the file with "Missing required attribute(s): port-offset").
    el('socket-bindings', { 'default-interface': 'public', 'port-offset': '0' }, [el('socket-binding', { name: 'default', port: c.ports.hotRod })]),
    el('security', {}, [el('security-realms', {}, [el('security-realm', { name: 'default' }, [
      el('server-identities', {}, [el('ssl', {}, [
        el('keystore', { path: tls.keystorePath, password: `\${env.${tls.keystorePasswordEnv}}`, alias: tls.keystoreAlias }),
      ])]),
      el('properties-realm', {}, [
        el('user-properties', { path: c.hotRod.usersPropertiesPath ?? 'users.properties' }),
        el('group-properties', { path: c.hotRod.groupsPropertiesPath ?? 'groups.properties' }),
      ]),
    ]),
    ])]),
    el('endpoints', {}, [el('endpoint', { 'socket-binding': 'default', 'security-realm': 'default' }, [
      el('hotrod-connector', { name: 'hotrod' }, [el('authentication', {}, [el('sasl', { mechanisms: 'SCRAM-SHA-512' })])]),
      el('rest-connector', { name: 'rest' }, [el('authentication', { mechanisms: 'BASIC' })]),
    ])]),
  ]);
}

function remoteSites(c: Pick<Resolved, 'site' | 'sites'>): string[] {
  return c.sites.filter((site) => site !== c.site);
}

function bridgePort(bridge: TcpPingBridge | DnsBridge): number {
  return bridge.port ?? 7900;
}

// ---- validation ------------------------------------------------------------------------------

function validate(c: Resolved): string[] {
  const problems: string[] = [];
  const fail = (field: string, value: unknown, fix: string) => problems.push(`${field} is ${show(value)}; ${fix}`);
  const whole = (field: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER) => {
    if (!Number.isInteger(value) || value < min || value > max) fail(field, value, `use a whole number from ${min} to ${max}`);
  };
  const named = (field: string, value: unknown, pattern: RegExp, what: string) => {
    if (typeof value !== 'string' || !pattern.test(value)) fail(field, value, `use ${what}`);
  };

  if (!(c.version instanceof KeycloakVersion)) fail('version', c.version, 'use a KeycloakVersion, e.g. KeycloakVersion.LATEST');
  c.sites.forEach((site, i) => named(`sites[${i}]`, site, NAME, 'letters, digits, ".", "_" or "-" (at most 63, starting and ending alphanumeric)'));
  const duplicates = c.sites.filter((site, i) => c.sites.indexOf(site) !== i);
  if (duplicates.length > 0) fail('sites', c.sites, `name each site once (repeated: ${[...new Set(duplicates)].join(', ')})`);
  if (c.sites.length < 2) fail('sites', c.sites, 'list at least two sites; a single site needs no cross-site replication');
  if (!c.sites.includes(c.site)) fail('site', c.site, `use one of sites (${c.sites.join(', ')}) or add it to sites`);

  named('discovery.dnsQuery', c.discovery.dnsQuery, DNS_NAME, 'one DNS name that resolves to every node of the site');
  if (!['A', 'SRV', undefined].includes(c.discovery.recordType)) fail('discovery.recordType', c.discovery.recordType, "use 'A' or 'SRV'");
  named('clusterName', c.clusterName, NAME, 'letters, digits, ".", "_" or "-"');
  whole('maxSiteMasters', c.maxSiteMasters, 1);
  whole('bridgeFailureDetection.intervalMs', c.bridgeFailureDetection.intervalMs, 1);
  if (!(c.bridgeFailureDetection.timeoutMs > c.bridgeFailureDetection.intervalMs)) {
    fail('bridgeFailureDetection.timeoutMs', c.bridgeFailureDetection.timeoutMs, 'use a timeout longer than intervalMs, or a site is suspected between two heartbeats');
  }

  // A bridge forms even when only one side lists the other, so a one-sided list fails late and silently.
  const everySite = (field: string, keyed: Readonly<Record<string, unknown>>, what: string) => {
    for (const site of c.sites.filter((s) => !Object.hasOwn(keyed, s))) {
      fail(`${field}['${site}']`, undefined, `add ${what} of site '${site}': every site must list every site`);
    }
    for (const key of Object.keys(keyed).filter((k) => !c.sites.includes(k))) {
      fail(`${field}['${key}']`, keyed[key], `remove it or add '${key}' to sites`);
    }
  };
  const bridge = c.bridge;
  if (bridge.kind === 'tunnel') {
    everySite('bridge.gossipRouters', bridge.gossipRouters, 'the Gossip Router');
    for (const [site, router] of Object.entries(bridge.gossipRouters)) {
      named(`bridge.gossipRouters['${site}'].host`, router.host, HOST, 'a host name or IPv4 address');
      whole(`bridge.gossipRouters['${site}'].port`, router.port, 1, 65535);
    }
    const interval = bridge.heartbeatIntervalMs ?? 2000;
    const timeout = bridge.heartbeatTimeoutMs ?? 8000;
    whole('bridge.heartbeatIntervalMs', interval, 1);
    if (!(timeout > interval)) fail('bridge.heartbeatTimeoutMs', timeout, `use a timeout longer than heartbeatIntervalMs (${interval})`);
  } else if (bridge.kind === 'tcpping') {
    everySite('bridge.initialHosts', bridge.initialHosts, 'the relay-node hosts');
    for (const [site, hosts] of Object.entries(bridge.initialHosts)) {
      if (hosts.length === 0) fail(`bridge.initialHosts['${site}']`, hosts, 'list at least one relay-node host');
      hosts.forEach((host, i) => named(`bridge.initialHosts['${site}'][${i}]`, host, HOST, 'a host name or IPv4 address'));
    }
  } else if (bridge.kind === 'dns') {
    everySite('bridge.dnsQueries', bridge.dnsQueries, 'the relay-node DNS name');
    for (const [site, query] of Object.entries(bridge.dnsQueries)) {
      named(`bridge.dnsQueries['${site}']`, query, DNS_NAME, `one DNS name that resolves (A records) to every relay node of site '${site}'`);
    }
  } else {
    fail('bridge.kind', (bridge as { kind: unknown }).kind, "use 'tunnel', 'tcpping' or 'dns'");
  }

  const { transport, failureDetectionOffset: offset, hotRod } = c.ports;
  whole('ports.transport', transport, 1, 65535);
  whole('ports.failureDetectionOffset', offset, 1, Math.max(1, 65535 - FD_SOCK2_PORT_RANGE - transport));
  whole('ports.hotRod', hotRod, 1, 65535);
  const listeners: { what: string; change: string; from: number; to: number }[] = [
    { what: 'ports.transport', change: 'ports.transport', from: transport, to: transport },
    {
      what: `the transport's failure-detection ports (${transport} + ports.failureDetectionOffset ${offset})`,
      change: 'ports.failureDetectionOffset',
      from: transport + offset,
      // One port more than FD_SOCK2 probes, in case a JGroups release counts the range inclusively.
      to: transport + offset + FD_SOCK2_PORT_RANGE,
    },
    { what: 'ports.hotRod', change: 'ports.hotRod', from: hotRod, to: hotRod },
  ];
  if (bridge.kind === 'tcpping' || bridge.kind === 'dns') {
    whole('bridge.port', bridgePort(bridge), 1, 65535);
    listeners.push({ what: 'bridge.port', change: 'bridge.port', from: bridgePort(bridge), to: bridgePort(bridge) });
  }
  listeners.forEach((a, i) => listeners.slice(i + 1).filter((b) => a.from <= b.to && b.from <= a.to).forEach((b) => problems.push(
    `${b.what} is ${range(b)}, which collides with ${a.what} at ${range(a)}; change ${b.change} or ${a.change} so the ports cannot meet`,
  )));

  const { tls } = c.hotRod;
  if (typeof tls.keystorePath !== 'string' || tls.keystorePath.trim() === '') fail('hotRod.tls.keystorePath', tls.keystorePath, 'give the keystore path inside the container');
  named('hotRod.tls.keystorePasswordEnv', tls.keystorePasswordEnv, ENV_NAME, 'the name of an environment variable (the password itself never goes into the file)');
  if (tls.keystoreAlias !== undefined && tls.keystoreAlias.trim() === '') fail('hotRod.tls.keystoreAlias', tls.keystoreAlias, 'omit it or name the keystore entry');
  if (c.transportTls) {
    const t = c.transportTls;
    for (const field of ['keystorePath', 'truststorePath'] as const) {
      if (typeof t[field] !== 'string' || !t[field].startsWith('/')) fail(`transportTls.${field}`, t[field], 'give the absolute path of the file inside the container');
    }
    for (const field of ['keystorePasswordEnv', 'truststorePasswordEnv'] as const) {
      named(`transportTls.${field}`, t[field], ENV_NAME, 'the name of an environment variable (the password itself never goes into the file)');
    }
    if (t.keystoreAlias !== undefined && t.keystoreAlias.trim() === '') fail('transportTls.keystoreAlias', t.keystoreAlias, 'omit it or name the keystore entry');
  }
  for (const field of ['usersPropertiesPath', 'groupsPropertiesPath'] as const) {
    const path = c.hotRod[field];
    if (path !== undefined && path.trim() === '') fail(`hotRod.${field}`, path, 'omit it or give a file path');
  }

  problems.push(...remoteCacheProblems(c.caches, c.site, c.sites));
  return problems;
}

function show(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}

function range({ from, to }: { from: number; to: number }): string {
  return from === to ? String(from) : `${from}-${to}`;
}

// ---- XML -------------------------------------------------------------------------------------

type Attributes = Readonly<Record<string, string | number | undefined>>;

interface XmlElement {
  readonly name: string;
  readonly attributes: Attributes;
  readonly children: readonly XmlElement[];
  readonly text?: string;
}

/** An element; `undefined`/`false` children are dropped so optional parts read inline. */
function el(name: string, attributes: Attributes = {}, children: readonly (XmlElement | undefined | false)[] = [], text?: string): XmlElement {
  return { name, attributes, children: children.filter((child): child is XmlElement => Boolean(child)), text };
}

/** Attributes in insertion order; a long start tag puts one attribute per line. */
function serialize(element: XmlElement, depth = 0): string {
  const indent = '  '.repeat(depth);
  const attributes = Object.entries(element.attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => `${name}="${escape(String(value), true)}"`);
  const oneLine = attributes.map((a) => ` ${a}`).join('');
  const start = `${indent}<${element.name}${oneLine.length > 100 ? attributes.map((a) => `\n${indent}    ${a}`).join('') : oneLine}`;
  if (element.text !== undefined) return `${start}>${escape(element.text, false)}</${element.name}>`;
  if (element.children.length === 0) return `${start}/>`;
  return [`${start}>`, ...element.children.map((child) => serialize(child, depth + 1)), `${indent}</${element.name}>`].join('\n');
}

function escape(value: string, attribute: boolean): string {
  const text = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return attribute ? text.replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;') : text;
}
