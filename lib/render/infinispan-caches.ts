import { DEFAULTS } from '../model/define';
import { SiteLink, TakeOfflineSpec } from '../model/topology';
/**
 * The caches Keycloak keeps on an external Infinispan (the "multi-cluster" blueprint) and the
 * settings this library starts from, and what makes them invalid; `renderInfinispanServerXml` renders them.
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

/** Every remote cache name, in the order the file lists them. */
export const REMOTE_CACHES: readonly RemoteCacheName[] = [...REQUIRED_REMOTE_CACHES, ...SESSION_REMOTE_CACHES];
const PROTOBUF_TYPE = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;

export type RequiredRemoteCacheName = (typeof REQUIRED_REMOTE_CACHES)[number];
export type SessionRemoteCacheName = (typeof SESSION_REMOTE_CACHES)[number];
export type RemoteCacheName = RequiredRemoteCacheName | SessionRemoteCacheName;

/** Whether a write waits for the backup site (`SYNC`) or is queued for it (`ASYNC`). */
export type BackupStrategy = 'SYNC' | 'ASYNC';

/** What a local write does when its backup fails: roll back (`FAIL`), log (`WARN`) or nothing (`IGNORE`). */
export type BackupFailurePolicy = 'FAIL' | 'WARN' | 'IGNORE';

/**
 * When Infinispan stops backing up to an unreachable site by itself: `afterFailures` consecutive
 * failed backups (0: only `minWaitMs` counts) and at least `minWaitMs` since the first of them.
 */
export type TakeOffline = TakeOfflineSpec;

/**
 * What Infinispan keeps when two sites wrote the same key while an ASYNC backup was behind
 * (`<backups merge-policy>`). `ALWAYS_REMOVE` drops both, so a login restarts rather than
 * continuing on a stale copy (Keycloak's blueprint for `authenticationSessions` and the session caches).
 */
export type CrossSiteMergePolicy = 'DEFAULT' | 'PREFER_NON_NULL' | 'PREFER_NULL' | 'ALWAYS_REMOVE';

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
      /**
       * `AUTO` (ASYNC only): when the site is reachable again Infinispan brings it online and pushes
       * the state to it by itself (Keycloak's blueprint for ASYNC backups); `MANUAL` waits for an
       * operator's bring-online and push-state. Infinispan refuses `AUTO` with SYNC.
       * @default 'MANUAL'
       */
      readonly stateTransferMode?: 'AUTO' | 'MANUAL';
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
   * Protobuf types to index (e.g. `keycloak.LoginFailureEntity`), rendered with `startup-mode="none"`
   * and heap storage: Keycloak uploads its schema only when it starts, and an index startup that
   * purges or rebuilds (`auto`, Infinispan 16's default) would resolve the types first and fail the
   * cache (https://github.com/infinispan/infinispan/issues/17814; keycloak-benchmark sets
   * `startupMode: NONE` for this reason). The data is in memory only, so the index is too.
   * @default - not indexed
   */
  readonly indexedEntities?: readonly string[];
  /**
   * Conflict resolution of ASYNC backups; rendered only when a backup of the cache is ASYNC.
   * @default - Infinispan's DEFAULT
   */
  readonly mergePolicy?: CrossSiteMergePolicy;
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

/** The library's automatic fencing of every backup (`caches.takeOffline` of the topology defaults to it). */
const DEFAULT_TAKE_OFFLINE: TakeOffline = Object.freeze({ ...DEFAULTS.takeOffline });

/**
 * Same-region active/active (blueprint): a write succeeds only once the other site has it, and a
 * failed backup rolls the transaction back so Keycloak retries it. 4500 ms stays above the lock
 * acquire timeout, as the blueprint requires. Where the blueprint fences a lost site with a
 * function called by a health alarm, Infinispan's own take-offline does it here, with no other moving part.
 */
export const SAME_REGION_BACKUP: CrossSiteBackup = Object.freeze({
  strategy: 'SYNC',
  failurePolicy: 'FAIL',
  timeoutMs: 4500,
  takeOffline: DEFAULT_TAKE_OFFLINE,
});

/**
 * Cross-region active/passive: writes are queued for the passive region (RPO > 0), a failure is
 * only logged, the region is taken offline once unreachable so writes stop paying for it, and it
 * is brought back with a state push automatically when it returns (blueprint: ASYNC with
 * automatic state transfer). 15000 ms is Infinispan's default backup timeout.
 */
export const CROSS_REGION_BACKUP: CrossSiteBackup = Object.freeze({
  strategy: 'ASYNC',
  failurePolicy: 'WARN',
  timeoutMs: 15000,
  takeOffline: DEFAULT_TAKE_OFFLINE,
  stateTransferMode: 'AUTO',
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
  takeOffline: DEFAULT_TAKE_OFFLINE,
});

/**
 * Indexes and ASYNC merge policy per cache, as Keycloak's benchmark deployment of the external
 * Infinispan declares them (keycloak/keycloak-benchmark provision/infinispan/ispn-helm/values.yaml):
 * Keycloak queries authentication sessions and login failures (and, without persistent sessions,
 * the session caches) by realm, user or client; concurrent ASYNC writes of a login or session are
 * both dropped rather than merged.
 */
const CACHE_EXTRAS: { readonly [N in RemoteCacheName]?: Pick<RemoteCacheConfig, 'indexedEntities' | 'mergePolicy'> } = {
  authenticationSessions: { indexedEntities: ['keycloak.RootAuthenticationSessionEntity'], mergePolicy: 'ALWAYS_REMOVE' },
  loginFailures: { indexedEntities: ['keycloak.LoginFailureEntity'] },
  sessions: { indexedEntities: ['keycloak.RemoteUserSessionEntity'], mergePolicy: 'ALWAYS_REMOVE' },
  offlineSessions: { indexedEntities: ['keycloak.RemoteUserSessionEntity'], mergePolicy: 'ALWAYS_REMOVE' },
  clientSessions: { indexedEntities: ['keycloak.RemoteAuthenticatedClientSessionEntity'], mergePolicy: 'ALWAYS_REMOVE' },
  offlineClientSessions: { indexedEntities: ['keycloak.RemoteAuthenticatedClientSessionEntity'], mergePolicy: 'ALWAYS_REMOVE' },
};

/** No backup: the cache's data stays in the local site. */
export const NO_BACKUP: CrossSiteBackup = Object.freeze({ strategy: 'NONE' });

/** How the local site reaches a remote one, which decides the backup defaults. */

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
  /**
   * Automatic fencing applied to every backup (the topology's `caches.takeOffline`).
   * @default { afterFailures: 3, minWaitMs: 15000 }
   */
  readonly takeOffline?: TakeOffline;
  /** Per-cache changes; `backups` entries are merged per site. */
  readonly overrides?: { readonly [N in RemoteCacheName]?: Partial<RemoteCacheConfig> };
}

/**
 * The caches of one site with the blueprint's settings, indexes and merge policies and, per remote
 * site, `SAME_REGION_BACKUP` or (cross-region) `CROSS_REGION_BACKUP`, except `actionTokens`, which
 * stays SYNC; every backup is fenced with `options.takeOffline`.
 * @throws when a link is neither 'same-region' nor 'cross-region', or an override names a cache not rendered
 */
export function keycloakRemoteCaches(options: KeycloakRemoteCacheOptions): KeycloakRemoteCaches {
  const names: readonly RemoteCacheName[] = options.sessionCaches ? REMOTE_CACHES : REQUIRED_REMOTE_CACHES;
  for (const name of Object.keys(options.overrides ?? {}).filter((n) => !names.includes(n as RemoteCacheName))) {
    throw new Error(`keycloakRemoteCaches: overrides.${name} names no rendered cache; use one of ${names.join(', ')}` +
      `${(SESSION_REMOTE_CACHES as readonly string[]).includes(name) ? ' or set sessionCaches: true' : ''}`);
  }
  const caches: Partial<Record<RemoteCacheName, RemoteCacheConfig>> = {};
  for (const name of names) {
    const backups: Record<string, CrossSiteBackup> = {};
    for (const [site, link] of Object.entries(options.links)) {
      backups[site] = fenced(defaultBackup(name, site, link, options.replicateLoginFailures ?? true), options.takeOffline);
    }
    const override = options.overrides?.[name] ?? {};
    caches[name] = { ...BLUEPRINT_CACHE_SETTINGS, ...CACHE_EXTRAS[name], ...override, backups: { ...backups, ...override.backups } };
  }
  return caches as KeycloakRemoteCaches;
}

/** `backup` with `takeOffline` as the fencing rule (unchanged when none is given or the cache is not backed up). */
export function fenced(backup: CrossSiteBackup, takeOffline: TakeOffline | undefined): CrossSiteBackup {
  return backup.strategy === 'NONE' || !takeOffline ? backup : { ...backup, takeOffline };
}

function defaultBackup(cache: RemoteCacheName, site: string, link: SiteLink, replicateLoginFailures: boolean): CrossSiteBackup {
  if (link !== 'same-region' && link !== 'cross-region') {
    throw new Error(`keycloakRemoteCaches: links['${site}'] is '${String(link)}'; use 'same-region' or 'cross-region'`);
  }
  if (cache === 'loginFailures' && !replicateLoginFailures) return NO_BACKUP;
  if (link === 'same-region') return SAME_REGION_BACKUP;
  return cache === 'actionTokens' ? CROSS_REGION_SYNC_BACKUP : CROSS_REGION_BACKUP;
}

/**
 * What is wrong with the caches of `site`, one message per problem naming the field, the value and
 * the fix; empty when they can be rendered. Every remote site needs an explicit backup decision.
 */
export function remoteCacheProblems(caches: KeycloakRemoteCaches, site: string, sites: readonly string[]): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(caches)) {
    if (!REMOTE_CACHES.includes(name as RemoteCacheName)) {
      problems.push(`caches.${name} is defined; remove it, Keycloak's remote caches are ${REMOTE_CACHES.join(', ')}`);
    }
  }
  for (const name of REMOTE_CACHES) {
    const cache = caches[name];
    if (cache) {
      problems.push(...cacheProblems(name, cache, site, sites));
    } else if ((REQUIRED_REMOTE_CACHES as readonly string[]).includes(name)) {
      problems.push(`caches.${name} is missing; define it: Keycloak requires it on the external Infinispan (see keycloakRemoteCaches)`);
    }
  }
  return problems;
}

function cacheProblems(name: RemoteCacheName, cache: RemoteCacheConfig, site: string, sites: readonly string[]): string[] {
  const problems: string[] = [];
  const fail = (field: string, value: unknown, fix: string) =>
    problems.push(`caches.${name}.${field} is ${value === undefined ? 'missing' : JSON.stringify(value)}; ${fix}`);
  const whole = (field: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER) => {
    if (!Number.isInteger(value) || value < min || value > max) fail(field, value, `use a whole number from ${min} to ${max}`);
  };
  whole('owners', cache.owners, 1);
  // Cache state transfer waits 4 minutes by default and must not give up before a remote call does.
  whole('remoteTimeoutMs', cache.remoteTimeoutMs, 1, 240000);
  whole('lockAcquireTimeoutMs', cache.lockAcquireTimeoutMs, 0);
  whole('stateTransferChunkSize', cache.stateTransferChunkSize, 1);
  if (!['NON_DURABLE_XA', 'NONE'].includes(cache.transactionMode)) fail('transactionMode', cache.transactionMode, "use 'NON_DURABLE_XA' or 'NONE'");
  if (cache.mergePolicy !== undefined && !['DEFAULT', 'PREFER_NON_NULL', 'PREFER_NULL', 'ALWAYS_REMOVE'].includes(cache.mergePolicy)) {
    fail('mergePolicy', cache.mergePolicy, "use 'DEFAULT', 'PREFER_NON_NULL', 'PREFER_NULL' or 'ALWAYS_REMOVE'");
  }
  (cache.indexedEntities ?? []).forEach((entity, i) => {
    if (!PROTOBUF_TYPE.test(entity)) fail(`indexedEntities[${i}]`, entity, 'use a protobuf type name such as keycloak.LoginFailureEntity');
  });
  if (Object.hasOwn(cache.backups, site)) fail(`backups['${site}']`, cache.backups[site], 'remove it: a site does not back up to itself');
  for (const key of Object.keys(cache.backups).filter((k) => !sites.includes(k))) {
    fail(`backups['${key}']`, cache.backups[key], `remove it or add '${key}' to sites`);
  }
  for (const to of sites.filter((s) => s !== site)) {
    const at = `backups['${to}']`;
    const backup = Object.hasOwn(cache.backups, to) ? cache.backups[to] : undefined;
    if (!backup) {
      fail(at, undefined, `say how ${name} backs up to '${to}' (NO_BACKUP keeps it local)`);
      continue;
    }
    if (backup.strategy === 'NONE') continue;
    if (!['SYNC', 'ASYNC'].includes(backup.strategy)) fail(`${at}.strategy`, backup.strategy, "use 'SYNC', 'ASYNC' or 'NONE'");
    if (!['FAIL', 'WARN', 'IGNORE'].includes(backup.failurePolicy)) fail(`${at}.failurePolicy`, backup.failurePolicy, "use 'FAIL', 'WARN' or 'IGNORE'");
    if (backup.strategy === 'ASYNC' && backup.failurePolicy === 'FAIL') {
      fail(`${at}.failurePolicy`, 'FAIL', 'use WARN or IGNORE with ASYNC: an asynchronous backup fails after the write has returned, so nothing can roll back');
    }
    if (backup.stateTransferMode !== undefined && !['AUTO', 'MANUAL'].includes(backup.stateTransferMode)) {
      fail(`${at}.stateTransferMode`, backup.stateTransferMode, "use 'AUTO' (ASYNC only) or 'MANUAL'");
    } else if (backup.stateTransferMode === 'AUTO' && backup.strategy === 'SYNC') {
      fail(`${at}.stateTransferMode`, 'AUTO', "use 'MANUAL' with SYNC: Infinispan transfers state automatically only to ASYNC backups");
    }
    if (name === 'actionTokens' && backup.strategy === 'ASYNC') {
      fail(`${at}.strategy`, 'ASYNC', 'use SYNC (CROSS_REGION_SYNC_BACKUP on slow links): action tokens and OAuth codes must stay single-use across sites');
    }
    whole(`${at}.timeoutMs`, backup.timeoutMs, 1);
    if (backup.timeoutMs <= cache.lockAcquireTimeoutMs) {
      fail(`${at}.timeoutMs`, backup.timeoutMs, `use more than lockAcquireTimeoutMs (${cache.lockAcquireTimeoutMs}); Keycloak's blueprint requires the backup timeout to exceed it`);
    }
    if (backup.takeOffline) {
      whole(`${at}.takeOffline.afterFailures`, backup.takeOffline.afterFailures, 0);
      whole(`${at}.takeOffline.minWaitMs`, backup.takeOffline.minWaitMs, 0);
      if (backup.takeOffline.afterFailures === 0 && backup.takeOffline.minWaitMs === 0) {
        fail(`${at}.takeOffline`, backup.takeOffline, 'set afterFailures or minWaitMs above 0, or omit takeOffline (both 0 never takes the site offline)');
      }
    }
  }
  return problems;
}
