import { KeycloakImage } from './image';
import { KeycloakVersion } from './version';

/**
 * The single source of truth for a deployment. Patterns build one from their props with
 * `defineTopology()`, check it with `validate()`, and every construct, renderer and review
 * document reads its settings from it, so they cannot disagree.
 */
export interface Topology {
  /**
   * `single-site`: one site spread over zones. `active-active`: every site serves (Keycloak's
   * multi-site blueprint: sites in one region, synchronous cross-site caches). `active-passive`:
   * the primary site serves, the others take over on failure (the only sound shape across
   * regions: asynchronous replication, so writes of the last moments may be lost).
   */
  readonly mode: DeploymentMode;
  /** Risks the user accepted knowingly (they turn the matching errors off). */
  readonly acknowledged: readonly RiskAcknowledgement[];
  /**
   * The site that holds the database writer and, in active/passive, serves while the others
   * stand by. In active/active every site serves.
   */
  readonly primarySite: string;
  readonly keycloak: KeycloakSpec;
  /** Sites keyed by their name, in the order the user gave them. */
  readonly sites: Readonly<Record<string, SiteSpec>>;
  readonly database: DatabaseSpec;
  readonly caches: CacheSpec;
  readonly traffic: TrafficSpec;
}

export type DeploymentMode = 'single-site' | 'active-active' | 'active-passive';

/** Topologies Keycloak does not support, allowed only when named here. */
export type RiskAcknowledgement = 'cross-region-active-active' | 'cross-region-sync-replication';

/** How two sites are linked: sites of one region can replicate synchronously, others cannot. */
export type SiteLink = 'same-region' | 'cross-region';

/** Cross-site replication strategy of one cache (`NONE`: not replicated). */
export type CrossSiteStrategy = 'SYNC' | 'ASYNC' | 'NONE';

/** Keycloak caches kept in the external Infinispan of each site (persistent-sessions layout). */
export type ExternalCacheName = 'actionTokens' | 'authenticationSessions' | 'loginFailures' | 'work';

export interface KeycloakSpec {
  readonly version: KeycloakVersion;
  /** The one public hostname of every site: the token issuer derives from it. */
  readonly hostname: string;
  readonly image: KeycloakImage;
  /** Per node. */
  readonly vcpu: number;
  readonly memoryMiB: number;
  /** Initial, minimum and maximum size of each node's database pool (kept equal). */
  readonly dbPoolSize: number;
  readonly bootstrapAdminUsername: string;
}

/** How the outbound internet path of private subnets is built. */
export type NatGatewayMode = 'per-zone' | 'single';

export interface SiteSpec {
  readonly name: string;
  readonly region: string;
  /** The site's IPv4 block, e.g. `10.10.0.0/16`. */
  readonly cidr: string;
  /** How many availability zones the site spreads over. */
  readonly zoneCount: number;
  /** Explicit zone names; when absent the first `zoneCount` available zones are used. */
  readonly zoneNames?: readonly string[];
  /** Keycloak nodes in this site. */
  readonly nodes: number;
  readonly natGateways: NatGatewayMode;
  readonly flowLogs: boolean;
}

export interface DatabaseSpec {
  readonly engine: 'aurora-postgresql';
  readonly engineVersion: string;
  /** Writer plus readers, spread over distinct zones. */
  readonly instances: number;
  readonly instanceClass: string;
  readonly databaseName: string;
  readonly backupRetentionDays: number;
  readonly deletionProtection: boolean;
}

/** Keycloak's distributed caches and, with several sites, their cross-site replication. */
export interface CacheSpec {
  /** Copies of each entry of the distributed caches kept in a site's cluster. */
  readonly owners: number;
  /**
   * Per-cache cross-site strategy chosen by the user; caches not named follow the defaults
   * (SYNC between sites of one region, ASYNC across regions, `actionTokens` always SYNC).
   */
  readonly crossSiteStrategies: Readonly<Partial<Record<ExternalCacheName, CrossSiteStrategy>>>;
  /** Replicate brute-force counters across sites (Keycloak's cross-DC guide allows not to, on slow links). */
  readonly replicateLoginFailures: boolean;
  /**
   * Automatic fencing: when Infinispan stops backing up to an unreachable site by itself, rendered
   * as `<take-offline>` on every cross-site backup of every cache (both substrates).
   */
  readonly takeOffline: TakeOfflineSpec;
}

/**
 * Infinispan takes a backup site offline once at least `minWaitMs` have passed since the first of
 * a run of consecutive failed backups **and** at least `afterFailures` of them failed (either
 * condition alone when the other is 0); a successful backup resets the run. Timeouts, unreachable
 * and suspected sites count as failures, for SYNC and ASYNC backups alike. Once offline, writes no
 * longer back up to the site until it is brought online (SYNC: by an operator; ASYNC with automatic
 * state transfer: by Infinispan when the site rejoins). Source: infinispan/infinispan
 * `DefaultTakeOfflineManager.onCompleted` and `OfflineStatus.isOffline` (15.0, 16.0).
 */
export interface TakeOfflineSpec {
  readonly afterFailures: number;
  readonly minWaitMs: number;
}

export interface TrafficSpec {
  /** Cookie the load balancer keeps a login on one node by (Keycloak's route cookie). */
  readonly stickyCookie: 'AUTH_SESSION_ID';
  readonly stickinessSeconds: number;
  /** Readiness check of each node, on the management port. */
  readonly targetHealthCheck: HealthCheckSpec;
  readonly deregistrationDelaySeconds: number;
  readonly internetFacing: boolean;
  /** Networks allowed to reach the load balancer (443, and 80 for the redirect). */
  readonly allowedClientCidrs: readonly string[];
  /** Networks allowed to reach `/admin/` (console and admin API); empty: not exposed. */
  readonly adminAllowedCidrs: readonly string[];
  /** Days CloudWatch keeps Keycloak's logs. */
  readonly logRetentionDays: number;
}

export interface HealthCheckSpec {
  readonly path: string;
  readonly port: number;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

/** Well-known Keycloak ports (management and cluster ports are fixed by Keycloak 26). */
export const KEYCLOAK_PORTS = {
  http: 8080,
  management: 9000,
  /** JGroups TCP transport. */
  jgroups: 7800,
  /** JGroups failure detection (FD_SOCK2): transport port + 50000. */
  jgroupsFailureDetection: 57800,
} as const;

/** Keycloak's multi-site health endpoint on the main port: 200 UP, 503 when its external Infinispan is unreachable. */
export const LB_CHECK_PATH = '/lb-check';

/**
 * Failed probes before Kubernetes acts on a Keycloak pod (readiness: out of the Service;
 * liveness: restart). Readiness failing only takes a pod out of rotation, so three misses suffice;
 * ECS waits longer (`targetHealthCheck.unhealthyThreshold`) because there a failed check replaces the task.
 */
export const KUBERNETES_PROBE_FAILURE_THRESHOLD = 3;
