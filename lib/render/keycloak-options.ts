import { validatedHostname } from '../model/hostname';
import { Topology } from '../model/topology';
import { KeycloakVersion } from '../model/version';

/** Facts only the substrate knows (endpoints, addresses), as plain strings or tokens. */
export interface KeycloakSiteFacts {
  readonly database: {
    /** The cluster (writer) endpoint host name. */
    readonly writerEndpoint: string;
    /** Every instance's endpoint, in a stable order, for the driver's multi-host failover. */
    readonly instanceEndpoints: readonly string[];
    readonly port: number;
    /**
     * `global-writer`: `writerEndpoint` is an Aurora Global Database's writer endpoint, which AWS
     * moves to the new primary region on a switchover or failover.
     * @default 'cluster'
     */
    readonly endpointKind?: 'cluster' | 'global-writer';
  };
  /** Networks the load balancer's requests come from; only they may set `X-Forwarded-*`. */
  readonly trustedProxyCidrs: readonly string[];
  /**
   * The site's external Infinispan (required with several sites): Keycloak keeps its
   * cross-site caches there and serves `/lb-check` from the link's health.
   */
  readonly externalInfinispan?: {
    readonly host: string;
    readonly port: number;
    /** PEM file (in the container) of the CA that signed Infinispan's Hot Rod certificate. */
    readonly truststorePath?: string;
  };
  /**
   * The load balancer keeps a browser on one node with a cookie of its own (e.g. ingress-nginx's
   * affinity cookie): Keycloak's route suffix on `AUTH_SESSION_ID` then steers nothing, so it is
   * not attached. @default false
   */
  readonly loadBalancerAffinityCookie?: boolean;
  /**
   * Graceful stop: after SIGTERM Keycloak reports not ready but keeps serving for `delaySeconds`
   * (time for the load balancer to drop the node), then waits up to `timeoutSeconds` for requests
   * in progress. @default - Keycloak's defaults (1 s each)
   */
  readonly shutdown?: { readonly delaySeconds: number; readonly timeoutSeconds: number };
}

/** Which secret carries an option's value; the substrate maps the source to its secret store. */
export interface SecretReference {
  readonly source: 'database-credentials' | 'bootstrap-admin' | 'infinispan-credentials';
  /** Key inside the secret's JSON document. */
  readonly key: 'username' | 'password';
}

/** Everything Keycloak needs to start one node of a site. */
export interface KeycloakServerConfig {
  /** Arguments after `kc.sh`. */
  readonly command: readonly string[];
  /** Option name (as in `--name=value`) → value, sorted by name. */
  readonly options: Readonly<Record<string, string>>;
  /** Options whose values are secrets, never rendered as literals. */
  readonly secretOptions: Readonly<Record<string, SecretReference>>;
  /**
   * Whether the nodes of a site form an embedded Infinispan cluster, and so need JGroups
   * (KEYCLOAK_PORTS.jgroups and jgroupsFailureDetection) open between them. False with multi-site,
   * where Keycloak disables JGroups.
   */
  readonly embeddedCluster: boolean;
}

/**
 * Distributed caches whose entries live only in the cluster's memory. With persistent sessions
 * (the 26.x default) user and client sessions are kept in the database, but an in-flight login
 * (`authenticationSessions`), a one-time action token and the brute-force counters
 * (`loginFailures`) exist only here, so their owner count decides what a node loss costs.
 * Keycloak takes owner counts as SPI options since 26.4 (keycloak PR 41693).
 */
export const DISTRIBUTED_CACHES = ['authenticationSessions', 'actionTokens', 'loginFailures'] as const;

/**
 * Server-side latency objective of an authentication request, in milliseconds: the example SLO
 * of Keycloak's "Monitoring performance with Service Level Indicators" guide. Rendered as an
 * `http-metrics-slos` bucket so the share of requests meeting it is measured exactly.
 */
export const LATENCY_OBJECTIVE_MS = 250;

/**
 * Keycloak 26 server options for the nodes of one site.
 *
 * Never emits `proxy` (removed in 26.0) or hostname v1 options (`hostname-url`, `hostname-path`,
 * `hostname-port`, `hostname-strict-https`). Sources: https://www.keycloak.org/server/all-config,
 * https://www.keycloak.org/server/caching, https://www.keycloak.org/server/reverseproxy.
 */
export function renderKeycloakConfig(topology: Topology, siteName: string, facts: KeycloakSiteFacts): KeycloakServerConfig {
  const site = topology.sites[siteName];
  if (!site) throw new Error(`renderKeycloakConfig: unknown site '${siteName}'`);
  const hostname = validatedHostname(topology.keycloak.hostname);
  const { keycloak } = topology;
  const pool = String(keycloak.dbPoolSize);
  const multiSite = topology.mode !== 'single-site';
  const options: Record<string, string> = {
    // One site: embedded Infinispan, members found through the JGROUPS_PING table of the database
    // (default since 26.1, stated so a changed default cannot split the cluster); node-to-node
    // traffic encrypted and authenticated with certificates Keycloak generates and shares through
    // the database (default since 26.2). With multi-site Keycloak forms no embedded cluster at all
    // (keycloak DefaultCacheEmbeddedConfigProviderFactory: JGroups is disabled when the data lives in
    // the remote caches), so these options would only mislead a reader and are left out.
    ...(multiSite ? {} : { cache: 'ispn', 'cache-stack': 'jdbc-ping', 'cache-embedded-mtls-enabled': 'true' }),
    db: 'postgres',
    'db-url': databaseUrl(topology, facts),
    // Equal pool sizes: connections are opened at start, not under a login burst.
    'db-pool-initial-size': pool,
    'db-pool-min-size': pool,
    'db-pool-max-size': pool,
    'health-enabled': 'true',
    // Metrics on the management port (9000, never forwarded by the load balancer).
    'metrics-enabled': 'true',
    // Request-duration histograms, so a collector can compute latency percentiles, plus one exact
    // bucket at the latency objective for the "share of requests under N ms" indicator of
    // Keycloak's SLI guide. Both exist throughout 26.x. Embedded-cache histograms
    // (`cache-metrics-histograms-enabled`) stay off: Keycloak warns they cost performance, and
    // with persistent sessions the hit and miss counters, which need no histogram, say enough.
    'http-metrics-histograms-enabled': 'true',
    'http-metrics-slos': String(LATENCY_OBJECTIVE_MS),
    // TLS ends at the load balancer, which forwards plain HTTP and sets X-Forwarded-*.
    'http-enabled': 'true',
    'proxy-headers': 'xforwarded',
    'proxy-trusted-addresses': facts.trustedProxyCidrs.join(','),
    hostname: hostname.url,
    'log-console-output': 'json',
    // Shed load with 503 instead of queueing without bound (Keycloak HA guide).
    'http-max-queued-requests': '1000',
  };
  if (facts.loadBalancerAffinityCookie) {
    // Keycloak's sticky-session encoder appends `.<node>` to AUTH_SESSION_ID for routers that pin on
    // it; off when the load balancer pins with its own cookie (DOMAIN.md §5).
    options['spi-sticky-session-encoder--infinispan--should-attach-route'] = 'false';
  }
  if (facts.shutdown) {
    // Quarkus' graceful shutdown as Keycloak exposes it (https://www.keycloak.org/server/all-config,
    // `shutdown-delay`, `shutdown-timeout`; keycloak docs/guides/server/traefik-reencrypt.adoc sizes
    // the delay to the proxy's detection time).
    options['shutdown-delay'] = `${facts.shutdown.delaySeconds}s`;
    options['shutdown-timeout'] = `${facts.shutdown.timeoutSeconds}s`;
  }
  if (usesAwsJdbcWrapper(topology, facts)) options['db-driver'] = 'software.amazon.jdbc.Driver';
  if (keycloak.version.hasUserEventMetrics) {
    // Logins, login errors, token refreshes... as `keycloak_user_events_total{realm,event,error}`:
    // the login success rate. Tagged by realm only, stated so that a changed default cannot
    // multiply the series by clients and identity providers; every event type is counted (a
    // counter exists only once its event happened), a collector keeps what it alarms on.
    options['event-metrics-user-enabled'] = 'true';
    options['event-metrics-user-tags'] = 'realm';
  }
  // Owners of the embedded distributed caches; with multi-site those caches live in the external
  // Infinispan, whose configuration carries the owners instead.
  for (const cache of keycloak.version.hasCacheOwnerOptions && !multiSite ? DISTRIBUTED_CACHES : []) {
    options[`spi-cache-embedded--default--${kebab(cache)}-owners`] = String(topology.caches.owners);
  }
  const secretOptions: Record<string, SecretReference> = {
    'db-password': { source: 'database-credentials', key: 'password' },
    'db-username': { source: 'database-credentials', key: 'username' },
  };
  // One temporary administrator per deployment: the sites share one database, where only the first
  // node to start creates it, so only the primary site is given one (the others would hold
  // credentials of a user that was never created).
  if (bootstrapsAdministrator(topology, siteName)) {
    options['bootstrap-admin-username'] = keycloak.bootstrapAdminUsername;
    secretOptions['bootstrap-admin-password'] = { source: 'bootstrap-admin', key: 'password' };
  }
  if (topology.mode !== 'single-site') {
    const remote = facts.externalInfinispan;
    if (!remote) throw new Error(`renderKeycloakConfig: site '${siteName}' of a ${topology.mode} topology needs facts.externalInfinispan`);
    // Multi-site (Keycloak's "multi-cluster" blueprint): caches shared across sites live in the
    // site's external Infinispan, reached over Hot Rod with TLS; the multi-site feature also
    // serves /lb-check. https://www.keycloak.org/high-availability/multi-cluster/deploy-keycloak-kubernetes
    options.features = 'multi-site';
    options['cache-remote-host'] = remote.host;
    options['cache-remote-port'] = String(remote.port);
    options['cache-remote-tls-enabled'] = 'true';
    if (remote.truststorePath) options['truststore-paths'] = remote.truststorePath;
    secretOptions['cache-remote-password'] = { source: 'infinispan-credentials', key: 'password' };
    secretOptions['cache-remote-username'] = { source: 'infinispan-credentials', key: 'username' };
  }
  return {
    command: ['start'],
    options: sortByKey(options),
    secretOptions: sortByKey(secretOptions),
    embeddedCluster: !multiSite,
  };
}

/**
 * With the AWS Advanced JDBC Wrapper, the cluster endpoint: the wrapper's default plugins
 * (`failover2`, `efm2`, ...) move connections to the new writer within seconds. Without it, the
 * PostgreSQL driver tries every instance and keeps the one that accepts writes. TLS is required
 * either way (the cluster also enforces it). Source: https://www.keycloak.org/server/db (Aurora).
 */
function databaseUrl(topology: Topology, facts: KeycloakSiteFacts): string {
  const { keycloak, database } = topology;
  const { port } = facts.database;
  const name = database.databaseName;
  if (facts.database.endpointKind === 'global-writer') {
    // The global writer endpoint with the PostgreSQL driver: after a failover its DNS name points to
    // the new primary and new connections follow it. The JDBC wrapper would need its global-database
    // dialect and per-region instance host patterns (aws-advanced-jdbc-wrapper docs,
    // GlobalDatabases.md), which this library does not derive yet. verify-ca checks the chain against
    // the RDS CA bundle but not the host name: AWS does not document whether the global endpoint is
    // among the certificate's names, and a mismatch would refuse every connection.
    const tls = keycloak.image.rdsCaBundlePath ? `sslmode=verify-ca&sslrootcert=${keycloak.image.rdsCaBundlePath}` : 'sslmode=require';
    return `jdbc:postgresql://${facts.database.writerEndpoint}:${port}/${name}?targetServerType=primary&${tls}`;
  }
  // verify-full checks the server certificate and host name against the RDS CA bundle in the image.
  const tls = keycloak.image.rdsCaBundlePath ? `sslmode=verify-full&sslrootcert=${keycloak.image.rdsCaBundlePath}` : 'sslmode=require';
  if (usesAwsJdbcWrapper(topology, facts)) {
    return `jdbc:aws-wrapper:postgresql://${facts.database.writerEndpoint}:${port}/${name}?${tls}`;
  }
  const hosts = facts.database.instanceEndpoints.map((host) => `${host}:${port}`).join(',');
  return `jdbc:postgresql://${hosts}/${name}?targetServerType=primary&${tls}`;
}

/** Whether the nodes of `siteName` create the temporary administrator: the only site, or the primary one. */
export function bootstrapsAdministrator(topology: Topology, siteName: string): boolean {
  return topology.mode === 'single-site' || siteName === topology.primarySite;
}

/** The AWS Advanced JDBC Wrapper drives the connections: in the image, and not through a global writer endpoint. */
function usesAwsJdbcWrapper({ keycloak }: Topology, facts: KeycloakSiteFacts): boolean {
  return keycloak.image.bundlesAwsJdbcWrapper && facts.database.endpointKind !== 'global-writer';
}

/** `KC_` environment variable of an option: `db-pool-max-size` → `KC_DB_POOL_MAX_SIZE`, `--` → `__`. */
export function optionEnvName(option: string): string {
  return `KC_${option.replace(/--/g, '__').replace(/-/g, '_').toUpperCase()}`;
}

/**
 * Environment variable of an option whose value is a secret: `KCRAW_` where the version has it, so
 * a `$` in a generated password is taken literally, else `KC_`.
 */
export function secretOptionEnvName(option: string, version: KeycloakVersion): string {
  const name = optionEnvName(option);
  return version.hasRawEnvironmentVariables ? `KCRAW_${name.slice('KC_'.length)}` : name;
}

/** The options as a container environment (`KC_*` names). */
export function toEnvironment(options: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(options).map(([name, value]) => [optionEnvName(name), value]));
}

/** The options as `kc.sh` arguments, e.g. `--cache-stack=jdbc-ping`. */
export function toCliArgs(options: Readonly<Record<string, string>>): string[] {
  return Object.entries(options).map(([name, value]) => `--${name}=${value}`);
}

function kebab(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function sortByKey<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
