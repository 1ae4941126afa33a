import { formatCidr, parseCidr, subnet } from './cidr';
import { SiteSpec } from './topology';

/** Subnets of one availability zone. */
export interface ZoneSubnets {
  /** 0-based position of the zone in the site. */
  readonly index: number;
  /** Keycloak tasks: outbound through the zone's NAT gateway. */
  readonly private: string;
  /**
   * The external Infinispan's tasks (several sites), routed like `private`: a subnet of their own,
   * so a site in another region (where security groups cannot be referenced) admits exactly them
   * on the cross-site bridge, and the database admits the peer's Keycloak subnets without them.
   */
  readonly cache: string;
  /** Database instances: no route out of the network at all. */
  readonly database: string;
  /** Load balancer and NAT gateways. */
  readonly public: string;
}

export interface SiteNetworkPlan {
  readonly cidr: string;
  readonly zones: readonly ZoneSubnets[];
}

/** Largest VPC AWS allows, and the smallest this plan fits: public subnets must stay ≥ /27. */
export const SITE_CIDR_PREFIX = { min: 16, max: 20 } as const;
/** AWS regions have at most six availability zones. */
export const MAX_ZONES = 6;

/**
 * Carves a site's block the same way for every size: eighths 0–5 are the private subnets of up
 * to six zones (a /19 each in a /16), eighth 6 is split into sixteen: the database subnets (0–5)
 * and the cache subnets (8–13), and eighth 7 into sixteen public subnets. A subnet's block depends only on its zone's position, so adding a
 * zone never moves (and so never replaces) the subnets of the others.
 */
export function planSiteNetwork(site: Pick<SiteSpec, 'cidr' | 'zoneCount'>): SiteNetworkPlan {
  const base = parseCidr(site.cidr);
  if (!base || base.prefix < SITE_CIDR_PREFIX.min || base.prefix > SITE_CIDR_PREFIX.max) {
    throw new RangeError(`site CIDR '${site.cidr}' must be a /${SITE_CIDR_PREFIX.min}–/${SITE_CIDR_PREFIX.max} block`);
  }
  if (!Number.isInteger(site.zoneCount) || site.zoneCount < 1 || site.zoneCount > MAX_ZONES) {
    throw new RangeError(`zone count ${site.zoneCount} must be 1–${MAX_ZONES}`);
  }
  const zones = Array.from({ length: site.zoneCount }, (_, index) => ({
    index,
    private: formatCidr(subnet(base, 3, index)),
    database: formatCidr(subnet(base, 7, 6 * 16 + index)),
    cache: formatCidr(subnet(base, 7, 6 * 16 + 8 + index)),
    public: formatCidr(subnet(base, 7, 7 * 16 + index)),
  }));
  return { cidr: formatCidr(base), zones };
}
