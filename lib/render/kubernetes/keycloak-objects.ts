import * as ipaddr from 'ipaddr.js';
import type { Deployment } from 'kubernetes-types/apps/v1';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2';
import type { EnvVar, Probe, Service, ServiceAccount } from 'kubernetes-types/core/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import type { Ingress, NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { isHostnameProblem, parseHostname } from '../../model/hostname';
import { hpaProblems } from '../../model/validate-kubernetes';
import { KEYCLOAK_PORTS, KUBERNETES_PROBE_FAILURE_THRESHOLD, LB_CHECK_PATH, SiteSpec, Topology } from '../../model/topology';
import { KeycloakVersion } from '../../model/version';
import { KeycloakServerConfig, KeycloakSiteFacts, optionEnvName, renderKeycloakConfig, SecretReference, secretOptionEnvName } from '../keycloak-options';

/** A key pair inside a Kubernetes Secret. */
export interface SecretKeys {
  readonly name: string;
  readonly usernameKey: string;
  readonly passwordKey: string;
}

/** Where Keycloak's database is: give exactly one of `jdbcUrl` and `cnpg`. */
export interface KubernetesDatabase {
  /**
   * An external PostgreSQL (e.g. Aurora), as `jdbc:postgresql://host[:port]/<topology database name>`
   * (several comma-separated hosts allowed, one port), or `jdbc:aws-wrapper:postgresql://...` with an
   * image that bundles the AWS JDBC wrapper. Without query parameters: the library sets them.
   */
  readonly jdbcUrl?: string;
  /** A CloudNativePG cluster; Keycloak connects to its `<clusterName>-rw` Service (always the primary). */
  readonly cnpg?: {
    readonly clusterName: string;
    /** @default - the Keycloak namespace */
    readonly namespace?: string;
  };
  /** Secret holding the database user name and password (for CNPG: `<cluster>-app`, keys `username`/`password`). */
  readonly credentialsSecret: SecretKeys;
}

export interface KeycloakObjectsOptions {
  /** @default 'keycloak' */
  readonly namespace?: string;
  /** Name of every object and prefix of the instance label. @default 'keycloak' */
  readonly namePrefix?: string;
  /** @default - Kubernetes' default (`IfNotPresent`, or `Always` for a `:latest` tag) */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  readonly database: KubernetesDatabase;
  /**
   * The temporary administrator's password and, with `usernameKey`, its name; without it the
   * topology's `bootstrapAdminUsername` is used.
   */
  readonly bootstrapAdminSecret: { readonly name: string; readonly usernameKey?: string; readonly passwordKey: string };
  readonly ingress: {
    /** @default 'nginx' */
    readonly className?: string;
    /** `kubernetes.io/tls` Secret with the certificate of the topology's hostname. */
    readonly tlsSecretName: string;
    /** Namespace of the ingress-nginx controller pods, the only ones that may reach port 8080. @default 'ingress-nginx' */
    readonly controllerNamespace?: string;
  };
  /**
   * Addresses or CIDRs the ingress controller's requests come from (its pods' CIDR): only they may
   * set `X-Forwarded-*`. Required: there is no default that would trust every client.
   */
  readonly trustedProxyCidrs: readonly string[];
  /** Namespace whose pods may scrape `/metrics` on the management port. @default - none */
  readonly metricsNamespace?: string;
  /** Scale on CPU between `minReplicas` (≥ the site's nodes) and `maxReplicas`. @default - fixed at the site's nodes */
  readonly hpa?: { readonly minReplicas: number; readonly maxReplicas: number; readonly cpuUtilization: number };
  /**
   * With several sites: the site's external Infinispan (see `renderInfinispanObjects`), its Hot Rod
   * user, and the Secret holding the PEM of the CA that signed Infinispan's certificate.
   * @default - required when the topology has several sites, ignored otherwise
   */
  readonly infinispan?: {
    readonly credentialsSecret: { readonly name: string; readonly usernameKey: string; readonly passwordKey: string };
    readonly caSecret: { readonly name: string; readonly key: string };
    /** @default `infinispan.<namespace>.svc` on 11222 */
    readonly host?: string;
  };
}

type Typed<T, V extends string, K extends string> = Omit<T, 'apiVersion' | 'kind' | 'metadata'> & {
  readonly apiVersion: V;
  readonly kind: K;
  readonly metadata: ObjectMeta & { name: string; namespace: string };
};

/** The API objects of one Keycloak site, `apiVersion`, `kind`, name and namespace always set. */
export type KubernetesObject =
  | Typed<ServiceAccount, 'v1', 'ServiceAccount'>
  | Typed<Deployment, 'apps/v1', 'Deployment'>
  | Typed<Service, 'v1', 'Service'>
  | Typed<PodDisruptionBudget, 'policy/v1', 'PodDisruptionBudget'>
  | Typed<NetworkPolicy, 'networking.k8s.io/v1', 'NetworkPolicy'>
  | Typed<Ingress, 'networking.k8s.io/v1', 'Ingress'>
  | Typed<HorizontalPodAutoscaler, 'autoscaling/v2', 'HorizontalPodAutoscaler'>;

/** Paths forwarded to everyone: Keycloak's exposed-path recommendation (https://www.keycloak.org/server/reverseproxy). */
export const INGRESS_PUBLIC_PATHS = [
  { path: '/realms/', pathType: 'Prefix' },
  { path: '/resources/', pathType: 'Prefix' },
  { path: '/.well-known/', pathType: 'Prefix' },
  { path: '/robots.txt', pathType: 'Exact' },
] as const;

/** Cookie ingress-nginx pins a browser to a pod with; deliberately not `AUTH_SESSION_ID` (see `ingressAnnotations`). */
export const INGRESS_AFFINITY_COOKIE = 'KC_ROUTE';

/**
 * Graceful stop of a Keycloak pod. On deletion the pod leaves the Service's ready endpoints at once
 * and ingress-nginx applies endpoint changes without a reload, within seconds; Keycloak keeps serving
 * (readiness DOWN) for `delaySeconds`, well beyond that, then lets requests in progress finish for up
 * to `timeoutSeconds`. The grace period covers both plus the JVM's own stop.
 */
export const KEYCLOAK_SHUTDOWN = { delaySeconds: 15, timeoutSeconds: 30, gracePeriodSeconds: 60 } as const;

/**
 * Start-up budget: ten minutes. The first start creates the schema and every start applies the
 * build options (`kc.sh start`, not `--optimized`). The Keycloak Operator allows the same
 * (1 s × 600; keycloak/keycloak, operator KeycloakDeploymentDependentResource).
 */
const STARTUP = { periodSeconds: 1, failureThreshold: 600 } as const;

/** The Deployment's progress deadline: one new pod may take the whole start-up budget (first start migrates the schema). */
export const KEYCLOAK_PROGRESS_DEADLINE_SECONDS = STARTUP.periodSeconds * STARTUP.failureThreshold + 300;

/** Keycloak's sizing guide: leave 150 % CPU headroom above the request for load spikes, start-up and failover. */
const CPU_LIMIT_FACTOR = 2.5;

/**
 * The Kubernetes API objects of one Keycloak site: ServiceAccount, Deployment, Services, PodDisruptionBudget,
 * NetworkPolicy, Ingress and, optionally, a HorizontalPodAutoscaler. Pure and deterministic; throws
 * on the first invalid option, naming it, the value and a fix.
 */
export function renderKeycloakObjects(topology: Topology, siteName: string, options: KeycloakObjectsOptions): KubernetesObject[] {
  const site = topology.sites[siteName];
  if (!site) {
    fail('siteName', siteName, 'is not a site of the topology', `use one of ${JSON.stringify(Object.keys(topology.sites))}`);
  }
  const hostname = parseHostname(topology.keycloak.hostname);
  if (isHostnameProblem(hostname)) fail('topology hostname', topology.keycloak.hostname, hostname.message, hostname.fix);
  const o = checkOptions(topology, site, options);
  const name = o.namePrefix;
  const labels = {
    'app.kubernetes.io/name': 'keycloak',
    'app.kubernetes.io/instance': `${name}-${siteName}`,
    'app.kubernetes.io/part-of': 'keycloak-ha',
    'topology.keycloak-ha/site': siteName,
  };
  // The selector of a Deployment is immutable: only labels that can never change for this site.
  const selector = { 'app.kubernetes.io/name': 'keycloak', 'app.kubernetes.io/instance': `${name}-${siteName}` };
  const metadata = (objectName: string) => ({ name: objectName, namespace: o.namespace, labels: { ...labels } });
  const { management, http, jgroups, jgroupsFailureDetection } = KEYCLOAK_PORTS;
  const config = renderKeycloakConfig(topology, siteName, o.facts);

  const objects: KubernetesObject[] = [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: metadata(name),
      // Clustering uses jdbc-ping (the database), so Keycloak never calls the Kubernetes API.
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: metadata(name),
      spec: {
        // With an autoscaler the replica count is the autoscaler's: a declared count would reset it
        // on every apply (https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
        // #migrating-deployments-and-statefulsets-to-horizontal-autoscaling).
        ...(o.hpa ? {} : { replicas: site.nodes }),
        selector: { matchLabels: { ...selector } },
        // One extra pod first, then one old pod out, never below the declared count (as the ECS
        // service rolls on AWS): the cluster rebalances the distributed caches after each change.
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        progressDeadlineSeconds: KEYCLOAK_PROGRESS_DEADLINE_SECONDS,
        template: {
          metadata: { labels: { ...labels } },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            // Service links inject `<SERVICE>_PORT=tcp://...` variables for every Service of the
            // namespace; for a Service named `kc` they would land among Keycloak's `KC_*` options.
            enableServiceLinks: false,
            // Time to drain from the ingress, finish in-flight requests and (one site) hand the
            // leaving node's cache entries to the others.
            terminationGracePeriodSeconds: KEYCLOAK_SHUTDOWN.gracePeriodSeconds,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            topologySpreadConstraints: [
              {
                topologyKey: 'topology.kubernetes.io/zone',
                maxSkew: 1,
                whenUnsatisfiable: 'DoNotSchedule',
                labelSelector: { matchLabels: { ...selector } },
                // Spread each revision on its own, so a rolling update does not skew the new pods.
                matchLabelKeys: ['pod-template-hash'],
                // A zone whose nodes are unreachable (tainted NoSchedule) stops counting, so the
                // pods lost with it are rescheduled into the surviving zones instead of pending.
                // https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
                nodeTaintsPolicy: 'Honor',
              },
              {
                topologyKey: 'kubernetes.io/hostname',
                maxSkew: 1,
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: { ...selector } },
                matchLabelKeys: ['pod-template-hash'],
              },
            ],
            ...(o.facts.externalInfinispan && o.infinispan
              ? { volumes: [{ name: 'infinispan-ca', secret: { secretName: o.infinispan.caSecret.name, items: [{ key: o.infinispan.caSecret.key, path: o.infinispan.caSecret.key }] } }] }
              : {}),
            containers: [
              {
                name: 'keycloak',
                image: topology.keycloak.image.uri(topology.keycloak.version),
                ...(o.imagePullPolicy ? { imagePullPolicy: o.imagePullPolicy } : {}),
                args: [...config.command],
                env: keycloakEnv(topology, config, o),
                ports: [
                  { name: 'http', containerPort: http, protocol: 'TCP' },
                  { name: 'management', containerPort: management, protocol: 'TCP' },
                  // With multi-site Keycloak runs no JGroups: nothing listens on these ports.
                  ...(config.embeddedCluster ? [
                    { name: 'jgroups', containerPort: jgroups, protocol: 'TCP' },
                    { name: 'jgroups-fd', containerPort: jgroupsFailureDetection, protocol: 'TCP' },
                  ] : []),
                ],
                ...probes(topology),
                ...(o.facts.externalInfinispan ? { volumeMounts: [{ name: 'infinispan-ca', mountPath: INFINISPAN_CA_DIR, readOnly: true }] } : {}),
                resources: {
                  requests: { cpu: cpu(topology.keycloak.vcpu), memory: `${topology.keycloak.memoryMiB}Mi` },
                  // Memory limit = request: Keycloak sizes its heap at 70 % of the limit, so the limit
                  // is the node's real size. CPU limit above the request, per Keycloak's sizing guide
                  // ("performance dropped significantly when its Pods were throttled"), which also
                  // bounds the processor count the JVM sizes its thread pools by.
                  // https://www.keycloak.org/high-availability/concepts-memory-and-cpu-sizing
                  limits: { cpu: cpu(topology.keycloak.vcpu * CPU_LIMIT_FACTOR), memory: `${topology.keycloak.memoryMiB}Mi` },
                },
                securityContext: {
                  runAsNonRoot: true,
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ['ALL'] },
                  // `kc.sh start` applies build options at start-up and rewrites /opt/keycloak/lib/quarkus,
                  // which fails on a read-only root (keycloak issue 44632). Writable until the library
                  // ships pre-built images started with `--optimized`.
                  readOnlyRootFilesystem: false,
                },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(name),
      spec: {
        type: 'ClusterIP',
        selector: { ...selector },
        ports: [{ name: 'http', port: http, targetPort: 'http', protocol: 'TCP' }],
      },
    },
    // Unused with jdbc-ping; kept so that switching to DNS discovery (`dns.DNS_PING` on this name)
    // needs no new object. Not-ready pods are published because members must find each other
    // before any of them is ready. Not with multi-site, where there is no cluster to discover.
    ...(config.embeddedCluster ? [{
      apiVersion: 'v1' as const,
      kind: 'Service' as const,
      metadata: metadata(`${name}-discovery`),
      spec: {
        clusterIP: 'None',
        publishNotReadyAddresses: true,
        selector: { ...selector },
        ports: [{ name: 'jgroups', port: jgroups, targetPort: 'jgroups', protocol: 'TCP' }],
      },
    }] : []),
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: metadata(name),
      // Voluntary disruptions (drains, upgrades) take one pod at a time, as rollouts do.
      spec: { maxUnavailable: 1, selector: { matchLabels: { ...selector } } },
    },
    networkPolicy(metadata(name), selector, o, config.embeddedCluster),
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { ...metadata(name), annotations: ingressAnnotations(topology) },
      spec: {
        ingressClassName: o.ingressClassName,
        tls: [{ hosts: [hostname.host], secretName: o.ingress.tlsSecretName }],
        rules: [
          { host: hostname.host, http: { paths: INGRESS_PUBLIC_PATHS.map(({ path, pathType }) => backendPath(name, path, pathType)) } },
          // With several sites, Route 53 health checks probe /lb-check (Keycloak's multi-site feature)
          // at the load balancer's own name, which is their Host header: a rule without host serves
          // it whatever the name (ingress-nginx puts host-less rules in its catch-all server), while
          // every other path stays behind the public hostname.
          ...(topology.mode === 'single-site' ? [] : [{ http: { paths: [backendPath(name, LB_CHECK_PATH, 'Exact')] } }]),
        ],
      },
    },
  ];
  if (o.hpa) {
    objects.push({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: metadata(name),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: o.hpa.minReplicas,
        maxReplicas: o.hpa.maxReplicas,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: o.hpa.cpuUtilization } } }],
        // Every field the API server would default is stated, so the provider's plan has nothing to
        // reconcile on the next apply (autoscaling/v2 HPAScalingRules defaults: selectPolicy Max;
        // scale-up window 0 s with 100 % or 4 pods per 15 s).
        behavior: {
          scaleUp: {
            stabilizationWindowSeconds: 0,
            selectPolicy: 'Max',
            policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }],
          },
          // One pod per five minutes, after five calm minutes: each leaving node hands its share of
          // the distributed caches to the others, and two leaving at once can lose entries whose
          // owners were both on them (DOMAIN.md §7).
          scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }] },
        },
      },
    });
  }
  return objects;
}

/** Options with defaults filled in, checked. */
interface CheckedOptions extends KeycloakObjectsOptions {
  readonly namespace: string;
  readonly namePrefix: string;
  readonly ingressClassName: string;
  readonly controllerNamespace: string;
  readonly facts: KeycloakSiteFacts;
}

function probes({ traffic }: Topology): { startupProbe: Probe; readinessProbe: Probe; livenessProbe: Probe } {
  const { management } = KEYCLOAK_PORTS;
  const check = traffic.targetHealthCheck;
  return {
    startupProbe: { httpGet: { path: '/health/started', port: management }, ...STARTUP },
    // Readiness includes the database; see KUBERNETES_PROBE_FAILURE_THRESHOLD for the count.
    readinessProbe: {
      httpGet: { path: check.path, port: check.port },
      periodSeconds: check.intervalSeconds,
      timeoutSeconds: check.timeoutSeconds,
      failureThreshold: KUBERNETES_PROBE_FAILURE_THRESHOLD,
    },
    // Liveness does not include the database, so a database failover never restarts every pod.
    livenessProbe: {
      httpGet: { path: '/health/live', port: management },
      periodSeconds: check.intervalSeconds,
      timeoutSeconds: check.timeoutSeconds,
      failureThreshold: KUBERNETES_PROBE_FAILURE_THRESHOLD,
    },
  };
}

/**
 * The rendered options as `KC_*` variables; secret options as `secretKeyRef`, never values; and, when
 * the site's nodes form an embedded cluster, two values only the pod knows, from the downward API (Keycloak 26.4+, https://www.keycloak.org/server/caching):
 * the bind address, because JGroups otherwise picks a "site-local" address and finds none when pod
 * IPs are outside RFC 1918 (e.g. 100.64.0.0/10); and the machine name, so that Infinispan keeps the
 * two copies of an entry on distinct nodes even when two pods share one (what the Keycloak Operator sets).
 */
function keycloakEnv(topology: Topology, config: KeycloakServerConfig, o: CheckedOptions): EnvVar[] {
  const plain: Record<string, string> = { ...config.options };
  const secret: Record<string, SecretReference> = { ...config.secretOptions };
  if (o.bootstrapAdminSecret.usernameKey !== undefined && plain['bootstrap-admin-username'] !== undefined) {
    delete plain['bootstrap-admin-username'];
    secret['bootstrap-admin-username'] = { source: 'bootstrap-admin', key: 'username' };
  }
  const env: EnvVar[] = [
    ...Object.entries(plain).map(([option, value]) => ({ name: optionEnvName(option), value })),
    ...Object.entries(secret).map(([option, ref]) => ({ name: secretOptionEnvName(option, topology.keycloak.version), valueFrom: { secretKeyRef: secretKey(ref, o) } })),
  ];
  if (config.embeddedCluster && topology.keycloak.version.compare(KeycloakVersion.V26_4_0) >= 0) {
    env.push(
      { name: optionEnvName('cache-embedded-network-bind-address'), valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: optionEnvName('spi-cache-embedded--default--machine-name'), valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    );
  }
  return env.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function secretKey(ref: SecretReference, o: CheckedOptions): { name: string; key: string } {
  switch (ref.source) {
    case 'database-credentials': {
      const { name, usernameKey, passwordKey } = o.database.credentialsSecret;
      return { name, key: ref.key === 'username' ? usernameKey : passwordKey };
    }
    case 'infinispan-credentials': {
      const secret = o.infinispan?.credentialsSecret;
      if (!secret) throw new Error('renderKeycloakObjects: infinispan.credentialsSecret is required with several sites');
      return { name: secret.name, key: ref.key === 'username' ? secret.usernameKey : secret.passwordKey };
    }
    case 'bootstrap-admin': {
      const { name, usernameKey, passwordKey } = o.bootstrapAdminSecret;
      const key = ref.key === 'username' ? usernameKey : passwordKey;
      if (key === undefined) throw new Error('renderKeycloakObjects: bootstrapAdminSecret.usernameKey is required for the administrator name');
      return { name, key };
    }
    default: {
      const unknown: never = ref.source;
      throw new Error(`renderKeycloakObjects: no Kubernetes Secret is mapped for secret source '${String(unknown)}'`);
    }
  }
}

/**
 * Ingress only from Keycloak pods (cluster ports, one site only) and the ingress controller (HTTP). The management
 * port needs no rule for the kubelet's probes: NetworkPolicy always allows traffic from the node a
 * pod runs on (https://kubernetes.io/docs/concepts/services-networking/network-policies/). Egress stays
 * open: Keycloak calls the database, identity providers, SMTP, LDAP and clients' JWKS endpoints,
 * which the library cannot enumerate, and a closed egress would fail them silently.
 */
function networkPolicy(metadata: KubernetesObject['metadata'], selector: Record<string, string>, o: CheckedOptions, embeddedCluster: boolean): KubernetesObject {
  const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: 'TCP', port }));
  const fromNamespace = (namespace: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } });
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata,
    spec: {
      podSelector: { matchLabels: { ...selector } },
      policyTypes: ['Ingress'],
      ingress: [
        ...(embeddedCluster ? [{ from: [{ podSelector: { matchLabels: { ...selector } } }], ports: tcp(KEYCLOAK_PORTS.jgroups, KEYCLOAK_PORTS.jgroupsFailureDetection) }] : []),
        { from: [fromNamespace(o.controllerNamespace)], ports: tcp(KEYCLOAK_PORTS.http) },
        ...(o.metricsNamespace ? [{ from: [fromNamespace(o.metricsNamespace)], ports: tcp(KEYCLOAK_PORTS.management) }] : []),
      ],
    },
  };
}

/**
 * ingress-nginx keeps a browser on one pod with a cookie of its own, set on the response to the
 * first request (the one in which Keycloak creates the login's `AUTH_SESSION_ID`), so the rest of
 * the login stays on the pod that created its authentication session: what stickiness on
 * `AUTH_SESSION_ID` is for, and what the ALB's `app_cookie` stickiness does on AWS. Naming nginx's
 * cookie `AUTH_SESSION_ID` would be wrong: nginx replaces a cookie whose value is not one of its
 * upstream hashes, so it would overwrite Keycloak's session cookie.
 * `upstream-hash-by: $cookie_AUTH_SESSION_ID` is wrong too: every first request (no cookie yet)
 * hashes the empty string to the same pod, and later ones land on a pod chosen by hash, not on the
 * one holding the session. (https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#session-affinity)
 *
 * `persistent`: scaling up does not move existing logins. `SameSite=None; Secure`, like Keycloak's
 * own cookies, so cross-site POSTs (SAML bindings, `form_post` responses, brokered logins) keep it.
 * Path `/` so one cookie covers every exposed path. The larger header buffer: Keycloak's login
 * responses carry several cookies and exceed nginx's 4 KiB default, which answers 502
 * (keycloak issue 23824).
 */
function ingressAnnotations({ traffic }: Topology): Record<string, string> {
  const prefix = 'nginx.ingress.kubernetes.io';
  return {
    [`${prefix}/affinity`]: 'cookie',
    [`${prefix}/affinity-mode`]: 'persistent',
    [`${prefix}/session-cookie-name`]: INGRESS_AFFINITY_COOKIE,
    [`${prefix}/session-cookie-path`]: '/',
    [`${prefix}/session-cookie-max-age`]: String(traffic.stickinessSeconds),
    [`${prefix}/session-cookie-secure`]: 'true',
    [`${prefix}/session-cookie-samesite`]: 'None',
    [`${prefix}/proxy-buffer-size`]: '16k',
  };
}

function backendPath(service: string, path: string, pathType: 'Prefix' | 'Exact') {
  return { path, pathType, backend: { service: { name: service, port: { name: 'http' } } } };
}

/** Kubernetes CPU quantity in whole cores or millicores: 2 → `2`, 0.625 → `625m`. */
function cpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/** An invalid option of `renderKeycloakObjects`: which one, its value, what is wrong and the fix. */
export class KeycloakObjectsOptionError extends Error {
  constructor(readonly option: string, readonly value: unknown, readonly problem: string, readonly fix: string) {
    super(`renderKeycloakObjects: ${option} ${JSON.stringify(value)} ${problem}; ${fix}`);
    this.name = 'KeycloakObjectsOptionError';
  }
}

function fail(option: string, value: unknown, problem: string, fix: string): never {
  throw new KeycloakObjectsOptionError(option, value, problem, fix);
}

function checkOptions(topology: Topology, site: SiteSpec, options: KeycloakObjectsOptions): CheckedOptions {
  const namespace = options.namespace ?? 'keycloak';
  const namePrefix = options.namePrefix ?? 'keycloak';
  const ingressClassName = options.ingress?.className ?? 'nginx';
  const controllerNamespace = options.ingress?.controllerNamespace ?? 'ingress-nginx';
  const label = (option: string, value: string) => {
    if (!DNS_LABEL.test(value)) fail(option, value, 'is not a DNS label', 'use 1–63 lower-case letters, digits and inner hyphens');
  };
  label('namespace', namespace);
  label('ingress.controllerNamespace', controllerNamespace);
  if (options.metricsNamespace !== undefined) label('metricsNamespace', options.metricsNamespace);
  // Service names must start with a letter; the longest object name is `<prefix>-discovery`, the
  // longest label value `<prefix>-<site>`; both are limited to 63 characters.
  if (!DNS_1035_LABEL.test(namePrefix) || `${namePrefix}-discovery`.length > 63 || `${namePrefix}-${site.name}`.length > 63) {
    fail('namePrefix', namePrefix, 'is not a usable object name', `use a lower-case name starting with a letter, at most ${Math.min(53, 62 - site.name.length)} characters`);
  }
  if (options.imagePullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(options.imagePullPolicy)) {
    fail('imagePullPolicy', options.imagePullPolicy, 'is not a pull policy', "use 'Always', 'IfNotPresent' or 'Never', or leave it out");
  }
  if (!DNS_SUBDOMAIN.test(ingressClassName)) fail('ingress.className', ingressClassName, 'is not an IngressClass name', "use e.g. 'nginx'");
  const secretName = (option: string, value: unknown) => {
    if (typeof value !== 'string' || !DNS_SUBDOMAIN.test(value)) fail(option, value, 'is not a Secret name', 'use a lower-case DNS subdomain name');
  };
  const secretKeyName = (option: string, value: unknown) => {
    if (typeof value !== 'string' || !SECRET_KEY.test(value)) fail(option, value, 'is not a Secret key', 'use letters, digits, `-`, `_` and `.`');
  };
  secretName('ingress.tlsSecretName', options.ingress?.tlsSecretName);
  const credentials = options.database?.credentialsSecret;
  secretName('database.credentialsSecret.name', credentials?.name);
  secretKeyName('database.credentialsSecret.usernameKey', credentials?.usernameKey);
  secretKeyName('database.credentialsSecret.passwordKey', credentials?.passwordKey);
  secretName('bootstrapAdminSecret.name', options.bootstrapAdminSecret?.name);
  secretKeyName('bootstrapAdminSecret.passwordKey', options.bootstrapAdminSecret?.passwordKey);
  if (options.bootstrapAdminSecret?.usernameKey !== undefined) secretKeyName('bootstrapAdminSecret.usernameKey', options.bootstrapAdminSecret.usernameKey);
  checkTrustedProxies(options.trustedProxyCidrs);
  if (options.hpa) checkHpa(options.hpa, site);
  return {
    ...options,
    namespace,
    namePrefix,
    ingressClassName,
    controllerNamespace,
    facts: {
      database: databaseEndpoint(topology, options.database, namespace),
      trustedProxyCidrs: [...options.trustedProxyCidrs],
      // The Ingress pins browsers with its own cookie (ingressAnnotations).
      loadBalancerAffinityCookie: true,
      shutdown: { delaySeconds: KEYCLOAK_SHUTDOWN.delaySeconds, timeoutSeconds: KEYCLOAK_SHUTDOWN.timeoutSeconds },
      ...(topology.mode === 'single-site' ? {} : {
        externalInfinispan: {
          host: checkInfinispan(options).host ?? `infinispan.${namespace}.svc`,
          port: 11222,
          truststorePath: `${INFINISPAN_CA_DIR}/${checkInfinispan(options).caSecret.key}`,
        },
      }),
    },
  };
}

/** Where the Infinispan CA Secret is mounted in the Keycloak container. */
const INFINISPAN_CA_DIR = '/opt/keycloak/conf/infinispan-ca';

function checkInfinispan(options: KeycloakObjectsOptions): NonNullable<KeycloakObjectsOptions['infinispan']> {
  if (!options.infinispan) {
    fail('infinispan', null, 'is required with several sites: Keycloak keeps cross-site caches in the external Infinispan',
      "pass { credentialsSecret: { name, usernameKey, passwordKey }, caSecret: { name, key } }");
  }
  return options.infinispan;
}

function checkTrustedProxies(cidrs: readonly string[] | undefined): void {
  const fix = "give the ingress controller's pod CIDR or addresses, e.g. ['10.244.0.0/16']";
  if (!Array.isArray(cidrs) || cidrs.length === 0) fail('trustedProxyCidrs', cidrs ?? null, 'is empty', fix);
  for (const cidr of cidrs) {
    const [address, prefix, ...rest] = typeof cidr === 'string' ? cidr.split('/') : [];
    const bits = address !== undefined && ipaddr.IPv4.isValidFourPartDecimal(address) ? 32 : ipaddr.IPv6.isValid(address ?? '') ? 128 : 0;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (bits === 0 || !prefixOk || rest.length > 0) fail('trustedProxyCidrs', cidr, 'is not an IP address or CIDR', fix);
    if (prefix !== undefined && Number(prefix) === 0) {
      fail('trustedProxyCidrs', cidr, 'trusts every address, so any client could forge X-Forwarded-For and X-Forwarded-Host', fix);
    }
  }
}

function checkHpa(hpa: NonNullable<KeycloakObjectsOptions['hpa']>, site: SiteSpec): void {
  const [problem] = hpaProblems(hpa, site.nodes);
  if (problem) fail(problem.path, problem.value, problem.message, problem.fix);
}

/** The database host(s) and port the renderer builds its URL from. */
function databaseEndpoint(topology: Topology, database: KubernetesDatabase | undefined, namespace: string): KeycloakSiteFacts['database'] {
  const hasUrl = database?.jdbcUrl !== undefined;
  const hasCnpg = database?.cnpg !== undefined;
  if (hasUrl === hasCnpg) {
    fail('database', hasUrl ? 'jdbcUrl and cnpg' : 'neither jdbcUrl nor cnpg', 'must name exactly one database', 'give database.jdbcUrl for an external database or database.cnpg for a CloudNativePG cluster');
  }
  if (database?.cnpg) {
    const { clusterName } = database.cnpg;
    const cnpgNamespace = database.cnpg.namespace ?? namespace;
    if (typeof clusterName !== 'string' || !DNS_1035_LABEL.test(clusterName) || clusterName.length > 60) {
      fail('database.cnpg.clusterName', clusterName, 'is not a CloudNativePG cluster name', 'use a lower-case name starting with a letter, at most 60 characters');
    }
    if (!DNS_LABEL.test(cnpgNamespace)) fail('database.cnpg.namespace', cnpgNamespace, 'is not a DNS label', 'use the namespace of the CloudNativePG cluster');
    // The `-rw` Service always points at the current primary, so one host is enough.
    const host = `${clusterName}-rw.${cnpgNamespace}.svc`;
    return { writerEndpoint: host, instanceEndpoints: [host], port: 5432 };
  }
  return parseJdbcUrl(topology, database!.jdbcUrl!);
}

function parseJdbcUrl(topology: Topology, url: string): KeycloakSiteFacts['database'] {
  const option = 'database.jdbcUrl';
  const match = typeof url === 'string' ? /^jdbc:(aws-wrapper:)?postgresql:\/\/([^/?#]+)\/([^/?#]*)([?#].*)?$/.exec(url) : null;
  // Messages never repeat a password that was (wrongly) put into the URL.
  const shown = typeof url === 'string' ? url.replace(/\/\/[^/@]*@/, '//<credentials removed>@').replace(/password=[^&#]*/gi, 'password=<removed>') : url;
  if (!match) fail(option, shown, 'is not a PostgreSQL JDBC URL', "use 'jdbc:postgresql://<host>:5432/<database>'");
  const [, wrapper, authority, databaseName, query] = match;
  if (authority.includes('@')) fail(option, shown, 'carries credentials', 'remove them from the URL: Keycloak reads them from database.credentialsSecret');
  if (wrapper && !topology.keycloak.image.bundlesAwsJdbcWrapper) {
    fail(option, shown, 'asks for the AWS JDBC wrapper, which the image does not bundle', "use a 'jdbc:postgresql://' URL or KeycloakImage.fromRegistry(uri, { bundlesAwsJdbcWrapper: true })");
  }
  if (query) {
    fail(option, shown, 'has query parameters, which would be dropped', 'remove them: the library sets sslmode=require and, with the PostgreSQL driver, targetServerType=primary');
  }
  if (databaseName !== topology.database.databaseName) {
    fail(option, shown, `names the database '${databaseName}', but the topology's database is '${topology.database.databaseName}'`, 'make them equal (topology: database.databaseName)');
  }
  const hosts = authority.split(',').map((hostPort) => {
    const parts = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(hostPort);
    if (!parts) fail(option, shown, `has an invalid host '${hostPort}'`, "use 'host' or 'host:port'");
    return { host: parts[1], port: Number(parts[2] ?? 5432) };
  });
  const ports = [...new Set(hosts.map((h) => h.port))];
  if (ports.length > 1 || ports[0] < 1 || ports[0] > 65535) {
    fail(option, shown, 'uses several or invalid ports', 'give every host the same port between 1 and 65535');
  }
  return { writerEndpoint: hosts[0].host, instanceEndpoints: hosts.map((h) => h.host), port: ports[0] };
}
