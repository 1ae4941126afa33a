import { DnsRoutingSpec, GeoLocation } from '../model/dns-routing';
import { DnsRoutingKind } from '../model/failover-time';

/**
 * How the shared hostname chooses a site. The factories keep what they are given: `validate()`
 * (through the patterns) and `GeoDns` report every problem of the choice at once, with codes.
 */
export class DnsRouting implements DnsRoutingSpec {
  /**
   * Active/passive: `primary` while it is healthy; when it is not, the other sites in the order
   * they were given (three or more sites: a chain of Route 53 failover records).
   */
  static failover(options: { readonly primary: string }): DnsRouting {
    return new DnsRouting('failover', options?.primary);
  }

  /** All sites active; each user goes to the healthy site with the lowest latency from their resolver. */
  static latency(): DnsRouting {
    return new DnsRouting('latency');
  }

  /**
   * Each site serves the users of one location; users elsewhere, and users whose site is down, get
   * the `default` site.
   */
  static geolocation(locations: Readonly<Record<string, GeoLocation>>, options: { readonly default: string }): DnsRouting {
    return new DnsRouting('geolocation', undefined, { ...locations }, options?.default);
  }

  private constructor(
    readonly kind: DnsRoutingKind,
    /** Failover: the active site. */
    readonly primarySite?: string,
    /** Geolocation: the location each site serves. */
    readonly locations?: Readonly<Record<string, GeoLocation>>,
    /** Geolocation: the site of the default (`*`) record. */
    readonly defaultSite?: string,
  ) {}
}
