import { Topology } from './topology';

/**
 * The site holding each region's database cluster: the primary site in its region, the first
 * site (in the user's order) in every other region. The other sites of a region use their
 * holder's cluster; with several regions the holders' clusters form an Aurora Global Database.
 */
export function databaseHolders(topology: Topology): ReadonlyMap<string, string> {
  const primary = topology.sites[topology.primarySite];
  const holders = new Map<string, string>(primary ? [[primary.region, primary.name]] : []);
  for (const site of Object.values(topology.sites)) if (!holders.has(site.region)) holders.set(site.region, site.name);
  return holders;
}

/** Identifier of the Aurora Global Database of a deployment spread over several regions. */
export function globalClusterName(deploymentName: string): string {
  return `${deploymentName}-global`;
}

/** Cloud Map host of a site's Infinispan: `infinispan.<deployment>-<site>.internal`. */
export function infinispanHostOf(deploymentName: string, siteName: string): string {
  return `infinispan.${deploymentName}-${siteName}.internal`;
}
