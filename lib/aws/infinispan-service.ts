import { Construct } from 'constructs';
import { CloudwatchLogGroup, EcsCluster, EcsService, EcsTaskDefinition, SecretsmanagerSecret, SecurityGroup, ServiceDiscoveryPrivateDnsNamespace, ServiceDiscoveryService, VpcSecurityGroupEgressRule, VpcSecurityGroupIngressRule } from '../private/aws-classes';
import { FARGATE_MEMORY_BY_VCPU } from '../model/aws-limits';
import { parseCidr } from '../model/cidr';
import { planSiteNetwork } from '../model/network-plan';
import { infinispanHost } from '../model/site-layout';
import { Topology } from '../model/topology';
import { defaultInfinispanImage } from '../render/infinispan-xml';
import { IDENTITY_ENV, identitiesBatchScript, INFINISPAN_IDENTITIES, InfinispanIdentity } from '../render/infinispan-identities';
import { renderSiteInfinispanXml } from '../render/infinispan-site';
import { Token } from '../private/cdktf';
import {
  awsLogsConfiguration, ContainerDefinition, CONTAINER_ULIMITS, createEcsCluster, createExecutionRole, createFargateTaskDefinition, rollingFargateService, secretVariable,
} from './fargate';
import { createGeneratedCredentials } from './generated-credentials';
import { AwsSiteContext } from './site-context';
import { SiteNetwork } from './site-network';

export interface InfinispanServiceProps {
  readonly network: SiteNetwork;
  /** Encrypts the log group and the Hot Rod credentials secret. */
  readonly kmsKeyArn: string;
  /**
   * `props.name` of the deployment: the site's context name is `<deploymentName>-<site>`, and every
   * site's Infinispan host (`infinispanHost`) derives from it, so each site names the others'
   * relay nodes without a reference to their stacks.
   */
  readonly deploymentName: string;
  /**
   * ARN of a Secrets Manager secret (in the site's region) the operator creates before the first
   * deploy, a JSON document with the keys `keystore` (base64 of a PKCS#12 keystore holding the
   * site's Infinispan key and certificate chain; the certificate must be valid for `host`),
   * `truststore` (base64 of a PKCS#12 truststore holding the CA that signed every site's
   * certificate), `password` (the password of both) and `ca` (PEM of that CA; Keycloak trusts it).
   * The keystore serves Hot Rod and, with the truststore, mutual TLS on JGroups: the site's
   * cluster and the cross-site bridge accept only nodes whose certificate the CA signed.
   * The full ARN, as Secrets Manager shows it (ending in `-` and six characters). Encrypt it with
   * the AWS managed key or the site's key (`kmsKeyArn`): the task's execution role may decrypt with
   * no other.
   */
  readonly tlsSecretArn: string;
  /**
   * @default - `quay.io/infinispan/server:<MAJOR.MINOR>` of the Infinispan the topology's Keycloak
   *   embeds (`defaultInfinispanImage`, the same default as the Kubernetes renderer)
   */
  readonly image?: string;
  /** vCPUs per task (a Fargate size). @default 1 */
  readonly vcpu?: number;
  /**
   * Memory per task, MiB (valid for `vcpu` on Fargate). The image sizes the heap at 50 % of it
   * (its `JAVA_MAX_MEM_RATIO` default), which is left as is. @default 2048
   */
  readonly memoryMiB?: number;
}

/** Ports of the Infinispan tasks (the renderer's defaults, which the task and its rules must match). */
const PORTS = { hotRod: 11222, jgroups: 7800, failureDetection: 57800, bridge: 7900 } as const;
/** Name of the Infinispan container in the task definition. */
export const INFINISPAN_CONTAINER = 'infinispan';
const WORK_DIR = '/tmp/infinispan';
const IDENTITIES_PATH = `${WORK_DIR}/identities.batch`;
const CONFIG_PATH = `${WORK_DIR}/infinispan.xml`;
const KEYSTORE_PATH = `${WORK_DIR}/hotrod-keystore.p12`;
const TRUSTSTORE_PATH = `${WORK_DIR}/truststore.p12`;
const ENV = {
  xml: 'INFINISPAN_XML',
  keystore: 'INFINISPAN_KEYSTORE_BASE64',
  truststore: 'INFINISPAN_TRUSTSTORE_BASE64',
  keystorePassword: 'INFINISPAN_KEYSTORE_PASSWORD',
} as const;
/**
 * Infinispan's anonymous health endpoint: GET answers 200 with the cluster health as text
 * (`HEALTHY`, `HEALTHY_REBALANCING`, `DEGRADED`, `INITIALIZING`, `FAILED`). Registered with
 * `.anonymous(true)` in ContainerResource (infinispan/infinispan server/rest, 15.x and 16.x);
 * documented for Data Grid 8.5 (Infinispan 15.0) as `GET /rest/v2/container/health/status`.
 */
const HEALTH_PATH = '/rest/v2/container/health/status';
const DNS_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const SECRET_ARN = /^arn:aws(?:-[a-z]+)*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;

/**
 * The external Infinispan of one AWS site, on ECS Fargate: the cache servers Keycloak keeps its
 * multi-site caches in, clustered inside the site and joined to the other sites by RELAY2.
 *
 * - Discovery: a Cloud Map private DNS namespace `<name>.internal` with the service `infinispan`
 *   (A records of the tasks) — the site's nodes find each other through it, other sites' relay
 *   nodes find them through it over VPC peering (associate the namespace's hosted zone with their
 *   VPCs), and Keycloak connects to it over Hot Rod with TLS.
 * - Network: the tasks run in the site's cache subnets; JGroups (7800, 57800) only between the
 *   tasks; the cross-site bridge (7900) only with the other sites' Infinispan (by group within a
 *   region, by their cache subnets across regions); Hot Rod (11222) only from groups given to
 *   `allowHotRodFrom`; outbound 443 for the image, secrets and logs.
 * - Transport: mutual TLS on every JGroups connection (site cluster and cross-site bridge) with the
 *   operator's keystore and truststore.
 * - Files on Fargate (no volumes): the container writes the rendered `infinispan.xml` (plain
 *   environment), the keystore and the truststore (from the operator's TLS secret) to `/tmp/infinispan` before
 *   starting the image's launch.sh. Passwords come from ECS `secrets`, never from the environment.
 */
export class InfinispanService extends Construct {
  readonly namespace: ServiceDiscoveryPrivateDnsNamespace;
  readonly discoveryService: ServiceDiscoveryService;
  /** Hot Rod host (`infinispanHost(context.name)`), a literal. */
  readonly host: string;
  readonly port: number = PORTS.hotRod;
  /** The cross-site bridge port of every relay node (the rendered bridge stack's). */
  readonly bridgePort: number = PORTS.bridge;
  readonly securityGroup: SecurityGroup;
  readonly cluster: EcsCluster;
  readonly service: EcsService;
  readonly taskDefinition: EcsTaskDefinition;
  readonly logGroup: CloudwatchLogGroup;
  /**
   * Hot Rod user Keycloak logs in with: `{ username, password }`, generated; username `keycloak`, in
   * group `deployer` (INFINISPAN_IDENTITIES: the caches' permissions, no administration).
   */
  readonly credentialsSecret: SecretsmanagerSecret;
  /**
   * The operator's user (`{ username, password }`, generated; username `operator`, group `admin`)
   * for the runbook's cross-site operations over REST. No task logs in with it.
   */
  readonly operatorSecret: SecretsmanagerSecret;
  /** The rendered infinispan.xml (also what the task runs). */
  readonly xml: string;
  /** The container of the task definition, as synthesized (its environment carries `xml`). */
  readonly container: ContainerDefinition;
  /** The operator's Hot Rod TLS secret (`props.tlsSecretArn`); Keycloak reads its `ca`. */
  readonly tlsSecretArn: string;
  /** Infinispan tasks ECS keeps running in the site. */
  readonly desiredCount: number;
  private readonly context: AwsSiteContext;

  constructor(scope: Construct, id: string, context: AwsSiteContext, props: InfinispanServiceProps) {
    super(scope, id);
    this.context = context;
    const { provider, tags, name, topology, site } = context;
    const settings = checkProps(context, props);
    const sites = Object.keys(topology.sites);
    this.host = infinispanHost(name);
    this.tlsSecretArn = props.tlsSecretArn;

    this.xml = renderSiteInfinispanXml(topology, site.name, {
      discovery: { dnsQuery: this.host, recordType: 'A' },
      bridge: {
        kind: 'dns',
        dnsQueries: Object.fromEntries(sites.map((s) => [s, infinispanHost(`${props.deploymentName}-${s}`)])),
        port: PORTS.bridge,
      },
      ports: { transport: PORTS.jgroups, failureDetectionOffset: PORTS.failureDetection - PORTS.jgroups, hotRod: PORTS.hotRod },
      hotRod: { tls: { keystorePath: KEYSTORE_PATH, keystorePasswordEnv: ENV.keystorePassword } },
      transportTls: {
        keystorePath: KEYSTORE_PATH, keystorePasswordEnv: ENV.keystorePassword,
        truststorePath: TRUSTSTORE_PATH, truststorePasswordEnv: ENV.keystorePassword,
      },
    });

    this.namespace = new ServiceDiscoveryPrivateDnsNamespace(this, 'Namespace', {
      provider,
      name: `${name}.internal`,
      description: `Infinispan of Keycloak site ${site.name}: in-site discovery, cross-site relay nodes, Hot Rod`,
      vpc: props.network.vpc.id,
      tags,
    });
    this.discoveryService = new ServiceDiscoveryService(this, 'DiscoveryService', {
      provider,
      name: 'infinispan',
      description: 'Infinispan tasks (A records)',
      dnsConfig: {
        namespaceId: this.namespace.id,
        // Short TTL: a replaced task must drop out of discovery and of Keycloak's Hot Rod host quickly.
        dnsRecords: [{ type: 'A', ttl: 10 }],
        routingPolicy: 'MULTIVALUE',
      },
      // ECS reports each task's health (its container health check) to Cloud Map.
      healthCheckCustomConfig: { failureThreshold: 1 },
      tags,
    });

    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      provider,
      name: `${name}-infinispan`,
      description: 'Infinispan tasks: JGroups between tasks, cross-site bridge with the other sites, Hot Rod from Keycloak',
      vpcId: props.network.vpc.id,
      tags: { ...tags, Name: `${name}-infinispan` },
    });
    this.allowNetworkPaths(topology);

    this.logGroup = new CloudwatchLogGroup(this, 'Logs', {
      provider,
      name: `/infinispan/${name}`,
      retentionInDays: topology.traffic.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
      tags,
    });
    this.credentialsSecret = createGeneratedCredentials(this, context, {
      ids: { secret: 'CredentialsSecret', password: 'CredentialsPassword', value: 'CredentialsSecretValue' },
      name: `${name}/infinispan-credentials`,
      description: 'Hot Rod user Keycloak logs in to the site\'s Infinispan with (role deployer)',
      username: 'keycloak' satisfies InfinispanIdentity,
      // The start script writes the password unquoted into a CLI batch line: letters and digits only (no punctuation is drawn).
      passwordLength: 32,
      kmsKeyArn: props.kmsKeyArn,
    }).secret;
    this.operatorSecret = createGeneratedCredentials(this, context, {
      ids: { secret: 'OperatorSecret', password: 'OperatorPassword', value: 'OperatorSecretValue' },
      name: `${name}/infinispan-operator`,
      description: 'Infinispan administrator for the runbook\'s cross-site operations (role admin)',
      username: 'operator' satisfies InfinispanIdentity,
      passwordLength: 32,
      kmsKeyArn: props.kmsKeyArn,
    }).secret;
    const identitySecrets: Record<InfinispanIdentity, SecretsmanagerSecret> = { keycloak: this.credentialsSecret, operator: this.operatorSecret };
    const executionRole = createExecutionRole(this, context, {
      roleName: `${name}-infinispan-execution`, label: 'Infinispan',
      secretArns: [this.credentialsSecret.arn, this.operatorSecret.arn, props.tlsSecretArn], kmsKeyArns: [props.kmsKeyArn],
    });
    this.cluster = createEcsCluster(this, context, `${name}-infinispan`);

    const container: ContainerDefinition = {
      name: INFINISPAN_CONTAINER,
      image: settings.image,
      essential: true,
      entryPoint: ['/bin/bash', '-c'],
      command: [startScript()],
      portMappings: [
        { name: 'hotrod', containerPort: PORTS.hotRod, protocol: 'tcp' },
        { name: 'jgroups', containerPort: PORTS.jgroups, protocol: 'tcp' },
        { name: 'jgroups-fd', containerPort: PORTS.failureDetection, protocol: 'tcp' },
        { name: 'xsite', containerPort: PORTS.bridge, protocol: 'tcp' },
      ],
      // Plain environment: the file holds no secret (its keystore password is `${env.…}`).
      environment: [{ name: ENV.xml, value: this.xml }],
      // `arn:json-key::` picks one key of the secret's JSON document.
      secrets: [
        ...INFINISPAN_IDENTITIES.flatMap(({ user }) => [
          secretVariable(IDENTITY_ENV[user].username, identitySecrets[user].arn, 'username'),
          secretVariable(IDENTITY_ENV[user].password, identitySecrets[user].arn, 'password'),
        ]),
        secretVariable(ENV.keystore, props.tlsSecretArn, 'keystore'),
        secretVariable(ENV.truststore, props.tlsSecretArn, 'truststore'),
        secretVariable(ENV.keystorePassword, props.tlsSecretArn, 'password'),
      ],
      healthCheck: {
        // HTTPS only (the endpoint is TLS): -k because the certificate names the service, not localhost.
        // grep accepts HEALTHY and HEALTHY_REBALANCING (a joining node rebalances), not DEGRADED/INITIALIZING/FAILED.
        // curl is in the 16.x image; the 15.0 image (ubi openjdk-runtime base) is only known to have
        // openssl, so the check falls back to a raw HTTPS request through `openssl s_client`.
        command: ['CMD-SHELL', `{ if command -v curl >/dev/null; then curl -fsk https://localhost:${PORTS.hotRod}${HEALTH_PATH}; ` +
          `else printf 'GET ${HEALTH_PATH} HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' | ` +
          `openssl s_client -quiet -connect localhost:${PORTS.hotRod} 2>/dev/null; fi; } | grep -q HEALTHY`],
        interval: 10,
        timeout: 5,
        retries: 3,
        startPeriod: 120,
      },
      logConfiguration: awsLogsConfiguration(this.logGroup, site.region, INFINISPAN_CONTAINER),
      // A leaving node hands its segments to the others (state transfer): give it Fargate's maximum.
      stopTimeout: 120,
      ulimits: CONTAINER_ULIMITS,
    };
    this.container = container;
    this.taskDefinition = createFargateTaskDefinition(this, context, {
      family: `${name}-infinispan`, vcpu: settings.vcpu, memoryMiB: settings.memoryMiB, executionRoleArn: executionRole.arn, container,
    });

    const nodes = infinispanNodes(topology, site.zoneCount);
    this.desiredCount = nodes;
    this.service = new EcsService(this, 'Service', {
      provider,
      name: 'infinispan',
      cluster: this.cluster.arn,
      taskDefinition: this.taskDefinition.arn,
      // One node at a time, the new one first: its segments are copied before an old node leaves.
      // Subnets of their own: sites in other regions admit exactly these addresses on the bridge.
      ...rollingFargateService(nodes, props.network.cacheSubnetIds, this.securityGroup.id),
      serviceRegistries: { registryArn: this.discoveryService.arn },
      tags,
    });
  }

  /**
   * Opens Hot Rod (11222) on the Infinispan tasks to a security group of the same VPC, typically
   * Keycloak's tasks. `id` is the rule's construct ID (part of its Terraform address).
   */
  allowHotRodFrom(id: string, securityGroupId: string, description: string): void {
    new VpcSecurityGroupIngressRule(this, id, {
      provider: this.context.provider,
      securityGroupId: this.securityGroup.id,
      referencedSecurityGroupId: securityGroupId,
      ipProtocol: 'tcp',
      fromPort: PORTS.hotRod,
      toPort: PORTS.hotRod,
      description,
    });
  }

  /**
   * JGroups between the site's tasks, the bridge with the cache subnets of the sites in other
   * regions (by address: security groups cannot reference each other across regions; sites of this
   * region are admitted by group reference where the peering is made), 443 out. DNS to the VPC
   * resolver is not subject to security groups. Rule IDs carry the other site's name and zone
   * number, so adding a site or a zone never renames an existing rule.
   */
  private allowNetworkPaths(topology: Topology): void {
    const { provider, site, tags } = this.context;
    const self = this.securityGroup.id;
    const tcp = (port: number) => ({ ipProtocol: 'tcp', fromPort: port, toPort: port });
    for (const [id, port, what] of [
      ['ClusterTransport', PORTS.jgroups, 'JGroups cluster transport between Infinispan tasks'],
      ['FailureDetection', PORTS.failureDetection, 'JGroups failure detection between Infinispan tasks'],
      // Every node is a relay node, so the site's own nodes meet in the bridge cluster too.
      ['Bridge', PORTS.bridge, 'Infinispan cross-site bridge (RELAY2) between the site\'s relay nodes'],
    ] as const) {
      new VpcSecurityGroupIngressRule(this, `${id}FromInfinispan`, {
        provider, securityGroupId: self, referencedSecurityGroupId: self, ...tcp(port), description: what,
      });
      new VpcSecurityGroupEgressRule(this, `${id}ToInfinispan`, {
        provider, securityGroupId: self, referencedSecurityGroupId: self, ...tcp(port), description: what,
      });
    }
    for (const other of Object.values(topology.sites).filter((s) => s.region !== site.region)) {
      for (const zone of planSiteNetwork(other).zones) {
        const n = zone.index + 1;
        const description = `Infinispan cross-site bridge (RELAY2) with site ${other.name} zone ${n}`;
        // The peer's cache subnets, where only its Infinispan tasks run.
        new VpcSecurityGroupIngressRule(this, `BridgeFrom-${other.name}-Zone${n}`, {
          provider, securityGroupId: self, cidrIpv4: zone.cache, ...tcp(PORTS.bridge), description, tags,
        });
        new VpcSecurityGroupEgressRule(this, `BridgeTo-${other.name}-Zone${n}`, {
          provider, securityGroupId: self, cidrIpv4: zone.cache, ...tcp(PORTS.bridge), description, tags,
        });
      }
    }
    new VpcSecurityGroupEgressRule(this, 'HttpsOutbound', {
      provider, securityGroupId: self, cidrIpv4: '0.0.0.0/0', ...tcp(443),
      description: 'HTTPS out through the NAT gateways: image registry, Secrets Manager, CloudWatch Logs',
    });
  }

}

/**
 * Tasks per site: one per zone, at least 2 and at most 3, and never fewer than the cache owners.
 * Two nodes keep a second copy of every entry (owners 2) through the loss of one; one per zone
 * up to three keeps nodes in other zones when a zone fails; more nodes would only add copies
 * Keycloak's few small caches do not need.
 */
function infinispanNodes(topology: Topology, zoneCount: number): number {
  return Math.max(topology.caches.owners, Math.min(Math.max(zoneCount, 2), 3));
}

/**
 * What the container runs through `bash -c` (ECS has no volumes on Fargate for small files):
 * write the rendered configuration, the decoded keystore and truststore and the users' CLI batch
 * (`identitiesBatchScript`) to a private folder, drop the variables, then hand over to the image's
 * launch.sh, which creates the users of the batch (`IDENTITIES_BATCH`) and execs server.sh with
 * `--bind-address=0.0.0.0` and these arguments.
 * `-c` with an absolute path is used as is; JGroups binds to the task's private (RFC 1918) address.
 */
function startScript(): string {
  return [
    'set -eu',
    'umask 077',
    `mkdir -p ${WORK_DIR}`,
    `printf '%s' "$${ENV.xml}" > ${CONFIG_PATH}`,
    `printf '%s' "$${ENV.keystore}" | base64 -d > ${KEYSTORE_PATH}`,
    `printf '%s' "$${ENV.truststore}" | base64 -d > ${TRUSTSTORE_PATH}`,
    `unset ${ENV.xml} ${ENV.keystore} ${ENV.truststore}`,
    ...identitiesBatchScript(IDENTITIES_PATH),
    `exec /opt/infinispan/bin/launch.sh -c ${CONFIG_PATH} -Djgroups.bind.address=SITE_LOCAL`,
  ].join('\n');
}

interface Settings {
  readonly image: string;
  readonly vcpu: number;
  readonly memoryMiB: number;
}

/** Every problem with the props at once, each naming the prop, the value and the fix. */
function checkProps(context: AwsSiteContext, props: InfinispanServiceProps): Settings {
  const { topology, site, name } = context;
  const problems: string[] = [];
  const fail = (field: string, value: unknown, fix: string) => problems.push(`${field} is ${value === undefined ? 'missing' : JSON.stringify(value)}; ${fix}`);
  const sites = Object.keys(topology.sites);
  if (sites.length < 2) {
    fail('topology.sites', sites, 'list at least two sites: a single site keeps Keycloak\'s caches embedded and needs no external Infinispan');
  }
  if (typeof props.deploymentName !== 'string' || !DNS_LABEL.test(props.deploymentName)) {
    fail('deploymentName', props.deploymentName, "use the deployment's name (a DNS label), the prefix of every site's context name");
  } else if (`${props.deploymentName}-${site.name}` !== name) {
    fail('deploymentName', props.deploymentName, `use the prefix of the context name '${name}' (expected '<deploymentName>-${site.name}'); ` +
      'every site derives the other sites\' Infinispan hosts from it');
  }
  const cidr = parseCidr(site.cidr);
  if (!cidr || !isRfc1918(cidr.network)) {
    fail(`sites.${site.name}.cidr`, site.cidr, 'use a block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16: Infinispan binds JGroups to the ' +
      'task\'s SITE_LOCAL address, which only RFC 1918 addresses are');
  }
  const arn = props.tlsSecretArn;
  if (typeof arn !== 'string' || !Token.isUnresolved(arn)) {
    const match = typeof arn === 'string' ? SECRET_ARN.exec(arn) : null;
    if (!match) {
      fail('tlsSecretArn', arn, 'give the full ARN of a Secrets Manager secret, e.g. ' +
        `'arn:aws:secretsmanager:${site.region}:123456789012:secret:keycloak/infinispan-tls-AbCdEf' (JSON keys keystore, password, ca)`);
    } else if (match[1] !== site.region) {
      fail('tlsSecretArn', arn, `create the secret in the site's region ${site.region} (it is in ${match[1]}) or replicate it there and give the replica's ARN`);
    }
  }
  if (props.image !== undefined && (typeof props.image !== 'string' || props.image.trim() === '')) {
    fail('image', props.image, 'omit it or name an image, e.g. quay.io/infinispan/server:16.0');
  }
  const vcpu = props.vcpu ?? 1;
  const memoryMiB = props.memoryMiB ?? 2048;
  const memories = FARGATE_MEMORY_BY_VCPU.get(vcpu);
  if (!memories) {
    fail('vcpu', vcpu, `use a Fargate size: ${[...FARGATE_MEMORY_BY_VCPU.keys()].join(', ')}`);
  } else if (!memories.includes(memoryMiB)) {
    fail('memoryMiB', memoryMiB, `use a memory Fargate allows with ${vcpu} vCPU: ${memories[0]}–${memories[memories.length - 1]} MiB in its steps`);
  }
  if (problems.length > 0) {
    throw new Error(`InfinispanService: invalid props for site '${site.name}':\n- ${problems.join('\n- ')}`);
  }
  return { image: props.image ?? defaultInfinispanImage(topology.keycloak.version), vcpu, memoryMiB };
}

function isRfc1918(address: number): boolean {
  const inBlock = (base: number, prefix: number) => (address >>> (32 - prefix)) === (base >>> (32 - prefix));
  return inBlock(0x0a000000, 8) || inBlock(0xac100000, 12) || inBlock(0xc0a80000, 16);
}
