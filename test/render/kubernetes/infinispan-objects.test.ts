import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { conformanceUnavailable, runConformance, withScratchFolder } from '../../conformance';
import { defineTopology, TopologyInput } from '../../../lib/model/define';
import { Topology } from '../../../lib/model/topology';
import { KeycloakVersion } from '../../../lib/model/version';
import { cloudNativePgJdbcUrl, CloudNativePgOptions, renderCloudNativePgCluster, renderCloudNativePgScheduledBackup } from '../../../lib/render/kubernetes/database-objects';
import {
  infinispanObjectList, InfinispanObjectsOptions, InfinispanSiteObjects, renderInfinispanObjects,
} from '../../../lib/render/kubernetes/infinispan-objects';

// ---- fixtures ----------------------------------------------------------------------------------

const SAME_REGION: TopologyInput = {
  hostname: 'auth.example.com',
  sites: { 'site-a': { region: 'eu-west-1', cidr: '10.10.0.0/16' }, 'site-b': { region: 'eu-west-1', cidr: '10.20.0.0/16' } },
  database: { instances: 3 },
};
const TWO_REGIONS: TopologyInput = {
  hostname: 'auth.example.com',
  sites: { eu: { region: 'eu-west-1', cidr: '10.10.0.0/16', zones: 2 }, us: { region: 'us-east-1', cidr: '10.20.0.0/16' } },
};
const ROUTERS: Record<string, { host: string; port: number }> = {
  'site-a': { host: 'router.site-a.example.net', port: 7900 },
  'site-b': { host: 'router.site-b.example.net', port: 7900 },
  eu: { host: 'router.eu.example.net', port: 7900 },
  us: { host: 'router.us.example.net', port: 7900 },
};

/** Options for `site`: every other site's router, the local one left to its in-cluster name. */
function optionsFor(topology: Topology, site: string, overrides: Partial<InfinispanObjectsOptions> = {}): InfinispanObjectsOptions {
  return {
    credentialsSecret: { name: 'infinispan-credentials' },
    operatorCredentialsSecret: { name: 'infinispan-operator' },
    hotRodTls: { keystoreSecretName: 'infinispan-tls', password: { name: 'infinispan-tls-password', key: 'password' } },
    gossipRouters: Object.fromEntries(Object.keys(topology.sites).filter((s) => s !== site).map((s) => [s, ROUTERS[s]])),
    remoteRouterClientCidrs: ['203.0.113.0/24'],
    ...overrides,
  };
}

function render(input: TopologyInput, site: string, overrides: Partial<InfinispanObjectsOptions> = {}): InfinispanSiteObjects {
  const topology = defineTopology(input);
  return renderInfinispanObjects(topology, site, optionsFor(topology, site, overrides));
}

const DB_OPTIONS: CloudNativePgOptions = { credentialsSecretName: 'keycloak-db-credentials' };

// ---- reading the rendered XML --------------------------------------------------------------------

function xmlOf(objects: InfinispanSiteObjects): string {
  return objects.configMap.data!['infinispan.xml'];
}

/** Attributes of every `<name .../>` start tag in the renderer's output. */
function elements(xml: string, name: string): Record<string, string>[] {
  const tags = xml.match(new RegExp(`<${name.replace('.', '\\.')}\\s[^>]*>`, 'g')) ?? [];
  return tags.map((tag) => Object.fromEntries([...tag.matchAll(/([\w.:-]+)="([^"]*)"/g)].map(([, key, value]) => [key, value])));
}

/** Each cache's backups, e.g. { work: [{ site: 'site-b', strategy: 'SYNC', ... }] }. */
function backupsByCache(xml: string): Record<string, Record<string, string>[]> {
  const caches = [...xml.matchAll(/<distributed-cache\s[^>]*name="(\w+)"[\s\S]*?<\/distributed-cache>/g)];
  return Object.fromEntries(caches.map(([body, name]) => [name, elements(body, 'backup')]));
}

function container(objects: InfinispanSiteObjects) {
  return objects.statefulSet.spec!.template.spec!.containers[0];
}

// ---- behaviour -----------------------------------------------------------------------------------

describe('GIVEN two sites in one region (active-active)', () => {
  const a = render(SAME_REGION, 'site-a');
  const b = render(SAME_REGION, 'site-b');

  test('THEN each ConfigMap names its own site in RELAY2 and lists both sites as remote sites', () => {
    expect(elements(xmlOf(a), 'relay.RELAY2').map((e) => e.site)).toEqual(['site-a']);
    expect(elements(xmlOf(b), 'relay.RELAY2').map((e) => e.site)).toEqual(['site-b']);
    expect(elements(xmlOf(a), 'remote-site').map((e) => e.name)).toEqual(['site-a', 'site-b']);
  });

  test('THEN the TUNNEL lists a Gossip Router for every site: the local one in-cluster, the other through its load balancer', () => {
    expect(elements(xmlOf(a), 'TUNNEL').map((e) => e.gossip_router_hosts))
      .toEqual(['gossip-router.keycloak.svc.cluster.local[7900],router.site-b.example.net[7900]']);
    expect(elements(xmlOf(b), 'TUNNEL').map((e) => e.gossip_router_hosts))
      .toEqual(['router.site-a.example.net[7900],gossip-router.keycloak.svc.cluster.local[7900]']);
  });

  test('THEN a router given for the local site is used as given', () => {
    const topology = defineTopology(SAME_REGION);
    const objects = renderInfinispanObjects(topology, 'site-a', optionsFor(topology, 'site-a', { gossipRouters: { 'site-a': ROUTERS['site-a'], 'site-b': ROUTERS['site-b'] } }));
    expect(elements(xmlOf(objects), 'TUNNEL')[0].gossip_router_hosts).toBe('router.site-a.example.net[7900],router.site-b.example.net[7900]');
  });

  test('THEN in-site discovery queries the headless Service, which publishes 7800 and not-ready pods', () => {
    expect(elements(xmlOf(a), 'dns.DNS_PING')[0].dns_query).toBe('infinispan-discovery.keycloak.svc.cluster.local');
    expect(a.discoveryService.metadata!.name).toBe('infinispan-discovery');
    expect(a.discoveryService.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ port: 7800 }] });
    expect(a.statefulSet.spec!.serviceName).toBe('infinispan-discovery');
  });

  test('THEN every cache backs up to the other site with the blueprint SYNC/FAIL', () => {
    const backups = backupsByCache(xmlOf(a));
    expect(Object.keys(backups)).toEqual(['actionTokens', 'authenticationSessions', 'loginFailures', 'work']);
    for (const list of Object.values(backups)) {
      expect(list).toEqual([expect.objectContaining({ site: 'site-b', strategy: 'SYNC', 'failure-policy': 'FAIL', timeout: '4500' })]);
    }
  });

  test('THEN the StatefulSet runs the Infinispan image of the topology\'s Keycloak with the mounted file', () => {
    const c = container(a);
    expect(c.image).toBe('quay.io/infinispan/server:16.0');
    expect(c.args).toEqual(['launch.sh', '-c', '/config/infinispan.xml', '-Djgroups.bind.address=$(POD_IP)']);
    expect(c.volumeMounts).toEqual([
      { name: 'config', mountPath: '/config', readOnly: true },
      { name: 'tls', mountPath: '/etc/infinispan/tls', readOnly: true },
    ]);
    expect(a.statefulSet.spec!.template.spec!.volumes).toEqual([
      { name: 'config', configMap: { name: 'infinispan-config' } },
      { name: 'tls', secret: { secretName: 'infinispan-tls' } },
    ]);
    expect(xmlOf(a)).toContain('path="/etc/infinispan/tls/keystore.p12" password="${env.INFINISPAN_KEYSTORE_PASSWORD}"');
    expect(c.ports!.map((p) => p.containerPort)).toEqual([11222, 7800, 57800]);
  });

  test('THEN secrets reach the pods only through secretKeyRef, and no Secret is rendered', () => {
    const env = Object.fromEntries(container(a).env!.map((e) => [e.name, e]));
    expect(env.INFINISPAN_KEYCLOAK_USERNAME.valueFrom).toEqual({ secretKeyRef: { name: 'infinispan-credentials', key: 'username' } });
    expect(env.INFINISPAN_KEYCLOAK_PASSWORD.valueFrom).toEqual({ secretKeyRef: { name: 'infinispan-credentials', key: 'password' } });
    expect(env.INFINISPAN_OPERATOR_PASSWORD.valueFrom).toEqual({ secretKeyRef: { name: 'infinispan-operator', key: 'password' } });
    // No USER/PASS: the image's launch.sh would make an admin of them.
    expect(env.USER).toBeUndefined();
    expect(env.INFINISPAN_KEYSTORE_PASSWORD.valueFrom).toEqual({ secretKeyRef: { name: 'infinispan-tls-password', key: 'password' } });
    expect(container(a).env!.filter((e) => e.value !== undefined)).toEqual([]);
    expect(infinispanObjectList(a).map((o) => o.kind)).not.toContain('Secret');
  });

  test('THEN Keycloak\'s Hot Rod user is created in role deployer, the operator in admin, before launch.sh starts the server', () => {
    const c = container(a);
    expect(c.command?.slice(0, 2)).toEqual(['/bin/bash', '-c']);
    const script = c.command?.[2] ?? '';
    expect(script).toContain('printf \'user create %s -p %s -g deployer\\nuser create %s -p %s -g admin\\n\' "$INFINISPAN_KEYCLOAK_USERNAME" "$INFINISPAN_KEYCLOAK_PASSWORD"');
    expect(script).toContain('export IDENTITIES_BATCH=/tmp/identities.batch');
    expect(script.split('\n').pop()).toBe('exec /opt/infinispan/bin/launch.sh "$@"');
    expect(c.args).toEqual(['launch.sh', '-c', '/config/infinispan.xml', '-Djgroups.bind.address=$(POD_IP)']);
  });

  test('THEN probes use the anonymous health endpoint over HTTPS, and pods are non-root', () => {
    const c = container(a);
    for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) {
      expect(probe!.httpGet).toEqual({ path: '/rest/v2/container/health/status', port: 11222, scheme: 'HTTPS' });
    }
    expect(a.statefulSet.spec!.template.spec!.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  test('THEN pods spread over zones (hard) and nodes, start in parallel, and leave one at a time', () => {
    const spec = a.statefulSet.spec!;
    expect(spec.replicas).toBe(3);
    expect(spec.podManagementPolicy).toBe('Parallel');
    expect(spec.template.spec!.topologySpreadConstraints).toEqual([
      expect.objectContaining({ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', maxSkew: 1 }),
      expect.objectContaining({ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }),
    ]);
    expect(a.podDisruptionBudget.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'infinispan' } } });
  });

  test('THEN a changed infinispan.xml changes the pod template, so the pods roll', () => {
    const annotation = (o: InfinispanSiteObjects) => o.statefulSet.spec!.template.metadata!.annotations!['checksum/infinispan-xml'];
    expect(annotation(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(annotation(a)).not.toBe(annotation(b));
    expect(annotation(render(SAME_REGION, 'site-a'))).toBe(annotation(a));
  });

  test('THEN the NetworkPolicy admits Hot Rod only from Keycloak and clustering only from Infinispan', () => {
    expect(a.networkPolicy.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'infinispan' } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'keycloak' } } }], ports: [{ protocol: 'TCP', port: 11222 }] },
        {
          from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'infinispan' } } }],
          ports: [{ protocol: 'TCP', port: 7800 }, { protocol: 'TCP', port: 57800, endPort: 57803 }],
        },
      ],
    });
    expect(a.hotRodService.spec).toMatchObject({ type: 'ClusterIP', ports: [{ port: 11222 }] });
  });

  test('THEN the Gossip Router runs like the Infinispan Operator\'s, behind a LoadBalancer limited to the other sites', () => {
    const { deployment, service } = a.gossipRouter;
    const router = deployment.spec!.template.spec!.containers[0];
    expect(deployment.spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    expect(router.image).toBe('quay.io/infinispan/server:16.0');
    expect(router.command).toEqual(['/opt/gossiprouter/bin/launch.sh']);
    expect(router.args).toEqual(['-port', '7900', '-dump_msgs', 'registration', '-suspect', 'false', '-expiry', '8000', '-reaper_interval', '2000',
      '-nio', 'false', '-tls_protocol', 'TLSv1.3', '-tls_client_auth', 'need',
      '-tls_keystore_path', '/etc/infinispan/tls/keystore.p12', '-tls_keystore_password', '$(INFINISPAN_KEYSTORE_PASSWORD)', '-tls_keystore_type', 'PKCS12',
      '-tls_truststore_path', '/etc/infinispan/tls/truststore.p12', '-tls_truststore_password', '$(INFINISPAN_KEYSTORE_PASSWORD)', '-tls_truststore_type', 'PKCS12']);
    expect(service.spec).toMatchObject({
      type: 'LoadBalancer', loadBalancerSourceRanges: ['203.0.113.0/24'], ports: [{ name: 'tunnel', port: 7900, targetPort: 7900, protocol: 'TCP' }],
    });
    // The TUNNEL heartbeats match the router's expiry.
    expect(elements(xmlOf(a), 'TUNNEL')[0]).toMatchObject({ heartbeat_interval: '2000', heartbeat_timeout: '8000' });
  });

  test('THEN no pod gets a service-account token (neither calls the Kubernetes API)', () => {
    expect(a.statefulSet.spec!.template.spec!.automountServiceAccountToken).toBe(false);
    expect(a.gossipRouter.deployment.spec!.template.spec!.automountServiceAccountToken).toBe(false);
  });

  test('THEN a replaced Infinispan pod stays ready a while before the next one is stopped', () => {
    expect(a.statefulSet.spec!.minReadySeconds).toBeGreaterThanOrEqual(30);
  });

  test('THEN the router Service states its load balancer class and scheme (a controller would set them and the plan diff forever)', () => {
    expect(a.gossipRouter.service.spec!.loadBalancerClass).toBe('service.k8s.aws/nlb');
    expect(a.gossipRouter.service.metadata!.annotations).toMatchObject({ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' });
    const custom = renderInfinispanObjects(defineTopology(SAME_REGION), 'site-a', {
      ...optionsFor(defineTopology(SAME_REGION), 'site-a'),
      routerLoadBalancer: { className: 'example.com/lb', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' } },
    });
    expect(custom.gossipRouter.service.spec!.loadBalancerClass).toBe('example.com/lb');
    expect(custom.gossipRouter.service.metadata!.annotations!['service.beta.kubernetes.io/aws-load-balancer-scheme']).toBe('internal');
  });

  test('THEN the link is secured: mutual TLS on JGroups and at the router, passwords only from the Secret, router pods reachable only from the site\'s Infinispan and the other sites', () => {
    const xml = xmlOf(a);
    for (const name of ['TCP', 'TUNNEL']) {
      expect(elements(xml, name)[0]).toMatchObject({
        'tls.enabled': 'true', 'tls.client_auth': 'NEED',
        'tls.keystore_path': '/etc/infinispan/tls/keystore.p12', 'tls.truststore_path': '/etc/infinispan/tls/truststore.p12',
        'tls.keystore_password': '${env.INFINISPAN_KEYSTORE_PASSWORD}',
      });
    }
    const router = a.gossipRouter.deployment.spec!.template.spec!;
    expect(router.containers[0].env).toEqual([{ name: 'INFINISPAN_KEYSTORE_PASSWORD', valueFrom: { secretKeyRef: { name: 'infinispan-tls-password', key: 'password' } } }]);
    expect(router.volumes).toContainEqual({ name: 'tls', secret: { secretName: 'infinispan-tls' } });
    expect(a.gossipRouter.networkPolicy.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'gossip-router' } },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'infinispan' } } }, { ipBlock: { cidr: '203.0.113.0/24' } }],
        ports: [{ protocol: 'TCP', port: 7900 }],
      }],
    });
    expect(infinispanObjectList(a).map((o) => o.kind)).toContain('NetworkPolicy');
    // The NLB's IP targets keep the client's address only with client IP preservation on; without it the ipBlocks admit nobody.
    expect(a.gossipRouter.service.metadata!.annotations).toMatchObject({ 'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes': 'preserve_client_ip.enabled=true' });
  });

  test('THEN Keycloak 26.4 gets the Infinispan 15.0 image and namespaces', () => {
    const objects = render({ ...SAME_REGION, version: KeycloakVersion.V26_4_0 }, 'site-a');
    expect(container(objects).image).toBe('quay.io/infinispan/server:15.0');
    expect(xmlOf(objects)).toContain('xmlns="urn:infinispan:config:15.0"');
  });

  test('THEN the same input renders the same objects', () => {
    expect(JSON.stringify(render(SAME_REGION, 'site-a'))).toBe(JSON.stringify(a));
  });
});

describe('GIVEN two sites in two regions (active-passive)', () => {
  const eu = render(TWO_REGIONS, 'eu');

  test('THEN caches back up ASYNC/WARN with take-offline and automatic state transfer, action tokens SYNC/WARN', () => {
    const backups = backupsByCache(xmlOf(eu));
    expect(backups.actionTokens).toEqual([expect.objectContaining({ site: 'us', strategy: 'SYNC', 'failure-policy': 'WARN' })]);
    for (const cache of ['authenticationSessions', 'loginFailures', 'work']) {
      expect(backups[cache]).toEqual([expect.objectContaining({ site: 'us', strategy: 'ASYNC', 'failure-policy': 'WARN' })]);
    }
    expect(elements(xmlOf(eu), 'take-offline')).toHaveLength(4);
    expect(elements(xmlOf(eu), 'take-offline')[0]).toEqual({ 'after-failures': '3', 'min-wait': '15000' });
    expect(elements(xmlOf(eu), 'state-transfer').filter((st) => st.mode === 'AUTO')).toHaveLength(3);
  });

  test('WHEN the topology sets caches.takeOffline THEN every backup of the rendered file is fenced with it', () => {
    const xml = xmlOf(render({ ...TWO_REGIONS, caches: { takeOffline: { afterFailures: 5, minWaitMs: 30000 } } }, 'eu'));
    expect(elements(xml, 'take-offline')).toEqual(Array.from({ length: 4 }, () => ({ 'after-failures': '5', 'min-wait': '30000' })));
  });

  test('THEN RELAY2 names the site and the TUNNEL lists both routers', () => {
    expect(elements(xmlOf(eu), 'relay.RELAY2')[0].site).toBe('eu');
    expect(elements(xmlOf(eu), 'TUNNEL')[0].gossip_router_hosts).toBe('gossip-router.keycloak.svc.cluster.local[7900],router.us.example.net[7900]');
  });

  test('THEN a two-zone site still runs two pods, and the PDB keeps one', () => {
    expect(eu.statefulSet.spec!.replicas).toBe(2);
    expect(eu.podDisruptionBudget.spec!.maxUnavailable).toBe(1);
  });

  test('THEN the topology\'s strategies map to backups: ASYNC same as cross-region default, NONE drops the backup', () => {
    const objects = render({ ...TWO_REGIONS, caches: { crossSite: { work: 'NONE', authenticationSessions: 'ASYNC' }, replicateLoginFailures: false } }, 'us');
    const backups = backupsByCache(xmlOf(objects));
    expect(backups.work).toEqual([]);
    expect(backups.loginFailures).toEqual([]);
    expect(backups.authenticationSessions).toEqual([expect.objectContaining({ site: 'eu', strategy: 'ASYNC', 'failure-policy': 'WARN' })]);
  });

  test('THEN a SYNC strategy between sites of one region is the blueprint SYNC/FAIL, ASYNC is ASYNC/WARN', () => {
    const objects = render({ ...SAME_REGION, caches: { crossSite: { work: 'ASYNC', loginFailures: 'SYNC' } } }, 'site-b');
    const backups = backupsByCache(xmlOf(objects));
    expect(backups.work).toEqual([expect.objectContaining({ site: 'site-a', strategy: 'ASYNC', 'failure-policy': 'WARN' })]);
    expect(backups.loginFailures).toEqual([expect.objectContaining({ site: 'site-a', strategy: 'SYNC', 'failure-policy': 'FAIL' })]);
  });

  test('THEN the topology\'s cache owners apply to the external caches', () => {
    const objects = render({ ...TWO_REGIONS, keycloak: { cacheOwners: 3 } }, 'eu');
    expect(elements(xmlOf(objects), 'distributed-cache').map((e) => e.owners)).toEqual(['3', '3', '3', '3']);
  });
});

describe('invalid options fail early, naming option, value and fix', () => {
  const topology = defineTopology(SAME_REGION);
  test.each<[string, Partial<InfinispanObjectsOptions>, RegExp]>([
    ['a missing router of another site', { gossipRouters: {} }, /gossipRouters\['site-b'\] is missing; add \{ host, port \} of site 'site-b'/],
    ['a router of an unknown site', { gossipRouters: { 'site-b': ROUTERS['site-b'], 'site-c': ROUTERS.eu } }, /gossipRouters\['site-c'\] .*remove it or add site 'site-c'/],
    ['fewer than two replicas', { replicas: 1 }, /replicas is 1; use a whole number of at least 2/],
    ['router sources open to everyone', { remoteRouterClientCidrs: ['0.0.0.0/0'] }, /remoteRouterClientCidrs\[0\] is "0\.0\.0\.0\/0"; .*opens the cross-site relay to the internet/],
    ['no router sources', { remoteRouterClientCidrs: [] }, /remoteRouterClientCidrs is \[\]; list the egress networks/],
    ['a malformed router source', { remoteRouterClientCidrs: ['10.0.0.1/8'] }, /remoteRouterClientCidrs\[0\] is "10\.0\.0\.1\/8"; use an IPv4 block/],
    ['a bad namespace', { namespace: 'Key_Cloak' }, /namespace is "Key_Cloak"; use a DNS label/],
    ['a router port out of range', { routerPort: 70000 }, /routerPort is 70000; use a port from 1 to 65535/],
  ])('%s', (_, overrides, message) => {
    expect(() => renderInfinispanObjects(topology, 'site-a', optionsFor(topology, 'site-a', overrides))).toThrow(message);
  });

  test('every problem is reported at once', () => {
    expect(() => renderInfinispanObjects(topology, 'site-a', optionsFor(topology, 'site-a', { replicas: 0, remoteRouterClientCidrs: ['0.0.0.0/0'] })))
      .toThrow(/replicas is 0[\s\S]*remoteRouterClientCidrs\[0\]/);
  });

  test('an unknown site and a single-site topology', () => {
    expect(() => renderInfinispanObjects(topology, 'site-z', optionsFor(topology, 'site-z'))).toThrow(/siteName is "site-z"; use one of the topology's sites \(site-a, site-b\)/);
    const single = defineTopology({ hostname: 'auth.example.com', sites: { only: { region: 'eu-west-1' } } });
    expect(() => renderInfinispanObjects(single, 'only', optionsFor(single, 'only'))).toThrow(/topology\.sites is \["only"\]; list at least two sites/);
  });
});

describe('CloudNativePG Cluster', () => {
  test('GIVEN 3 instances THEN quorum-synchronous, required durability, spread over zones and nodes, database keycloak owned by keycloak', () => {
    const cluster = renderCloudNativePgCluster(defineTopology(SAME_REGION), DB_OPTIONS);
    expect(cluster).toMatchObject({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'keycloak-db', namespace: 'keycloak' } });
    expect(cluster.spec).toMatchObject({
      instances: 3,
      enableSuperuserAccess: false,
      postgresql: { synchronous: { method: 'any', number: 1, dataDurability: 'required' } },
      bootstrap: { initdb: { database: 'keycloak', owner: 'keycloak', secret: { name: 'keycloak-db-credentials' } } },
      storage: { size: '20Gi' },
      affinity: { enablePodAntiAffinity: true, podAntiAffinityType: 'required', topologyKey: 'kubernetes.io/hostname' },
      topologySpreadConstraints: [{ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { 'cnpg.io/cluster': 'keycloak-db' } } }],
    });
    expect(cluster.spec).not.toHaveProperty('minSyncReplicas');
    expect(cluster.spec).not.toHaveProperty('monitoring');
    expect(cloudNativePgJdbcUrl(defineTopology(SAME_REGION))).toBe('jdbc:postgresql://keycloak-db-rw.keycloak.svc:5432/keycloak');
  });

  test('GIVEN no credentials Secret THEN CloudNativePG generates the owner\'s password (Secret keycloak-db-app)', () => {
    const cluster = renderCloudNativePgCluster(defineTopology(SAME_REGION), {});
    expect(cluster.spec.bootstrap).toEqual({ initdb: { database: 'keycloak', owner: 'keycloak' } });
  });

  test('GIVEN 2 instances THEN durability stays required: the RPO 0 the review bundle states holds (preferred only when asked)', () => {
    const cluster = renderCloudNativePgCluster(defineTopology(TWO_REGIONS), DB_OPTIONS);
    expect(cluster.spec.instances).toBe(2);
    expect(cluster.spec.postgresql.synchronous.dataDurability).toBe('required');
    expect(renderCloudNativePgCluster(defineTopology(TWO_REGIONS), { ...DB_OPTIONS, dataDurability: 'preferred' }).spec.postgresql.synchronous.dataDurability).toBe('preferred');
  });

  test('max_connections covers every pod Keycloak can run (HPA maximum + surge) times its pool, plus headroom', () => {
    const topology = defineTopology({ ...SAME_REGION, keycloak: { dbPoolSize: 30 } });
    expect(renderCloudNativePgCluster(topology, { ...DB_OPTIONS, maxClientPods: 7 }).spec.postgresql.parameters).toEqual({ max_connections: String(7 * 30 + 20) });
    // PostgreSQL's default of 100 would refuse the fourth pod of a three-node site.
    expect(Number(renderCloudNativePgCluster(topology, DB_OPTIONS).spec.postgresql.parameters.max_connections)).toBeGreaterThan(100);
  });

  test('GIVEN backup THEN WAL and base backups go to the object store, pruned by retention, with a nightly ScheduledBackup', () => {
    const backup = { destinationPath: 's3://backups/keycloak-db', credentials: { inheritFromIAMRole: true as const }, retentionPolicy: '14d' };
    const cluster = renderCloudNativePgCluster(defineTopology(SAME_REGION), { ...DB_OPTIONS, backup });
    expect(cluster.spec.backup).toMatchObject({ retentionPolicy: '14d', barmanObjectStore: { destinationPath: 's3://backups/keycloak-db', s3Credentials: { inheritFromIAMRole: true } } });
    expect(renderCloudNativePgScheduledBackup(defineTopology(SAME_REGION), { ...DB_OPTIONS, backup })).toEqual([expect.objectContaining({
      kind: 'ScheduledBackup', spec: expect.objectContaining({ cluster: { name: 'keycloak-db' }, method: 'barmanObjectStore', immediate: true }),
    })]);
    expect(renderCloudNativePgScheduledBackup(defineTopology(SAME_REGION), DB_OPTIONS)).toEqual([]);
    expect(() => renderCloudNativePgCluster(defineTopology(SAME_REGION), { ...DB_OPTIONS, backup: { ...backup, retentionPolicy: '2 weeks' } }))
      .toThrow(/backup\.retentionPolicy is "2 weeks"; use '<n>d'/);
  });

  test.each<[string, TopologyInput, Partial<CloudNativePgOptions>, RegExp]>([
    ['one instance', { ...SAME_REGION, database: { instances: 1 } }, {}, /topology\.database\.instances is 1; use at least 2 \(3 recommended\)/],
    ['as many synchronous standbys as instances', SAME_REGION, { synchronousStandbys: 3 }, /synchronousStandbys is 3; use a whole number from 1 to 2/],
    ['a malformed storage size', SAME_REGION, { storageSize: '20 GB' }, /storageSize is "20 GB"; use a Kubernetes quantity/],
    ['no credentials Secret', SAME_REGION, { credentialsSecretName: '' }, /credentialsSecretName is ""; use the name of a kubernetes\.io\/basic-auth Secret/],
  ])('rejects %s', (_, input, overrides, message) => {
    expect(() => renderCloudNativePgCluster(defineTopology(input), { ...DB_OPTIONS, ...overrides })).toThrow(message);
  });
});

// ---- schemas (the check CI runs on the YAML the examples write) -----------------------------------

const unavailable = conformanceUnavailable();
if (unavailable) console.warn(`SKIPPED: conformance of the rendered Kubernetes objects (${unavailable})`);
const testConformance = unavailable ? test.skip : test;

function multiDocument(objects: readonly object[]): string {
  return objects.map((o) => stringify(o)).join('---\n');
}

testConformance('every rendered object validates against the Kubernetes 1.30 schemas and the CloudNativePG CRD, every infinispan.xml against the XSD', () => {
  withScratchFolder('k8s-conformance-', (folder) => {
    let documents = 0;
    let xmlFiles = 0;
    const scenarios: [TopologyInput, string[]][] = [[SAME_REGION, ['site-a', 'site-b']], [TWO_REGIONS, ['eu', 'us']]];
    for (const [input, sites] of scenarios) {
      for (const site of sites) {
        const objects = infinispanObjectList(render(input, site));
        const yaml = multiDocument(objects);
        // Label maps are not shared between places, so even default YAML output has no anchors/aliases.
        expect(yaml).not.toMatch(/[&*]a\d+\b/);
        writeFileSync(join(folder, `${site}-infinispan.yaml`), yaml);
        documents += objects.length;
        // The tool checks embedded XML only in cdk.tf.json, not in YAML ConfigMaps: the file goes beside it, as the review bundle writes it.
        writeFileSync(join(folder, `${site}-infinispan.xml`), (objects[0] as { data: Record<string, string> }).data['infinispan.xml']);
        xmlFiles += 1;
      }
      writeFileSync(join(folder, `${sites[0]}-database.yaml`), multiDocument([renderCloudNativePgCluster(defineTopology(input), DB_OPTIONS)]));
      documents += 1;
    }
    const run = runConformance(folder);
    const failures = run.stdout.split('\n').filter((line) => line.startsWith('FAIL'));
    expect({ status: run.status, failures, stderr: run.stderr }).toEqual({ status: 0, failures: [], stderr: '' });
    // Exactly one check per YAML document and per XML file: nothing skipped, nothing found twice.
    expect(run.stdout).toContain(`conformance: ${documents + xmlFiles} passed, 0 failed`);
    expect(run.stdout.split('\n').filter((line) => /\.yaml#\d+ \(k8s /.test(line))).toHaveLength(documents - 2);
    expect(run.stdout.split('\n').filter((line) => /\.yaml#0 \(CRD postgresql\.cnpg\.io\/v1 Cluster\)/.test(line))).toHaveLength(2);
    expect(run.stdout.split('\n').filter((line) => /\.xml \(infinispan-config-16\.0\.xsd\)/.test(line))).toHaveLength(xmlFiles);
    expect(readdirSync(folder)).toHaveLength(10);
  });
});
