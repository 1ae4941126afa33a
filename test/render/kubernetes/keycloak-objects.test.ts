import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Container, EnvVar } from 'kubernetes-types/core/v1';
import { parseAllDocuments } from 'yaml';
import { defineTopology, KeycloakImage, KeycloakVersion, renderKeycloakConfig, toEnvironment, TopologyInput } from '../../../lib';
import {
  INGRESS_AFFINITY_COOKIE, KeycloakObjectsOptions, KubernetesObject, renderKeycloakObjects,
} from '../../../lib/render/kubernetes/keycloak-objects';
import { toYaml } from '../../../lib/render/kubernetes/yaml';
import { conformanceUnavailable, runConformance, withScratchFolder } from '../../conformance';

const input: TopologyInput = { hostname: 'auth.example.com', sites: { 'eu-west': { region: 'eu-west-1', zones: 3, nodes: 3 } } };
const options: KeycloakObjectsOptions = {
  database: { cnpg: { clusterName: 'keycloak-db' }, credentialsSecret: { name: 'keycloak-db-app', usernameKey: 'username', passwordKey: 'password' } },
  bootstrapAdminSecret: { name: 'keycloak-bootstrap-admin', passwordKey: 'password' },
  ingress: { tlsSecretName: 'auth-example-com-tls' },
  trustedProxyCidrs: ['10.244.0.0/16'],
};
const render = (overrides: Partial<KeycloakObjectsOptions> = {}, topology: Partial<TopologyInput> = {}) =>
  renderKeycloakObjects(defineTopology({ ...input, ...topology }), 'eu-west', { ...options, ...overrides });

function find<K extends KubernetesObject['kind']>(objects: KubernetesObject[], kind: K, name = 'keycloak'): Extract<KubernetesObject, { kind: K }> {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found as Extract<KubernetesObject, { kind: K }>;
}
const deployment = (objects = render()) => find(objects, 'Deployment');
const container = (objects = render()): Container => deployment(objects).spec!.template.spec!.containers[0];
const envOf = (objects = render()): EnvVar[] => container(objects).env!;

describe('renderKeycloakObjects', () => {
  test('GIVEN a three-node site THEN one object of each kind, in the namespace, labelled for the site', () => {
    const objects = render();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/keycloak', 'Deployment/keycloak', 'Service/keycloak', 'Service/keycloak-discovery',
      'PodDisruptionBudget/keycloak', 'NetworkPolicy/keycloak', 'Ingress/keycloak',
    ]);
    for (const object of objects) {
      expect(object.metadata.namespace).toBe('keycloak');
      expect(object.metadata.labels).toEqual({
        'app.kubernetes.io/name': 'keycloak',
        'app.kubernetes.io/instance': 'keycloak-eu-west',
        'app.kubernetes.io/part-of': 'keycloak-ha',
        'topology.keycloak-ha/site': 'eu-west',
      });
    }
  });

  test('namespace and name prefix are configurable', () => {
    const objects = render({ namespace: 'identity', namePrefix: 'sso' });
    expect(objects.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toContain('identity/sso-discovery');
    expect(find(objects, 'Deployment', 'sso').metadata.labels!['app.kubernetes.io/instance']).toBe('sso-eu-west');
    expect(find(objects, 'Ingress', 'sso').spec!.rules![0].http!.paths[0].backend.service!.name).toBe('sso');
  });

  test('one replica per node, rolled one at a time without ever going below it', () => {
    const { spec } = deployment();
    expect(spec!.replicas).toBe(3);
    expect(spec!.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(spec!.template.spec!.terminationGracePeriodSeconds).toBe(60);
  });

  test('probes are on the management port 9000: started, ready, live; never on / or 8080', () => {
    const { startupProbe, readinessProbe, livenessProbe } = container();
    expect([startupProbe, readinessProbe, livenessProbe].map((p) => [p!.httpGet!.path, p!.httpGet!.port])).toEqual([
      ['/health/started', 9000], ['/health/ready', 9000], ['/health/live', 9000],
    ]);
    // A first start creates the schema: the start-up budget is generous (ten minutes).
    expect(startupProbe!.periodSeconds! * startupProbe!.failureThreshold!).toBeGreaterThanOrEqual(600);
    expect(deployment().spec!.progressDeadlineSeconds).toBeGreaterThan(600);
  });

  test('the container exposes HTTP, management and both cluster ports', () => {
    expect(container().ports!.map((p) => [p.name, p.containerPort])).toEqual([
      ['http', 8080], ['management', 9000], ['jgroups', 7800], ['jgroups-fd', 57800],
    ]);
  });

  test('resources come from the topology: memory request = limit, CPU limit 2.5 × the request (Keycloak sizing guide)', () => {
    expect(container().resources).toEqual({ requests: { cpu: '2', memory: '4096Mi' }, limits: { cpu: '5', memory: '4096Mi' } });
    const small = container(render({}, { keycloak: { vcpu: 0.25, memoryMiB: 1024 } })).resources;
    expect(small).toEqual({ requests: { cpu: '250m', memory: '1024Mi' }, limits: { cpu: '625m', memory: '1024Mi' } });
  });

  test('pods spread over zones strictly and over hosts best-effort, with the deployment selector', () => {
    const { spec } = deployment();
    const constraints = spec!.template.spec!.topologySpreadConstraints!;
    expect(constraints.map((c) => [c.topologyKey, c.maxSkew, c.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 1, 'DoNotSchedule'],
      ['kubernetes.io/hostname', 1, 'ScheduleAnyway'],
    ]);
    for (const c of constraints) expect(c.labelSelector).toEqual(spec!.selector);
    expect(constraints[0].nodeTaintsPolicy).toBe('Honor');
  });

  test('non-root, no privilege escalation, no capabilities, default seccomp, no API token', () => {
    const pod = deployment().spec!.template.spec!;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
    expect(container().securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(find(render(), 'ServiceAccount').automountServiceAccountToken).toBe(false);
  });

  test("the environment is the renderer's options, its secrets as secretKeyRef, plus the pod's own address and node", () => {
    const topology = defineTopology(input);
    const config = renderKeycloakConfig(topology, 'eu-west', {
      database: { writerEndpoint: 'keycloak-db-rw.keycloak.svc', instanceEndpoints: ['keycloak-db-rw.keycloak.svc'], port: 5432 },
      trustedProxyCidrs: ['10.244.0.0/16'],
      loadBalancerAffinityCookie: true,
      shutdown: { delaySeconds: 15, timeoutSeconds: 30 },
    });
    const env = envOf();
    const literal = Object.fromEntries(env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
    expect(literal).toEqual(toEnvironment(config.options));
    expect(env.filter((e) => e.valueFrom?.secretKeyRef).map((e) => [e.name, e.valueFrom!.secretKeyRef])).toEqual([
      ['KCRAW_BOOTSTRAP_ADMIN_PASSWORD', { name: 'keycloak-bootstrap-admin', key: 'password' }],
      ['KCRAW_DB_PASSWORD', { name: 'keycloak-db-app', key: 'password' }],
      ['KCRAW_DB_USERNAME', { name: 'keycloak-db-app', key: 'username' }],
    ]);
    expect(env.filter((e) => e.valueFrom?.fieldRef).map((e) => [e.name, e.valueFrom!.fieldRef!.fieldPath])).toEqual([
      ['KC_CACHE_EMBEDDED_NETWORK_BIND_ADDRESS', 'status.podIP'],
      ['KC_SPI_CACHE_EMBEDDED__DEFAULT__MACHINE_NAME', 'spec.nodeName'],
    ]);
    expect(container().args).toEqual(['start']);
    expect(literal['KC_DB_URL']).toBe('jdbc:postgresql://keycloak-db-rw.keycloak.svc:5432/keycloak?targetServerType=primary&sslmode=require');
    expect(literal['KC_CACHE_STACK']).toBe('jdbc-ping');
    expect(env.map((e) => e.name)).not.toContain('KC_PROXY');
  });

  test('before Keycloak 26.4 the pod address and node are not passed (the options are documented from 26.4)', () => {
    const names = envOf(render({}, { version: KeycloakVersion.of('26.2.0') })).map((e) => e.name);
    expect(names).not.toContain('KC_CACHE_EMBEDDED_NETWORK_BIND_ADDRESS');
    expect(names).not.toContain('KC_SPI_CACHE_EMBEDDED__DEFAULT__MACHINE_NAME');
  });

  test('with usernameKey the administrator name also comes from the Secret, not from the topology', () => {
    const env = envOf(render({ bootstrapAdminSecret: { name: 'admin', usernameKey: 'user', passwordKey: 'pass' } }));
    expect(env.find((e) => e.name === 'KCRAW_BOOTSTRAP_ADMIN_USERNAME')).toEqual({
      name: 'KCRAW_BOOTSTRAP_ADMIN_USERNAME', valueFrom: { secretKeyRef: { name: 'admin', key: 'user' } },
    });
  });

  test('secrets never appear as literals: every credential variable is a secretKeyRef, no string carries one', () => {
    for (const objects of [render(), render({ database: { ...options.database, cnpg: undefined, jdbcUrl: 'jdbc:postgresql://db.example.internal:5432/keycloak' } })]) {
      for (const e of envOf(objects).filter((v) => /_(PASSWORD|SECRET|TOKEN|USERNAME)$/.test(v.name) && v.name !== 'KC_BOOTSTRAP_ADMIN_USERNAME')) {
        expect(e.value).toBeUndefined();
        expect(e.valueFrom?.secretKeyRef).toBeDefined();
      }
      for (const [path, value] of strings(objects)) {
        expect({ path, value }).not.toMatchObject({ value: expect.stringMatching(/password=|:\/\/[^/\s]*:[^/\s]*@|-----BEGIN/i) });
      }
    }
  });

  test('Services: ClusterIP on 8080 for the Ingress; headless discovery on 7800 publishing not-ready pods', () => {
    const objects = render();
    const selector = deployment(objects).spec!.selector.matchLabels;
    const http = find(objects, 'Service');
    expect(http.spec).toMatchObject({ type: 'ClusterIP', selector, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] });
    const discovery = find(objects, 'Service', 'keycloak-discovery');
    expect(discovery.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true, selector, ports: [{ port: 7800 }] });
  });

  test('the PodDisruptionBudget lets one pod go at a time, selecting the deployment’s pods', () => {
    const objects = render();
    expect(find(objects, 'PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: deployment(objects).spec!.selector });
  });

  test('NetworkPolicy: cluster ports only from Keycloak pods, HTTP only from the ingress controller, egress open', () => {
    const objects = render();
    const { spec } = find(objects, 'NetworkPolicy');
    const selector = deployment(objects).spec!.selector;
    expect(spec!.podSelector).toEqual(selector);
    expect(spec!.policyTypes).toEqual(['Ingress']);
    expect(spec!.ingress).toEqual([
      { from: [{ podSelector: selector }], ports: [{ protocol: 'TCP', port: 7800 }, { protocol: 'TCP', port: 57800 }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
  });

  test('NetworkPolicy: the controller namespace is configurable and metrics scrapers may be allowed on 9000', () => {
    const { spec } = find(render({ ingress: { ...options.ingress, controllerNamespace: 'edge' }, metricsNamespace: 'monitoring' }), 'NetworkPolicy');
    expect(spec!.ingress!.slice(1)).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9000 }] },
    ]);
  });

  test('Ingress: TLS for the hostname, only the public paths, to the keycloak Service', () => {
    const { spec } = find(render(), 'Ingress');
    expect(spec!.ingressClassName).toBe('nginx');
    expect(spec!.tls).toEqual([{ hosts: ['auth.example.com'], secretName: 'auth-example-com-tls' }]);
    expect(spec!.rules).toHaveLength(1);
    expect(spec!.rules![0].host).toBe('auth.example.com');
    expect(spec!.rules![0].http!.paths.map((p) => [p.path, p.pathType])).toEqual([
      ['/realms/', 'Prefix'], ['/resources/', 'Prefix'], ['/.well-known/', 'Prefix'], ['/robots.txt', 'Exact'],
    ]);
    for (const path of spec!.rules![0].http!.paths) expect(path.backend).toEqual({ service: { name: 'keycloak', port: { name: 'http' } } });
    expect(find(render({ ingress: { ...options.ingress, className: 'nginx-public' } }), 'Ingress').spec!.ingressClassName).toBe('nginx-public');
  });

  test("Ingress: cookie affinity with nginx's own cookie, never one that would overwrite AUTH_SESSION_ID", () => {
    const annotations = find(render({}, { traffic: { stickinessSeconds: 1800 } }), 'Ingress').metadata.annotations!;
    expect(annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/affinity': 'cookie',
      'nginx.ingress.kubernetes.io/affinity-mode': 'persistent',
      'nginx.ingress.kubernetes.io/session-cookie-name': INGRESS_AFFINITY_COOKIE,
      'nginx.ingress.kubernetes.io/session-cookie-path': '/',
      'nginx.ingress.kubernetes.io/session-cookie-max-age': '1800',
      'nginx.ingress.kubernetes.io/session-cookie-secure': 'true',
      'nginx.ingress.kubernetes.io/session-cookie-samesite': 'None',
    });
    expect(INGRESS_AFFINITY_COOKIE).not.toBe('AUTH_SESSION_ID');
    expect(Object.keys(annotations)).not.toContain('nginx.ingress.kubernetes.io/upstream-hash-by');
    expect(annotations['nginx.ingress.kubernetes.io/proxy-buffer-size']).toBe('16k');
  });

  test('no autoscaler by default; with one, it owns the replica count and scales down one pod per five minutes', () => {
    expect(render().some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
    const objects = render({ hpa: { minReplicas: 3, maxReplicas: 9, cpuUtilization: 70 } });
    expect(deployment(objects).spec!.replicas).toBeUndefined();
    const { spec } = find(objects, 'HorizontalPodAutoscaler');
    expect(spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'keycloak' },
      minReplicas: 3,
      maxReplicas: 9,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    expect(spec!.behavior!.scaleDown).toEqual({ stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }] });
  });

  test('the autoscaler states every behaviour field the API server would default, so the next plan has no diff', () => {
    const { behavior } = find(render({ hpa: { minReplicas: 3, maxReplicas: 6, cpuUtilization: 70 } }), 'HorizontalPodAutoscaler').spec!;
    for (const rules of [behavior!.scaleUp!, behavior!.scaleDown!]) {
      expect(rules).toEqual(expect.objectContaining({ selectPolicy: 'Max', stabilizationWindowSeconds: expect.any(Number), policies: expect.any(Array) }));
    }
  });

  test("graceful stop: Keycloak keeps serving 15 s after SIGTERM while the ingress drops it, within the pod's grace period", () => {
    const env = Object.fromEntries(envOf().map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ KC_SHUTDOWN_DELAY: '15s', KC_SHUTDOWN_TIMEOUT: '30s' });
    expect(deployment().spec!.template.spec!.terminationGracePeriodSeconds).toBeGreaterThan(15 + 30);
  });

  test("Keycloak's route suffix is off: the ingress pins browsers with its own cookie", () => {
    const env = Object.fromEntries(envOf().map((e) => [e.name, e.value]));
    expect(env.KC_SPI_STICKY_SESSION_ENCODER__INFINISPAN__SHOULD_ATTACH_ROUTE).toBe('false');
  });

  describe('database', () => {
    const url = (objects: KubernetesObject[]) => envOf(objects).find((e) => e.name === 'KC_DB_URL')!.value;
    const external = (jdbcUrl: string, topology: Partial<TopologyInput> = {}) =>
      render({ database: { jdbcUrl, credentialsSecret: options.database.credentialsSecret } }, topology);

    test('a CloudNativePG cluster in another namespace is reached through its -rw Service', () => {
      const objects = render({ database: { ...options.database, cnpg: { clusterName: 'pg', namespace: 'databases' } } });
      expect(url(objects)).toBe('jdbc:postgresql://pg-rw.databases.svc:5432/keycloak?targetServerType=primary&sslmode=require');
    });

    test('an external database keeps its hosts and port; the renderer adds TLS and the writer check', () => {
      expect(url(external('jdbc:postgresql://db.example.internal:6432/keycloak'))).toBe(
        'jdbc:postgresql://db.example.internal:6432/keycloak?targetServerType=primary&sslmode=require',
      );
      expect(url(external('jdbc:postgresql://a.example.internal,b.example.internal/keycloak'))).toBe(
        'jdbc:postgresql://a.example.internal:5432,b.example.internal:5432/keycloak?targetServerType=primary&sslmode=require',
      );
    });

    test('Aurora through the AWS JDBC wrapper when the image bundles it', () => {
      const image = KeycloakImage.fromRegistry('registry.example.com/keycloak:26.7.0-aws', { bundlesAwsJdbcWrapper: true });
      expect(url(external('jdbc:aws-wrapper:postgresql://kc.cluster-x.eu-west-1.rds.amazonaws.com:5432/keycloak', { keycloak: { image } }))).toBe(
        'jdbc:aws-wrapper:postgresql://kc.cluster-x.eu-west-1.rds.amazonaws.com:5432/keycloak?sslmode=require',
      );
      expect(() => external('jdbc:aws-wrapper:postgresql://kc.example.internal/keycloak')).toThrow(/does not bundle/);
    });

    test.each([
      ['both kinds', { jdbcUrl: 'jdbc:postgresql://db/keycloak', cnpg: { clusterName: 'pg' } }, /exactly one database/],
      ['neither kind', {}, /exactly one database/],
      ['another database name', { jdbcUrl: 'jdbc:postgresql://db/other' }, /names the database 'other'/],
      ['query parameters', { jdbcUrl: 'jdbc:postgresql://db/keycloak?sslmode=disable' }, /query parameters/],
      ['not a JDBC URL', { jdbcUrl: 'postgres://db/keycloak' }, /not a PostgreSQL JDBC URL/],
      ['an invalid CNPG name', { cnpg: { clusterName: 'PG_1' } }, /clusterName "PG_1"/],
    ])('refuses %s', (_case, database, message) => {
      expect(() => render({ database: { ...database, credentialsSecret: options.database.credentialsSecret } })).toThrow(message);
    });

    test('refuses credentials inside the URL without repeating them', () => {
      let message = '';
      try {
        external('jdbc:postgresql://keycloak:hunter2@db.example.internal/keycloak');
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/database\.jdbcUrl .* carries credentials/);
      expect(message).not.toContain('hunter2');
    });
  });

  describe('input checks name the option, the value and a fix', () => {
    test.each<[string, Partial<KeycloakObjectsOptions>, RegExp]>([
      ['no trusted proxies', { trustedProxyCidrs: [] }, /trustedProxyCidrs \[\] is empty; give the ingress controller's pod CIDR/],
      ['trusting everyone (IPv4)', { trustedProxyCidrs: ['0.0.0.0/0'] }, /"0\.0\.0\.0\/0" trusts every address/],
      ['trusting everyone (IPv6)', { trustedProxyCidrs: ['::/0'] }, /"::\/0" trusts every address/],
      ['a malformed proxy', { trustedProxyCidrs: ['10.0.0.0/33'] }, /"10\.0\.0\.0\/33" is not an IP address or CIDR/],
      ['a proxy Keycloak could not parse', { trustedProxyCidrs: ['0xa.0.0.1'] }, /"0xa\.0\.0\.1" is not an IP address or CIDR/],
      ['trusted proxies left out', { trustedProxyCidrs: undefined as unknown as string[] }, /trustedProxyCidrs null is empty/],
      ['an autoscaler below the nodes', { hpa: { minReplicas: 2, maxReplicas: 6, cpuUtilization: 70 } }, /hpa\.minReplicas 2 is below the site's 3 nodes.*≥ 3/],
      ['an autoscaler max below min', { hpa: { minReplicas: 3, maxReplicas: 2, cpuUtilization: 70 } }, /hpa\.maxReplicas 2 is below/],
      ['an autoscaler target above 100 %', { hpa: { minReplicas: 3, maxReplicas: 6, cpuUtilization: 150 } }, /hpa\.cpuUtilization 150/],
      ['a bad namespace', { namespace: 'Identity' }, /namespace "Identity" is not a DNS label/],
      ['a bad name prefix', { namePrefix: '1kc' }, /namePrefix "1kc" is not a usable object name/],
      ['a bad pull policy', { imagePullPolicy: 'Sometimes' as 'Always' }, /imagePullPolicy "Sometimes"/],
      ['a bad Secret key', { bootstrapAdminSecret: { name: 'admin', passwordKey: 'pass word' } }, /bootstrapAdminSecret\.passwordKey "pass word" is not a Secret key/],
      ['no TLS secret', { ingress: { tlsSecretName: '' } }, /ingress\.tlsSecretName "" is not a Secret name/],
    ])('refuses %s', (_case, overrides, message) => {
      expect(() => render(overrides)).toThrow(message);
    });

    test('refuses an unknown site, listing the known ones', () => {
      expect(() => renderKeycloakObjects(defineTopology(input), 'us-east', options)).toThrow(/siteName "us-east" is not a site of the topology; use one of \["eu-west"\]/);
    });

    test('accepts single addresses and IPv6 blocks as trusted proxies', () => {
      const env = envOf(render({ trustedProxyCidrs: ['10.0.0.7', 'fd00::/64'] }));
      expect(env.find((e) => e.name === 'KC_PROXY_TRUSTED_ADDRESSES')!.value).toBe('10.0.0.7,fd00::/64');
    });
  });

  test('the output is deterministic', () => {
    const hpa = { minReplicas: 3, maxReplicas: 6, cpuUtilization: 70 };
    expect(toYaml(render({ hpa }))).toBe(toYaml(render({ hpa })));
  });
});

describe('toYaml', () => {
  test('one document per object, each opened by ---, keys in the given order, no anchors', () => {
    const objects = render();
    const text = toYaml(objects);
    expect(text.match(/^---$/gm)).toHaveLength(objects.length);
    expect(text.startsWith('---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n')).toBe(true);
    expect(text).not.toMatch(/[&*]a\d/);
    const documents = parseAllDocuments(text);
    expect(Array.isArray(documents) && documents.map((d) => d.toJS())).toEqual(JSON.parse(JSON.stringify(objects)));
  });

  test('strings that look like other types stay strings', () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'true', b: '30', c: '16k' } };
    const text = toYaml([configMap]);
    expect(text).toContain('a: "true"');
    expect(text).toContain('b: "30"');
  });

  test('an empty list is an empty stream; an object without kind is refused', () => {
    expect(toYaml([])).toBe('');
    expect(() => toYaml([{ apiVersion: 'v1' }])).toThrow(/object 0 has no apiVersion or kind/);
  });
});

// Kubernetes' published JSON schemas (v1.30, strict) through the same tool CI runs.
const unavailable = conformanceUnavailable();
if (unavailable) console.warn(`SKIPPED: Kubernetes schema conformance of the Keycloak objects (${unavailable})`);

(unavailable ? test.skip : test)('every rendered object of a three-node site validates against the Kubernetes 1.30 schemas', () => {
  const withAutoscaler = render({ hpa: { minReplicas: 3, maxReplicas: 6, cpuUtilization: 70 }, metricsNamespace: 'monitoring' });
  const external = render({
    database: { jdbcUrl: 'jdbc:postgresql://db.example.internal/keycloak', credentialsSecret: options.database.credentialsSecret },
    bootstrapAdminSecret: { name: 'admin', usernameKey: 'username', passwordKey: 'password' },
    imagePullPolicy: 'IfNotPresent',
  });
  withScratchFolder('keycloak-objects-', (folder) => {
    writeFileSync(join(folder, 'cnpg-hpa.yaml'), toYaml(withAutoscaler));
    writeFileSync(join(folder, 'external.yaml'), toYaml(external));
    const run = runConformance(folder);
    expect({ status: run.status, failed: run.failed, output: run.stdout + run.stderr }).toMatchObject({ status: 0, failed: 0 });
    expect(run.passed).toBe(withAutoscaler.length + external.length);
  });
});

/** Every string leaf of the objects with its path. */
function strings(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`));
  return [];
}

describe('renderKeycloakObjects with several sites', () => {
  const twoSites: Partial<TopologyInput> = {
    sites: { 'eu-a': { region: 'eu-west-1', cidr: '10.10.0.0/16' }, 'eu-b': { region: 'eu-west-1', cidr: '10.20.0.0/16' } },
  };
  const infinispan = {
    credentialsSecret: { name: 'infinispan-keycloak', usernameKey: 'username', passwordKey: 'password' },
    caSecret: { name: 'infinispan-ca', key: 'ca.pem' },
  };
  const objects = renderKeycloakObjects(defineTopology({ ...input, ...twoSites }), 'eu-b', { ...options, infinispan });

  test('Keycloak points at its own site\'s Infinispan, with the multi-site feature and the CA mounted', () => {
    const env = envOf(objects);
    const plain = Object.fromEntries(env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
    expect(plain).toMatchObject({
      KC_FEATURES: 'multi-site',
      KC_CACHE_REMOTE_HOST: 'infinispan.keycloak.svc',
      KC_CACHE_REMOTE_PORT: '11222',
      KC_TRUSTSTORE_PATHS: '/opt/keycloak/conf/infinispan-ca/ca.pem',
    });
    expect(env.find((e) => e.name === 'KCRAW_CACHE_REMOTE_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({ name: 'infinispan-keycloak', key: 'password' });
    expect(container(objects).volumeMounts).toEqual([{ name: 'infinispan-ca', mountPath: '/opt/keycloak/conf/infinispan-ca', readOnly: true }]);
    expect(deployment(objects).spec?.template.spec?.volumes?.[0].secret?.secretName).toBe('infinispan-ca');
  });

  test('the Ingress serves /lb-check whatever the Host (health checks arrive with the load balancer\'s name), and only /lb-check', () => {
    const ingress = find(objects, 'Ingress');
    expect(ingress.spec?.rules?.[0].http?.paths.map((p) => p.path)).not.toContain('/lb-check');
    const hostless = ingress.spec?.rules?.filter((rule) => rule.host === undefined);
    expect(hostless).toEqual([{ http: { paths: [{ path: '/lb-check', pathType: 'Exact', backend: { service: { name: 'keycloak', port: { name: 'http' } } } }] } }]);
  });

  test('multi-site pods carry nothing of JGroups: no cluster ports, no discovery Service, no bind or machine-name options, no NetworkPolicy rule', () => {
    expect(container(objects).ports!.map((p) => p.containerPort)).toEqual([8080, 9000]);
    expect(objects.some((o) => o.metadata.name === 'keycloak-discovery')).toBe(false);
    const names = envOf(objects).map((e) => e.name);
    expect(names).not.toContain('KC_CACHE_EMBEDDED_NETWORK_BIND_ADDRESS');
    expect(names).not.toContain('KC_SPI_CACHE_EMBEDDED__DEFAULT__MACHINE_NAME');
    expect(JSON.stringify(find(objects, 'NetworkPolicy').spec)).not.toMatch(/7800|57800/);
  });

  test('several sites without the Infinispan option is refused, naming it', () => {
    expect(() => renderKeycloakObjects(defineTopology({ ...input, ...twoSites }), 'eu-a', options)).toThrow(/infinispan null is required with several sites/);
  });
});
