import { App, TerraformStack, TerraformVariable, Testing, Token } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import type { Construct } from 'constructs';
import type { Deployment, StatefulSet } from 'kubernetes-types/apps/v1';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2';
import type { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-types/core/v1';
import type { Ingress, NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { addKubernetesObject, type CustomObject, isBuiltInKubernetesObject, type KubernetesObject } from '../../lib/kubernetes/translate';

type Json = Record<string, unknown>;
interface Synthesized {
  readonly resource: Record<string, Record<string, Json>>;
}

/** Synthesizes the objects, each as `addKubernetesObject(scope, <id>, object)`, next to a kubernetes provider. */
function synth(objects: Record<string, KubernetesObject>, build?: (scope: Construct, provider: KubernetesProvider) => void): Synthesized {
  return JSON.parse(Testing.synthScope((scope) => {
    // Typed resources synthesize and plan without a reachable cluster; no kubeconfig is read here.
    const provider = new KubernetesProvider(scope, 'kubernetes', { configPath: '~/.kube/config' });
    for (const [id, object] of Object.entries(objects)) addKubernetesObject(scope, id, object);
    build?.(scope, provider);
  })) as Synthesized;
}

/** The one resource synthesized from `object`, with the resource type it became. */
function translated(object: KubernetesObject): { type: string; body: Json } {
  const { resource } = synth({ object });
  const types = Object.keys(resource);
  expect(types).toHaveLength(1);
  return { type: types[0], body: resource[types[0]].object };
}

/** The leaves of `source` (with multiplicity) that `target` lacks. */
function lostLeaves(source: unknown, target: unknown): string[] {
  const available = leaves(target);
  return leaves(source).filter((leaf) => {
    const at = available.indexOf(leaf);
    if (at < 0) return true;
    available.splice(at, 1);
    return false;
  });
}

function without<T extends object>(object: T, ...keys: (keyof T)[]): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key as keyof T))) as Partial<T>;
}

function attempt(object: KubernetesObject): () => void {
  return () => Testing.synthScope((scope) => {
    addKubernetesObject(scope, 'object', object);
  });
}

/** Every string, number and boolean leaf of a JSON value, as strings. */
function leaves(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((element) => leaves(element, into));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((element) => leaves(element, into));
  else if (value !== undefined) into.push(String(value));
  return into;
}

const labels = { 'app.kubernetes.io/name': 'keycloak', 'app.kubernetes.io/instance': 'eu-west' };

const keycloak: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'keycloak', namespace: 'keycloak', labels, annotations: { 'example.com/owner': 'iam' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: labels },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    template: {
      metadata: { labels, annotations: { 'checksum/options': 'abc123' } },
      spec: {
        serviceAccountName: 'keycloak',
        automountServiceAccountToken: false,
        terminationGracePeriodSeconds: 60,
        securityContext: { runAsNonRoot: true, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: labels } },
          { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } },
        ],
        affinity: {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: labels } } },
            ],
          },
        },
        initContainers: [{
          name: 'jdbc-wrapper',
          image: 'registry.example.com/tools/fetch:1.0',
          args: ['--to', '/opt/keycloak/providers'],
          volumeMounts: [{ name: 'providers', mountPath: '/opt/keycloak/providers' }],
        }],
        containers: [{
          name: 'keycloak',
          image: 'quay.io/keycloak/keycloak:26.4.0',
          args: ['start', '--optimized'],
          ports: [
            { name: 'http', containerPort: 8080 },
            { name: 'management', containerPort: 9000 },
            { name: 'jgroups', containerPort: 7800 },
          ],
          env: [
            { name: 'KC_HOSTNAME', value: 'https://auth.example.com' },
            { name: 'KC_DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'keycloak-db', key: 'password' } } },
            { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          ],
          envFrom: [{ configMapRef: { name: 'keycloak-options' } }],
          startupProbe: { httpGet: { path: '/health/started', port: 9000 }, periodSeconds: 5, failureThreshold: 60 },
          readinessProbe: { httpGet: { path: '/health/ready', port: 9000, scheme: 'HTTP' }, periodSeconds: 10, failureThreshold: 3 },
          livenessProbe: { httpGet: { path: '/health/live', port: 'management' }, periodSeconds: 10, failureThreshold: 6 },
          resources: { requests: { cpu: '1', memory: '1500Mi' }, limits: { memory: '2Gi' } },
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            runAsUser: 1000,
            capabilities: { drop: ['ALL'] },
          },
          volumeMounts: [
            { name: 'tmp', mountPath: '/tmp' },
            { name: 'providers', mountPath: '/opt/keycloak/providers', readOnly: true },
          ],
        }],
        volumes: [
          { name: 'tmp', emptyDir: {} },
          { name: 'providers', emptyDir: { sizeLimit: '100Mi' } },
        ],
      },
    },
  },
};

const infinispanXml = [
  '<infinispan xmlns="urn:infinispan:config:15.0">',
  '  <cache-container name="default" statistics="true">',
  '    <transport cluster="infinispan" stack="xsite"/>',
  '  </cache-container>',
  '</infinispan>',
  '',
].join('\n');

const infinispan: StatefulSet = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'infinispan', namespace: 'keycloak' },
  spec: {
    replicas: 3,
    serviceName: 'infinispan-headless',
    podManagementPolicy: 'Parallel',
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    selector: { matchLabels: { app: 'infinispan' } },
    template: {
      metadata: { labels: { app: 'infinispan' } },
      spec: {
        containers: [{
          name: 'infinispan',
          image: 'quay.io/infinispan/server:15.0',
          args: ['-c', '/etc/infinispan/infinispan.xml'],
          ports: [{ name: 'hotrod', containerPort: 11222 }, { name: 'jgroups', containerPort: 7800 }],
          env: [{ name: 'USER', valueFrom: { secretKeyRef: { name: 'infinispan-credentials', key: 'username' } } }],
          readinessProbe: { tcpSocket: { port: 'hotrod' } },
          volumeMounts: [
            { name: 'config', mountPath: '/etc/infinispan', readOnly: true },
            { name: 'identities', mountPath: '/etc/infinispan-secrets', readOnly: true },
            { name: 'data', mountPath: '/opt/infinispan/server/data' },
          ],
        }],
        volumes: [
          { name: 'config', configMap: { name: 'infinispan', defaultMode: 0o444, items: [{ key: 'infinispan.xml', path: 'infinispan.xml' }] } },
          { name: 'identities', secret: { secretName: 'infinispan-credentials', items: [{ key: 'identities.yaml', path: 'identities.yaml', mode: 0o400 }] } },
        ],
      },
    },
    volumeClaimTemplates: [{
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'gp3' },
    }],
  },
};

const headless: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'keycloak-discovery', namespace: 'keycloak' },
  spec: {
    clusterIP: 'None',
    publishNotReadyAddresses: true,
    selector: labels,
    ports: [{ name: 'jgroups', port: 7800, targetPort: 7800, protocol: 'TCP' }],
  },
};

const gossipRouter: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'gossip-router', namespace: 'keycloak', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' } },
  spec: {
    type: 'LoadBalancer',
    loadBalancerSourceRanges: ['198.51.100.0/24', '203.0.113.0/24'],
    externalTrafficPolicy: 'Local',
    selector: { app: 'gossip-router' },
    ports: [{ name: 'tunnel', port: 12001, targetPort: 'tunnel' }],
  },
};

const disruptionBudget: PodDisruptionBudget = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'keycloak', namespace: 'keycloak' },
  spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
};

const clusterTraffic: NetworkPolicy = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'keycloak-cluster', namespace: 'keycloak' },
  spec: {
    podSelector: { matchLabels: labels },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [{ podSelector: { matchLabels: labels } }],
        ports: [{ protocol: 'TCP', port: 7800 }, { protocol: 'TCP', port: 57800 }],
      },
      {
        from: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
          podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['ingress-nginx'] }] },
        }],
        ports: [{ port: 'http' }],
      },
    ],
  },
};

const ingress: Ingress = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: {
    name: 'keycloak',
    namespace: 'keycloak',
    annotations: {
      'nginx.ingress.kubernetes.io/affinity': 'cookie',
      'nginx.ingress.kubernetes.io/session-cookie-name': 'AUTH_SESSION_ID',
    },
  },
  spec: {
    ingressClassName: 'nginx',
    tls: [{ hosts: ['auth.example.com'], secretName: 'auth-example-com-tls' }],
    rules: [{
      host: 'auth.example.com',
      http: {
        paths: [
          { path: '/realms/', pathType: 'Prefix', backend: { service: { name: 'keycloak', port: { number: 8080 } } } },
          { path: '/resources/', pathType: 'Prefix', backend: { service: { name: 'keycloak', port: { name: 'http' } } } },
        ],
      },
    }],
  },
};

const autoscaler: HorizontalPodAutoscaler = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'keycloak', namespace: 'keycloak' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'keycloak' },
    minReplicas: 3,
    maxReplicas: 9,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    behavior: {
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }] },
    },
  },
};

const infinispanConfig: ConfigMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'infinispan', namespace: 'keycloak' },
  data: { 'infinispan.xml': infinispanXml },
};

const database: CustomObject = {
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  metadata: { name: 'keycloak-db', namespace: 'keycloak' },
  spec: {
    instances: 3,
    postgresql: { synchronous: { method: 'any', number: 1 } },
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' }],
    storage: { size: '20Gi' },
  },
};

describe('addKubernetesObject', () => {
  describe('GIVEN the Keycloak Deployment', () => {
    const { type, body } = translated(keycloak);
    const spec = body.spec as Json;
    const pod = (spec.template as Json).spec as Json;
    const [container] = pod.container as Json[];

    test('THEN a kubernetes_deployment_v1 with metadata, the replica count as a string and the rolling update', () => {
      expect(type).toBe('kubernetes_deployment_v1');
      expect(body.metadata).toEqual({ name: 'keycloak', namespace: 'keycloak', labels, annotations: { 'example.com/owner': 'iam' } });
      expect(spec.replicas).toBe('3');
      expect(spec.selector).toEqual({ match_labels: labels });
      expect(spec.strategy).toEqual({ type: 'RollingUpdate', rolling_update: { max_surge: '1', max_unavailable: '0' } });
      expect((spec.template as Json).metadata).toEqual({ labels, annotations: { 'checksum/options': 'abc123' } });
    });

    test('THEN the probes check the management port 9000 (int-or-string ports become strings)', () => {
      expect(container.startup_probe).toEqual({ http_get: { path: '/health/started', port: '9000' }, period_seconds: 5, failure_threshold: 60 });
      expect(container.readiness_probe).toEqual({
        http_get: { path: '/health/ready', port: '9000', scheme: 'HTTP' }, period_seconds: 10, failure_threshold: 3,
      });
      expect(container.liveness_probe).toEqual({ http_get: { path: '/health/live', port: 'management' }, period_seconds: 10, failure_threshold: 6 });
      expect(container.port).toEqual([
        { name: 'http', container_port: 8080 },
        { name: 'management', container_port: 9000 },
        { name: 'jgroups', container_port: 7800 },
      ]);
    });

    test('THEN secrets are referenced, never inlined', () => {
      expect(container.env).toEqual([
        { name: 'KC_HOSTNAME', value: 'https://auth.example.com' },
        { name: 'KC_DB_PASSWORD', value_from: { secret_key_ref: { name: 'keycloak-db', key: 'password' } } },
        { name: 'POD_IP', value_from: { field_ref: { field_path: 'status.podIP' } } },
      ]);
      expect(container.env_from).toEqual([{ config_map_ref: { name: 'keycloak-options' } }]);
    });

    test('THEN the pods spread over zones and hosts', () => {
      expect(pod.topology_spread_constraint).toEqual([
        { max_skew: 1, topology_key: 'topology.kubernetes.io/zone', when_unsatisfiable: 'DoNotSchedule', label_selector: [{ match_labels: labels }] },
        { max_skew: 1, topology_key: 'kubernetes.io/hostname', when_unsatisfiable: 'ScheduleAnyway', label_selector: [{ match_labels: labels }] },
      ]);
      expect(pod.affinity).toEqual({
        pod_anti_affinity: {
          preferred_during_scheduling_ignored_during_execution: [
            { weight: 100, pod_affinity_term: { topology_key: 'kubernetes.io/hostname', label_selector: [{ match_labels: labels }] } },
          ],
        },
      });
    });

    test('THEN the security contexts carry over (ids as strings, capabilities dropped)', () => {
      expect(pod.security_context).toEqual({ run_as_non_root: true, fs_group: '1000', seccomp_profile: { type: 'RuntimeDefault' } });
      expect(container.security_context).toEqual({
        allow_privilege_escalation: false,
        read_only_root_filesystem: true,
        run_as_non_root: true,
        run_as_user: '1000',
        capabilities: { drop: ['ALL'] },
      });
      expect(pod.service_account_name).toBe('keycloak');
      expect(pod.automount_service_account_token).toBe(false);
      expect(pod.termination_grace_period_seconds).toBe(60);
    });

    test('THEN resources, volume mounts, empty dirs and init containers carry over', () => {
      expect(container.resources).toEqual({ requests: { cpu: '1', memory: '1500Mi' }, limits: { memory: '2Gi' } });
      expect(container.volume_mount).toEqual([
        { name: 'tmp', mount_path: '/tmp' },
        { name: 'providers', mount_path: '/opt/keycloak/providers', read_only: true },
      ]);
      // An empty emptyDir must survive synthesis: it is the volume's only source.
      expect(pod.volume).toEqual([{ name: 'tmp', empty_dir: {} }, { name: 'providers', empty_dir: { size_limit: '100Mi' } }]);
      expect(pod.init_container).toEqual([{
        name: 'jdbc-wrapper',
        image: 'registry.example.com/tools/fetch:1.0',
        args: ['--to', '/opt/keycloak/providers'],
        volume_mount: [{ name: 'providers', mount_path: '/opt/keycloak/providers' }],
      }]);
    });

    test('THEN every environment variable of the API object is in the typed resource', () => {
      const apiEnv = keycloak.spec?.template.spec?.containers[0].env ?? [];
      const names = (container.env as Json[]).map((env) => env.name);
      expect(names).toEqual(apiEnv.map((env) => env.name));
      for (const env of apiEnv) {
        const synthesized = (container.env as Json[]).find((candidate) => candidate.name === env.name);
        expect(lostLeaves(env, synthesized)).toEqual([]);
      }
    });

    test('THEN no value of the API object is lost', () => {
      expect(lostLeaves(without(keycloak, 'apiVersion', 'kind'), body)).toEqual([]);
    });
  });

  describe('GIVEN the Infinispan StatefulSet', () => {
    const { type, body } = translated(infinispan);
    const spec = body.spec as Json;
    const pod = (spec.template as Json).spec as Json;

    test('THEN a kubernetes_stateful_set_v1 with its service name, parallel pods and block-list update strategy', () => {
      expect(type).toBe('kubernetes_stateful_set_v1');
      expect(spec).toMatchObject({
        replicas: '3',
        service_name: 'infinispan-headless',
        pod_management_policy: 'Parallel',
        update_strategy: [{ type: 'RollingUpdate', rolling_update: [{ partition: 0 }] }],
      });
    });

    test('THEN ConfigMap and Secret volumes keep their items, with modes as octal strings', () => {
      expect(pod.volume).toEqual([
        { name: 'config', config_map: { name: 'infinispan', default_mode: '0444', items: [{ key: 'infinispan.xml', path: 'infinispan.xml' }] } },
        { name: 'identities', secret: { secret_name: 'infinispan-credentials', items: [{ key: 'identities.yaml', path: 'identities.yaml', mode: '0400' }] } },
      ]);
    });

    test('THEN the tcpSocket probe becomes a one-element block list and claim templates carry over', () => {
      const [container] = pod.container as Json[];
      expect(container.readiness_probe).toEqual({ tcp_socket: [{ port: 'hotrod' }] });
      expect(spec.volume_claim_template).toEqual([{
        metadata: { name: 'data' },
        spec: { access_modes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storage_class_name: 'gp3' },
      }]);
    });
  });

  describe('GIVEN Services', () => {
    const { resource } = synth({ headless, gossipRouter });
    const services = resource.kubernetes_service_v1;

    test('THEN the headless discovery Service publishes not-ready addresses on 7800', () => {
      expect(services.headless.spec).toEqual({
        cluster_ip: 'None',
        publish_not_ready_addresses: true,
        selector: labels,
        port: [{ name: 'jgroups', port: 7800, target_port: '7800', protocol: 'TCP' }],
      });
    });

    test('THEN the Gossip Router is a LoadBalancer limited to the source ranges, with a named target port', () => {
      expect(services.gossipRouter.metadata).toEqual({
        name: 'gossip-router', namespace: 'keycloak', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' },
      });
      expect(services.gossipRouter.spec).toEqual({
        type: 'LoadBalancer',
        load_balancer_source_ranges: ['198.51.100.0/24', '203.0.113.0/24'],
        external_traffic_policy: 'Local',
        selector: { app: 'gossip-router' },
        port: [{ name: 'tunnel', port: 12001, target_port: 'tunnel' }],
      });
    });
  });

  test('GIVEN a PodDisruptionBudget THEN maxUnavailable becomes a string', () => {
    const { type, body } = translated(disruptionBudget);
    expect(type).toBe('kubernetes_pod_disruption_budget_v1');
    expect(body.spec).toEqual({ max_unavailable: '1', selector: { match_labels: labels } });
  });

  describe('GIVEN a NetworkPolicy', () => {
    test('THEN its ingress rules keep peers and ports (ports as strings)', () => {
      const { type, body } = translated(clusterTraffic);
      expect(type).toBe('kubernetes_network_policy_v1');
      expect(body.spec).toEqual({
        pod_selector: { match_labels: labels },
        policy_types: ['Ingress'],
        ingress: [
          {
            from: [{ pod_selector: { match_labels: labels } }],
            ports: [{ protocol: 'TCP', port: '7800' }, { protocol: 'TCP', port: '57800' }],
          },
          {
            from: [{
              namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
              pod_selector: { match_expressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['ingress-nginx'] }] },
            }],
            ports: [{ port: 'http' }],
          },
        ],
      });
    });

    test('WHEN policyTypes is absent THEN the API server default is written out (the provider requires it)', () => {
      const spec = { ...without(clusterTraffic.spec!, 'policyTypes'), podSelector: clusterTraffic.spec!.podSelector };
      const ingressOnly = translated({ ...clusterTraffic, spec });
      expect((ingressOnly.body.spec as Json).policy_types).toEqual(['Ingress']);
      const withEgress = translated({ ...clusterTraffic, spec: { ...spec, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/16' } }] }] } });
      expect((withEgress.body.spec as Json).policy_types).toEqual(['Ingress', 'Egress']);
      expect((withEgress.body.spec as Json).egress).toEqual([{ to: [{ ip_block: { cidr: '10.0.0.0/16' } }] }]);
    });
  });

  test('GIVEN an Ingress THEN annotations, class, rules with service ports by number or name, and TLS carry over', () => {
    const { type, body } = translated(ingress);
    expect(type).toBe('kubernetes_ingress_v1');
    expect((body.metadata as Json).annotations).toEqual({
      'nginx.ingress.kubernetes.io/affinity': 'cookie',
      'nginx.ingress.kubernetes.io/session-cookie-name': 'AUTH_SESSION_ID',
    });
    expect(body.spec).toEqual({
      ingress_class_name: 'nginx',
      tls: [{ hosts: ['auth.example.com'], secret_name: 'auth-example-com-tls' }],
      rule: [{
        host: 'auth.example.com',
        http: {
          path: [
            { path: '/realms/', path_type: 'Prefix', backend: { service: { name: 'keycloak', port: { number: 8080 } } } },
            { path: '/resources/', path_type: 'Prefix', backend: { service: { name: 'keycloak', port: { name: 'http' } } } },
          ],
        },
      }],
    });
  });

  test('GIVEN an HPA THEN metrics and a scale-down policy of one pod at a time carry over', () => {
    const { type, body } = translated(autoscaler);
    expect(type).toBe('kubernetes_horizontal_pod_autoscaler_v2');
    expect(body.spec).toEqual({
      scale_target_ref: { api_version: 'apps/v1', kind: 'Deployment', name: 'keycloak' },
      min_replicas: 3,
      max_replicas: 9,
      metric: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', average_utilization: 70 } } }],
      behavior: {
        scale_down: [{ stabilization_window_seconds: 300, select_policy: 'Min', policy: [{ type: 'Pods', value: 1, period_seconds: 120 }] }],
      },
    });
  });

  test('GIVEN a ConfigMap with multi-line data THEN the text is kept byte for byte', () => {
    const { type, body } = translated(infinispanConfig);
    expect(type).toBe('kubernetes_config_map_v1');
    expect(body.data).toEqual({ 'infinispan.xml': infinispanXml });
  });

  test('GIVEN a ServiceAccount and a Namespace THEN their typed resources', () => {
    const account: ServiceAccount = {
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'keycloak', namespace: 'keycloak' }, automountServiceAccountToken: false,
    };
    const namespace: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'keycloak', labels: { team: 'iam' } } };
    const { resource } = synth({ account, namespace });
    expect(resource.kubernetes_service_account_v1.account).toEqual({
      metadata: { name: 'keycloak', namespace: 'keycloak' }, automount_service_account_token: false,
    });
    expect(resource.kubernetes_namespace_v1.namespace).toEqual({ metadata: { name: 'keycloak', labels: { team: 'iam' } } });
  });

  test('GIVEN a CloudNativePG Cluster THEN a kubernetes_manifest carrying the object unchanged', () => {
    const { type, body } = translated(database);
    expect(type).toBe('kubernetes_manifest');
    expect(body.manifest).toEqual(database);
  });

  test('GIVEN cdktf synth --hcl THEN a kubernetes_manifest is written as the object itself (lists stay lists, template text stays a string)', () => {
    const rule: CustomObject = {
      apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'alerts', namespace: 'keycloak' },
      spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up < 1', for: '5m', annotations: { description: '{{ $value }} of 30 "pods"' } }] }] },
    };
    // As `cdktf synth --hcl` runs the app; nothing is written to the outdir here.
    const stack = new TerraformStack(new App({ hclOutput: true }), 'hcl');
    new KubernetesProvider(stack, 'kubernetes', { configPath: '~/.kube/config' });
    addKubernetesObject(stack, 'rule', rule);
    const hcl = Testing.synthHcl(stack);
    expect(hcl).toContain('manifest = "${jsondecode(jsonencode({"apiVersion" = "monitoring.coreos.com/v1"');
    expect(hcl).toContain('"groups" = [{"name" = "g", "rules" = [{');
    expect(hcl).toContain('"description" = "{{ $value }} of 30 \\"pods\\""');
  });

  test('GIVEN an aliased provider THEN the resource is created with it', () => {
    const { resource } = synth({}, (scope) => {
      const eu = new KubernetesProvider(scope, 'eu', { alias: 'eu', configPath: '~/.kube/config', configContext: 'eu' });
      addKubernetesObject(scope, 'config', infinispanConfig, eu);
      addKubernetesObject(scope, 'database', database, eu);
    });
    expect(resource.kubernetes_config_map_v1.config.provider).toBe('kubernetes.eu');
    expect(resource.kubernetes_manifest.database.provider).toBe('kubernetes.eu');
  });

  test.each<[string, KubernetesObject, string[]]>([
    ['Deployment', keycloak, []],
    // 0o444 and 0o400 reappear as the octal strings "0444" and "0400".
    ['StatefulSet', infinispan, ['292', '256']],
    ['headless Service', headless, []],
    ['LoadBalancer Service', gossipRouter, []],
    ['PodDisruptionBudget', disruptionBudget, []],
    ['NetworkPolicy', clusterTraffic, []],
    ['Ingress', ingress, []],
    ['HorizontalPodAutoscaler', autoscaler, []],
    ['ConfigMap', infinispanConfig, []],
    ['CNPG Cluster', database, []],
  ])('GIVEN the %s THEN every value of the API object is in the synthesized resource', (_name, object, converted) => {
    const { body } = translated(object);
    const source = object.kind === 'Cluster' ? object : without(object, 'apiVersion', 'kind');
    expect(lostLeaves(source, body)).toEqual(converted);
  });

  test('GIVEN a replica count from a Terraform variable THEN the token survives the number-to-string conversion', () => {
    const { resource } = synth({}, (scope) => {
      const replicas = new TerraformVariable(scope, 'replicas', { type: 'number' });
      addKubernetesObject(scope, 'keycloak', { ...keycloak, spec: { ...keycloak.spec!, replicas: Token.asNumber(replicas.value) } });
    });
    expect((resource.kubernetes_deployment_v1.keycloak.spec as Json).replicas).toBe('${var.replicas}');
  });

  test('isBuiltInKubernetesObject narrows to the typed kinds, so kind then narrows to one', () => {
    const objects: KubernetesObject[] = [infinispanConfig, database, keycloak];
    const xml = objects.map((object) => isBuiltInKubernetesObject(object) && object.kind === 'ConfigMap' ? object.data?.['infinispan.xml'] : undefined);
    expect(xml).toEqual([infinispanXml, undefined, undefined]);
  });

  describe('GIVEN a field the translation does not support', () => {
    const container = keycloak.spec!.template.spec!.containers[0];
    const withContainer = (patch: object): Deployment => ({
      ...keycloak,
      spec: { ...keycloak.spec!, template: { ...keycloak.spec!.template, spec: { ...keycloak.spec!.template.spec!, containers: [{ ...container, ...patch }] } } },
    });

    test('THEN it throws naming the kind, the object and the JSON path', () => {
      expect(attempt(withContainer({ resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }] }))).toThrow(
        'cannot translate Deployment "keycloak" to kubernetes_deployment_v1: spec.template.spec.containers[0].resizePolicy is not supported (supported at spec.template.spec.containers[0]: ',
      );
    });

    test('THEN nested fields are reported with their full path', () => {
      expect(attempt(withContainer({ livenessProbe: { tcpSocket: { port: 9000, host: 'localhost' } } }))).toThrow(
        'spec.template.spec.containers[0].livenessProbe.tcpSocket.host is not supported (supported at spec.template.spec.containers[0].livenessProbe.tcpSocket: port)',
      );
      expect(attempt(withContainer({ lifecycle: { preStop: { sleep: { seconds: 5 } } } }))).toThrow('spec.template.spec.containers[0].lifecycle.preStop.sleep is not supported');
    });

    test('THEN a status, server-set metadata and a Namespace with a namespace are refused', () => {
      expect(attempt({ ...disruptionBudget, status: { currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 1 } })).toThrow(
        'cannot translate PodDisruptionBudget "keycloak" to kubernetes_pod_disruption_budget_v1: status is not supported',
      );
      expect(attempt({ ...infinispanConfig, metadata: { ...infinispanConfig.metadata, finalizers: ['example.com/keep'] } })).toThrow('metadata.finalizers is not supported');
      expect(attempt({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'keycloak', namespace: 'default' } })).toThrow(
        'cannot translate Namespace "keycloak" to kubernetes_namespace_v1: metadata.namespace is not supported',
      );
      expect(attempt({ ...database, status: { phase: 'Cluster in healthy state' } } as CustomObject)).toThrow(
        'cannot translate Cluster "keycloak-db" to kubernetes_manifest: status is not supported',
      );
    });

    test('THEN a PDB eviction policy the provider cannot express is refused rather than dropped', () => {
      expect(attempt({ ...disruptionBudget, spec: { ...disruptionBudget.spec, unhealthyPodEvictionPolicy: 'AlwaysAllow' } })).toThrow(
        'spec.unhealthyPodEvictionPolicy is not supported',
      );
    });
  });

  describe('GIVEN an object the provider cannot take as is', () => {
    test('WHEN a field the provider requires is absent THEN it throws naming it', () => {
      expect(attempt({ ...autoscaler, spec: { ...autoscaler.spec!, behavior: { scaleDown: { stabilizationWindowSeconds: 300 } } } })).toThrow(
        'cannot translate HorizontalPodAutoscaler "keycloak" to kubernetes_horizontal_pod_autoscaler_v2: spec.behavior.scaleDown.policies is required by kubernetes_horizontal_pod_autoscaler_v2 but absent',
      );
      expect(attempt({ ...headless, metadata: {} })).toThrow('metadata.name is required');
    });

    test('WHEN a file mode exceeds 0777 THEN it throws with the value received', () => {
      const volumes = infinispan.spec!.template.spec!.volumes!;
      const badMode: StatefulSet = {
        ...infinispan,
        spec: {
          ...infinispan.spec!,
          template: { ...infinispan.spec!.template, spec: { ...infinispan.spec!.template.spec!, volumes: [{ ...volumes[0], configMap: { name: 'x', defaultMode: 0o1777 } }] } },
        },
      };
      expect(attempt(badMode)).toThrow('spec.template.spec.volumes[0].configMap.defaultMode must be a literal integer from 0 to 511 (0777); received 1023');
    });

    test('WHEN the kind has no translation or another API version THEN it throws listing the supported ones', () => {
      const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keycloak-db' }, stringData: { password: 'x' } };
      expect(attempt(secret)).toThrow('cannot translate Secret "keycloak-db": v1 Secret has no typed translation (supported: apps/v1 Deployment, ');
      expect(attempt({ ...keycloak, apiVersion: 'apps/v1beta2' } as unknown as KubernetesObject)).toThrow('apps/v1beta2 Deployment has no typed translation');
      expect(attempt({ ...secret, apiVersion: undefined } as unknown as KubernetesObject)).toThrow(
        'cannot translate Kubernetes object "keycloak-db": apiVersion and kind are required',
      );
    });
  });
});
