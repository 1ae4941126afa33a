import { createHash } from 'node:crypto';
import type { Deployment, StatefulSet } from 'kubernetes-types/apps/v1';
import type { ConfigMap, Container, EnvVar, Probe, ResourceRequirements, SecurityContext, Service, TopologySpreadConstraint } from 'kubernetes-types/core/v1';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { parseCidr } from '../../model/cidr';
import { Topology } from '../../model/topology';
import { defaultInfinispanImage, GossipRouterAddress } from '../infinispan-xml';
import { renderSiteInfinispanXml } from '../infinispan-site';
import { IDENTITY_ENV, identitiesBatchScript, INFINISPAN_IDENTITIES, InfinispanIdentity } from '../infinispan-identities';

/** A Secret entry, referenced by name and key; its value never enters the rendered objects. */
export interface SecretKeyReference {
  readonly name: string;
  readonly key: string;
}

/** Everything about one site's Infinispan that the topology does not say. */
export interface InfinispanObjectsOptions {
  /** Namespace of every object (Keycloak's pods must run in it too: the NetworkPolicy selects pods, not namespaces). @default 'keycloak' */
  readonly namespace?: string;
  /** DNS suffix of the cluster's Services. @default 'cluster.local' */
  readonly clusterDomain?: string;
  /** Infinispan pods; at least 2 so a pod loss keeps every entry (owners 2). @default - the site's zone count, at least 2 */
  readonly replicas?: number;
  /**
   * Image of Infinispan and of the Gossip Router (it runs from the same image).
   * @default - `quay.io/infinispan/server:<MAJOR.MINOR>` of the Infinispan that the topology's Keycloak embeds
   *   (a moving tag the image build publishes for every release; pin a full version for repeatable rollouts)
   */
  readonly image?: string;
  /**
   * Secret with the user Keycloak's Hot Rod client logs in with (and the metrics scrape). The
   * container creates it at start in group `deployer`: the caches' permissions and the schema
   * upload, no administration (INFINISPAN_IDENTITIES).
   */
  readonly credentialsSecret: InfinispanUserSecret;
  /**
   * Secret with the operator's user, created at start in group `admin`: the runbook's cross-site
   * operations (take-offline, bring-online, push-state) need it. No workload logs in with it.
   */
  readonly operatorCredentialsSecret: InfinispanUserSecret;
  /**
   * TLS identity of the site: a PKCS#12 keystore and truststore in one Secret, their (shared)
   * password in a Secret key. The keystore serves Hot Rod/REST; with the truststore (the CA that
   * signed every site's certificate) it also runs mutual TLS on JGroups — the site's cluster, the
   * cross-site bridge and the Gossip Router — as the Infinispan Operator's cross-site `encryption` does.
   */
  readonly hotRodTls: {
    readonly keystoreSecretName: string;
    /** File name (key) of the keystore in that Secret. @default 'keystore.p12' */
    readonly keystoreKey?: string;
    /** File name (key) of the truststore in that Secret. @default 'truststore.p12' */
    readonly truststoreKey?: string;
    readonly password: SecretKeyReference;
    /** @default - the keystore's only entry */
    readonly alias?: string;
  };
  /**
   * The Gossip Router of every other site, as this cluster reaches it (the address of its
   * LoadBalancer Service). The local site may be left out: it is then reached at its in-cluster
   * Service name, which avoids a hairpin through the load balancer and its source ranges.
   */
  readonly gossipRouters: Readonly<Record<string, GossipRouterAddress>>;
  /**
   * Networks the other sites' Infinispan pods connect from (their clusters' egress/NAT addresses);
   * the only sources the router's load balancer accepts. Required: the router relays every
   * cross-site message of the caches.
   */
  readonly remoteRouterClientCidrs: readonly string[];
  /** Port of the Gossip Router, in the pod and on its load balancer. @default 7900 (Infinispan Operator `CrossSitePort`) */
  readonly routerPort?: number;
  /**
   * The router's LoadBalancer Service: its `loadBalancerClass` (the controller that provisions it)
   * and annotations, merged over the defaults (yours win).
   * @default - the AWS Load Balancer Controller's NLB (`service.k8s.aws/nlb`), internet-facing, IP targets
   */
  readonly routerLoadBalancer?: { readonly className?: string; readonly annotations?: Readonly<Record<string, string>> };
  /** Labels of Keycloak's pods, the only Hot Rod clients let through. @default { 'app.kubernetes.io/name': 'keycloak' } */
  readonly keycloakPodLabels?: Readonly<Record<string, string>>;
  /**
   * Namespace of the Prometheus that scrapes Infinispan's `/metrics` on 11222.
   * @default - no scraping allowed through the NetworkPolicy
   */
  readonly metricsNamespace?: string;
  /**
   * Per Infinispan pod. @default - requests 1 CPU and 2Gi, memory limit 2Gi (the image sizes the heap
   * at half the limit), no CPU limit so throttling cannot delay JGroups heartbeats
   */
  readonly resources?: ResourceRequirements;
}

/** The Gossip Router of one site: TUNNEL's meeting point for the relay nodes of every site. */
export interface GossipRouterObjects {
  readonly deployment: Deployment;
  readonly service: Service;
  /** The router pods accept the tunnel port only from this site's Infinispan pods and `remoteRouterClientCidrs`. */
  readonly networkPolicy: NetworkPolicy;
}

/** The external Infinispan of one site, its Gossip Router included. */
export interface InfinispanSiteObjects {
  readonly configMap: ConfigMap;
  readonly statefulSet: StatefulSet;
  readonly podDisruptionBudget: PodDisruptionBudget;
  readonly discoveryService: Service;
  readonly hotRodService: Service;
  readonly networkPolicy: NetworkPolicy;
  readonly gossipRouter: GossipRouterObjects;
}

/** Object names, fixed so that Keycloak's options and the other sites can refer to them. */
export const INFINISPAN_NAMES = {
  configMap: 'infinispan-config',
  statefulSet: 'infinispan',
  hotRodService: 'infinispan',
  discoveryService: 'infinispan-discovery',
  gossipRouter: 'gossip-router',
} as const;

const PORTS = { hotRod: 11222, jgroups: 7800, failureDetection: 57800, router: 7900 } as const;
/** TUNNEL heartbeats of the bridge and the router's matching expiry (Keycloak blueprint: 2000/8000 ms). */
const HEARTBEAT = { intervalMs: 2000, timeoutMs: 8000 } as const;
/** FD_SOCK2 takes the first free port of 57800–57803 (renderInfinispanServerXml: `port_range` 3). */
const FAILURE_DETECTION_LAST_PORT = PORTS.failureDetection + 3;
const CONFIG_DIR = '/config';
/** See the StatefulSet's `minReadySeconds`. */
export const INFINISPAN_MIN_READY_SECONDS = 30;
/**
 * The AWS Load Balancer Controller's NLB switches, stated so that neither the controller nor a
 * changed default decides them: reachable from the other sites' clusters, traffic straight to the
 * router pod's IP (https://kubernetes-sigs.github.io/aws-load-balancer-controller/, service annotations).
 */
const ROUTER_LOAD_BALANCER_ANNOTATIONS = {
  'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
  'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
  // IP targets behind TCP listeners see the load balancer's private address unless client IP
  // preservation is on (AWS ELB docs, "Edit target group attributes for your Network Load
  // Balancer": off by default for IP-type TCP/TLS groups); the router's NetworkPolicy admits the
  // other sites by their own addresses, so it must be on.
  'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes': 'preserve_client_ip.enabled=true',
} as const;
const TLS_DIR = '/etc/infinispan/tls';
const KEYSTORE_PASSWORD_ENV = 'INFINISPAN_KEYSTORE_PASSWORD';
/** Where the start script writes the users' CLI batch. */
const IDENTITIES_PATH = '/tmp/identities.batch';

/** A Secret holding an Infinispan user (letters and digits only in the password: the CLI batch line is not quoted). */
export interface InfinispanUserSecret { readonly name: string; /** @default 'username' */ readonly usernameKey?: string; /** @default 'password' */ readonly passwordKey?: string }
/** Infinispan's anonymous health endpoint (ContainerResource, 15.x: `.anonymous(true)`); 200 whenever REST answers. */
const HEALTH_PATH = '/rest/v2/container/health/status';
const ZONE_KEY = 'topology.kubernetes.io/zone';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/**
 * The Kubernetes objects of one site's external Infinispan for Keycloak's multi-site setup: a
 * ConfigMap with the rendered `infinispan.xml`, a StatefulSet spread over zones, a headless Service
 * for DNS_PING, the Hot Rod Service, a PodDisruptionBudget, a NetworkPolicy, and the site's Gossip
 * Router (Deployment + LoadBalancer Service) through which RELAY2 crosses clusters (TUNNEL).
 * Secrets are only referenced. Same input, same objects.
 * @throws listing every invalid option, its value and the fix
 */
export function renderInfinispanObjects(topology: Topology, siteName: string, options: InfinispanObjectsOptions): InfinispanSiteObjects {
  const c = resolve(topology, siteName, options);
  const xml = renderSiteInfinispanXml(topology, siteName, {
    discovery: { dnsQuery: `${INFINISPAN_NAMES.discoveryService}.${c.namespace}.svc.${c.clusterDomain}` },
    bridge: { kind: 'tunnel', gossipRouters: c.gossipRouters, heartbeatIntervalMs: HEARTBEAT.intervalMs, heartbeatTimeoutMs: HEARTBEAT.timeoutMs },
    hotRod: { tls: { keystorePath: `${TLS_DIR}/${c.keystoreKey}`, keystorePasswordEnv: KEYSTORE_PASSWORD_ENV, keystoreAlias: options.hotRodTls.alias } },
    transportTls: {
      keystorePath: `${TLS_DIR}/${c.keystoreKey}`, keystorePasswordEnv: KEYSTORE_PASSWORD_ENV, keystoreAlias: options.hotRodTls.alias,
      truststorePath: `${TLS_DIR}/${c.truststoreKey}`, truststorePasswordEnv: KEYSTORE_PASSWORD_ENV,
    },
  });
  const meta = (name: string) => ({ name, namespace: c.namespace, labels: labelsOf('infinispan', siteName, 'cache') });
  return {
    configMap: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(INFINISPAN_NAMES.configMap), data: { 'infinispan.xml': xml } },
    statefulSet: statefulSet(c, meta(INFINISPAN_NAMES.statefulSet), xml),
    podDisruptionBudget: {
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta(INFINISPAN_NAMES.statefulSet),
      // One pod at a time, so its segments move to the others before the next one leaves.
      spec: { maxUnavailable: 1, selector: { matchLabels: selector() } },
    },
    discoveryService: {
      apiVersion: 'v1', kind: 'Service', metadata: meta(INFINISPAN_NAMES.discoveryService),
      // Headless and listing starting pods too: DNS_PING must find nodes before any is ready.
      spec: {
        clusterIP: 'None', publishNotReadyAddresses: true, selector: selector(),
        ports: [{ name: 'jgroups', port: PORTS.jgroups, targetPort: PORTS.jgroups, protocol: 'TCP' }],
      },
    },
    hotRodService: {
      apiVersion: 'v1', kind: 'Service', metadata: meta(INFINISPAN_NAMES.hotRodService),
      spec: { type: 'ClusterIP', selector: selector(), ports: [{ name: 'hotrod', port: PORTS.hotRod, targetPort: PORTS.hotRod, protocol: 'TCP' }] },
    },
    networkPolicy: networkPolicy(c, meta(INFINISPAN_NAMES.statefulSet)),
    gossipRouter: gossipRouterObjects(c),
  };
}

/** Every object of `renderInfinispanObjects`, in a fixed order (e.g. for a multi-document YAML). */
export function infinispanObjectList(objects: InfinispanSiteObjects): (ConfigMap | StatefulSet | PodDisruptionBudget | Service | NetworkPolicy | Deployment)[] {
  return [objects.configMap, objects.discoveryService, objects.hotRodService, objects.statefulSet, objects.podDisruptionBudget,
    objects.networkPolicy, objects.gossipRouter.deployment, objects.gossipRouter.service, objects.gossipRouter.networkPolicy];
}

// ---- options -----------------------------------------------------------------------------------

interface Resolved {
  readonly site: string;
  readonly namespace: string;
  readonly clusterDomain: string;
  readonly replicas: number;
  readonly image: string;
  readonly keystoreKey: string;
  readonly truststoreKey: string;
  readonly routerPort: number;
  readonly gossipRouters: Record<string, GossipRouterAddress>;
  readonly zoneNames?: readonly string[];
  readonly options: InfinispanObjectsOptions;
}

function resolve(topology: Topology, site: string, options: InfinispanObjectsOptions): Resolved {
  const problems: string[] = [];
  const fail = (field: string, value: unknown, fix: string) => problems.push(`${field} is ${value === undefined ? 'missing' : JSON.stringify(value)}; ${fix}`);
  const named = (field: string, value: unknown, pattern: RegExp, what: string) => {
    if (typeof value !== 'string' || !pattern.test(value)) fail(field, value, `use ${what}`);
  };
  const spec = topology.sites[site];
  const sites = Object.keys(topology.sites);
  if (!spec) fail('siteName', site, `use one of the topology's sites (${sites.join(', ')})`);
  if (sites.length < 2) fail('topology.sites', sites, 'list at least two sites: a single site keeps Keycloak\'s caches embedded and needs no external Infinispan');
  const namespace = options.namespace ?? 'keycloak';
  const clusterDomain = options.clusterDomain ?? 'cluster.local';
  const routerPort = options.routerPort ?? PORTS.router;
  const replicas = options.replicas ?? Math.max(2, spec?.zoneCount ?? 2);
  named('namespace', namespace, DNS_LABEL, 'a DNS label such as \'keycloak\'');
  named('clusterDomain', clusterDomain, DNS_SUBDOMAIN, 'the cluster\'s DNS domain, e.g. \'cluster.local\'');
  if (!Number.isInteger(replicas) || replicas < 2) {
    fail('replicas', replicas, 'use a whole number of at least 2: one pod cannot keep a second copy of the caches (owners 2)');
  }
  if (!Number.isInteger(routerPort) || routerPort < 1 || routerPort > 65535) fail('routerPort', routerPort, 'use a port from 1 to 65535');
  if (options.image !== undefined && (typeof options.image !== 'string' || options.image.trim() === '')) fail('image', options.image, 'omit it or name an image');

  const { hotRodTls: tls } = options;
  for (const [field, what] of [['credentialsSecret', 'the Hot Rod user'], ['operatorCredentialsSecret', "the operator's Infinispan user"]] as const) {
    const credentials = options[field] as InfinispanUserSecret | undefined;
    named(`${field}.name`, credentials?.name, DNS_SUBDOMAIN, `the name of the Secret holding ${what}`);
    named(`${field}.usernameKey`, credentials?.usernameKey ?? 'username', SECRET_KEY, 'a Secret key');
    named(`${field}.passwordKey`, credentials?.passwordKey ?? 'password', SECRET_KEY, 'a Secret key');
  }
  named('hotRodTls.keystoreSecretName', tls?.keystoreSecretName, DNS_SUBDOMAIN, 'the name of the Secret holding the keystore file');
  named('hotRodTls.keystoreKey', tls?.keystoreKey ?? 'keystore.p12', SECRET_KEY, 'the keystore\'s key (file name) in that Secret');
  named('hotRodTls.truststoreKey', tls?.truststoreKey ?? 'truststore.p12', SECRET_KEY, 'the truststore\'s key (file name) in that Secret');
  named('hotRodTls.password.name', tls?.password?.name, DNS_SUBDOMAIN, 'the name of the Secret holding the keystore password');
  named('hotRodTls.password.key', tls?.password?.key, SECRET_KEY, 'the key of the keystore password in that Secret');

  // Every site must list every site's router, or a bridge forms one-sidedly and fails late.
  const routers = options.gossipRouters ?? {};
  for (const remote of sites.filter((s) => s !== site && !Object.hasOwn(routers, s))) {
    fail(`gossipRouters['${remote}']`, undefined, `add { host, port } of site '${remote}'s Gossip Router load balancer: every site must reach every site's router`);
  }
  for (const key of Object.keys(routers).filter((k) => !sites.includes(k))) {
    fail(`gossipRouters['${key}']`, routers[key], `remove it or add site '${key}' to the topology`);
  }
  const cidrs = options.remoteRouterClientCidrs;
  if (!Array.isArray(cidrs) || cidrs.length === 0) {
    fail('remoteRouterClientCidrs', cidrs, 'list the egress networks of the other sites\' clusters; the router must not be open to everyone');
  } else {
    cidrs.forEach((cidr, i) => {
      const parsed = parseCidr(cidr);
      if (!parsed) fail(`remoteRouterClientCidrs[${i}]`, cidr, 'use an IPv4 block such as \'203.0.113.0/24\'');
      else if (parsed.prefix === 0) fail(`remoteRouterClientCidrs[${i}]`, cidr, 'list the other sites\' egress networks: 0.0.0.0/0 opens the cross-site relay to the internet');
    });
  }
  for (const [key, value] of Object.entries({ ...options.keycloakPodLabels })) {
    if (typeof value !== 'string' || value.length > 63) fail(`keycloakPodLabels['${key}']`, value, 'use a label value of at most 63 characters');
  }
  if (problems.length > 0) {
    throw new Error(`renderInfinispanObjects: invalid options for site '${site}':\n- ${problems.join('\n- ')}`);
  }
  const gossipRouters: Record<string, GossipRouterAddress> = {};
  for (const name of sites) {
    gossipRouters[name] = routers[name] ?? { host: `${INFINISPAN_NAMES.gossipRouter}.${namespace}.svc.${clusterDomain}`, port: routerPort };
  }
  return {
    site, namespace, clusterDomain, replicas, routerPort, gossipRouters, options,
    image: options.image ?? defaultInfinispanImage(topology.keycloak.version),
    keystoreKey: tls.keystoreKey ?? 'keystore.p12',
    truststoreKey: tls.truststoreKey ?? 'truststore.p12',
    zoneNames: spec.zoneNames,
  };
}

// ---- Infinispan ----------------------------------------------------------------------------------

// Label maps are built afresh for every use: a shared object would become a YAML anchor and alias.
const selector = () => ({ 'app.kubernetes.io/name': 'infinispan' });
const routerSelector = () => ({ 'app.kubernetes.io/name': INFINISPAN_NAMES.gossipRouter });

function labelsOf(name: string, site: string, component: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': `${name}-${site}`, 'app.kubernetes.io/component': component, 'app.kubernetes.io/part-of': 'keycloak-ha' };
}

function statefulSet(c: Resolved, metadata: StatefulSet['metadata'], xml: string): StatefulSet {
  const { options } = c;
  const secrets: Record<InfinispanIdentity, InfinispanUserSecret> = { keycloak: options.credentialsSecret, operator: options.operatorCredentialsSecret };
  const env: EnvVar[] = [
    { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    // The start script writes the users' CLI batch from these; launch.sh creates the users from it.
    ...INFINISPAN_IDENTITIES.flatMap(({ user }) => [
      { name: IDENTITY_ENV[user].username, valueFrom: { secretKeyRef: { name: secrets[user].name, key: secrets[user].usernameKey ?? 'username' } } },
      { name: IDENTITY_ENV[user].password, valueFrom: { secretKeyRef: { name: secrets[user].name, key: secrets[user].passwordKey ?? 'password' } } },
    ]),
    keystorePasswordVariable(options),
  ];
  // The endpoint is TLS-only, so kubelet probes over HTTPS (it does not verify the certificate).
  const health = (failureThreshold: number, periodSeconds: number): Probe => ({
    httpGet: { path: HEALTH_PATH, port: PORTS.hotRod, scheme: 'HTTPS' }, failureThreshold, periodSeconds, timeoutSeconds: 5,
  });
  const container: Container = {
    name: 'infinispan',
    image: c.image,
    // bash writes the users' CLI batch (identitiesBatchScript; the root filesystem is writable, /tmp
    // private to the container) and execs the image's launch.sh, which creates the users and hands the
    // arguments after the `launch.sh` label ($0) to server.sh after `--bind-address=0.0.0.0`; the
    // server resolves a relative -c against server/conf and uses an absolute one as is (Bootstrap), and
    // -D sets a system property (tool.Main). JGroups binds to the pod IP: the stacks' default
    // SITE_LOCAL misses pod networks outside RFC 1918.
    command: ['/bin/bash', '-c', ['set -eu', 'umask 077', ...identitiesBatchScript(IDENTITIES_PATH), 'exec /opt/infinispan/bin/launch.sh "$@"'].join('\n')],
    args: ['launch.sh', '-c', `${CONFIG_DIR}/infinispan.xml`, '-Djgroups.bind.address=$(POD_IP)'],
    env,
    ports: [
      { name: 'hotrod', containerPort: PORTS.hotRod, protocol: 'TCP' },
      { name: 'jgroups', containerPort: PORTS.jgroups, protocol: 'TCP' },
      { name: 'jgroups-fd', containerPort: PORTS.failureDetection, protocol: 'TCP' },
      // No bridge port: TUNNEL only connects out to the routers, nothing connects in.
    ],
    startupProbe: health(60, 10),
    readinessProbe: health(3, 10),
    livenessProbe: health(5, 10),
    resources: options.resources ?? { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '2Gi' } },
    securityContext: containerSecurity(false),
    volumeMounts: [
      { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
      { name: 'tls', mountPath: TLS_DIR, readOnly: true },
    ],
  };
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata,
    spec: {
      replicas: c.replicas,
      // A replaced pod must stay ready this long before the next one is stopped. Readiness alone
      // already waits for the pod's initial state transfer: a distributed cache starts only once it
      // received its segments (`await-initial-transfer`, true by default), and the REST endpoint the
      // probe asks starts after the caches. The margin lets the rebalance that follows settle; the
      // health endpoint answers 200 whatever the cluster's status (HEALTHY_REBALANCING included), so
      // a kubelet probe cannot wait for it directly.
      minReadySeconds: INFINISPAN_MIN_READY_SECONDS,
      serviceName: INFINISPAN_NAMES.discoveryService,
      // All pods start together on the first rollout; updates still replace one pod at a time.
      podManagementPolicy: 'Parallel',
      updateStrategy: { type: 'RollingUpdate' },
      selector: { matchLabels: selector() },
      template: {
        // A changed infinispan.xml rolls the pods; the server reads its file only at start.
        metadata: { labels: labelsOf('infinispan', c.site, 'cache'), annotations: { 'checksum/infinispan-xml': createHash('sha256').update(xml).digest('hex') } },
        spec: {
          // Infinispan never calls the Kubernetes API (DNS_PING discovery).
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          topologySpreadConstraints: spread(selector),
          ...(c.zoneNames ? { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
            { matchExpressions: [{ key: ZONE_KEY, operator: 'In', values: [...c.zoneNames] }] },
          ] } } } } : {}),
          containers: [container],
          volumes: [
            { name: 'config', configMap: { name: INFINISPAN_NAMES.configMap } },
            { name: 'tls', secret: { secretName: options.hotRodTls.keystoreSecretName } },
          ],
        },
      },
    },
  };
}

/** Zones are a hard rule (a zone loss must leave pods elsewhere), nodes a preference. */
function spread(labels: () => Record<string, string>): TopologySpreadConstraint[] {
  return [
    { maxSkew: 1, topologyKey: ZONE_KEY, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: labels() } },
    { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels() } },
  ];
}

/**
 * Non-root, no privilege escalation, no capabilities. Infinispan keeps a writable root file
 * system: launch.sh writes users.properties into server/conf and the server writes server/data.
 */
function containerSecurity(readOnlyRootFilesystem: boolean): SecurityContext {
  return { allowPrivilegeEscalation: false, readOnlyRootFilesystem, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };
}

/** Ingress only: Hot Rod from Keycloak, clustering from Infinispan. Kubelet probes are not subject to it. */
function networkPolicy(c: Resolved, metadata: NetworkPolicy['metadata']): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata,
    spec: {
      podSelector: { matchLabels: selector() },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ podSelector: { matchLabels: { ...(c.options.keycloakPodLabels ?? { 'app.kubernetes.io/name': 'keycloak' }) } } }],
          ports: [{ protocol: 'TCP', port: PORTS.hotRod }],
        },
        {
          from: [{ podSelector: { matchLabels: selector() } }],
          ports: [
            { protocol: 'TCP', port: PORTS.jgroups },
            { protocol: 'TCP', port: PORTS.failureDetection, endPort: FAILURE_DETECTION_LAST_PORT },
          ],
        },
        ...(c.options.metricsNamespace ? [{
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': c.options.metricsNamespace } } }],
          ports: [{ protocol: 'TCP', port: PORTS.hotRod }],
        }] : []),
      ],
    },
  };
}

// ---- Gossip Router -------------------------------------------------------------------------------

/**
 * One router per site, one replica each. A TUNNEL member registers with every router it lists and
 * sends through any connected one (JGroups TUNNEL/RouterStubManager.forAny), and routers share no
 * registrations: two replicas behind one address would each know only the members that happened to
 * reach them. Redundancy therefore comes from every site listing every site's router (a lost router
 * leaves the others), and Kubernetes restarts the pod. `Recreate` keeps a rollout from running two.
 */
function gossipRouterObjects(c: Resolved): GossipRouterObjects {
  const labels = () => labelsOf(INFINISPAN_NAMES.gossipRouter, c.site, 'cross-site-router');
  const metadata = () => ({ name: INFINISPAN_NAMES.gossipRouter, namespace: c.namespace, labels: labels() });
  const tcp = (): Probe => ({ tcpSocket: { port: c.routerPort }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 5 });
  const container: Container = {
    name: 'gossip-router',
    image: c.image,
    // The Infinispan Operator's router: the image's /opt/gossiprouter/bin/launch.sh runs
    // org.jgroups.stack.GossipRouter from the server's JGroups jar. -expiry/-reaper_interval match
    // the bridge's TUNNEL heartbeat timeout/interval, as the operator maps them.
    command: ['/opt/gossiprouter/bin/launch.sh'],
    // TLS as the operator runs it (`-nio false`: its NIO server has no TLS; client auth `need`):
    // only relay nodes with a certificate the truststore accepts register. Passwords are expanded
    // by the kubelet from the Secret-backed variable (`$(NAME)`), so no value is in the object.
    args: ['-port', String(c.routerPort), '-dump_msgs', 'registration', '-suspect', 'false',
      '-expiry', String(HEARTBEAT.timeoutMs), '-reaper_interval', String(HEARTBEAT.intervalMs),
      '-nio', 'false', '-tls_protocol', 'TLSv1.3', '-tls_client_auth', 'need',
      '-tls_keystore_path', `${TLS_DIR}/${c.keystoreKey}`, '-tls_keystore_password', `$(${KEYSTORE_PASSWORD_ENV})`, '-tls_keystore_type', 'PKCS12',
      ...(c.options.hotRodTls.alias ? ['-tls_keystore_alias', c.options.hotRodTls.alias] : []),
      '-tls_truststore_path', `${TLS_DIR}/${c.truststoreKey}`, '-tls_truststore_password', `$(${KEYSTORE_PASSWORD_ENV})`, '-tls_truststore_type', 'PKCS12'],
    env: [keystorePasswordVariable(c.options)],
    ports: [{ name: 'tunnel', containerPort: c.routerPort, protocol: 'TCP' }],
    startupProbe: { ...tcp(), periodSeconds: 1, failureThreshold: 60 },
    readinessProbe: tcp(),
    livenessProbe: tcp(),
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    securityContext: containerSecurity(true),
    // The JVM's only write (performance data) goes to /tmp.
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'tls', mountPath: TLS_DIR, readOnly: true }],
  };
  return {
    deployment: {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: metadata(),
      spec: {
        replicas: 1,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: routerSelector() },
        template: {
          metadata: { labels: labels() },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [container],
            volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'tls', secret: { secretName: c.options.hotRodTls.keystoreSecretName } }],
          },
        },
      },
    },
    service: {
      apiVersion: 'v1', kind: 'Service',
      metadata: { ...metadata(), annotations: { ...ROUTER_LOAD_BALANCER_ANNOTATIONS, ...c.options.routerLoadBalancer?.annotations } },
      spec: {
        // Pod IPs of one cluster are not reachable from another; the load balancer is the site's address.
        type: 'LoadBalancer',
        // Stated: the AWS Load Balancer Controller's webhook sets the class on a Service that has
        // none, and the field is immutable, so an unstated class is a diff and a replacement on
        // every apply (aws-load-balancer-controller docs, "Network Load Balancer", loadBalancerClass).
        loadBalancerClass: c.options.routerLoadBalancer?.className ?? 'service.k8s.aws/nlb',
        selector: routerSelector(),
        ports: [{ name: 'tunnel', port: c.routerPort, targetPort: c.routerPort, protocol: 'TCP' }],
        loadBalancerSourceRanges: [...c.options.remoteRouterClientCidrs],
        // Keeps the client's source address, so the source ranges also hold where kube-proxy enforces them.
        externalTrafficPolicy: 'Local',
      },
    },
    networkPolicy: {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: metadata(),
      spec: {
        podSelector: { matchLabels: routerSelector() },
        policyTypes: ['Ingress'],
        ingress: [{
          // The site's own relay nodes (in-cluster Service name) and the other sites' egress networks
          // (through the load balancer, which keeps their address by client IP preservation, see
          // ROUTER_LOAD_BALANCER_ANNOTATIONS); kubelet probes are not subject to it.
          from: [{ podSelector: { matchLabels: selector() } }, ...c.options.remoteRouterClientCidrs.map((cidr) => ({ ipBlock: { cidr } }))],
          ports: [{ protocol: 'TCP', port: c.routerPort }],
        }],
      },
    },
  };
}

function keystorePasswordVariable(options: InfinispanObjectsOptions): EnvVar {
  return { name: KEYSTORE_PASSWORD_ENV, valueFrom: { secretKeyRef: { name: options.hotRodTls.password.name, key: options.hotRodTls.password.key } } };
}
