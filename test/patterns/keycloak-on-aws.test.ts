import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { HostedZone, KeycloakOnAws, TopologyError } from '../../lib';
import { awsProps, onlyResource, resourcesOf, synth, synthKeycloak } from '../helpers';

describe('KeycloakOnAws', () => {
  test('GIVEN a bad topology THEN synthesis fails with one line per problem, naming prop, value and fix', () => {
    const attempt = () => synthKeycloak({
      hostname: 'htps://auth.example.com',
      sites: { 'EU-West': { region: 'eu-west-1', zones: 2, nodes: 2 } },
      keycloak: { cacheOwners: 3 },
    });
    expect(attempt).toThrow(TopologyError);
    expect(attempt).toThrow(/invalid Keycloak topology \(3 errors\)/);
    let message = '';
    try { attempt(); } catch (e) { message = (e as Error).message; }
    const lines = message.split('\n').slice(1);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/\[hostname-scheme\] hostname: .* \(got 'htps:\/\/auth\.example\.com'\)\. Fix: /);
    expect(lines[1]).toMatch(/\[site-name-invalid\] sites\.EU-West: .* \(got 'EU-West'\)\. Fix: rename the site/);
    expect(lines[2]).toMatch(/\[cache-owners-exceed-nodes\] keycloak\.cacheOwners: .* \(got 3\)\. Fix: set cacheOwners to at most 2/);
  });

  test('warnings become cdktf annotations on the construct', () => {
    let construct: KeycloakOnAws | undefined;
    synth((scope) => { construct = new KeycloakOnAws(scope, 'Keycloak', awsProps({ sites: { 'eu-west': { region: 'eu-west-1', natGateways: 'single' } } })); });
    const messages = construct?.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)) ?? [];
    expect(messages.some((m) => m.startsWith("[nat-single-zone] sites.eu-west.natGateways: with one NAT gateway"))).toBe(true);
    expect(messages.some((m) => m.startsWith('[database-failover-without-wrapper]'))).toBe(true);
  });

  test('GIVEN a hosted zone and no certificate THEN a DNS-validated certificate and an alias record are made', () => {
    const out = synthKeycloak({
      certificate: undefined,
      hostedZone: HostedZone.fromAttributes({ zoneId: 'Z04213802QEXAMPLE1234', zoneName: 'example.com' }),
    });
    expect(onlyResource(out, 'aws_acm_certificate')).toMatchObject({ domain_name: 'auth.example.com', validation_method: 'DNS' });
    const https = resourcesOf(out, 'aws_lb_listener').find((l) => l.port === 443);
    expect(String(https?.certificate_arn)).toMatch(/aws_acm_certificate_validation\..*\.certificate_arn/);
    const alias = resourcesOf(out, 'aws_route53_record').find((r) => r.type === 'A');
    expect(alias).toMatchObject({ name: 'auth.example.com', zone_id: 'Z04213802QEXAMPLE1234' });
    expect((alias?.alias as { evaluate_target_health: boolean }).evaluate_target_health).toBe(true);
  });

  test('GIVEN a certificate and no zone THEN no DNS resources are made', () => {
    const out = synthKeycloak();
    expect(resourcesOf(out, 'aws_route53_record')).toHaveLength(0);
    expect(resourcesOf(out, 'aws_acm_certificate')).toHaveLength(0);
  });

  test('outputs have predictable names; the admin output names the secret, never its value', () => {
    const out = synthKeycloak({ name: 'iam-prod' });
    expect(Object.keys(out.json.output ?? {}).sort()).toEqual([
      'iam-prod-eu-west-alarm-topic-arn', 'iam-prod-eu-west-bootstrap-admin-secret-arn', 'iam-prod-eu-west-load-balancer-dns-name', 'iam-prod-eu-west-url',
    ]);
    expect(out.json.output?.['iam-prod-eu-west-url'].value).toBe('https://auth.example.com');
    expect(out.json.output?.['iam-prod-eu-west-bootstrap-admin-secret-arn'].value).toMatch(/^\$\{aws_secretsmanager_secret\.[^}]+\.arn\}$/);
    expect(onlyResource(out, 'aws_lb').name).toBe('iam-prod-eu-west');
  });

  test('two deployments in one stack get distinct AWS names', () => {
    const out = synth((scope) => {
      new KeycloakOnAws(scope, 'Staging', awsProps({ name: 'kc-staging' }));
      new KeycloakOnAws(scope, 'Production', awsProps({ name: 'kc-prod', sites: { 'eu-west': { region: 'eu-west-1', cidr: '10.1.0.0/16' } } }));
    });
    const names = resourcesOf(out, 'aws_rds_cluster').map((c) => c.cluster_identifier);
    expect(names.sort()).toEqual(['kc-prod-eu-west', 'kc-staging-eu-west']);
  });

  test('user tags reach every taggable resource', () => {
    const out = synthKeycloak({ tags: { 'cost-center': 'iam' } });
    for (const type of ['aws_vpc', 'aws_rds_cluster', 'aws_ecs_service', 'aws_lb', 'aws_kms_key']) {
      expect(onlyResource(out, type).tags).toMatchObject({ 'cost-center': 'iam', app: 'keycloak' });
    }
  });

  test('its review bundle lists every alarm of every site with threshold and action', async () => {
    let construct: KeycloakOnAws | undefined;
    synth((scope) => { construct = new KeycloakOnAws(scope, 'Keycloak', awsProps({ keycloak: { dbPoolSize: 40 } })); });
    const dir = mkdtempSync(join(__dirname, '..', '..', '.cache', 'bundle-'));
    try {
      await construct?.writeReviewBundle(dir);
      const doc = readFileSync(join(dir, 'TOPOLOGY.md'), 'utf8');
      expect(doc).toContain('### Site eu-west');
      expect(doc).toMatch(/\| `keycloak-eu-west-database-connections` \| .* \| above 170 connections \|/);
      expect(doc.match(/^\| `keycloak-eu-west-/gm)).toHaveLength(11);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN a load target the survivors cannot carry THEN it warns with the node count to use, and the bundle carries the plan', async () => {
    let construct: KeycloakOnAws | undefined;
    synth((scope) => { construct = new KeycloakOnAws(scope, 'Keycloak', awsProps({ load: { passwordLoginsPerSecond: 200 } })); });
    const warning = construct?.warnings.find((w) => w.code === 'capacity-insufficient');
    expect(warning).toMatchObject({ severity: 'warning', path: 'sites.eu-west.nodes', value: 3 });
    const dir = mkdtempSync(join(__dirname, '..', '..', '.cache', 'bundle-'));
    try {
      await construct?.writeReviewBundle(dir);
      const doc = readFileSync(join(dir, 'TOPOLOGY.md'), 'utf8');
      expect(doc).toContain('## Failure modes');
      expect(doc).toContain('| one availability zone of eu-west-1 |');
      expect(doc).toMatch(/## Capacity/);
      expect(doc).toContain('[capacity-insufficient] sites.eu-west.nodes');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN a load the deployment carries THEN no capacity warning', () => {
    let construct: KeycloakOnAws | undefined;
    synth((scope) => { construct = new KeycloakOnAws(scope, 'Keycloak', awsProps({ load: { passwordLoginsPerSecond: 5 } })); });
    expect(construct?.warnings.filter((w) => w.code.startsWith('capacity-'))).toEqual([]);
  });
});
