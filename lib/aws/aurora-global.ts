import { Construct } from 'constructs';
import { RdsGlobalCluster, SecretsmanagerSecret } from '../private/aws-classes';
import { DatabaseSpec } from '../model/topology';
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
}

/** The database user Keycloak logs in as. */
export const DATABASE_USERNAME = 'keycloak';

/**
 * Database credentials kept by the library, for clusters where RDS cannot manage the password:
 * members of an Aurora Global Database (Aurora user guide, "Limitations for Secrets Manager
 * integration"). The password is drawn by Secrets Manager at the first apply and kept
 * (`ignore_changes`), so it is in the secret and the Terraform state, never in synthesized files.
 * Replicas in the other sites' regions keep each site independent of the primary region.
 */
export class DatabaseCredentials extends Construct {
  readonly secret: SecretsmanagerSecret;
  /** A Terraform expression of the password, for `master_password_wo` (write-only, never in state). */
  readonly password: string;
  private readonly homeRegion: string;

  constructor(scope: Construct, id: string, context: AwsSiteContext, props: DatabaseCredentialsProps) {
    super(scope, id);
    this.homeRegion = context.site.region;
    const credentials = createGeneratedCredentials(this, context, {
      ids: { secret: 'Resource', password: 'Password', value: 'Value' },
      name: `${context.name}/database`,
      description: 'Keycloak database credentials (username, password)',
      username: DATABASE_USERNAME,
      passwordLength: 40,
      kmsKeyArn: props.kmsKeyArn,
      // Replicas use the region's Secrets Manager key: the other sites' keys live in their own stacks.
      replicaRegions: props.replicaRegions,
    });
    this.secret = credentials.secret;
    // Used with master_password_wo and a fixed version: only the first draw ever reaches the
    // cluster, the same one the secret keeps.
    this.password = credentials.password;
  }

  /** ARN of the secret (or its replica) in `region`. */
  arnIn(region: string): string {
    return region === this.homeRegion ? this.secret.arn : Fn.replace(this.secret.arn, `:${this.homeRegion}:`, `:${region}:`);
  }
}
