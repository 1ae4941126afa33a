import { CrossSiteStrategy, ExternalCacheName, SiteLink, Topology } from '../model/topology';
import { siteLinks } from '../model/validate';
import {
  CROSS_REGION_BACKUP, CROSS_REGION_SYNC_BACKUP, CrossSiteBackup, fenced, keycloakRemoteCaches, KeycloakRemoteCacheOptions, NO_BACKUP,
  RemoteCacheConfig, SAME_REGION_BACKUP,
} from './infinispan-caches';
import { InfinispanSiteConfig, renderInfinispanServerXml } from './infinispan-xml';

/**
 * What a substrate decides about one site's Infinispan: how nodes find each other in the site
 * and across sites, its ports, its TLS identity and the TLS of its JGroups transport. The rest comes from the topology.
 */
export type InfinispanSiteWiring = Pick<InfinispanSiteConfig, 'discovery' | 'bridge' | 'hotRod' | 'ports' | 'transportTls'>;

/**
 * The `infinispan.xml` of one site of a topology: Keycloak's version, every site in the
 * topology's order, and the caches with the backups the topology's links and strategies call for,
 * wired as the substrate says (Kubernetes: DNS_PING on a headless Service and Gossip Routers;
 * AWS: Cloud Map names and a DNS bridge).
 */
export function renderSiteInfinispanXml(topology: Topology, siteName: string, wiring: InfinispanSiteWiring): string {
  return renderInfinispanServerXml({
    version: topology.keycloak.version,
    site: siteName,
    sites: Object.keys(topology.sites),
    caches: keycloakRemoteCaches(remoteCacheOptions(topology, siteName)),
    ...wiring,
  });
}

/**
 * The topology's cache choices for one site: owners, and per remote site the backup its strategy
 * maps to (SYNC same-region: blueprint SYNC/FAIL; SYNC cross-region, only with the model's
 * acknowledgement: SYNC/WARN; ASYNC: ASYNC/WARN with automatic state transfer; NONE: no backup),
 * every backup fenced with the topology's `caches.takeOffline`. Caches without a strategy keep
 * keycloakRemoteCaches' defaults; unreplicated login failures win.
 */
export function remoteCacheOptions(topology: Topology, siteName: string): KeycloakRemoteCacheOptions {
  const links = siteLinks(topology, siteName);
  const overrides: Partial<Record<ExternalCacheName, Partial<RemoteCacheConfig>>> = {};
  for (const cache of ['actionTokens', 'authenticationSessions', 'loginFailures', 'work'] as const) {
    const strategy = topology.caches.crossSiteStrategies[cache];
    const keepLocal = cache === 'loginFailures' && !topology.caches.replicateLoginFailures;
    const backups = strategy === undefined || keepLocal ? undefined
      : Object.fromEntries(Object.entries(links).map(([site, link]) => [site, fenced(backupOf(cache, strategy, link), topology.caches.takeOffline)]));
    overrides[cache] = { owners: topology.caches.owners, ...(backups ? { backups } : {}) };
  }
  return { links, replicateLoginFailures: topology.caches.replicateLoginFailures, takeOffline: topology.caches.takeOffline, overrides };
}

function backupOf(cache: ExternalCacheName, strategy: CrossSiteStrategy, link: SiteLink): CrossSiteBackup {
  if (strategy === 'NONE') return NO_BACKUP;
  if (strategy === 'ASYNC') return CROSS_REGION_BACKUP;
  if (strategy === 'SYNC') return link === 'same-region' ? SAME_REGION_BACKUP : CROSS_REGION_SYNC_BACKUP;
  throw new Error(`remoteCacheOptions: caches.crossSiteStrategies.${cache} is ${JSON.stringify(strategy)}; use 'SYNC', 'ASYNC' or 'NONE'`);
}
