import { Construct } from 'constructs';
import { CloudwatchLogGroup, EcsCluster, EcsService, EcsTaskDefinition, SecretsmanagerSecret, SecurityGroup, VpcSecurityGroupEgressRule, VpcSecurityGroupIngressRule } from '../private/aws-classes';
import { KeycloakImage } from '../model/image';
import { KEYCLOAK_PORTS } from '../model/topology';
import { KeycloakServerConfig, renderKeycloakConfig, SecretReference, toEnvironment, secretOptionEnvName, bootstrapsAdministrator } from '../render/keycloak-options';
import { DATABASE_ROLE_PASSWORD_ENV, renderDatabaseRoleSql } from '../render/database-role';
import { DatabaseConnection } from './aurora-database';
import { KeycloakLoadBalancer } from './load-balancer';
import {
  awsLogsConfiguration, ContainerDefinition, CONTAINER_ULIMITS, createEcsCluster, createExecutionRole, createFargateTaskDefinition, rollingFargateService, secretVariable,
} from './fargate';
import { createGeneratedCredentials } from './generated-credentials';
import { AwsSiteContext } from './site-context';
import { SiteNetwork } from './site-network';

/** The site's external Infinispan, with several sites. */
export interface KeycloakInfinispanLink {
  /** Hot Rod host (Cloud Map name of the site's Infinispan tasks). */
  readonly host: string;
  readonly port: number;
  /** Secret with the Hot Rod `username` and `password`. */
  readonly credentialsSecretArn: string;
  /** The operator's Hot Rod TLS secret; Keycloak reads its `ca` key (PEM) to trust Infinispan. */
  readonly tlsSecretArn: string;
}

export interface KeycloakServiceProps {
  readonly network: SiteNetwork;
  /** The site's own database, another site's of the same region, or a global writer endpoint. */
  readonly database: DatabaseConnection;
  /** @default - no external Infinispan (one site) */
  readonly infinispan?: KeycloakInfinispanLink;
  /** The image of this site's tasks. @default - `topology.keycloak.image` */
  readonly image?: KeycloakImage;
  readonly loadBalancer: KeycloakLoadBalancer;
  /** Encrypts the log group and the bootstrap secret. */
  readonly kmsKeyArn: string;
}

/** The secret an option's value comes from. */
function secretArnOf(ref: SecretReference, arns: Partial<Record<SecretReference['source'], string>>): string {
  const arn = arns[ref.source];
  // renderKeycloakConfig() asks for Infinispan credentials only with several sites, which pass `infinispan`.
  if (arn === undefined) throw new Error(`KeycloakService: option needs the '${ref.source}' secret; pass props.infinispan with several sites`);
  return arn;
}

/** Where the Keycloak container writes the PEM of Infinispan's CA before starting (its truststore). */
export const INFINISPAN_CA_PATH = '/tmp/infinispan-ca.pem';
/** Environment variable (from the TLS secret's `ca` key) the start script writes to INFINISPAN_CA_PATH. */
const INFINISPAN_CA_ENV = 'INFINISPAN_CA_PEM';

/**
 * Fargate has no volumes for small files, so with several sites the container starts through
 * bash (kc.sh is a bash script, so the image has it): it writes the CA PEM from the environment to
 * a file, drops the variable, and execs kc.sh with the task's command. `$0` is the label `kc.sh`.
 */
function startScriptWithCa(): string[] {
  return ['/bin/bash', '-c',
    `set -eu; umask 077; printf '%s\\n' "$${INFINISPAN_CA_ENV}" > ${INFINISPAN_CA_PATH}; unset ${INFINISPAN_CA_ENV}; exec /opt/keycloak/bin/kc.sh "$@"`,
    'kc.sh'];
}

/** Seconds ECS waits after SIGTERM before SIGKILL: Keycloak leaves the cluster and hands its cache entries over. */
export const KEYCLOAK_STOP_TIMEOUT_SECONDS = 60;

/** Name of the Keycloak container in the task definition. */
export const KEYCLOAK_CONTAINER = 'keycloak';

/** Name of the container that creates Keycloak's database role before Keycloak starts. */
export const DATABASE_ROLE_CONTAINER = 'database-role';

/**
 * Image of the database-role container: PostgreSQL's official image (psql 17, `\getenv` needs 15),
 * from Amazon ECR Public's mirror of Docker Official Images (no Docker Hub pull limits).
 */
export const DATABASE_ROLE_IMAGE = 'public.ecr.aws/docker/library/postgres:17-alpine';

/** Environment variable carrying `renderDatabaseRoleSql()` into the database-role container (no secret in it). */
const DATABASE_ROLE_SQL_ENV = 'DATABASE_ROLE_SQL';

/**
 * Keycloak on ECS Fargate: one service whose tasks spread over the private subnets of every zone.
 * Deployments start new tasks before stopping old ones (never below full capacity) and roll back
 * on failure. Cluster traffic (7800, 57800) flows only between Keycloak tasks; HTTP (8080) and
 * management (9000) only from the load balancer; PostgreSQL only from here to the database.
 * Secrets reach the container through ECS `secrets`, never as environment literals.
 */
export class KeycloakService extends Construct {
  readonly cluster: EcsCluster;
  readonly service: EcsService;
  readonly taskDefinition: EcsTaskDefinition;
  readonly securityGroup: SecurityGroup;
  readonly logGroup: CloudwatchLogGroup;
  /**
   * The temporary administrator (username, password), on the site that creates it: the only site,
   * or the primary one (the sites share one database, so one administrator serves every site).
   */
  readonly bootstrapAdminSecret?: SecretsmanagerSecret;
  /** The rendered server configuration the tasks run with. */
  readonly config: KeycloakServerConfig;
  /** The container of the task definition, as synthesized (the review bundle's keycloak.env shows it). */
  readonly container: ContainerDefinition;
  /** The container that creates Keycloak's database role before Keycloak starts (`DATABASE_ROLE_CONTAINER`). */
  readonly databaseRoleContainer: ContainerDefinition;
  /** The psql script that container runs (`renderDatabaseRoleSql`), as the review bundle and the rehearsal use it. */
  readonly databaseRoleSql: string;

  constructor(scope: Construct, id: string, context: AwsSiteContext, props: KeycloakServiceProps) {
    super(scope, id);
    const { provider, tags, name, topology, site } = context;
    const { keycloak } = topology;

    this.config = renderKeycloakConfig(topology, site.name, {
      database: {
        writerEndpoint: props.database.writerEndpoint,
        instanceEndpoints: props.database.instanceEndpoints,
        port: props.database.port,
        ...(props.database.endpointKind ? { endpointKind: props.database.endpointKind } : {}),
      },
      trustedProxyCidrs: props.network.plan.zones.map((zone) => zone.public),
      ...(props.infinispan
        ? { externalInfinispan: { host: props.infinispan.host, port: props.infinispan.port, truststorePath: INFINISPAN_CA_PATH } }
        : {}),
    });

    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      provider,
      name: `${name}-keycloak`,
      description: 'Keycloak tasks: cluster traffic between tasks, HTTP and management from the load balancer',
      vpcId: props.network.vpc.id,
      tags: { ...tags, Name: `${name}-keycloak` },
    });
    this.allowNetworkPaths(context, props);

    this.logGroup = new CloudwatchLogGroup(this, 'Logs', {
      provider,
      name: `/keycloak/${name}`,
      retentionInDays: topology.traffic.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
      tags,
    });
    this.bootstrapAdminSecret = bootstrapsAdministrator(topology, site.name) ? this.createBootstrapAdminSecret(context, props.kmsKeyArn) : undefined;
    const secretArns: Partial<Record<SecretReference['source'], string>> = {
      'database-credentials': props.database.credentialsSecretArn,
      ...(this.bootstrapAdminSecret ? { 'bootstrap-admin': this.bootstrapAdminSecret.arn } : {}),
      ...(props.infinispan ? { 'infinispan-credentials': props.infinispan.credentialsSecretArn } : {}),
    };
    const readable = [...Object.values(secretArns), props.database.masterSecretArn, ...(props.infinispan ? [props.infinispan.tlsSecretArn] : [])]
      .filter((arn): arn is string => arn !== undefined);
    const keys = [props.kmsKeyArn, ...(props.database.credentialsKmsKeyArn ? [props.database.credentialsKmsKeyArn] : [])];
    const executionRole = createExecutionRole(this, context, {
      roleName: `${name}-execution`, label: 'Keycloak', secretArns: readable, kmsKeyArns: [...new Set(keys)],
    });

    this.cluster = createEcsCluster(this, context, name);
    this.databaseRoleSql = renderDatabaseRoleSql(topology);
    this.databaseRoleContainer = databaseRoleContainer(context, props.database, this.databaseRoleSql, this.logGroup);

    const container: ContainerDefinition = {
      name: KEYCLOAK_CONTAINER,
      image: (props.image ?? keycloak.image).uri(keycloak.version),
      essential: true,
      ...(props.infinispan ? { entryPoint: startScriptWithCa() } : {}),
      command: [...this.config.command],
      // Keycloak logs in as its own role, which the database-role container creates or updates.
      dependsOn: [{ containerName: DATABASE_ROLE_CONTAINER, condition: 'SUCCESS' }],
      portMappings: [
        { name: 'http', containerPort: KEYCLOAK_PORTS.http, protocol: 'tcp' },
        { name: 'management', containerPort: KEYCLOAK_PORTS.management, protocol: 'tcp' },
        ...(this.config.embeddedCluster ? [
          { name: 'jgroups', containerPort: KEYCLOAK_PORTS.jgroups, protocol: 'tcp' },
          { name: 'jgroups-fd', containerPort: KEYCLOAK_PORTS.jgroupsFailureDetection, protocol: 'tcp' },
        ] : []),
      ],
      environment: Object.entries(toEnvironment(this.config.options)).map(([envName, value]) => ({ name: envName, value })),
      // `arn:json-key::` picks one key of the secret's JSON document.
      secrets: [
        ...Object.entries(this.config.secretOptions).map(([option, ref]) =>
          secretVariable(secretOptionEnvName(option, topology.keycloak.version), secretArnOf(ref, secretArns), ref.key)),
        ...(props.infinispan ? [secretVariable(INFINISPAN_CA_ENV, props.infinispan.tlsSecretArn, 'ca')] : []),
      ],
      logConfiguration: awsLogsConfiguration(this.logGroup, site.region, KEYCLOAK_CONTAINER),
      stopTimeout: KEYCLOAK_STOP_TIMEOUT_SECONDS,
      ulimits: CONTAINER_ULIMITS,
    };
    this.container = container;
    this.taskDefinition = createFargateTaskDefinition(this, context, {
      family: name, vcpu: keycloak.vcpu, memoryMiB: keycloak.memoryMiB, executionRoleArn: executionRole.arn, container,
      initContainers: [this.databaseRoleContainer],
    });

    this.service = new EcsService(this, 'Service', {
      provider,
      name: 'keycloak',
      cluster: this.cluster.arn,
      taskDefinition: this.taskDefinition.arn,
      // One node at a time, the new one first: in-flight logins and action tokens keep an owner.
      ...rollingFargateService(site.nodes, props.network.privateSubnetIds, this.securityGroup.id),
      loadBalancer: [{
        targetGroupArn: props.loadBalancer.targetGroup.arn,
        containerName: KEYCLOAK_CONTAINER,
        containerPort: KEYCLOAK_PORTS.http,
      }],
      // `kc.sh start` runs Keycloak's build step before the node is ready: allow for it.
      healthCheckGracePeriodSeconds: 300,
      // The target group must be attached to the load balancer before a service can use it.
      dependsOn: [props.loadBalancer.httpsListener],
      tags,
    });
  }

  private allowNetworkPaths(context: AwsSiteContext, props: KeycloakServiceProps): void {
    const { provider } = context;
    const self = this.securityGroup.id;
    const lb = props.loadBalancer.securityGroup.id;
    const tcp = (port: number) => ({ ipProtocol: 'tcp', fromPort: port, toPort: port });
    if (this.config.embeddedCluster) {
      new VpcSecurityGroupIngressRule(this, 'JgroupsFromKeycloak', {
        provider, securityGroupId: self, referencedSecurityGroupId: self, ...tcp(KEYCLOAK_PORTS.jgroups),
        description: 'JGroups cluster transport between Keycloak tasks',
      });
      new VpcSecurityGroupIngressRule(this, 'FailureDetectionFromKeycloak', {
        provider, securityGroupId: self, referencedSecurityGroupId: self, ...tcp(KEYCLOAK_PORTS.jgroupsFailureDetection),
        description: 'JGroups failure detection between Keycloak tasks',
      });
    }
    for (const [id, port, what] of [
      ['Http', KEYCLOAK_PORTS.http, 'HTTP'],
      ['Management', KEYCLOAK_PORTS.management, 'health checks'],
    ] as const) {
      new VpcSecurityGroupIngressRule(this, `${id}FromLoadBalancer`, {
        provider, securityGroupId: self, referencedSecurityGroupId: lb, ...tcp(port), description: `${what} from the load balancer`,
      });
      new VpcSecurityGroupEgressRule(props.loadBalancer, `${id}ToKeycloak`, {
        provider, securityGroupId: lb, referencedSecurityGroupId: self, ...tcp(port), description: `${what} to Keycloak tasks`,
      });
    }
    // Keycloak calls out to identity providers, SMTP and LDAP servers the realms name, and to AWS
    // APIs (image registry, Secrets Manager, logs): those destinations are not known here.
    new VpcSecurityGroupEgressRule(this, 'AllOutbound', {
      provider, securityGroupId: self, cidrIpv4: '0.0.0.0/0', ipProtocol: '-1',
      description: 'Outbound: database, AWS APIs, identity providers, SMTP, LDAP',
    });
  }

  /**
   * The temporary administrator Keycloak creates on its first start. The password is generated
   * by Secrets Manager and written once; it lives in Secrets Manager and the Terraform state,
   * never in synthesized files. Replace it with a real administrator after the first login.
   */
  private createBootstrapAdminSecret(context: AwsSiteContext, kmsKeyArn: string): SecretsmanagerSecret {
    return createGeneratedCredentials(this, context, {
      ids: { secret: 'BootstrapAdminSecret', password: 'BootstrapAdminPassword', value: 'BootstrapAdminSecretValue' },
      name: `${context.name}/bootstrap-admin`,
      description: 'Temporary Keycloak administrator created on first start',
      username: context.topology.keycloak.bootstrapAdminUsername,
      passwordLength: 32,
      kmsKeyArn,
    }).secret;
  }

}

/**
 * The container that runs `renderDatabaseRoleSql()` with psql as the master user, then exits: the
 * only container of the task given the master user's secret. It connects where Keycloak does (the
 * writer, or the global writer endpoint, which follows a switchover), so in every site it reaches
 * the one server that can create roles; on a read-only server the script changes nothing and
 * succeeds. TLS without certificate verification (`sslmode=require`): the image has no RDS CA
 * bundle; the cluster refuses plain connections (`rds.force_ssl`).
 */
function databaseRoleContainer(context: AwsSiteContext, database: DatabaseConnection, sql: string, logGroup: CloudwatchLogGroup): ContainerDefinition {
  const { topology, site } = context;
  const variables: Record<string, string> = {
    PGHOST: database.writerEndpoint,
    PGPORT: String(database.port),
    PGDATABASE: topology.database.databaseName,
    PGSSLMODE: 'require',
    PGCONNECT_TIMEOUT: '10',
    PGAPPNAME: DATABASE_ROLE_CONTAINER,
    [DATABASE_ROLE_SQL_ENV]: sql,
  };
  return {
    name: DATABASE_ROLE_CONTAINER,
    image: DATABASE_ROLE_IMAGE,
    essential: false,
    entryPoint: ['/bin/sh', '-c'],
    command: [`printf '%s\\n' "$${DATABASE_ROLE_SQL_ENV}" | psql -X -f -`],
    environment: Object.entries(variables).map(([name, value]) => ({ name, value })),
    secrets: [
      secretVariable('PGUSER', database.masterSecretArn, 'username'),
      secretVariable('PGPASSWORD', database.masterSecretArn, 'password'),
      secretVariable(DATABASE_ROLE_PASSWORD_ENV, database.credentialsSecretArn, 'password'),
    ],
    logConfiguration: awsLogsConfiguration(logGroup, site.region, DATABASE_ROLE_CONTAINER),
  };
}
