import { FailureMode } from '../model/failure-modes';
import { KeycloakVersion } from '../model/version';
import { KeycloakServerConfig, SecretReference, toEnvironment } from '../render/keycloak-options';
import { SynthesizedLoadBalancer } from './load-balancer';
import { RehearsalError } from './runtime';

/** One thing the rehearsal ran differently from the deployment, and why. */
export interface Substitution { readonly what: string; readonly deployed: string; readonly rehearsed: string; readonly why: string }

/** What a rehearsal needs of one site, read from the construct and its synthesized stack. */
export interface SitePlan {
  readonly name: string;
  readonly region: string;
  readonly nodes: number;
  readonly zones: readonly string[];
  /** The configuration the site's Keycloak tasks run with (the construct's own render). */
  readonly config: KeycloakServerConfig;
  /** The psql script the site's tasks create Keycloak's database role with (`renderDatabaseRoleSql`, as the construct rendered it). */
  readonly databaseRoleSql: string;
  readonly loadBalancer: SynthesizedLoadBalancer;
  /** The container's stop timeout (SIGTERM → SIGKILL), seconds. */
  readonly stopTimeoutSeconds: number;
  /** With several sites: the site's Infinispan host name (Cloud Map) and its rendered infinispan.xml. */
  readonly infinispanHost?: string;
  readonly infinispanXml?: string;
}

export interface RehearsalPlan {
  readonly deployment: string;
  readonly version: KeycloakVersion;
  readonly hostname: string;
  readonly image: { readonly bundlesAwsJdbcWrapper: boolean };
  readonly sites: readonly SitePlan[];
  readonly failureModes: readonly FailureMode[];
}

/** Local stand-ins for one site's endpoints and secrets. */
export interface LocalSite {
  readonly database: { readonly address: string; readonly port: number; readonly username: string; readonly password: string; readonly caFile: string };
  readonly loadBalancerAddress: string;
  readonly bootstrapAdminPassword: string;
  /** The site's Infinispan (several sites). */
  readonly infinispan?: { readonly address: string; readonly username: string; readonly password: string; readonly caFile: string };
}

/**
 * The Keycloak environment of one node: the site's rendered options (`toEnvironment`, as the task
 * definition has them), with only endpoints, secrets and bind addresses replaced; every
 * replacement is listed in `substitutions`.
 */
export function nodeEnvironment(site: SitePlan, local: LocalSite, node: { name: string; address: string }, substitutions?: Substitution[]): Record<string, string> {
  const note = (s: Substitution) => substitutions?.push(s);
  const options: Record<string, string> = { ...site.config.options };
  const dbUrl = options['db-url'];
  if (dbUrl !== undefined) {
    const rehearsed = localDatabaseUrl(dbUrl, local.database);
    note({ what: 'db-url', deployed: dbUrl, rehearsed, why: 'the Aurora endpoint (a Terraform token) becomes the local PostgreSQL; the RDS CA bundle becomes the throw-away CA that signed its certificate' });
    options['db-url'] = rehearsed;
  }
  if (options['proxy-trusted-addresses'] !== undefined) {
    const rehearsed = `${local.loadBalancerAddress}/32`;
    note({ what: 'proxy-trusted-addresses', deployed: options['proxy-trusted-addresses'], rehearsed, why: "the public subnets the ALB sends from become the local load balancer's address" });
    options['proxy-trusted-addresses'] = rehearsed;
  }
  options['http-host'] = node.address;
  note({ what: 'http-host', deployed: '(unset: all interfaces of the task)', rehearsed: node.address, why: 'each node has its own address, as each task has its own IP' });
  if (site.config.embeddedCluster) {
    options['cache-embedded-network-bind-address'] = node.address;
    note({ what: 'cache-embedded-network-bind-address', deployed: '(unset: the task IP)', rehearsed: node.address, why: 'JGroups binds the node’s own address' });
    // Keycloak names a node after its host name; the rehearsal's nodes share one host.
    options['spi-cache-embedded--default--node-name'] = node.name;
    note({ what: 'spi-cache-embedded--default--node-name', deployed: '(unset: the task host name)', rehearsed: node.name, why: 'nodes on one machine share a host name, and Keycloak refuses jboss.node.name' });
  }
  if (local.infinispan && options['cache-remote-host'] !== undefined) {
    note({ what: 'cache-remote-host', deployed: options['cache-remote-host'], rehearsed: local.infinispan.address, why: "the site's Infinispan (a Cloud Map name) becomes its address in the site's namespace" });
    options['cache-remote-host'] = local.infinispan.address;
  }
  if (local.infinispan && options['truststore-paths'] !== undefined) {
    note({ what: 'truststore-paths', deployed: options['truststore-paths'], rehearsed: local.infinispan.caFile, why: "Infinispan's CA (the operator's TLS secret) becomes the throw-away CA" });
    options['truststore-paths'] = local.infinispan.caFile;
  }
  const secrets: Record<SecretReference['source'], Partial<Record<SecretReference['key'], string>>> = {
    'database-credentials': { username: local.database.username, password: local.database.password },
    'bootstrap-admin': { password: local.bootstrapAdminPassword },
    'infinispan-credentials': local.infinispan ? { username: local.infinispan.username, password: local.infinispan.password } : {},
  };
  for (const [option, ref] of Object.entries(site.config.secretOptions)) {
    const value = secrets[ref.source][ref.key];
    if (value === undefined) throw new RehearsalError('secret-unsupported', `option ${option} reads ${ref.source}.${ref.key}, which this rehearsal cannot stand in for`, 'give the site its Infinispan');
    options[option] = value;
    note({ what: option, deployed: `secret ${ref.source} (key ${ref.key})`, rehearsed: '(generated for this run)', why: 'secrets are generated per rehearsal' });
  }
  return toEnvironment(options);
}

/**
 * The JDBC URL with the local database: same driver prefix, database name and parameters
 * (sslmode included), the host list replaced by the local server, `sslrootcert` by the local CA.
 */
export function localDatabaseUrl(url: string, database: LocalSite['database']): string {
  const match = /^(jdbc:(?:aws-wrapper:)?postgresql:\/\/)([^/]+)(\/[^?]*)(\?.*)?$/.exec(url);
  if (!match) throw new RehearsalError('db-url-unsupported', `db-url '${url}' is not a PostgreSQL JDBC URL`, 'rehearse a topology on PostgreSQL');
  const [, prefix, , path, query = ''] = match;
  const params = new URLSearchParams(query.slice(1));
  // The image's RDS CA bundle becomes the throw-away CA; the host list (one writer, or every
  // instance without the wrapper) becomes the one local server.
  if (params.has('sslrootcert')) params.set('sslrootcert', database.caFile);
  const rest = params.toString();
  return `${prefix}${database.address}:${database.port}${path}${rest ? `?${decodeURIComponent(rest)}` : ''}`;
}
