/**
 * The caches Keycloak keeps on an external Infinispan (the "multi-cluster" blueprint) and the
 * settings this library starts from. Pure data: `renderInfinispanServerXml` validates and renders it.
 *
 * Sources:
 * - Keycloak blueprint, cache definitions per site:
 *   https://www.keycloak.org/high-availability/multi-cluster/deploy-infinispan-kubernetes-crossdc
 *   (keycloak/keycloak docs/guides/high-availability/examples/generated/ispn-site-a.yaml)
 * - Classic cross-datacenter guide (Keycloak 6, JBoss Data Grid), sections "SYNC or ASYNC backups"
 *   and "Lock acquisition timeout": https://www.keycloak.org/docs/6.0/server_installation/
 *   (keycloak/keycloak-documentation server_installation/topics/operating-mode/crossdc.adoc)
 * - Infinispan cross-site replication: https://infinispan.org/docs/stable/titles/xsite/xsite.html
 */

/** Caches Keycloak 26 requires on the external Infinispan; it fails to start without them. */
export const REQUIRED_REMOTE_CACHES = ['actionTokens', 'authenticationSessions', 'loginFailures', 'work'] as const;

/**
 * Session caches Keycloak only puts on the external Infinispan when `persistent-user-sessions` is
 * disabled; with the 26.x default the sessions live in the database.
 */
export const SESSION_REMOTE_CACHES = ['sessions', 'clientSessions', 'offlineSessions', 'offlineClientSessions'] as const;

export type RequiredRemoteCacheName = (typeof REQUIRED_REMOTE_CACHES)[number];
export type SessionRemoteCacheName = (typeof SESSION_REMOTE_CACHES)[number];
export type RemoteCacheName = RequiredRemoteCacheName | SessionRemoteCacheName;

/** Whether a write waits for the backup site (`SYNC`) or is queued for it (`ASYNC`). */
export type BackupStrategy = 'SYNC' | 'ASYNC';

/** What a local write does when its backup fails: roll back (`FAIL`), log (`WARN`) or nothing (`IGNORE`). */
export type BackupFailurePolicy = 'FAIL' | 'WARN' | 'IGNORE';

/** When Infinispan stops backing up to an unreachable site by itself. */
export interface TakeOffline {
  /** Consecutive failed backups before the site goes offline (0: only `minWaitMs` counts). */
  readonly afterFailures: number;
  /** Minimum time since the first failure before the site goes offline. */
  readonly minWaitMs: number;
}

/** How one cache backs up to one remote site. `NONE` keeps the cache's data in the local site. */
export type CrossSiteBackup =
  | { readonly strategy: 'NONE' }
  | {
      readonly strategy: BackupStrategy;
      readonly failurePolicy: BackupFailurePolicy;
      /** Time the remote site has to acknowledge; must exceed the cache's lock acquire timeout. */
      readonly timeoutMs: number;
      /** @default - never taken offline automatically (Infinispan default) */
      readonly takeOffline?: TakeOffline;
    };

/** One distributed cache of the external Infinispan. */
export interface RemoteCacheConfig {
  /** Copies of each entry inside the site. */
  readonly owners: number;
  /** Time a synchronous call inside the site may take. */
  readonly remoteTimeoutMs: number;
  /** Time a write waits for a lock held by another transaction. */
  readonly lockAcquireTimeoutMs: number;
  /**
   * `NON_DURABLE_XA` (always with pessimistic locking) lets a failed SYNC backup roll the write
   * back; `NONE` trades that consistency for availability.
   */
  readonly transactionMode: 'NON_DURABLE_XA' | 'NONE';
  /** Entries per state-transfer message, inside the site and to backup sites. */
  readonly stateTransferChunkSize: number;
  /**
   * Protobuf types to index (e.g. `keycloak.LoginFailureEntity`).
   * @default - not indexed: Keycloak's queries also run without indexes, and an Infinispan server
   *   whose pre-defined caches index types Keycloak has not uploaded yet fails to start
   *   (https://github.com/infinispan/infinispan/issues/17814).
   */
  readonly indexedEntities?: readonly string[];
  /** Backup per remote site, keyed by site name; every remote site must be listed. */
  readonly backups: Readonly<Record<string, CrossSiteBackup>>;
}

/** The caches of one site: the four Keycloak always uses, plus the session caches when asked for. */
export type KeycloakRemoteCaches = { readonly [N in RequiredRemoteCacheName]: RemoteCacheConfig } & {
  readonly [N in SessionRemoteCacheName]?: RemoteCacheConfig;
};

/**
 * The blueprint's per-cache settings: distributed, owners 2, remote timeout 5000 ms, lock acquire
 * timeout 4000 ms, NON_DURABLE_XA + PESSIMISTIC, state-transfer chunks of 16 (ProtoStream encoding
 * and SYNC mode are always rendered). Optimistic locking is not offered: Keycloak's guide advises
 * against it for its network cost.
 */
export const BLUEPRINT_CACHE_SETTINGS: Omit<RemoteCacheConfig, 'backups'> = Object.freeze({
  owners: 2,
  remoteTimeoutMs: 5000,
  lockAcquireTimeoutMs: 4000,
  transactionMode: 'NON_DURABLE_XA',
  stateTransferChunkSize: 16,
});

/**
 * Same-region active/active (blueprint): a write succeeds only once the other site has it, and a
 * failed backup rolls the transaction back so Keycloak retries it. 4500 ms stays above the lock
 * acquire timeout, as the blueprint requires.
 */
export const SAME_REGION_BACKUP: CrossSiteBackup = Object.freeze({ strategy: 'SYNC', failurePolicy: 'FAIL', timeoutMs: 4500 });

/**
 * Cross-region active/passive: writes are queued for the passive region (RPO > 0), a failure is
 * only logged, and after 3 failures over at least 60 s the region is taken offline so writes stop
 * paying for it (cross-datacenter guide). 15000 ms is Infinispan's default backup timeout.
 */
export const CROSS_REGION_BACKUP: CrossSiteBackup = Object.freeze({
  strategy: 'ASYNC',
  failurePolicy: 'WARN',
  timeoutMs: 15000,
  takeOffline: Object.freeze({ afterFailures: 3, minWaitMs: 60000 }),
});

/**
 * Cross-region backup of `actionTokens`: still SYNC, because a token or OAuth code must stay
 * single-use after a failover, but WARN so a broken link does not fail logins until the region is
 * taken offline.
 */
export const CROSS_REGION_SYNC_BACKUP: CrossSiteBackup = Object.freeze({
  strategy: 'SYNC',
  failurePolicy: 'WARN',
  timeoutMs: 4500,
  takeOffline: Object.freeze({ afterFailures: 3, minWaitMs: 60000 }),
});

/** No backup: the cache's data stays in the local site. */
export const NO_BACKUP: CrossSiteBackup = Object.freeze({ strategy: 'NONE' });

/** How the local site reaches a remote one, which decides the backup defaults. */
export type SiteLink = 'same-region' | 'cross-region';

export interface KeycloakRemoteCacheOptions {
  /** Every other site, keyed by name, with how the local site reaches it. */
  readonly links: Readonly<Record<string, SiteLink>>;
  /**
   * Also define the four session caches (only when Keycloak runs with `persistent-user-sessions` off).
   * @default false
   */
  readonly sessionCaches?: boolean;
  /**
   * Back up `loginFailures`. Off keeps brute-force counters per site, which spares a slow link the
   * traffic of a password-guessing attack (cross-datacenter guide).
   * @default true
   */
  readonly replicateLoginFailures?: boolean;
  /** Per-cache changes; `backups` entries are merged per site. */
  readonly overrides?: { readonly [N in RemoteCacheName]?: Partial<RemoteCacheConfig> };
}

/**
 * The caches of one site with the blueprint's settings and, per remote site, `SAME_REGION_BACKUP`
 * or (cross-region) `CROSS_REGION_BACKUP`, except `actionTokens`, which stays SYNC.
 * @throws when a link is neither 'same-region' nor 'cross-region'
 */
export function keycloakRemoteCaches(options: KeycloakRemoteCacheOptions): KeycloakRemoteCaches {
  const names: readonly RemoteCacheName[] = options.sessionCaches
    ? [...REQUIRED_REMOTE_CACHES, ...SESSION_REMOTE_CACHES]
    : REQUIRED_REMOTE_CACHES;
  const caches: Partial<Record<RemoteCacheName, RemoteCacheConfig>> = {};
  for (const name of names) {
    const backups: Record<string, CrossSiteBackup> = {};
    for (const [site, link] of Object.entries(options.links)) {
      backups[site] = defaultBackup(name, site, link, options.replicateLoginFailures ?? true);
    }
    const override = options.overrides?.[name] ?? {};
    caches[name] = { ...BLUEPRINT_CACHE_SETTINGS, ...override, backups: { ...backups, ...override.backups } };
  }
  return caches as KeycloakRemoteCaches;
}

function defaultBackup(cache: RemoteCacheName, site: string, link: SiteLink, replicateLoginFailures: boolean): CrossSiteBackup {
  if (link !== 'same-region' && link !== 'cross-region') {
    throw new Error(`keycloakRemoteCaches: links['${site}'] is '${String(link)}'; use 'same-region' or 'cross-region'`);
  }
  if (cache === 'loginFailures' && !replicateLoginFailures) return NO_BACKUP;
  if (link === 'same-region') return SAME_REGION_BACKUP;
  return cache === 'actionTokens' ? CROSS_REGION_SYNC_BACKUP : CROSS_REGION_BACKUP;
}
