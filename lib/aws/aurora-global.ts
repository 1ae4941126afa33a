import { Construct } from 'constructs';
import { RdsGlobalCluster, SecretsmanagerSecret } from '../private/aws-classes';
import { DatabaseSpec } from '../model/topology';
import { KEYCLOAK_DATABASE_ROLE } from '../render/database-role';
import { Fn, TerraformProvider } from '../private/cdktf';
import { createGeneratedCredentials } from './generated-credentials';
import { AwsSiteContext } from './site-context';

export interface AuroraGlobalClusterProps {
  /** `global_cluster_identifier`, e.g. `keycloak`. */
  readonly name: string;
  readonly database: DatabaseSpec;
  /** A provider of the primary site's region (the global cluster is managed through it). */
  readonly provider?: TerraformProvider;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An Aurora Global Database: the primary site's cluster writes, clusters in other regions
 * replicate asynchronously (typically under a second behind) and can be promoted. A switchover
 * loses nothing; a failover may lose the writes not yet replicated, hence RPO > 0.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html
 */
export class AuroraGlobalCluster extends Construct {
  readonly globalCluster: RdsGlobalCluster;
  /** The identifier member clusters join with. */
  readonly identifier: string;

  constructor(scope: Construct, id: string, props: AuroraGlobalClusterProps) {
    super(scope, id);
    this.globalCluster = new RdsGlobalCluster(this, 'Resource', {
      provider: props.provider,
      globalClusterIdentifier: props.name,
      engine: 'aurora-postgresql',
      engineVersion: props.database.engineVersion,
      databaseName: props.database.databaseName,
      storageEncrypted: true,
      deletionProtection: props.database.deletionProtection,
      tags: props.tags,
    });
    this.identifier = this.globalCluster.globalClusterIdentifier;
  }
}

export interface DatabaseCredentialsProps {
  /** Encrypts the secret in its home region. */
  readonly kmsKeyArn: string;
  /** Regions of the other sites: the secret is replicated there, so a site reads it locally. */
  readonly replicaRegions: readonly string[];
  /**
   * Whose credentials: the cluster's master user, or Keycloak's own role.
   * @default 'master'
   */
  readonly user?: 'master' | 'keycloak';
}

/**
 * The cluster's master user. Only the task that creates Keycloak's role logs in as it
 * (`renderDatabaseRoleSql`); Keycloak itself logs in as `KEYCLOAK_DATABASE_ROLE`. The name stays
 * what 0.1.0 gave Keycloak's login: `master_username` forces a new cluster when it changes.
 */
export const DATABASE_MASTER_USERNAME = 'keycloak';

/**
 * Secrets Manager name of a site's database credentials: `<context name>/<suffix>` (the master's
 * keeps its 0.1.0 name: a new name would draw a password the cluster never received).
 */
export const DATABASE_SECRET_SUFFIX = { master: 'database', keycloak: 'database-app' } as const;

/**
 * Database credentials kept by the library: the master user of clusters where RDS cannot manage
 * the password, members of an Aurora Global Database (Aurora user guide, "Limitations for Secrets
 * Manager integration"), and Keycloak's own role on every cluster. The password is drawn by
 * Secrets Manager at the first apply and kept (`ignore_changes`), so it is in the secret and the
 * Terraform state, never in synthesized files. Replicas in the other sites' regions keep each site
 * independent of the primary region.
 */
export class DatabaseCredentials extends Construct {
  readonly secret: SecretsmanagerSecret;
  /** A Terraform expression of the password, for `master_password_wo` (write-only, never in state). */
  readonly password: string;
  private readonly homeRegion: string;

  constructor(scope: Construct, id: string, context: AwsSiteContext, props: DatabaseCredentialsProps) {
    super(scope, id);
    this.homeRegion = context.site.region;
    const user = props.user ?? 'master';
    const credentials = createGeneratedCredentials(this, context, {
      ids: { secret: 'Resource', password: 'Password', value: 'Value' },
      name: `${context.name}/${DATABASE_SECRET_SUFFIX[user]}`,
      description: user === 'master'
        ? 'Master user of the Keycloak database cluster (username, password); only the task creating Keycloak\'s role uses it'
        : 'Keycloak\'s own database role (username, password), created by the Keycloak task\'s database-role container',
      username: user === 'master' ? DATABASE_MASTER_USERNAME : KEYCLOAK_DATABASE_ROLE,
      passwordLength: 40,
      kmsKeyArn: props.kmsKeyArn,
      // Replicas use the region's Secrets Manager key: the other sites' keys live in their own stacks.
      replicaRegions: props.replicaRegions,
    });
    this.secret = credentials.secret;
    // The master's: used with master_password_wo and a fixed version, so only the first draw ever
    // reaches the cluster, the same one the secret keeps.
    this.password = credentials.password;
  }

  /** ARN of the secret (or its replica) in `region`. */
  arnIn(region: string): string {
    return region === this.homeRegion ? this.secret.arn : Fn.replace(this.secret.arn, `:${this.homeRegion}:`, `:${region}:`);
  }
}
