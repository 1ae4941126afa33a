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

const DNS_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * Cloud Map host of a site's Infinispan from the site's resource prefix (`<deployment>-<site>`):
 * `infinispan.<prefix>.internal`. Every site's config, Keycloak's `cache-remote-host` and the
 * runbook name it through here.
 */
export function infinispanHost(contextName: string): string {
  if (typeof contextName !== 'string' || !DNS_LABEL.test(contextName)) {
    throw new Error(`infinispanHost: contextName is ${JSON.stringify(contextName)}; use a DNS label (letters, digits and '-', ` +
      "at most 63 characters, starting and ending with a letter or digit), such as 'keycloak-eu-west'");
  }
  return `infinispan.${contextName}.internal`;
}
