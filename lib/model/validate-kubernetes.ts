import { parseCidr } from './cidr';
import { Diagnostic } from './diagnostic';
import { Topology } from './topology';

/** The plain-data props of a Kubernetes deployment that the topology does not hold. */
export interface KubernetesDeploymentInput {
  readonly namespace?: string;
  readonly sites: Readonly<Record<string, {
    readonly gossipRouter?: { readonly host?: string; readonly port?: number; readonly allowedClientCidrs?: readonly string[] };
  }>>;
  /** Whether the external Infinispan's Secrets were given (`infinispan`). */
  readonly infinispanSecrets: boolean;
  readonly hpa?: HpaInput;
  /** With `createCloudNativePgCluster`: the Cluster's durability. */
  readonly cloudNativePg?: { readonly dataDurability?: string };
}

export interface HpaInput {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuUtilization: number;
}

type Problem = Omit<Diagnostic, 'severity'>;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const HOST = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;

/**
 * The autoscaler's bounds against the site's nodes, as coded problems (the renderer throws on the
 * first one; `validateKubernetesDeployment` reports them all).
 */
export function hpaProblems(hpa: HpaInput, nodes: number, path = 'hpa'): Problem[] {
  const problems: Problem[] = [];
  const { minReplicas, maxReplicas, cpuUtilization } = hpa;
  if (!Number.isInteger(minReplicas) || minReplicas < nodes) {
    problems.push({ code: 'hpa-min-below-nodes', path: `${path}.minReplicas`, value: minReplicas,
      message: `is below the site's ${nodes} nodes, which the zone spread and cache owners are planned for`, fix: `use an integer ≥ ${nodes}` });
  }
  if (!Number.isInteger(maxReplicas) || maxReplicas < minReplicas) {
    problems.push({ code: 'hpa-max-below-min', path: `${path}.maxReplicas`, value: maxReplicas, message: 'is below hpa.minReplicas',
      fix: `use an integer ≥ ${minReplicas}; every pod opens the full database pool, so check the database's connection limit` });
  }
  if (!Number.isInteger(cpuUtilization) || cpuUtilization < 1 || cpuUtilization > 100) {
    problems.push({ code: 'hpa-cpu-invalid', path: `${path}.cpuUtilization`, value: cpuUtilization,
      message: 'is not a percentage of the CPU request between 1 and 100',
      fix: 'use e.g. 70; above 100 pods would run on the headroom Keycloak keeps for start-ups and failovers' });
  }
  return problems;
}

/**
 * Checks the Kubernetes-only props of a deployment against its topology: every finding at once,
 * each with a stable code, the prop's path, the value and a fix. Never throws.
 */
export function validateKubernetesDeployment(topology: Topology, input: KubernetesDeploymentInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  const error = (p: Problem) => out.push({ ...p, severity: 'error' });
  const warning = (p: Problem) => out.push({ ...p, severity: 'warning' });
  const namespace = input.namespace ?? 'keycloak';
  if (typeof namespace !== 'string' || !DNS_LABEL.test(namespace)) {
    error({ code: 'namespace-invalid', path: 'namespace', value: namespace, message: 'is not a namespace name (a DNS label)',
      fix: "use 1–63 lower-case letters, digits and inner hyphens, e.g. 'keycloak'" });
  }
  const sites = Object.values(topology.sites);
  const multiSite = topology.mode !== 'single-site';
  if (multiSite) {
    if (!input.infinispanSecrets) {
      error({ code: 'infinispan-secrets-missing', path: 'infinispan', value: undefined,
        message: 'is required with several sites: Keycloak keeps its cross-site caches in an external Infinispan per site',
        fix: 'pass infinispan: { credentialsSecret, hotRodTls, caSecret } naming the Secrets of the Hot Rod user, keystore and CA' });
    }
    for (const site of sites) {
      const at = `sites.${site.name}.gossipRouter`;
      const router = input.sites[site.name]?.gossipRouter;
      if (!router) {
        error({ code: 'gossip-router-missing', path: at, value: undefined,
          message: 'is required with several sites: the other sites relay their cross-site traffic through this site\'s Gossip Router',
          fix: "give { host: 'ispn-router.<site>.example.com', allowedClientCidrs: [<other sites' egress addresses>] }" });
        continue;
      }
      if (typeof router.host !== 'string' || !HOST.test(router.host)) {
        error({ code: 'gossip-router-host-invalid', path: `${at}.host`, value: router.host, message: 'is not a fully qualified DNS name',
          fix: "use the name the other sites resolve to this router's load balancer, e.g. 'ispn-router.site-a.example.com'" });
      }
      if (router.port !== undefined && (!Number.isInteger(router.port) || router.port < 1 || router.port > 65535)) {
        error({ code: 'gossip-router-port-invalid', path: `${at}.port`, value: router.port, message: 'is not a TCP port', fix: 'use 7900 (the default) or another port from 1 to 65535' });
      }
      const cidrs = router.allowedClientCidrs;
      if (!Array.isArray(cidrs) || cidrs.length === 0) {
        error({ code: 'gossip-router-open', path: `${at}.allowedClientCidrs`, value: cidrs,
          message: 'lists no network: the router relays every cross-site cache write and must not be open to everyone',
          fix: "list the other sites' egress (NAT) addresses, e.g. ['203.0.113.10/32']" });
      } else {
        cidrs.forEach((cidr, i) => {
          const parsed = parseCidr(cidr);
          if (!parsed || parsed.prefix === 0) {
            error({ code: 'gossip-router-open', path: `${at}.allowedClientCidrs[${i}]`, value: cidr,
              message: parsed ? 'opens the cross-site relay to the internet' : 'is not an IPv4 block',
              fix: "list the other sites' egress networks, e.g. '203.0.113.10/32'" });
          }
        });
      }
    }
  }
  if (input.hpa) {
    for (const site of sites) out.push(...hpaProblems(input.hpa, site.nodes).map((p): Diagnostic => ({ ...p, severity: 'error' })));
  }
  if (input.cloudNativePg) {
    if (multiSite) {
      error({ code: 'cloudnative-pg-several-sites', path: 'databaseConnection.createCloudNativePgCluster', value: true,
        message: 'would create an independent PostgreSQL in every site: the sites would not share realms, users or sessions',
        fix: 'with several sites use one database both sites reach (jdbcUrl, e.g. Aurora), or deploy a single site' });
    }
    const durability = input.cloudNativePg.dataDurability ?? 'required';
    if (durability === 'preferred') {
      warning({ code: 'cloudnative-pg-durability-preferred', path: 'databaseConnection.cloudNativePg.dataDurability', value: durability,
        message: 'lets commits proceed without a synchronous standby, so a primary lost after a standby outage loses those commits (RPO > 0)',
        fix: "use 'required' (the default) with 3 instances (database.instances: 3)" });
    } else if (topology.database.instances === 2) {
      warning({ code: 'cloudnative-pg-single-standby', path: 'database.instances', value: 2,
        message: 'with dataDurability required, every write (each login) waits while the only standby is down',
        fix: 'use database.instances: 3, so one standby can fail and commits still reach another' });
    }
  }
  return out;
}
