import { Construct } from 'constructs';
import { CloudwatchLogGroup, DbSubnetGroup, RdsCluster, RdsClusterInstance, RdsClusterParameterGroup, SecurityGroup, VpcSecurityGroupIngressRule } from '../private/aws-classes';
import { requireWriteOnlyArguments } from '../private/cdktf';
import { DATABASE_MASTER_USERNAME, DatabaseCredentials } from './aurora-global';
import { AwsSiteContext } from './site-context';
import { SiteNetwork } from './site-network';

export interface AuroraDatabaseProps {
  readonly network: SiteNetwork;
  /** Encrypts storage, the master secret and Performance Insights. */
  readonly kmsKeyArn: string;
  /**
   * Membership in an Aurora Global Database (multi-region). RDS cannot manage the password of a
   * global member, so the primary takes `DatabaseCredentials` and secondaries the ARN of the
   * credentials' replica in their region.
   * @default - a regional cluster whose master password RDS manages
   */
  readonly global?: AuroraGlobalMembership;
}

/**
 * How a site's cluster takes part in an Aurora Global Database: the master's credentials and
 * Keycloak's role's (the primary's secrets, or their replicas' ARNs in a secondary's region).
 */
export type AuroraGlobalMembership =
  | {
    readonly role: 'primary'; readonly globalClusterIdentifier: string;
    readonly credentials: DatabaseCredentials; readonly keycloakCredentials: DatabaseCredentials;
  }
  | {
    readonly role: 'secondary'; readonly globalClusterIdentifier: string;
    readonly credentialsSecretArn: string; readonly keycloakCredentialsSecretArn: string;
  };

/**
 * How Keycloak reaches a database: the site's own cluster, the cluster of another site of the same
 * region, or an Aurora Global Database's writer endpoint.
 */
export interface DatabaseConnection {
  /** The writer's host name (cluster endpoint, or the global writer endpoint). */
  readonly writerEndpoint: string;
  /** Every instance's endpoint, in a stable order, for the PostgreSQL driver's multi-host failover. */
  readonly instanceEndpoints: readonly string[];
  readonly port: number;
  /**
   * Keycloak's own role (`KEYCLOAK_DATABASE_ROLE`): secret with `username` and `password`, in the
   * region of the tasks that read it. The only database secret the Keycloak container receives.
   */
  readonly credentialsSecretArn: string;
  /**
   * The master user's secret (`username`, `password`), in the region of the tasks that read it:
   * only the container that creates Keycloak's role (`renderDatabaseRoleSql`) receives it.
   */
  readonly masterSecretArn: string;
  /** @default 'cluster' */
  readonly endpointKind?: 'cluster' | 'global-writer';
  /**
   * KMS key both secrets are encrypted with, when it is not the reader's own site key
   * (a site using the cluster of another site of its region): readers need `kms:Decrypt` on it.
   * @default - the AWS-managed Secrets Manager key or the reader's site key
   */
  readonly credentialsKmsKeyArn?: string;
}

/** PostgreSQL's port, which Aurora PostgreSQL keeps. */
export const POSTGRES_PORT = 5432;

/**
 * An Aurora PostgreSQL regional cluster: a writer and readers in distinct zones of the database
 * subnets, storage encrypted with the site key, TLS required, deletion protected, automated
 * backups and a final snapshot, PostgreSQL logs kept as long as Keycloak's, and a master password RDS generates, keeps in Secrets Manager and
 * rotates (it never passes through Terraform). Keycloak does not log in as the master user but as its
 * own role, whose credentials this construct keeps in a secret of their own (`credentialsSecretArn`).
 */
export class AuroraDatabase extends Construct implements DatabaseConnection {
  readonly cluster: RdsCluster;
  readonly instances: RdsClusterInstance[];
  readonly securityGroup: SecurityGroup;
  /** ARN of the secret of Keycloak's role (`username`, `password`). */
  readonly credentialsSecretArn: string;
  /** ARN of the master user's secret: RDS-managed, or the library's with a global database. */
  readonly masterSecretArn: string;
  readonly writerEndpoint: string;
  readonly instanceEndpoints: string[];
  readonly port = POSTGRES_PORT;
  readonly credentialsKmsKeyArn: string;
  private readonly context: AwsSiteContext;

  constructor(scope: Construct, id: string, context: AwsSiteContext, props: AuroraDatabaseProps) {
    super(scope, id);
    this.context = context;
    const { provider, tags, name, topology } = context;
    const spec = topology.database;
    const major = spec.engineVersion.split('.')[0];

    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      provider,
      name: `${name}-database`,
      description: 'Aurora PostgreSQL of Keycloak: PostgreSQL from Keycloak tasks only',
      vpcId: props.network.vpc.id,
      tags: { ...tags, Name: `${name}-database` },
    });
    const subnetGroup = new DbSubnetGroup(this, 'SubnetGroup', {
      provider,
      name: `${name}-database`,
      description: `Database subnets of Keycloak ${name}`,
      subnetIds: props.network.databaseSubnetIds,
      tags,
    });
    const parameters = new RdsClusterParameterGroup(this, 'Parameters', {
      provider,
      namePrefix: `${name}-pg${major}-`,
      family: `aurora-postgresql${major}`,
      description: `Keycloak ${name}: TLS required`,
      parameter: [{ name: 'rds.force_ssl', value: '1', applyMethod: 'pending-reboot' }],
      lifecycle: { createBeforeDestroy: true },
      tags,
    });

    // RDS would create the export's log group itself, without retention or encryption.
    const logs = new CloudwatchLogGroup(this, 'Logs', {
      provider,
      name: `/aws/rds/cluster/${name}/postgresql`,
      retentionInDays: topology.traffic.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
      tags,
    });
    const global = props.global;
    if (global?.role === 'primary') requireWriteOnlyArguments(this);
    const credentials = !global
      ? { masterUsername: DATABASE_MASTER_USERNAME, manageMasterUserPassword: true, masterUserSecretKmsKeyId: props.kmsKeyArn }
      : global.role === 'primary'
        ? { masterUsername: DATABASE_MASTER_USERNAME, masterPasswordWo: global.credentials.password, masterPasswordWoVersion: 1 }
        // A secondary inherits users and data from the primary.
        : {};
    this.cluster = new RdsCluster(this, 'Cluster', {
      provider,
      clusterIdentifier: name,
      engine: 'aurora-postgresql',
      engineMode: 'provisioned',
      engineVersion: spec.engineVersion,
      ...(global?.role === 'secondary' ? {} : { databaseName: spec.databaseName }),
      ...credentials,
      ...(global ? { globalClusterIdentifier: global.globalClusterIdentifier } : {}),
      // RDS fills in the replication source of a secondary; Terraform must not try to clear it...
      // ...on every member: a switchover turns the primary into a secondary, and clearing the field
      // on the next apply would detach (promote) that cluster and split the global database.
      ...(global ? { lifecycle: { ignoreChanges: ['replication_source_identifier'] } } : {}),
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      deletionProtection: spec.deletionProtection,
      backupRetentionPeriod: spec.backupRetentionDays,
      preferredBackupWindow: '02:00-03:00',
      preferredMaintenanceWindow: 'sun:03:30-sun:04:30',
      copyTagsToSnapshot: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${name}-final`,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      dbClusterParameterGroupName: parameters.name,
      port: POSTGRES_PORT,
      enabledCloudwatchLogsExports: ['postgresql'],
      dependsOn: [logs],
      tags,
    });

    const zoneCount = props.network.plan.zones.length;
    this.instances = Array.from({ length: spec.instances }, (_, i) =>
      new RdsClusterInstance(this, `Instance${i + 1}`, {
        provider,
        identifier: `${name}-${i + 1}`,
        clusterIdentifier: this.cluster.id,
        engine: this.cluster.engine,
        instanceClass: spec.instanceClass,
        // One instance per zone: the reader that takes over sits in another zone than the writer.
        availabilityZone: props.network.zoneName(i % zoneCount),
        dbSubnetGroupName: subnetGroup.name,
        publiclyAccessible: false,
        // AWS-applied minor upgrades would make the pinned engine_version drift and the next
        // apply fail trying to downgrade; versions move when database.engineVersion changes.
        autoMinorVersionUpgrade: false,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: props.kmsKeyArn,
        promotionTier: i,
        tags,
      }),
    );
    this.masterSecretArn = !global
      ? this.cluster.masterUserSecret.get(0).secretArn
      : global.role === 'primary' ? global.credentials.secret.arn : global.credentialsSecretArn;
    this.credentialsSecretArn = !global
      ? new DatabaseCredentials(this, 'KeycloakCredentials', context, { kmsKeyArn: props.kmsKeyArn, replicaRegions: [], user: 'keycloak' }).secret.arn
      : global.role === 'primary' ? global.keycloakCredentials.secret.arn : global.keycloakCredentialsSecretArn;
    // The RDS-managed secret and the library's DatabaseCredentials are all encrypted with the site key.
    this.credentialsKmsKeyArn = props.kmsKeyArn;
    this.writerEndpoint = this.cluster.endpoint;
    this.instanceEndpoints = this.instances.map((instance) => instance.endpoint);
  }

  /**
   * Lets another site's network reach PostgreSQL (security groups cannot be referenced across
   * VPCs of a peering in another region, so addresses are used).
   */
  allowConnectionsFromCidr(id: string, cidr: string, description: string): void {
    new VpcSecurityGroupIngressRule(this, id, {
      provider: this.context.provider,
      securityGroupId: this.securityGroup.id,
      cidrIpv4: cidr,
      ipProtocol: 'tcp',
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      description,
    });
  }

  /** Lets a security group reach PostgreSQL; nothing else is allowed in. */
  allowConnectionsFrom(id: string, securityGroupId: string, description: string): void {
    new VpcSecurityGroupIngressRule(this, id, {
      provider: this.context.provider,
      securityGroupId: this.securityGroup.id,
      referencedSecurityGroupId: securityGroupId,
      ipProtocol: 'tcp',
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      description,
    });
  }
}
