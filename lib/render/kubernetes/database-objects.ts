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
   * `required` stops writes while fewer standbys than `synchronousStandbys` are healthy (RPO 0);
   * `preferred` lets writes continue without them (CloudNativePG's "self-healing" mode).
   * @default - 'required' with 3 or more instances (one standby can fail and writes still wait for
   *   another); 'preferred' with 2, where losing the only standby would otherwise stop every login
   */
  readonly dataDurability?: 'required' | 'preferred';
}

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
      readonly synchronous: { readonly method: 'any' | 'first'; readonly number: number; readonly dataDurability: 'required' | 'preferred' };
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
    },
  };
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
  const dataDurability = options.dataDurability ?? (instances >= 3 ? 'required' : 'preferred');
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
  return { instances, name, namespace, owner, storageSize, synchronousStandbys, dataDurability };
}
