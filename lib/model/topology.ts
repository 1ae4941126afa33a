import { KeycloakImage } from './image';
import { KeycloakVersion } from './version';

/**
 * The single source of truth for a deployment. Patterns build one from their props with
 * `defineTopology()`, check it with `validate()`, and every construct, renderer and review
 * document reads its settings from it, so they cannot disagree.
 */
export interface Topology {
  /** single-site: one site spread over zones. Multi-site modes arrive with cross-site caches. */
  readonly mode: DeploymentMode;
  readonly keycloak: KeycloakSpec;
  /** Sites keyed by their name, in the order the user gave them. */
  readonly sites: Readonly<Record<string, SiteSpec>>;
  readonly database: DatabaseSpec;
  readonly caches: CacheSpec;
  readonly traffic: TrafficSpec;
}

export type DeploymentMode = 'single-site';

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

/** Keycloak's distributed caches (in-site; cross-site replication arrives with multi-site modes). */
export interface CacheSpec {
  /** Copies of each entry of the distributed caches kept in a site's cluster. */
  readonly owners: number;
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
