import { KeycloakImage } from './image';
import {
  CrossSiteStrategy, DeploymentMode, ExternalCacheName, KEYCLOAK_PORTS, NatGatewayMode, RiskAcknowledgement, Topology,
} from './topology';
import { KeycloakVersion } from './version';

/** A site: one region, spread over availability zones. */
export interface SiteInput {
  /** Cloud region, e.g. `eu-west-1`. */
  readonly region: string;
  /**
   * IPv4 block of the site's network, between /16 and /20. The library carves private, database
   * and public subnets for every zone out of it.
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;
  /**
   * Availability zones: a count (the first N zones available in the region) or explicit names.
   * @default 3
   */
  readonly zones?: number | readonly string[];
  /**
   * Keycloak nodes; at least one per zone so that every zone serves.
   * @default - one per zone
   */
  readonly nodes?: number;
  /**
   * `per-zone` keeps outbound traffic of each zone inside that zone, so losing a zone does not
   * cut the others off; `single` saves the cost of the extra gateways and is flagged as a risk.
   * @default 'per-zone'
   */
  readonly natGateways?: NatGatewayMode;
  /**
   * Record the network's traffic metadata (VPC flow logs) in CloudWatch.
   * @default false
   */
  readonly flowLogs?: boolean;
}

/** Keycloak settings shared by every site. */
export interface KeycloakInput {
  /** @default KeycloakImage.official() */
  readonly image?: KeycloakImage;
  /**
   * vCPUs per node (Fargate sizes: 0.25, 0.5, 1, 2, 4, 8, 16).
   * @default 2
   */
  readonly vcpu?: number;
  /**
   * Memory per node in MiB; must suit `vcpu` (Fargate combinations).
   * @default 4096
   */
  readonly memoryMiB?: number;
  /**
   * Database connections per node; initial, minimum and maximum pool size are set equal, as
   * Keycloak's high-availability guide does, so no node opens connections under load.
   * @default 30
   */
  readonly dbPoolSize?: number;
  /**
   * Copies of each distributed cache entry (authentication sessions, action tokens, login
   * failures) kept in the cluster; at least 2 so a node loss keeps every entry.
   * @default 2
   */
  readonly cacheOwners?: number;
  /**
   * User name of the temporary bootstrap administrator; its password is generated into a secret.
   * @default 'temp-admin'
   */
  readonly bootstrapAdminUsername?: string;
}

/** The Aurora PostgreSQL cluster. */
export interface DatabaseInput {
  /**
   * Aurora PostgreSQL engine version, `MAJOR.MINOR`.
   * @default '17.5'
   */
  readonly engineVersion?: string;
  /**
   * Writer plus readers (at least 2), each in a distinct zone where zones allow.
   * @default 2
   */
  readonly instances?: number;
  /** @default 'db.r7g.large' */
  readonly instanceClass?: string;
  /** @default 'keycloak' */
  readonly databaseName?: string;
  /** @default 14 */
  readonly backupRetentionDays?: number;
  /** @default true */
  readonly deletionProtection?: boolean;
}

/** Load balancing and logging. */
export interface TrafficInput {
  /**
   * How long the load balancer keeps a browser on the node named by its `AUTH_SESSION_ID` cookie.
   * @default 3600
   */
  readonly stickinessSeconds?: number;
  /**
   * Seconds a stopping node keeps serving its in-flight requests.
   * @default 30
   */
  readonly deregistrationDelaySeconds?: number;
  /**
   * Seconds between readiness checks of each node (`/health/ready` on port 9000).
   * @default 10
   */
  readonly healthCheckIntervalSeconds?: number;
  /**
   * A public load balancer; `false` makes it internal to the network.
   * @default true
   */
  readonly internetFacing?: boolean;
  /**
   * IPv4 networks that may reach the load balancer.
   * @default - everyone when internet-facing, the site's network when internal
   */
  readonly allowedClientCidrs?: readonly string[];
  /**
   * IPv4 networks that may reach the admin console and admin API (`/admin/`) through the load
   * balancer. Keycloak recommends not exposing them publicly; only `/realms/`, `/resources/`,
   * `/.well-known/` and `/robots.txt` are forwarded to everyone.
   * @default - none: administer from inside the network, or list your administrators' networks
   */
  readonly adminAllowedCidrs?: readonly string[];
  /**
   * Days Keycloak's logs are kept (a CloudWatch retention value).
   * @default 90
   */
  readonly logRetentionDays?: number;
}

/** Cross-site replication of the caches Keycloak keeps in each site's external Infinispan. */
export interface CachesInput {
  /**
   * Strategy per cache, overriding the defaults: SYNC between sites of one region (Keycloak's
   * blueprint), ASYNC across regions, and `actionTokens` SYNC so a one-time token stays one-time.
   * @default - the defaults above for every cache
   */
  readonly crossSite?: Readonly<Partial<Record<ExternalCacheName, CrossSiteStrategy>>>;
  /**
   * Replicate brute-force counters (`loginFailures`); Keycloak's cross-DC guide suggests not to
   * on slow links, where replicating every failed login invites a denial of service.
   * @default true
   */
  readonly replicateLoginFailures?: boolean;
  /**
   * Automatic fencing of an unreachable site: every cross-site backup stops once `minWaitMs` have
   * passed since the first of a run of failed backups and `afterFailures` of them failed, so the
   * surviving site stops waiting for (SYNC) or failing on (FAIL) a lost site or link with no
   * person involved. The failure table states the resulting time. Bring the site back with
   * bring-online and a state push (RUNBOOK.md).
   * @default { afterFailures: 3, minWaitMs: 15000 } - longer than the bridge's failure detection
   *   (FD_ALL3 10 s on AWS, Gossip Router heartbeat 8 s on Kubernetes), so a link blip JGroups does
   *   not even suspect fences nothing, and three failures so one slow backup fences nothing either
   */
  readonly takeOffline?: { readonly afterFailures?: number; readonly minWaitMs?: number };
}

/** What a user describes; `defineTopology()` fills the defaults. */
export interface TopologyInput {
  /**
   * The public hostname shared by every site, as `auth.example.com` or `https://auth.example.com`
   * (Keycloak is served at its root).
   */
  readonly hostname: string;
  /** @default KeycloakVersion.LATEST */
  readonly version?: KeycloakVersion;
  /** Sites keyed by name (a DNS label); names become part of resource addresses. */
  readonly sites: Readonly<Record<string, SiteInput>>;
  readonly keycloak?: KeycloakInput;
  readonly database?: DatabaseInput;
  readonly traffic?: TrafficInput;
  readonly caches?: CachesInput;
  /**
   * How several sites share the load.
   * @default - `active-active` when every site is in one region, `active-passive` otherwise
   */
  readonly mode?: Exclude<DeploymentMode, 'single-site'>;
  /**
   * The site that serves in active/passive and holds the database writer.
   * @default - the first site
   */
  readonly primarySite?: string;
  /**
   * Topologies Keycloak does not support that you accept knowingly, e.g.
   * `['cross-region-active-active']`. Without them such a topology is rejected.
   * @default - none
   */
  readonly acknowledge?: readonly RiskAcknowledgement[];
}

/** Defaults, in one place so the docs, the model and the tests agree. */
export const DEFAULTS = {
  cidr: '10.0.0.0/16',
  zones: 3,
  natGateways: 'per-zone' as NatGatewayMode,
  vcpu: 2,
  memoryMiB: 4096,
  dbPoolSize: 30,
  cacheOwners: 2,
  bootstrapAdminUsername: 'temp-admin',
  engineVersion: '17.5',
  instances: 2,
  instanceClass: 'db.r7g.large',
  databaseName: 'keycloak',
  backupRetentionDays: 14,
  stickinessSeconds: 3600,
  deregistrationDelaySeconds: 30,
  healthCheckIntervalSeconds: 10,
  logRetentionDays: 90,
  takeOffline: { afterFailures: 3, minWaitMs: 15000 },
} as const;

/**
 * Fills defaults. Never throws, whatever it is given: `validate()` reports what is wrong, with
 * the path of the offending prop.
 */
export function defineTopology(input: TopologyInput): Topology {
  const keycloak = input.keycloak ?? {};
  const database = input.database ?? {};
  const traffic = input.traffic ?? {};
  const sites: Record<string, Topology['sites'][string]> = {};
  const siteInputs = Object.entries(input.sites ?? {});
  const primarySite = input.primarySite ?? siteInputs[0]?.[0];
  for (const [name, site] of siteInputs) {
    const zones = site?.zones ?? DEFAULTS.zones;
    const zoneNames = Array.isArray(zones) ? [...zones] : undefined;
    const zoneCount = zoneNames ? zoneNames.length : (zones as number);
    sites[name] = {
      name,
      region: site?.region,
      cidr: site?.cidr ?? DEFAULTS.cidr,
      zoneCount,
      ...(zoneNames ? { zoneNames } : {}),
      nodes: site?.nodes ?? zoneCount,
      natGateways: site?.natGateways ?? DEFAULTS.natGateways,
      flowLogs: site?.flowLogs ?? false,
    };
  }
  const regions = new Set(siteInputs.map(([, site]) => site?.region));
  const intervalSeconds = traffic.healthCheckIntervalSeconds ?? DEFAULTS.healthCheckIntervalSeconds;
  return {
    mode: input.mode ?? (siteInputs.length <= 1 ? 'single-site' : regions.size === 1 ? 'active-active' : 'active-passive'),
    acknowledged: [...(input.acknowledge ?? [])],
    primarySite: primarySite ?? '',
    keycloak: {
      version: input.version ?? KeycloakVersion.LATEST,
      hostname: input.hostname,
      image: keycloak.image ?? KeycloakImage.official(),
      vcpu: keycloak.vcpu ?? DEFAULTS.vcpu,
      memoryMiB: keycloak.memoryMiB ?? DEFAULTS.memoryMiB,
      dbPoolSize: keycloak.dbPoolSize ?? DEFAULTS.dbPoolSize,
      bootstrapAdminUsername: keycloak.bootstrapAdminUsername ?? DEFAULTS.bootstrapAdminUsername,
    },
    sites,
    database: {
      engine: 'aurora-postgresql',
      engineVersion: database.engineVersion ?? DEFAULTS.engineVersion,
      instances: database.instances ?? DEFAULTS.instances,
      instanceClass: database.instanceClass ?? DEFAULTS.instanceClass,
      databaseName: database.databaseName ?? DEFAULTS.databaseName,
      backupRetentionDays: database.backupRetentionDays ?? DEFAULTS.backupRetentionDays,
      deletionProtection: database.deletionProtection ?? true,
    },
    caches: {
      owners: keycloak.cacheOwners ?? DEFAULTS.cacheOwners,
      crossSiteStrategies: { ...input.caches?.crossSite },
      replicateLoginFailures: input.caches?.replicateLoginFailures ?? true,
      takeOffline: {
        afterFailures: input.caches?.takeOffline?.afterFailures ?? DEFAULTS.takeOffline.afterFailures,
        minWaitMs: input.caches?.takeOffline?.minWaitMs ?? DEFAULTS.takeOffline.minWaitMs,
      },
    },
    traffic: {
      stickyCookie: 'AUTH_SESSION_ID',
      stickinessSeconds: traffic.stickinessSeconds ?? DEFAULTS.stickinessSeconds,
      // Keycloak 26 serves health on the management port; `/` redirects and must not be checked.
      targetHealthCheck: {
        path: '/health/ready',
        port: KEYCLOAK_PORTS.management,
        intervalSeconds,
        timeoutSeconds: Math.max(2, Math.min(5, intervalSeconds - 1)),
        healthyThreshold: 2,
        // Readiness includes the database: a node leaves only after 9 failed checks (the first can
        // come just after the failure, so 80–90 s), longer than an Aurora failover (under 60 s,
        // often under 30 s), so a failover does not make ECS replace every task at once.
        unhealthyThreshold: 9,
      },
      deregistrationDelaySeconds: traffic.deregistrationDelaySeconds ?? DEFAULTS.deregistrationDelaySeconds,
      internetFacing: traffic.internetFacing ?? true,
      allowedClientCidrs: traffic.allowedClientCidrs ??
        ((traffic.internetFacing ?? true) ? ['0.0.0.0/0'] : Object.values(sites).map((site) => site.cidr)),
      adminAllowedCidrs: traffic.adminAllowedCidrs ?? [],
      logRetentionDays: traffic.logRetentionDays ?? DEFAULTS.logRetentionDays,
    },
  };
}
