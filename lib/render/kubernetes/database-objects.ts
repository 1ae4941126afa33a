import type { ResourceRequirements, TopologySpreadConstraint } from 'kubernetes-types/core/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import { Topology } from '../../model/topology';

/** How a CloudNativePG cluster holds Keycloak's database. */
export interface CloudNativePgOptions {
  /** Namespace of the Cluster (Keycloak's, so the JDBC URL stays short). @default 'keycloak' */
  readonly namespace?: string;
  /** Name of the Cluster; CloudNativePG names its Services `<name>-rw`, `-ro` and `-r`. @default 'keycloak-db' */
  readonly name?: string;
  /**
   * A `kubernetes.io/basic-auth` Secret with `username` (equal to `owner`) and `password`:
   * CloudNativePG creates the database owner with it at bootstrap.
   * @default - CloudNativePG generates the password into the Secret `<name>-app` (keys `username`, `password`)
   */
  readonly credentialsSecretName?: string;
  /** Owner of the database, the user Keycloak connects as. @default 'keycloak' */
  readonly owner?: string;
  /** Volume per instance, a Kubernetes quantity. It can grow later, never shrink. @default '20Gi' */
  readonly storageSize?: string;
  /** @default - the cluster's default StorageClass */
  readonly storageClass?: string;
  /** PostgreSQL image. @default - the operator's default image for its release */
  readonly imageName?: string;
  /** Per instance. @default - none (the operator's defaults) */
  readonly resources?: ResourceRequirements;
  /** Standbys every commit waits for (quorum, `ANY n`). @default 1 */
  readonly synchronousStandbys?: number;
  /**
   * `required` stops writes while fewer standbys than `synchronousStandbys` are healthy (RPO 0, what
   * the review bundle states); `preferred` lets writes continue without them (CloudNativePG's
   * "self-healing" mode), so commits made meanwhile are lost if the primary then fails (RPO > 0).
   * The field exists since CloudNativePG 1.25. With 2 instances `required` stops writes while the
   * only standby is down: use 3 instances.
   * @default 'required'
   */
  readonly dataDurability?: 'required' | 'preferred';
  /**
   * The most Keycloak pods that can connect at once (every site's HPA maximum or nodes, plus the
   * rollout's surge pod): `max_connections` is that times the topology's pool size plus headroom.
   * @default - the topology's nodes of every site plus one surge pod each
   */
  readonly maxClientPods?: number;
  /**
   * Base backups and WAL archive in an object store (CloudNativePG's in-tree Barman Cloud support),
   * pruned after `retentionPolicy`; a ScheduledBackup takes a base backup every night.
   * @default - no backups (the review bundle's runbook says so)
   */
  readonly backup?: CloudNativePgBackup;
}

/** Where and how long CloudNativePG keeps backups. */
export interface CloudNativePgBackup {
  /** e.g. `s3://my-bucket/keycloak-db`. */
  readonly destinationPath: string;
  /**
   * Credentials for the store: a Secret's keys, or the IAM role of the instances' service account
   * (IRSA / Pod Identity).
   */
  readonly credentials:
    | { readonly inheritFromIAMRole: true }
    | { readonly secretName: string; readonly accessKeyIdKey: string; readonly secretAccessKeyKey: string };
  /** Base backups and WAL kept, `<n>d|w|m`. @default '30d' */
  readonly retentionPolicy?: string;
  /** Six-field cron (seconds first) of the base backup. @default '0 0 2 * * *' (02:00 every day) */
  readonly schedule?: string;
}

/** Connections kept free beyond Keycloak's pools: operators' sessions, monitoring, migrations. */
export const MAX_CONNECTIONS_HEADROOM = 20;

/** The parts of `postgresql.cnpg.io/v1` `Cluster` this library sets (CRD of CloudNativePG 1.30). */
export interface CloudNativePgCluster {
  readonly apiVersion: 'postgresql.cnpg.io/v1';
  readonly kind: 'Cluster';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly instances: number;
    readonly imageName?: string;
    readonly enableSuperuserAccess: boolean;
    readonly postgresql: {
      readonly parameters: { readonly max_connections: string };
      readonly synchronous: { readonly method: 'any' | 'first'; readonly number: number; readonly dataDurability: 'required' | 'preferred' };
    };
    readonly backup?: {
      readonly retentionPolicy: string;
      readonly barmanObjectStore: {
        readonly destinationPath: string;
        readonly s3Credentials: { readonly inheritFromIAMRole: true } | {
          readonly accessKeyId: { readonly name: string; readonly key: string };
          readonly secretAccessKey: { readonly name: string; readonly key: string };
        };
        readonly wal: { readonly compression: 'gzip' };
        readonly data: { readonly compression: 'gzip' };
      };
    };
    readonly bootstrap: { readonly initdb: { readonly database: string; readonly owner: string; readonly secret?: { readonly name: string } } };
    readonly storage: { readonly size: string; readonly storageClass?: string };
    readonly affinity: { readonly enablePodAntiAffinity: boolean; readonly podAntiAffinityType: 'preferred' | 'required'; readonly topologyKey: string };
    readonly topologySpreadConstraints: TopologySpreadConstraint[];
    readonly resources?: ResourceRequirements;
  };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** CloudNativePG derives Service and Secret names (`-rw`, `-app`) from the Cluster name. */
const CLUSTER_NAME = /^[a-z]([-a-z0-9]{0,58}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PG_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/**
 * Keycloak's PostgreSQL as a CloudNativePG `Cluster` in one Kubernetes cluster: the topology's
 * instance count spread one per zone and one per node, quorum-synchronous replication
 * (`postgresql.synchronous`, the API since CloudNativePG 1.24; `minSyncReplicas`/`maxSyncReplicas`
 * are its deprecated, mutually exclusive predecessor), and the `keycloak` database bootstrapped
 * with the owner from a Secret. No superuser access, no PodMonitor (`monitoring.enablePodMonitor`
 * is deprecated in the 1.30 CRD; create a PodMonitor yourself if you scrape the instances).
 *
 * Prerequisite: the CloudNativePG operator and its CRDs must be installed in the cluster first,
 * and this object is applied as a `kubernetes_manifest`, which needs the CRD at plan time.
 * Sources: https://cloudnative-pg.io/documentation/current/replication/ ("Synchronous Replication",
 * "Data Durability and Synchronous Replication"), the Cluster CRD (config/crd/bases at v1.30.0).
 * @throws listing every invalid option, its value and the fix
 */
export function renderCloudNativePgCluster(topology: Topology, options: CloudNativePgOptions): CloudNativePgCluster {
  const c = resolve(topology, options);
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: c.name, namespace: c.namespace, labels: { 'app.kubernetes.io/name': 'postgresql', 'app.kubernetes.io/part-of': 'keycloak' } },
    spec: {
      instances: c.instances,
      ...(options.imageName ? { imageName: options.imageName } : {}),
      enableSuperuserAccess: false,
      postgresql: {
        parameters: { max_connections: String(c.maxConnections) },
        // With one instance per zone (below), any standby that acknowledges is in another zone than the primary.
        synchronous: { method: 'any', number: c.synchronousStandbys, dataDurability: c.dataDurability },
      },
      bootstrap: { initdb: {
        database: topology.database.databaseName, owner: c.owner,
        ...(options.credentialsSecretName !== undefined ? { secret: { name: options.credentialsSecretName } } : {}),
      } },
      storage: { size: c.storageSize, ...(options.storageClass ? { storageClass: options.storageClass } : {}) },
      // Two instances on one node would fail together.
      affinity: { enablePodAntiAffinity: true, podAntiAffinityType: 'required', topologyKey: 'kubernetes.io/hostname' },
      topologySpreadConstraints: [{
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        // CloudNativePG labels every instance pod with its Cluster's name.
        labelSelector: { matchLabels: { 'cnpg.io/cluster': c.name } },
      }],
      ...(options.resources ? { resources: options.resources } : {}),
      ...(c.backup ? { backup: {
        retentionPolicy: c.backup.retentionPolicy,
        barmanObjectStore: {
          destinationPath: c.backup.destinationPath,
          s3Credentials: 'inheritFromIAMRole' in c.backup.credentials
            ? { inheritFromIAMRole: true as const }
            : {
              accessKeyId: { name: c.backup.credentials.secretName, key: c.backup.credentials.accessKeyIdKey },
              secretAccessKey: { name: c.backup.credentials.secretName, key: c.backup.credentials.secretAccessKeyKey },
            },
          wal: { compression: 'gzip' as const },
          data: { compression: 'gzip' as const },
        },
      } } : {}),
    },
  };
}

/** The `ScheduledBackup` that takes the Cluster's nightly base backup (the WAL is archived continuously). */
export interface CloudNativePgScheduledBackup {
  readonly apiVersion: 'postgresql.cnpg.io/v1';
  readonly kind: 'ScheduledBackup';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly schedule: string;
    readonly cluster: { readonly name: string };
    readonly method: 'barmanObjectStore';
    readonly backupOwnerReference: 'self';
    readonly immediate: boolean;
  };
}

/**
 * The nightly base backup of a Cluster rendered with `options.backup`, or nothing without it. The
 * first runs at once (`immediate`), so point-in-time recovery works from the first day.
 */
export function renderCloudNativePgScheduledBackup(topology: Topology, options: CloudNativePgOptions): CloudNativePgScheduledBackup[] {
  const c = resolve(topology, options);
  if (!c.backup) return [];
  return [{
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'ScheduledBackup',
    metadata: { name: `${c.name}-nightly`, namespace: c.namespace, labels: { 'app.kubernetes.io/name': 'postgresql', 'app.kubernetes.io/part-of': 'keycloak' } },
    spec: { schedule: c.backup.schedule, cluster: { name: c.name }, method: 'barmanObjectStore', backupOwnerReference: 'self', immediate: true },
  }];
}

/**
 * Keycloak's connections at most: every pod opens its whole pool at start (initial = min = max), so
 * `pods × pool`, plus headroom for everyone else.
 */
export function cloudNativePgMaxConnections(topology: Topology, maxClientPods?: number): number {
  const pods = maxClientPods ?? Object.values(topology.sites).reduce((sum, site) => sum + site.nodes + 1, 0);
  return pods * topology.keycloak.dbPoolSize + MAX_CONNECTIONS_HEADROOM;
}

/** Keycloak's JDBC URL for the Cluster: its read-write Service always points at the primary. */
export function cloudNativePgJdbcUrl(topology: Topology, options: Pick<CloudNativePgOptions, 'name' | 'namespace'> = {}): string {
  return `jdbc:postgresql://${options.name ?? 'keycloak-db'}-rw.${options.namespace ?? 'keycloak'}.svc:5432/${topology.database.databaseName}`;
}

function resolve(topology: Topology, options: CloudNativePgOptions) {
  const problems: string[] = [];
  const fail = (field: string, value: unknown, fix: string) => problems.push(`${field} is ${value === undefined ? 'missing' : JSON.stringify(value)}; ${fix}`);
  const named = (field: string, value: unknown, pattern: RegExp, what: string) => {
    if (typeof value !== 'string' || !pattern.test(value)) fail(field, value, `use ${what}`);
  };
  const instances = topology.database.instances;
  const name = options.name ?? 'keycloak-db';
  const namespace = options.namespace ?? 'keycloak';
  const owner = options.owner ?? 'keycloak';
  const storageSize = options.storageSize ?? '20Gi';
  const synchronousStandbys = options.synchronousStandbys ?? 1;
  const dataDurability = options.dataDurability ?? 'required';
  const maxConnections = cloudNativePgMaxConnections(topology, options.maxClientPods);
  if (options.maxClientPods !== undefined && (!Number.isInteger(options.maxClientPods) || options.maxClientPods < 1)) {
    fail('maxClientPods', options.maxClientPods, 'use a whole number of at least 1: the most Keycloak pods that run at once');
  }
  const backup = options.backup === undefined ? undefined : {
    destinationPath: options.backup.destinationPath,
    credentials: options.backup.credentials,
    retentionPolicy: options.backup.retentionPolicy ?? '30d',
    schedule: options.backup.schedule ?? '0 0 2 * * *',
  };
  if (backup) {
    if (typeof backup.destinationPath !== 'string' || !/^[a-z0-9]+:\/\/\S+$/.test(backup.destinationPath)) {
      fail('backup.destinationPath', backup.destinationPath, "use an object store URL such as 's3://my-bucket/keycloak-db'");
    }
    // The CRD's pattern for retentionPolicy.
    if (!/^[1-9][0-9]*[dwm]$/.test(backup.retentionPolicy)) fail('backup.retentionPolicy', backup.retentionPolicy, "use '<n>d', '<n>w' or '<n>m', e.g. '30d'");
    if (typeof backup.schedule !== 'string' || backup.schedule.trim().split(/\s+/).length !== 6) {
      fail('backup.schedule', backup.schedule, "use a six-field cron expression, seconds first, e.g. '0 0 2 * * *'");
    }
    const credentials = backup.credentials as Partial<Record<string, unknown>> | undefined;
    if (!credentials || (credentials.inheritFromIAMRole !== true && typeof credentials.secretName !== 'string')) {
      fail('backup.credentials', credentials, "use { inheritFromIAMRole: true } or { secretName, accessKeyIdKey, secretAccessKeyKey }");
    } else if (credentials.inheritFromIAMRole !== true) {
      named('backup.credentials.secretName', credentials.secretName, DNS_SUBDOMAIN, 'the name of the Secret holding the object store keys');
      named('backup.credentials.accessKeyIdKey', credentials.accessKeyIdKey, SECRET_KEY, 'the key of the access key id in that Secret');
      named('backup.credentials.secretAccessKeyKey', credentials.secretAccessKeyKey, SECRET_KEY, 'the key of the secret access key in that Secret');
    }
  }
  if (!Number.isInteger(instances) || instances < 2) {
    fail('topology.database.instances', instances, 'use at least 2 (3 recommended): synchronous replication needs a standby, and one instance loses the database with its zone');
  } else if (!Number.isInteger(synchronousStandbys) || synchronousStandbys < 1 || synchronousStandbys > instances - 1) {
    fail('synchronousStandbys', synchronousStandbys, `use a whole number from 1 to ${instances - 1} (instances - 1)`);
  }
  named('name', name, CLUSTER_NAME, 'a lower-case name starting with a letter, at most 60 characters, e.g. \'keycloak-db\'');
  named('namespace', namespace, DNS_LABEL, 'a DNS label such as \'keycloak\'');
  if (options.credentialsSecretName !== undefined) {
    named('credentialsSecretName', options.credentialsSecretName, DNS_SUBDOMAIN, 'the name of a kubernetes.io/basic-auth Secret whose username is the owner, or omit it');
  }
  named('owner', owner, PG_IDENTIFIER, 'a lower-case PostgreSQL role name such as \'keycloak\'');
  named('topology.database.databaseName', topology.database.databaseName, PG_IDENTIFIER, 'a lower-case PostgreSQL database name such as \'keycloak\'');
  named('storageSize', storageSize, QUANTITY, 'a Kubernetes quantity such as \'20Gi\'');
  if (options.storageClass !== undefined) named('storageClass', options.storageClass, DNS_SUBDOMAIN, 'a StorageClass name or omit it');
  if (options.imageName !== undefined && (typeof options.imageName !== 'string' || options.imageName.trim() === '')) fail('imageName', options.imageName, 'omit it or name a PostgreSQL image');
  if (dataDurability !== 'required' && dataDurability !== 'preferred') fail('dataDurability', dataDurability, "use 'required' or 'preferred'");
  if (problems.length > 0) throw new Error(`renderCloudNativePgCluster: invalid options:\n- ${problems.join('\n- ')}`);
  return { instances, name, namespace, owner, storageSize, synchronousStandbys, dataDurability, maxConnections, backup };
}
