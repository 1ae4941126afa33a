import { DnsRoutingKind } from '../model/failover-time';

/** Route 53 geolocation continent codes. */
export const CONTINENT_CODES = ['AF', 'AN', 'AS', 'EU', 'NA', 'OC', 'SA'] as const;

/** Where the users of a geolocation record are: a continent, or a country (optionally one of its subdivisions). */
export interface GeoLocation {
  /** One of `AF`, `AN`, `AS`, `EU`, `NA`, `OC`, `SA`. */
  readonly continent?: string;
  /** ISO 3166-1 alpha-2 code, e.g. `DE`. */
  readonly country?: string;
  /** Subdivision of `country`, e.g. `CA` (California) in `US`. */
  readonly subdivision?: string;
}

/** How the shared hostname chooses a site. */
export class DnsRouting {
  /** Active/passive: `primary` while it is healthy, the other site when it is not. Exactly two sites. */
  static failover(options: { readonly primary: string }): DnsRouting {
    if (typeof options?.primary !== 'string' || options.primary === '') {
      throw new Error(`DnsRouting.failover: primary '${String(options?.primary)}' is not a site name; pass the name of the active site, e.g. { primary: 'eu' }`);
    }
    return new DnsRouting('failover', options.primary);
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
    const seen = new Map<string, string>();
    for (const [site, location] of Object.entries(locations ?? {})) {
      const where = `DnsRouting.geolocation: locations.${site}`;
      const { continent, country, subdivision } = location ?? {};
      if ((continent === undefined) === (country === undefined)) {
        throw new Error(`${where} ${JSON.stringify(location)} must name either a continent or a country; pass e.g. { continent: 'EU' } or { country: 'DE' }`);
      }
      if (continent !== undefined && !(CONTINENT_CODES as readonly string[]).includes(continent)) {
        throw new Error(`${where}.continent '${continent}' is not a continent code; use one of ${CONTINENT_CODES.join(', ')}`);
      }
      if (country !== undefined && !/^[A-Z]{2}$/.test(country)) {
        throw new Error(`${where}.country '${country}' is not an ISO 3166-1 alpha-2 code; use e.g. 'DE' (the default record is created from options.default)`);
      }
      if (subdivision !== undefined && (country === undefined || !/^[A-Z0-9]{1,3}$/.test(subdivision))) {
        throw new Error(`${where}.subdivision '${subdivision}' needs a country and a subdivision code; pass e.g. { country: 'US', subdivision: 'CA' }`);
      }
      const key = JSON.stringify([continent, country, subdivision]);
      const other = seen.get(key);
      if (other !== undefined) {
        throw new Error(`${where} ${JSON.stringify(location)} is also the location of '${other}'; Route 53 allows one record per location, so give each site its own`);
      }
      seen.set(key, site);
    }
    if (seen.size === 0) {
      throw new Error("DnsRouting.geolocation: locations {} names no site; pass a location per site, e.g. { eu: { continent: 'EU' }, us: { continent: 'NA' } }");
    }
    if (typeof options?.default !== 'string' || options.default === '') {
      throw new Error(`DnsRouting.geolocation: default '${String(options?.default)}' is not a site name; pass the site that answers everyone else, e.g. { default: 'eu' }`);
    }
    return new DnsRouting('geolocation', undefined, { ...locations }, options.default);
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
