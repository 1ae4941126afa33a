import { Construct } from 'constructs';
import { DataAwsRdsGlobalCluster, DataAwsSecretsmanagerSecret } from '../private/aws-classes';
import { AuroraDatabase, DatabaseConnection } from '../aws/aurora-database';
import { AuroraGlobalCluster, DATABASE_SECRET_SUFFIX, DatabaseCredentials } from '../aws/aurora-global';
import { CredentialRotation } from '../aws/credential-rotation';
import { HostnameAlias, HostnameCertificate } from '../aws/hostname-dns';
import { InfinispanService } from '../aws/infinispan-service';
import { KeycloakService } from '../aws/keycloak-service';
import { KeycloakAlarmThresholds, KeycloakObservability } from '../aws/observability';
import { KeycloakLoadBalancer } from '../aws/load-balancer';
import { ICertificate, IHostedZone } from '../aws/references';
import { AwsSiteContext } from '../aws/site-context';
import { SiteKey } from '../aws/site-key';
import { SiteNetwork } from '../aws/site-network';
import { KeycloakImage } from '../model/image';
import { planSiteNetwork } from '../model/network-plan';

/**
 * Where a site's Keycloak finds its database:
 * - `regional`: a regional Aurora cluster of its own (one site, or the site holding the cluster
 *   the other sites of its region share);
 * - `shared`: the regional cluster of another site of the same region;
 * - `global-primary` / `global-secondary`: the site's member of an Aurora Global Database
 *   (one per region); Keycloak writes through the global writer endpoint, which follows a
 *   switchover or failover to the new primary region.
 */
export type SiteDatabasePlan =
  | { readonly kind: 'regional' }
  | {
    readonly kind: 'shared'; readonly connection: DatabaseConnection; readonly holder: string;
    /** The holder's password rotates (a regional cluster with an RDS-managed secret): roll after its window. */
    readonly holderRotates: boolean;
  }
  | { readonly kind: 'global-primary'; readonly globalClusterName: string; readonly replicaRegions: readonly string[] }
  | { readonly kind: 'global-secondary'; readonly globalClusterName: string; readonly primaryContextName: string };

export interface AwsSiteProps {
  /** The hostname's DNS name (no scheme, no path). */
  readonly host: string;
  readonly certificate?: ICertificate;
  readonly hostedZone?: IHostedZone;
  readonly alarmEmails?: readonly string[];
  readonly alarmThresholds?: KeycloakAlarmThresholds;
  /** @default { kind: 'regional' } */
  readonly database?: SiteDatabasePlan;
  /**
   * The site's external Infinispan, with several sites.
   * @default - none (one site: Keycloak's embedded caches only)
   */
  readonly infinispan?: {
    /** `props.name` of the deployment: every site's Infinispan host derives from it. */
    readonly deploymentName: string;
    readonly tlsSecretArn: string;
    readonly image?: string;
  };
  /** @default - `topology.keycloak.image` */
  readonly image?: KeycloakImage;
  /**
   * Keycloak nodes and sites that connect to this site's database (its own included), for the
   * connections alarm: all sites of the region sharing a regional cluster, every site for a global primary.
   * @default - this site alone
   */
  readonly databaseClients?: { readonly nodes: number; readonly sites: number };
  /**
   * The name this site's record gives its load balancer (when `hostedZone` is given): the hostname
   * with one site; with several, the site's own name (`siteRecordName`), which the GeoDNS records
   * alias and the site's health check probes.
   * @default - `host`
   */
  readonly recordName?: string;
}

/**
 * Everything of one AWS site, in dependency order; `KeycloakOnAws` makes one per site. Its parts
 * are exposed so users can attach more (listener rules, alarms, extra ingress). Construct IDs
 * here are part of the Terraform addresses: changing one replaces resources.
 */
export class AwsSite extends Construct {
  readonly key: SiteKey;
  readonly network: SiteNetwork;
  /** The site's own Aurora cluster; absent when it uses the cluster of another site of its region. */
  readonly database?: AuroraDatabase;
  /** The Aurora Global Database, in the site that created it (the primary's). */
  readonly globalDatabase?: AuroraGlobalCluster;
  /** How Keycloak reaches the database. */
  readonly databaseConnection: DatabaseConnection;
  /** The site's external Infinispan, with several sites. */
  readonly infinispan?: InfinispanService;
  readonly loadBalancer: KeycloakLoadBalancer;
  readonly keycloak: KeycloakService;
  readonly observability: KeycloakObservability;

  constructor(scope: Construct, id: string, context: AwsSiteContext, props: AwsSiteProps) {
    super(scope, id);
    this.key = new SiteKey(this, 'Key', context);
    const kmsKeyArn = this.key.arn;
    this.network = new SiteNetwork(this, 'Network', context, { kmsKeyArn });
    const plan = props.database ?? { kind: 'regional' };
    const { database, globalDatabase, connection } = this.createDatabase(context, plan, kmsKeyArn);
    this.database = database;
    this.globalDatabase = globalDatabase;
    this.databaseConnection = connection;
    if (props.infinispan) {
      this.infinispan = new InfinispanService(this, 'Infinispan', context, {
        network: this.network,
        kmsKeyArn,
        deploymentName: props.infinispan.deploymentName,
        tlsSecretArn: props.infinispan.tlsSecretArn,
        ...(props.infinispan.image ? { image: props.infinispan.image } : {}),
      });
    }
    const certificateArn = props.certificate?.certificateArn ??
      new HostnameCertificate(this, 'Certificate', context, {
        host: props.host, zone: requireZone(props), ownsValidationRecord: context.site.name === context.topology.primarySite,
      }).certificateArn;
    this.loadBalancer = new KeycloakLoadBalancer(this, 'LoadBalancer', context, { network: this.network, certificateArn });
    this.keycloak = new KeycloakService(this, 'Keycloak', context, {
      network: this.network,
      database: connection,
      loadBalancer: this.loadBalancer,
      kmsKeyArn,
      ...(props.image ? { image: props.image } : {}),
      ...(this.infinispan ? {
        infinispan: {
          host: this.infinispan.host,
          port: this.infinispan.port,
          credentialsSecretArn: this.infinispan.credentialsSecret.arn,
          tlsSecretArn: this.infinispan.tlsSecretArn,
        },
      } : {}),
    });
    const keycloakGroup = this.keycloak.securityGroup.id;
    this.database?.allowConnectionsFrom('PostgresFromKeycloak', keycloakGroup, 'PostgreSQL from Keycloak tasks');
    this.infinispan?.allowHotRodFrom('HotRodFromKeycloak', keycloakGroup, 'Hot Rod from Keycloak tasks');
    this.allowOtherSitesToDatabase(context);
    this.observability = new KeycloakObservability(this, 'Observability', context, {
      keycloak: this.keycloak,
      loadBalancer: this.loadBalancer,
      ...(this.database ? { database: this.database } : {}),
      ...(this.database && props.databaseClients && plan.kind !== 'global-secondary'
        ? { databaseClientNodes: props.databaseClients.nodes, databaseClientSites: props.databaseClients.sites } : {}),
      ...(plan.kind === 'global-secondary' ? { globalDatabaseSecondary: true } : {}),
      ...(this.infinispan ? {
        infinispan: {
          clusterName: this.infinispan.cluster.name,
          serviceName: this.infinispan.service.name,
          desiredCount: this.infinispan.desiredCount,
        },
      } : {}),
      kmsKeyArn,
      ...(props.alarmEmails ? { alarmEmails: props.alarmEmails } : {}),
      ...(props.alarmThresholds ? { thresholds: props.alarmThresholds } : {}),
    });
    if (plan.kind === 'regional' || (plan.kind === 'shared' && plan.holderRotates)) {
      // The RDS-managed password rotates in the holder's window; every site using it rolls after.
      new CredentialRotation(this, 'CredentialRotation', context, {
        secretArn: connection.masterSecretArn,
        rotate: plan.kind === 'regional',
        clusterArn: this.keycloak.cluster.arn,
        serviceName: this.keycloak.service.name,
        serviceArn: this.keycloak.service.id,
      });
    }
    if (props.hostedZone) {
      new HostnameAlias(this, 'Hostname', {
        ...(context.provider ? { provider: context.provider } : {}),
        name: props.recordName ?? props.host,
        zone: props.hostedZone,
        loadBalancerDnsName: this.loadBalancer.loadBalancer.dnsName,
        loadBalancerZoneId: this.loadBalancer.loadBalancer.zoneId,
      });
    }
  }

  private createDatabase(context: AwsSiteContext, plan: SiteDatabasePlan, kmsKeyArn: string): {
    database?: AuroraDatabase; globalDatabase?: AuroraGlobalCluster; connection: DatabaseConnection;
  } {
    const { provider, tags } = context;
    switch (plan.kind) {
      case 'regional': {
        const database = new AuroraDatabase(this, 'Database', context, { network: this.network, kmsKeyArn });
        return { database, connection: database };
      }
      case 'shared':
        return { connection: plan.connection };
      case 'global-primary': {
        const globalDatabase = new AuroraGlobalCluster(this, 'GlobalDatabase', {
          name: plan.globalClusterName, database: context.topology.database, ...(provider ? { provider } : {}), tags,
        });
        const credentials = new DatabaseCredentials(this, 'DatabaseCredentials', context, { kmsKeyArn, replicaRegions: plan.replicaRegions });
        const keycloakCredentials = new DatabaseCredentials(this, 'KeycloakDatabaseCredentials', context, {
          kmsKeyArn, replicaRegions: plan.replicaRegions, user: 'keycloak',
        });
        const database = new AuroraDatabase(this, 'Database', context, {
          network: this.network, kmsKeyArn,
          global: { role: 'primary', globalClusterIdentifier: globalDatabase.identifier, credentials, keycloakCredentials },
        });
        return { database, globalDatabase, connection: globalConnection(database, globalDatabase.globalCluster.endpoint) };
      }
      case 'global-secondary': {
        // Looked up by name in this region, not referenced across stacks: deploying this site
        // needs neither the primary region's API nor its stack's state.
        const [master, keycloak] = (['master', 'keycloak'] as const).map((user) => new DataAwsSecretsmanagerSecret(this,
          user === 'master' ? 'DatabaseCredentials' : 'KeycloakDatabaseCredentials',
          { provider, name: `${plan.primaryContextName}/${DATABASE_SECRET_SUFFIX[user]}` }));
        const database = new AuroraDatabase(this, 'Database', context, {
          network: this.network, kmsKeyArn,
          global: {
            role: 'secondary', globalClusterIdentifier: plan.globalClusterName,
            credentialsSecretArn: master.arn, keycloakCredentialsSecretArn: keycloak.arn,
          },
        });
        const global = new DataAwsRdsGlobalCluster(this, 'GlobalDatabase', { provider, identifier: plan.globalClusterName });
        return { database, connection: globalConnection(database, global.endpoint) };
      }
    }
  }

  /**
   * The sites that write to this site's cluster through the global endpoint (other regions) reach
   * it through the peering: PostgreSQL from their private subnets (security groups cannot
   * reference each other across regions). Sites of this region sharing the cluster are admitted
   * by Keycloak's security group where the peering is made. Keyed by site and zone, so adding a
   * site adds rules and renames none.
   */
  private allowOtherSitesToDatabase(context: AwsSiteContext): void {
    const database = this.database;
    if (!database) return;
    for (const other of Object.values(context.topology.sites)) {
      if (other.region === context.site.region) continue;
      for (const zone of planSiteNetwork(other).zones) {
        database.allowConnectionsFromCidr(`PostgresFrom-${other.name}-Zone${zone.index + 1}`, zone.private,
          `PostgreSQL from Keycloak of site ${other.name} zone ${zone.index + 1}`);
      }
    }
  }
}

/**
 * Keycloak of every region writes through the global writer endpoint, which AWS moves to the new
 * primary on a switchover or failover; this site's own credentials secret (or its replica).
 */
function globalConnection(database: AuroraDatabase, globalEndpoint: string): DatabaseConnection {
  return {
    writerEndpoint: globalEndpoint,
    instanceEndpoints: [globalEndpoint],
    port: database.port,
    credentialsSecretArn: database.credentialsSecretArn,
    masterSecretArn: database.masterSecretArn,
    credentialsKmsKeyArn: database.credentialsKmsKeyArn,
    endpointKind: 'global-writer',
  };
}

function requireZone(props: AwsSiteProps): IHostedZone {
  // validateAwsProps() rejects a topology with neither a certificate nor a hosted zone.
  if (!props.hostedZone) throw new Error('AwsSite: a certificate or a hosted zone is required');
  return props.hostedZone;
}
