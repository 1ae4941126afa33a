import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { InfinispanService, InfinispanServiceProps } from '../../lib/aws/infinispan-service';
import { infinispanHost } from '../../lib/model/site-layout';
import { oneExtraTaskPercent } from '../../lib/aws/fargate';
import { AwsSiteContext } from '../../lib/aws/site-context';
import { SiteNetwork } from '../../lib/aws/site-network';
import { runChecks } from '../../lib/checks/pack';
import { defineTopology, TopologyInput } from '../../lib/model/define';
import { KeycloakVersion } from '../../lib/model/version';
import { conformanceUnavailable, runConformance, withScratchFolder } from '../conformance';
import { resourcesOf, synth, Synthesized } from '../helpers';
import { sameRegion, twoRegions } from '../topologies';

// ---- fixtures ----------------------------------------------------------------------------------

const DEPLOYMENT = 'kc';
const KMS = 'arn:aws:kms:eu-west-1:123456789012:key/test';
const tlsArn = (region: string) => `arn:aws:secretsmanager:${region}:123456789012:secret:kc/infinispan-tls-AbC123`;

/** Two sites of one region and eu-c in another; eu-c has two zones, so per-zone rules cannot pass by accident. */
const threeSites: TopologyInput = {
  ...sameRegion,
  sites: { ...sameRegion.sites, 'eu-c': { region: 'eu-central-1', cidr: '10.30.0.0/16', zones: 2 } },
};

interface Built {
  readonly service: InfinispanService;
  readonly network: SiteNetwork;
}

/** One site's network and Infinispan, as AwsSite builds them. */
function build(scope: Construct, input: TopologyInput, siteName: string, props: Partial<InfinispanServiceProps> = {}, contextName?: string): Built {
  const topology = defineTopology(input);
  const site = topology.sites[siteName];
  const context: AwsSiteContext = { topology, site, name: contextName ?? `${DEPLOYMENT}-${siteName}`, tags: { app: 'keycloak' } };
  const network = new SiteNetwork(scope, 'Network', context, { kmsKeyArn: KMS });
  const service = new InfinispanService(scope, 'Infinispan', context, {
    network, kmsKeyArn: KMS, deploymentName: DEPLOYMENT, tlsSecretArn: tlsArn(site.region), ...props,
  });
  return { service, network };
}

function synthSite(input: TopologyInput, siteName: string, props: Partial<InfinispanServiceProps> = {}, extra?: (built: Built) => void): Synthesized & { built: Built } {
  let built: Built | undefined;
  const out = synth((scope) => {
    built = build(scope, input, siteName, props);
    extra?.(built);
  });
  return { ...out, built: built! };
}

function buildError(input: TopologyInput, siteName: string, props: Partial<InfinispanServiceProps> = {}, contextName?: string): string {
  try {
    synth((scope) => build(scope, input, siteName, props, contextName));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected InfinispanService to reject its props');
}

interface Container {
  name: string;
  image: string;
  entryPoint: string[];
  command: string[];
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  portMappings: { containerPort: number }[];
  healthCheck: { command: string[]; interval: number; timeout: number; retries: number; startPeriod: number };
  stopTimeout: number;
}

function only<T = Record<string, unknown>>(out: Synthesized, type: string): T {
  const all = resourcesOf(out, type);
  expect(all).toHaveLength(1);
  return all[0] as T;
}

function containerOf(out: Synthesized): Container {
  const definitions = JSON.parse(only<{ container_definitions: string }>(out, 'aws_ecs_task_definition').container_definitions) as Container[];
  expect(definitions).toHaveLength(1);
  return definitions[0];
}

/** What Terraform makes of a literal in a .tf.json string: `$${` and `%%{` are its escapes for `${` and `%{`. */
const asTerraformReadsIt = (text: string) => text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');

function xmlOf(out: Synthesized): string {
  const env = containerOf(out).environment;
  expect(env.map((e) => e.name)).toEqual(['INFINISPAN_XML']);
  return asTerraformReadsIt(env[0].value);
}

/** Attributes of the elements named `name` (the renderer's own output: one element per line or a start tag over several). */
function elements(xml: string, name: string): Record<string, string>[] {
  const escaped = name.replace(/\./g, '\\.');
  return [...xml.matchAll(new RegExp(`<${escaped}((?:\\s+[\\w.:-]+="[^"]*")*)\\s*/?>`, 'g'))]
    .map((m) => Object.fromEntries([...m[1].matchAll(/([\w.:-]+)="([^"]*)"/g)].map(([, k, v]) => [k, v])));
}

type Rule = { security_group_id: string; from_port: number; to_port: number; ip_protocol: string; cidr_ipv4?: string; referenced_security_group_id?: string };

/** Rules on the Infinispan security group, keyed by Terraform name. */
function rulesOf(out: Synthesized, type: 'aws_vpc_security_group_ingress_rule' | 'aws_vpc_security_group_egress_rule'): Record<string, Rule> {
  return Object.fromEntries(Object.entries(out.json.resource[type] ?? {})
    .filter(([, body]) => String(body.security_group_id).includes('Infinispan_SecurityGroup'))
    .map(([name, body]) => [name, body as unknown as Rule]));
}

const summary = (rule: Rule) => `${rule.from_port}-${rule.to_port} ${rule.cidr_ipv4 ?? (rule.referenced_security_group_id?.includes('Infinispan_SecurityGroup') ? 'self' : rule.referenced_security_group_id)}`;

// ---- behaviour ---------------------------------------------------------------------------------

describe('InfinispanService', () => {
  const euA = synthSite(sameRegion, 'eu-a');

  test('infinispanHost names the Cloud Map service of a site from its context name, and the service uses it', () => {
    expect(infinispanHost('kc-eu-a')).toBe('infinispan.kc-eu-a.internal');
    expect(euA.built.service.host).toBe('infinispan.kc-eu-a.internal');
    expect(euA.built.service.port).toBe(11222);
    expect(only(euA, 'aws_service_discovery_private_dns_namespace')).toMatchObject({ name: 'kc-eu-a.internal', vpc: expect.stringMatching(/^\$\{aws_vpc\.Network_[^}.]+\.id\}$/) });
    expect(only(euA, 'aws_service_discovery_service')).toMatchObject({
      name: 'infinispan',
      dns_config: { dns_records: [{ type: 'A', ttl: 10 }], routing_policy: 'MULTIVALUE', namespace_id: expect.stringMatching(/^\$\{aws_service_discovery_private_dns_namespace\.[^}]+\.id\}$/) },
      health_check_custom_config: { failure_threshold: 1 },
    });
  });

  test('infinispanHost rejects a context name that is not a DNS label', () => {
    expect(() => infinispanHost('kc.eu_a')).toThrow(/^infinispanHost: contextName is "kc\.eu_a"; use a DNS label/);
  });

  test('the rendered file names its own site in RELAY2, every site in remote-sites, and backs up to the other site', () => {
    const xml = xmlOf(euA);
    expect(xml).toBe(euA.built.service.xml);
    expect(elements(xml, 'relay.RELAY2')).toEqual([expect.objectContaining({ site: 'eu-a' })]);
    expect(elements(xml, 'remote-site').map((s) => s.name)).toEqual(['eu-a', 'eu-b']);
    const backups = elements(xml, 'backup');
    expect(backups).toHaveLength(4);
    expect(new Set(backups.map((b) => `${b.site} ${b.strategy} ${b['failure-policy']}`))).toEqual(new Set(['eu-b SYNC FAIL']));
    const euB = xmlOf(synthSite(sameRegion, 'eu-b'));
    expect(elements(euB, 'relay.RELAY2')).toEqual([expect.objectContaining({ site: 'eu-b' })]);
    expect(new Set(elements(euB, 'backup').map((b) => b.site))).toEqual(new Set(['eu-a']));
  });

  test('nodes find their site by its Cloud Map name; the bridge finds every site\'s relay nodes by theirs on 7900', () => {
    const pings = elements(xmlOf(euA), 'dns.DNS_PING');
    expect(pings).toHaveLength(2);
    const inSite = pings.find((p) => !p.dns_query.includes(','));
    const bridge = pings.find((p) => p.dns_query.includes(','));
    expect(inSite).toMatchObject({ dns_query: 'infinispan.kc-eu-a.internal', dns_record_type: 'A' });
    expect(bridge).toMatchObject({ dns_query: 'infinispan.kc-eu-a.internal,infinispan.kc-eu-b.internal', dns_record_type: 'A' });
    expect(elements(xmlOf(euA), 'TCP').map((t) => t.bind_port)).toEqual(['7900', '7800']);
  });

  test('Hot Rod TLS reads the keystore the container decodes, its password from the environment', () => {
    expect(elements(xmlOf(euA), 'keystore')).toEqual([{ path: '/tmp/infinispan/hotrod-keystore.p12', password: '${env.INFINISPAN_KEYSTORE_PASSWORD}' }]);
  });

  test('the file\'s own ${…} reach Terraform escaped, so only resource references are interpolated', () => {
    const raw = only<{ container_definitions: string }>(euA, 'aws_ecs_task_definition').container_definitions;
    expect(raw).toContain('$${env.INFINISPAN_KEYSTORE_PASSWORD}');
    expect(raw).toContain('$${infinispan.bind.address:0.0.0.0}');
    const interpolations = [...raw.replace(/\$\$\{/g, '').matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]);
    expect(interpolations.length).toBeGreaterThan(0);
    for (const expression of interpolations) expect(expression).toMatch(/^(aws_|data\.)[\w.-]+$/);
  });

  test('the container writes the file, the keystore, the truststore and the users\' CLI batch, drops their variables and starts launch.sh on the task\'s private address', () => {
    const container = containerOf(euA);
    expect(container.entryPoint).toEqual(['/bin/bash', '-c']);
    expect(container.command).toHaveLength(1);
    expect(container.command[0].split('\n')).toEqual([
      'set -eu',
      'umask 077',
      'mkdir -p /tmp/infinispan',
      'printf \'%s\' "$INFINISPAN_XML" > /tmp/infinispan/infinispan.xml',
      'printf \'%s\' "$INFINISPAN_KEYSTORE_BASE64" | base64 -d > /tmp/infinispan/hotrod-keystore.p12',
      'printf \'%s\' "$INFINISPAN_TRUSTSTORE_BASE64" | base64 -d > /tmp/infinispan/truststore.p12',
      'unset INFINISPAN_XML INFINISPAN_KEYSTORE_BASE64 INFINISPAN_TRUSTSTORE_BASE64',
      // Keycloak's user in deployer (the caches, no administration), the operator's in admin; launch.sh runs the batch.
      'printf \'user create %s -p %s -g deployer\\nuser create %s -p %s -g admin\\n\' "$INFINISPAN_KEYCLOAK_USERNAME" "$INFINISPAN_KEYCLOAK_PASSWORD" ' +
        '"$INFINISPAN_OPERATOR_USERNAME" "$INFINISPAN_OPERATOR_PASSWORD" > /tmp/infinispan/identities.batch',
      'unset INFINISPAN_KEYCLOAK_USERNAME INFINISPAN_KEYCLOAK_PASSWORD INFINISPAN_OPERATOR_USERNAME INFINISPAN_OPERATOR_PASSWORD',
      'export IDENTITIES_BATCH=/tmp/infinispan/identities.batch',
      'exec /opt/infinispan/bin/launch.sh -c /tmp/infinispan/infinispan.xml -Djgroups.bind.address=SITE_LOCAL',
    ]);
    expect(container.portMappings.map((p) => p.containerPort)).toEqual([11222, 7800, 57800, 7900]);
    expect(container.stopTimeout).toBe(120);
  });

  test('the health check asks the anonymous health endpoint over HTTPS and waits 120 s for the start', () => {
    expect(containerOf(euA).healthCheck).toEqual({
      command: ['CMD-SHELL', expect.stringMatching(/^\{ if command -v curl .*curl -fsk https:\/\/localhost:11222\/rest\/v2\/container\/health\/status; else printf 'GET \/rest\/v2\/container\/health\/status HTTP\/1\.1\\r\\n.*openssl s_client -quiet -connect localhost:11222 .*\| grep -q HEALTHY$/)],
      interval: 10, timeout: 5, retries: 3, startPeriod: 120,
    });
  });

  test('secrets come from Secrets Manager: the Hot Rod user and the operator from generated secrets, the keystore from the operator\'s TLS secret', () => {
    const secrets = Object.fromEntries(containerOf(euA).secrets.map((s) => [s.name, s.valueFrom]));
    const generated = /^\$\{aws_secretsmanager_secret\.Infinispan_CredentialsSecret_[^}]+\.arn\}/;
    const operator = /^\$\{aws_secretsmanager_secret\.Infinispan_OperatorSecret_[^}]+\.arn\}/;
    expect(Object.keys(secrets)).toEqual([
      'INFINISPAN_KEYCLOAK_USERNAME', 'INFINISPAN_KEYCLOAK_PASSWORD', 'INFINISPAN_OPERATOR_USERNAME', 'INFINISPAN_OPERATOR_PASSWORD',
      'INFINISPAN_KEYSTORE_BASE64', 'INFINISPAN_TRUSTSTORE_BASE64', 'INFINISPAN_KEYSTORE_PASSWORD',
    ]);
    // No USER/PASS: launch.sh would make an admin of them.
    expect(secrets.USER).toBeUndefined();
    expect(secrets.INFINISPAN_TRUSTSTORE_BASE64).toBe(`${tlsArn('eu-west-1')}:truststore::`);
    expect(secrets.INFINISPAN_KEYCLOAK_USERNAME).toMatch(new RegExp(`${generated.source}:username::$`));
    expect(secrets.INFINISPAN_KEYCLOAK_PASSWORD).toMatch(new RegExp(`${generated.source}:password::$`));
    expect(secrets.INFINISPAN_OPERATOR_PASSWORD).toMatch(new RegExp(`${operator.source}:password::$`));
    expect(secrets.INFINISPAN_KEYSTORE_BASE64).toBe(`${tlsArn('eu-west-1')}:keystore::`);
    expect(secrets.INFINISPAN_KEYSTORE_PASSWORD).toBe(`${tlsArn('eu-west-1')}:password::`);
    const values = resourcesOf(euA, 'aws_secretsmanager_secret_version').map((v) => String(v.secret_string));
    expect(values).toEqual([
      expect.stringMatching(/^\$\{jsonencode\(\{"username" = "keycloak", "password" = data\.aws_secretsmanager_random_password\.[^.]+\.random_password\}\)\}$/),
      expect.stringMatching(/^\$\{jsonencode\(\{"username" = "operator", "password" = data\.aws_secretsmanager_random_password\.[^.]+\.random_password\}\)\}$/),
    ]);
  });

  test('no literal secret anywhere in the synthesized stack', () => {
    const resources = Object.entries(euA.json.resource)
      .flatMap(([type, byName]) => Object.entries(byName).map(([name, body]) => ({ type, name, path: name, body })));
    expect(resources.filter((r) => r.type === 'aws_ecs_task_definition')).toHaveLength(1);
    expect(runChecks(resources).filter((f) => f.ruleId === 'plaintext-secret')).toEqual([]);
    // Every value under a password-like key is a Terraform expression, never text.
    const literals: string[] = [];
    const walk = (value: unknown, key: string): void => {
      if (Array.isArray(value)) value.forEach((item) => walk(item, key));
      else if (value !== null && typeof value === 'object') Object.entries(value).forEach(([k, v]) => walk(v, k));
      else if (/pass(word)?$/i.test(key) && typeof value === 'string' && !/^\$\{[^]*\}$/.test(value)) literals.push(`${key}=${value}`);
    };
    walk(euA.json, '');
    expect(literals).toEqual([]);
    // The container's plain environment is the file alone, whose one password is an environment reference.
    expect(new Set([...xmlOf(euA).matchAll(/password="([^"]*)"/g)].map((m) => m[1]))).toEqual(new Set(['${env.INFINISPAN_KEYSTORE_PASSWORD}']));
  });

  test('JGroups runs mutual TLS with the operator\'s keystore and truststore on the site cluster and the cross-site bridge', () => {
    const xml = xmlOf(euA);
    for (const stack of ['xsite', 'bridge']) {
      const tcp = new RegExp(`<stack name="${stack}"[^]*?<TCP\\s([^>]*)>`).exec(xml)?.[1] ?? '';
      expect(tcp).toContain('tls.enabled="true"');
      expect(tcp).toContain('tls.client_auth="NEED"');
      expect(tcp).toContain('tls.keystore_path="/tmp/infinispan/hotrod-keystore.p12"');
      expect(tcp).toContain('tls.truststore_path="/tmp/infinispan/truststore.p12"');
    }
  });

  test('the execution role reads exactly the three secrets and decrypts with the site key', () => {
    const policy = Object.values(euA.json.data?.aws_iam_policy_document ?? {}).find((d) => JSON.stringify(d).includes('ReadInfinispanSecrets')) as
      { statement: { sid: string; actions: string[]; resources: string[] }[] };
    expect(policy.statement).toEqual([
      { sid: 'ReadInfinispanSecrets', actions: ['secretsmanager:GetSecretValue'], resources: [
        expect.stringMatching(/^\$\{aws_secretsmanager_secret\.Infinispan_CredentialsSecret_[^}]+\.arn\}$/),
        expect.stringMatching(/^\$\{aws_secretsmanager_secret\.Infinispan_OperatorSecret_[^}]+\.arn\}$/), tlsArn('eu-west-1')] },
      { sid: 'DecryptInfinispanSecrets', actions: ['kms:Decrypt'], resources: [KMS] },
    ]);
  });

  test('JGroups only between the tasks; the bridge only with the cache subnets (Infinispan tasks only) of sites in other regions (same-region peers are admitted by group where the peering is made); outbound HTTPS; no Hot Rod yet', () => {
    const three = synthSite(threeSites, 'eu-a');
    const ingress = rulesOf(three, 'aws_vpc_security_group_ingress_rule');
    const egress = rulesOf(three, 'aws_vpc_security_group_egress_rule');
    // eu-c (another region) is 10.30.0.0/16 over 2 zones: its cache subnets are sixteenths 8 and 9 of
    // the seventh /19 (10.30.192.0/19), where only its Infinispan tasks run, not its Keycloak tasks'
    // private /19s; eu-b (same region) gets no address rule.
    const euCCache = ['10.30.208.0/23', '10.30.210.0/23'];
    expect(Object.values(ingress).map(summary).sort()).toEqual(['57800-57800 self', '7800-7800 self', '7900-7900 self', ...euCCache.map((c) => `7900-7900 ${c}`)].sort());
    expect(Object.values(egress).map(summary).sort()).toEqual(['443-443 0.0.0.0/0', '57800-57800 self', '7800-7800 self', '7900-7900 self', ...euCCache.map((c) => `7900-7900 ${c}`)].sort());
    expect(Object.values({ ...ingress, ...egress }).every((r) => r.ip_protocol === 'tcp')).toBe(true);
    expect(Object.keys(ingress).filter((n) => n.includes('BridgeFrom')).map((n) => /BridgeFrom-(.+)-(Zone\d)/.exec(n)?.slice(1).join(' ')).sort())
      .toEqual(['eu-c Zone1', 'eu-c Zone2']);
    expect(Object.values(ingress).some((r) => r.from_port <= 11222 && 11222 <= r.to_port)).toBe(false);
    expect(Object.values(rulesOf(euA, 'aws_vpc_security_group_ingress_rule')).map(summary).sort()).toEqual(['57800-57800 self', '7800-7800 self', '7900-7900 self']);
  });

  test('allowHotRodFrom opens 11222 to one security group, by reference', () => {
    const out = synthSite(sameRegion, 'eu-a', {}, ({ service }) => service.allowHotRodFrom('HotRodFromKeycloak', 'sg-0123456789abcdef0', 'Hot Rod from Keycloak tasks'));
    const hotRod = Object.entries(rulesOf(out, 'aws_vpc_security_group_ingress_rule')).filter(([, r]) => r.from_port === 11222);
    expect(hotRod).toEqual([[expect.stringContaining('HotRodFromKeycloak'), expect.objectContaining({
      to_port: 11222, ip_protocol: 'tcp', referenced_security_group_id: 'sg-0123456789abcdef0', description: 'Hot Rod from Keycloak tasks',
    })]]);
    expect(hotRod[0][1].cidr_ipv4).toBeUndefined();
  });

  test('GIVEN a third site THEN it gets rules of its own and the existing rules keep their addresses', () => {
    const two = synthSite(sameRegion, 'eu-a');
    const three = synthSite(threeSites, 'eu-a');
    const names = (out: Synthesized) => Object.keys({ ...rulesOf(out, 'aws_vpc_security_group_ingress_rule'), ...rulesOf(out, 'aws_vpc_security_group_egress_rule') });
    expect(names(three)).toEqual(expect.arrayContaining(names(two)));
    const added = names(three).filter((n) => !names(two).includes(n));
    expect(added.map((n) => /Bridge(From|To)-eu-c-Zone\d/.exec(n)?.[0]).sort()).toEqual(['BridgeFrom-eu-c-Zone1', 'BridgeFrom-eu-c-Zone2', 'BridgeTo-eu-c-Zone1', 'BridgeTo-eu-c-Zone2']);
    const bridge = elements(xmlOf(three), 'dns.DNS_PING').find((p) => p.dns_query.includes(','));
    expect(bridge?.dns_query).toBe('infinispan.kc-eu-a.internal,infinispan.kc-eu-b.internal,infinispan.kc-eu-c.internal');
  });

  test('the service: own cluster, Fargate tasks in every zone\'s cache subnet, one extra task during deployments, Cloud Map registration', () => {
    expect(only(euA, 'aws_ecs_cluster')).toMatchObject({ name: 'kc-eu-a-infinispan', setting: [{ name: 'containerInsights', value: 'enabled' }] });
    const service = only<Record<string, unknown>>(euA, 'aws_ecs_service');
    expect(service).toMatchObject({
      name: 'infinispan',
      launch_type: 'FARGATE',
      desired_count: 3,
      deployment_minimum_healthy_percent: 100,
      deployment_maximum_percent: oneExtraTaskPercent(3),
      deployment_circuit_breaker: { enable: true, rollback: true },
      availability_zone_rebalancing: 'ENABLED',
      propagate_tags: 'SERVICE',
      service_registries: { registry_arn: expect.stringMatching(/^\$\{aws_service_discovery_service\.Infinispan_DiscoveryService_[^}]+\.arn\}$/) },
    });
    const network = service.network_configuration as { subnets: string[]; assign_public_ip: boolean; security_groups: string[] };
    expect(network.subnets.map((s) => /Zone(\d)Cache/.exec(s)?.[1])).toEqual(['1', '2', '3']);
    expect(network.assign_public_ip).toBe(false);
    expect(network.security_groups).toEqual([expect.stringMatching(/Infinispan_SecurityGroup/)]);
    expect(only(euA, 'aws_ecs_task_definition')).toMatchObject({ cpu: '1024', memory: '2048', family: 'kc-eu-a-infinispan', requires_compatibilities: ['FARGATE'], network_mode: 'awsvpc' });
  });

  test.each([[1, 2], [2, 2], [3, 3], [5, 3]])('GIVEN %i zones THEN %i tasks', (zones, nodes) => {
    const input: TopologyInput = { ...sameRegion, sites: { ...sameRegion.sites, 'eu-a': { ...sameRegion.sites['eu-a'], zones } } };
    expect(only(synthSite(input, 'eu-a'), 'aws_ecs_service')).toMatchObject({ desired_count: nodes, deployment_maximum_percent: oneExtraTaskPercent(nodes) });
  });

  test('logs are kept for the topology\'s days, encrypted with the site key', () => {
    expect(only(euA, 'aws_cloudwatch_log_group')).toEqual(expect.objectContaining({ name: '/infinispan/kc-eu-a', retention_in_days: 90, kms_key_id: KMS }));
    const shorter = synthSite({ ...sameRegion, traffic: { logRetentionDays: 30 } }, 'eu-a');
    expect(only(shorter, 'aws_cloudwatch_log_group')).toMatchObject({ retention_in_days: 30 });
    expect(JSON.parse(only<{ container_definitions: string }>(euA, 'aws_ecs_task_definition').container_definitions)[0].logConfiguration.options['awslogs-group'])
      .toMatch(/^\$\{aws_cloudwatch_log_group\.Infinispan_Logs_[^}]+\.name\}$/);
  });

  test('the image defaults to the Infinispan line Keycloak embeds, and can be replaced; task size can be changed', () => {
    expect(containerOf(euA).image).toBe('quay.io/infinispan/server:16.0');
    const old = synthSite({ ...sameRegion, version: KeycloakVersion.V26_4_0 }, 'eu-a');
    expect(containerOf(old).image).toBe('quay.io/infinispan/server:15.0');
    const custom = synthSite(sameRegion, 'eu-a', { image: 'registry.example.com/infinispan:16.0.12', vcpu: 2, memoryMiB: 4096 });
    expect(containerOf(custom).image).toBe('registry.example.com/infinispan:16.0.12');
    expect(only(custom, 'aws_ecs_task_definition')).toMatchObject({ cpu: '2048', memory: '4096' });
  });

  test('across regions the backups follow the topology (asynchronous, actionTokens synchronous)', () => {
    const xml = xmlOf(synthSite(twoRegions, 'eu'));
    const backups = elements(xml, 'backup');
    expect(backups.filter((b) => b.strategy === 'SYNC')).toHaveLength(1);
    expect(backups.every((b) => b.site === 'us' && b['failure-policy'] === 'WARN')).toBe(true);
    expect(elements(xml, 'dns.DNS_PING').map((p) => p.dns_query)).toContain('infinispan.kc-eu.internal,infinispan.kc-us.internal');
  });
});

describe('InfinispanService rejects props that cannot work', () => {
  test.each<[string, Partial<InfinispanServiceProps>, RegExp]>([
    ['a tlsSecretArn that is not an ARN', { tlsSecretArn: 'kc/infinispan-tls' },
      /tlsSecretArn is "kc\/infinispan-tls"; give the full ARN of a Secrets Manager secret, e\.g\. 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:/],
    ['a tlsSecretArn of another service', { tlsSecretArn: 'arn:aws:s3:::kc-infinispan-tls' }, /tlsSecretArn is "arn:aws:s3:::kc-infinispan-tls"; give the full ARN of a Secrets Manager secret/],
    ['a tlsSecretArn without the suffix Secrets Manager adds', { tlsSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:kc/tls' },
      /tlsSecretArn is ".*secret:kc\/tls"; give the full ARN/],
    ['a tlsSecretArn with a JSON key', { tlsSecretArn: `${tlsArn('eu-west-1')}:keystore::` }, /tlsSecretArn is ".*:keystore::"; give the full ARN/],
    ['a tlsSecretArn of another region', { tlsSecretArn: tlsArn('us-east-1') },
      /tlsSecretArn is ".*us-east-1.*"; create the secret in the site's region eu-west-1 \(it is in us-east-1\)/],
    ['a deploymentName that is not the context name\'s prefix', { deploymentName: 'other' },
      /deploymentName is "other"; use the prefix of the context name 'kc-eu-a' \(expected '<deploymentName>-eu-a'\)/],
    ['an empty image', { image: ' ' }, /image is " "; omit it or name an image/],
    ['a memory Fargate does not offer with the vCPUs', { vcpu: 1, memoryMiB: 1024 }, /memoryMiB is 1024; use a memory Fargate allows with 1 vCPU: 2048–8192 MiB/],
  ])('%s', (_, props, message) => {
    const error = buildError(sameRegion, 'eu-a', props);
    expect(error).toMatch(/^InfinispanService: invalid props for site 'eu-a':\n- /);
    expect(error).toMatch(message);
  });

  test('a site block outside RFC 1918 (JGroups binds to the SITE_LOCAL address)', () => {
    const input: TopologyInput = { ...sameRegion, sites: { ...sameRegion.sites, 'eu-a': { region: 'eu-west-1', cidr: '100.64.0.0/16' } } };
    expect(buildError(input, 'eu-a')).toMatch(/sites\.eu-a\.cidr is "100\.64\.0\.0\/16"; use a block inside 10\.0\.0\.0\/8, 172\.16\.0\.0\/12 or 192\.168\.0\.0\/16/);
  });

  test('a single site (nothing to relay to)', () => {
    const input: TopologyInput = { ...sameRegion, sites: { 'eu-a': sameRegion.sites['eu-a'] } };
    expect(buildError(input, 'eu-a')).toMatch(/topology\.sites is \["eu-a"\]; list at least two sites/);
  });

  test('every problem at once', () => {
    const error = buildError(sameRegion, 'eu-a', { tlsSecretArn: 'nope', deploymentName: 'other', image: '' });
    expect(error.split('\n- ').slice(1).map((p) => p.split(' ')[0])).toEqual(['deploymentName', 'tlsSecretArn', 'image']);
  });

  test('a tlsSecretArn from another construct (a token) is taken as is', () => {
    const out = synth((scope) => {
      const topology = defineTopology(sameRegion);
      const context: AwsSiteContext = { topology, site: topology.sites['eu-a'], name: 'kc-eu-a', tags: {} };
      const network = new SiteNetwork(scope, 'Network', context, { kmsKeyArn: KMS });
      new InfinispanService(scope, 'Infinispan', context, { network, kmsKeyArn: KMS, deploymentName: DEPLOYMENT, tlsSecretArn: network.vpc.arn });
    });
    expect(containerOf(out).secrets.find((s) => s.name === 'INFINISPAN_KEYSTORE_PASSWORD')?.valueFrom).toMatch(/^\$\{aws_vpc\.[^}]+\.arn\}:password::$/);
  });
});

// ---- the conformance tool finds the file inside the container definitions and validates it ------

const unavailable = conformanceUnavailable();
if (unavailable) console.warn(`SKIPPED: conformance of the Infinispan task definitions (${unavailable})`);
const describeConformance = unavailable ? describe.skip : describe;

describeConformance('the synthesized task definition\'s infinispan.xml validates (conformance tool)', () => {
  test.each([
    [KeycloakVersion.V26_4_0.text, '15.0', KeycloakVersion.V26_4_0],
    [KeycloakVersion.V26_7_0.text, '16.0', KeycloakVersion.V26_7_0],
  ])('Keycloak %s: Infinispan %s, every site', (_, infinispan, version) => {
    withScratchFolder('infinispan-service-', (folder) => {
      for (const site of ['eu-a', 'eu-b']) writeFileSync(join(folder, `${site}.cdk.tf.json`), synthSite({ ...sameRegion, version }, site).text);
      const run = runConformance(folder);
      expect({ status: run.status, failed: run.failed, stderr: run.stderr }).toEqual({ status: 0, failed: 0, stderr: '' });
      const checked = run.stdout.split('\n').filter((line) => line.startsWith('ok '));
      expect(checked).toHaveLength(2);
      for (const line of checked) expect(line).toMatch(new RegExp(`aws_ecs_task_definition\\..*container_definitions.*\\(infinispan-config-${infinispan.replace('.', '\\.')}\\.xsd\\)$`));
    });
  });

  test('a broken file inside the container definitions fails, so the check is real', () => {
    withScratchFolder('infinispan-service-broken-', (folder) => {
      const text = synthSite(sameRegion, 'eu-a').text;
      expect(text).toContain('strategy=\\\\\\"SYNC\\\\\\"');
      writeFileSync(join(folder, 'cdk.tf.json'), text.replace('strategy=\\\\\\"SYNC\\\\\\"', 'strategy=\\\\\\"SOMETIMES\\\\\\"'));
      const run = runConformance(folder);
      expect(run).toMatchObject({ status: 1, passed: 0, failed: 1 });
      expect(run.stdout).toContain("'SOMETIMES' is not an element of the set");
    });
  });
});
