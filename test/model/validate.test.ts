import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineTopology, TopologyInput } from '../../lib/model/define';
import { Diagnostic, formatDiagnostic } from '../../lib/model/diagnostic';
import { KeycloakImage } from '../../lib/model/image';
import { errorsOf, validate } from '../../lib/model/validate';
import { KeycloakVersion } from '../../lib/model/version';
import { validateAwsProps } from '../../lib/patterns/keycloak-on-aws';
import { awsProps } from '../helpers';

const base: TopologyInput = {
  hostname: 'auth.example.com',
  sites: { 'eu-west': { region: 'eu-west-1' } },
  keycloak: { image: KeycloakImage.fromRegistry('registry.example.com/keycloak:26.7.0', { bundlesAwsJdbcWrapper: true }) },
};
const withSite = (site: object): TopologyInput => ({ ...base, sites: { 'eu-west': { region: 'eu-west-1', ...site } } });
const diagnose = (input: TopologyInput): Diagnostic[] => validate(defineTopology(input));
const twoSites: TopologyInput = { ...base, sites: { a: { region: 'eu-west-1', cidr: '10.1.0.0/16' }, b: { region: 'eu-west-1', cidr: '10.2.0.0/16' } } };
const crossRegion: TopologyInput = { ...base, sites: { a: { region: 'eu-west-1', cidr: '10.1.0.0/16' }, b: { region: 'us-east-1', cidr: '10.2.0.0/16' } } };

describe('validate', () => {
  test('GIVEN the defaults THEN there is nothing to report', () => {
    expect(diagnose(base)).toEqual([]);
  });

  test('GIVEN the upstream image THEN only the missing JDBC wrapper is reported, as a warning', () => {
    const findings = diagnose({ ...base, keycloak: {} });
    expect(findings.map((d) => [d.code, d.severity])).toEqual([['database-failover-without-wrapper', 'warning']]);
  });

  test('GIVEN several problems THEN every one is reported at once, naming prop, value and fix', () => {
    const findings = diagnose({
      hostname: 'htps://auth.example.com',
      sites: { 'EU West': { region: 'eu-west-1', zones: 2, nodes: 2 } },
      keycloak: { cacheOwners: 3, image: base.keycloak?.image },
    });
    expect(findings.map((d) => [d.code, d.path, d.value])).toEqual([
      ['hostname-scheme', 'hostname', 'htps://auth.example.com'],
      ['site-name-invalid', 'sites.EU West', 'EU West'],
      ['cache-owners-exceed-nodes', 'keycloak.cacheOwners', 3],
    ]);
    const text = findings.map(formatDiagnostic).join('\n');
    expect(text).toContain("[cache-owners-exceed-nodes] keycloak.cacheOwners: 3 owners need 3 nodes, but site 'EU West' has 2 (got 3). Fix: set cacheOwners to at most 2");
  });

  // One failing input per code. The last test checks that this table covers every code the
  // validators can emit.
  const cases: [code: string, input: TopologyInput, path: string][] = [
    ['hostname-scheme', { ...base, hostname: 'http://auth.example.com' }, 'hostname'],
    ['hostname-invalid', { ...base, hostname: 'auth' }, 'hostname'],
    ['hostname-port', { ...base, hostname: 'auth.example.com:8443' }, 'hostname'],
    ['hostname-path', { ...base, hostname: 'https://example.com/auth' }, 'hostname'],
    ['version-not-checked', { ...base, version: KeycloakVersion.of('26.5.2') }, 'version'],
    ['database-failover-without-wrapper', { ...base, keycloak: { image: KeycloakImage.official() } }, 'keycloak.image'],
    ['sites-empty', { ...base, sites: {} }, 'sites'],
    ['site-name-invalid', { ...base, sites: { '1st': { region: 'eu-west-1' } } }, 'sites.1st'],
    ['site-name-invalid', { ...base, sites: { 'eu--west': { region: 'eu-west-1' } } }, 'sites.eu--west'],
    ['region-invalid', withSite({ region: 'Ireland' }), 'sites.eu-west.region'],
    ['cidr-invalid', withSite({ cidr: '10.0.0.1/16' }), 'sites.eu-west.cidr'],
    ['cidr-size', withSite({ cidr: '10.0.0.0/24' }), 'sites.eu-west.cidr'],
    ['cidr-not-private', withSite({ cidr: '8.8.0.0/16' }), 'sites.eu-west.cidr'],
    ['zones-invalid', withSite({ zones: 7 }), 'sites.eu-west.zones'],
    ['zones-too-few', withSite({ zones: 1 }), 'sites.eu-west.zones'],
    ['zone-not-in-region', withSite({ zones: ['eu-west-1a', 'us-east-1b'] }), 'sites.eu-west.zones[1]'],
    ['zone-duplicate', withSite({ zones: ['eu-west-1a', 'eu-west-1a'] }), 'sites.eu-west.zones[1]'],
    ['nodes-invalid', withSite({ nodes: 2.5 }), 'sites.eu-west.nodes'],
    ['nodes-fewer-than-zones', withSite({ zones: 3, nodes: 2 }), 'sites.eu-west.nodes'],
    ['nat-gateways-invalid', withSite({ natGateways: 'none' }), 'sites.eu-west.natGateways'],
    ['nat-single-zone', withSite({ natGateways: 'single' }), 'sites.eu-west.natGateways'],
    ['vcpu-invalid', { ...base, keycloak: { ...base.keycloak, vcpu: 3 } }, 'keycloak.vcpu'],
    ['memory-invalid', { ...base, keycloak: { ...base.keycloak, vcpu: 2, memoryMiB: 2048 } }, 'keycloak.memoryMiB'],
    ['db-pool-size-invalid', { ...base, keycloak: { ...base.keycloak, dbPoolSize: 0 } }, 'keycloak.dbPoolSize'],
    ['bootstrap-admin-username-invalid', { ...base, keycloak: { ...base.keycloak, bootstrapAdminUsername: 'an admin' } }, 'keycloak.bootstrapAdminUsername'],
    ['cache-owners-invalid', { ...base, keycloak: { ...base.keycloak, cacheOwners: 0 } }, 'keycloak.cacheOwners'],
    ['cache-owners-not-configurable', { ...base, version: KeycloakVersion.of('26.2.0'), keycloak: { ...base.keycloak, cacheOwners: 3 } }, 'keycloak.cacheOwners'],
    ['cache-owners-exceed-nodes', { ...base, keycloak: { ...base.keycloak, cacheOwners: 4 } }, 'keycloak.cacheOwners'],
    ['cache-owners-zone-loss', withSite({ zones: 3, nodes: 6 }), 'keycloak.cacheOwners'],
    ['client-cidrs-invalid', { ...base, traffic: { allowedClientCidrs: ['10.0.0.0/33'] } }, 'traffic.allowedClientCidrs[0]'],
    ['admin-exposed-publicly', { ...base, traffic: { adminAllowedCidrs: ['0.0.0.0/0'] } }, 'traffic.adminAllowedCidrs'],
    ['cache-owners-too-few', { ...base, keycloak: { ...base.keycloak, cacheOwners: 1 } }, 'keycloak.cacheOwners'],
    ['database-engine-version-invalid', { ...base, database: { engineVersion: '17' } }, 'database.engineVersion'],
    ['database-instance-class-invalid', { ...base, database: { instanceClass: 'r7g.large' } }, 'database.instanceClass'],
    ['database-instances-invalid', { ...base, database: { instances: 0 } }, 'database.instances'],
    ['database-single-instance', { ...base, database: { instances: 1 } }, 'database.instances'],
    ['database-instances-share-zone', { ...base, database: { instances: 4 } }, 'database.instances'],
    ['database-name-invalid', { ...base, database: { databaseName: 'Keycloak-DB' } }, 'database.databaseName'],
    ['database-backup-retention-invalid', { ...base, database: { backupRetentionDays: 36 } }, 'database.backupRetentionDays'],
    ['database-deletion-unprotected', { ...base, database: { deletionProtection: false } }, 'database.deletionProtection'],
    ['stickiness-invalid', { ...base, traffic: { stickinessSeconds: 0 } }, 'traffic.stickinessSeconds'],
    ['deregistration-delay-invalid', { ...base, traffic: { deregistrationDelaySeconds: 4000 } }, 'traffic.deregistrationDelaySeconds'],
    ['health-check-interval-invalid', { ...base, traffic: { healthCheckIntervalSeconds: 1 } }, 'traffic.healthCheckIntervalSeconds'],
    ['acknowledgement-unknown', { ...base, acknowledge: ['yolo' as never] }, 'acknowledge[0]'],
    ['mode-needs-sites', { ...base, mode: 'active-active' }, 'mode'],
    ['mode-invalid', { ...twoSites, mode: 'active-standby' as never }, 'mode'],
    ['primary-site-unknown', { ...twoSites, primarySite: 'mars' }, 'primarySite'],
    ['sites-beyond-blueprint', { ...twoSites, sites: { ...twoSites.sites, c: { region: 'eu-west-1', cidr: '10.3.0.0/16' } } }, 'sites'],
    ['cidr-overlap', { ...twoSites, sites: { a: { region: 'eu-west-1', cidr: '10.1.0.0/16' }, b: { region: 'eu-west-1', cidr: '10.1.128.0/18' } } }, 'sites.b.cidr'],
    ['active-active-cross-region', { ...crossRegion, mode: 'active-active' }, 'mode'],
    ['cross-site-cache-unknown', { ...twoSites, caches: { crossSite: { sessions: 'SYNC' } as never } }, 'caches.crossSite.sessions'],
    ['cross-site-strategy-invalid', { ...twoSites, caches: { crossSite: { work: 'SOMETIMES' as never } } }, 'caches.crossSite.work'],
    ['action-tokens-not-sync', { ...twoSites, caches: { crossSite: { actionTokens: 'ASYNC' } } }, 'caches.crossSite.actionTokens'],
    ['sync-cross-region', { ...crossRegion, caches: { crossSite: { authenticationSessions: 'SYNC' } } }, 'caches.crossSite.authenticationSessions'],
    ['log-retention-invalid', { ...base, traffic: { logRetentionDays: 10 } }, 'traffic.logRetentionDays'],
  ];

  // Rules that exist only for Kubernetes sites.
  const kubernetesCases: [code: string, input: TopologyInput, path: string][] = [
    ['resources-invalid', { ...base, keycloak: { ...base.keycloak, vcpu: 2, memoryMiB: 512 } }, 'keycloak'],
  ];

  test.each(kubernetesCases)('reports %s for Kubernetes at the offending path with a fix', (code, input, path) => {
    const finding = validate(defineTopology(input), { substrate: 'kubernetes' }).find((d) => d.code === code);
    expect(finding).toMatchObject({ code, path, severity: 'error' });
  });

  test('Kubernetes sites are not held to Fargate sizes, AWS region/zone names, VPC blocks or Aurora and CloudWatch settings', () => {
    const gke: TopologyInput = {
      hostname: 'auth.example.com',
      sites: { eu: { region: 'europe-west1', zones: ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'], cidr: '8.8.0.0/16' } },
      keycloak: { vcpu: 3, memoryMiB: 3000 },
      database: { instanceClass: 'cnpg', backupRetentionDays: 90, deletionProtection: false },
      traffic: { logRetentionDays: 10 },
    };
    expect(validate(defineTopology(gke), { substrate: 'kubernetes' })).toEqual([]);
    expect(errorsOf(validate(defineTopology(gke))).map((d) => d.code).sort()).toEqual([
      'database-backup-retention-invalid', 'database-instance-class-invalid', 'log-retention-invalid', 'region-invalid',
      'vcpu-invalid', 'zone-not-in-region', 'zone-not-in-region', 'zone-not-in-region',
    ]);
  });

  test.each(cases)('reports %s at the offending path with a fix', (code, input, path) => {
    const finding = diagnose(input).find((d) => d.code === code);
    expect(finding).toMatchObject({ code, path });
    expect(finding?.message.length).toBeGreaterThan(10);
    expect(finding?.fix.length).toBeGreaterThan(5);
  });

  const awsCases: [code: string, overrides: Parameters<typeof awsProps>[0], path: string][] = [
    ['hosted-zone-required', { sites: { a: { region: 'eu-west-1' }, b: { region: 'eu-west-1', cidr: '10.1.0.0/16' } } }, 'hostedZone'],
    ['infinispan-tls-secret-missing', { sites: { a: { region: 'eu-west-1' }, b: { region: 'eu-west-1', cidr: '10.1.0.0/16' } } }, 'sites.a.infinispanTlsSecretArn'],
    ['infinispan-tls-secret-invalid', { sites: { a: { region: 'eu-west-1', infinispanTlsSecretArn: 'not-an-arn' }, b: { region: 'eu-west-1', cidr: '10.1.0.0/16' } } }, 'sites.a.infinispanTlsSecretArn'],
    ['certificate-region-mismatch', { sites: { a: { region: 'eu-central-1' }, b: { region: 'eu-central-1', cidr: '10.1.0.0/16' } } }, 'certificate'],
    ['site-image-mismatch', { sites: { a: { region: 'eu-west-1', image: KeycloakImage.fromRegistry('registry.example.com/kc:1', { bundlesAwsJdbcWrapper: true }) } } }, 'sites.a.image'],
    ['site-provider-missing', { mode: 'active-passive', sites: { a: { region: 'eu-west-1' }, b: { region: 'us-east-1', cidr: '10.1.0.0/16' } } }, 'sites.a.provider'],
    ['name-invalid', { name: 'Keycloak_Prod' }, 'name'],
    ['certificate-missing', { certificate: undefined }, 'certificate'],
    ['hosted-zone-mismatch', { hostedZone: { zoneId: 'Z123', zoneName: 'example.org' } }, 'hostedZone.zoneName'],
  ];
  test.each(awsCases)('reports AWS prop problem %s at %s', (code, overrides, path) => {
    expect(validateAwsProps(awsProps(overrides)).find((d) => d.code === code)).toMatchObject({ code, path, severity: 'error' });
  });

  test('every code a validator can emit has a failing-input test above', () => {
    const source = (file: string) => readFileSync(join(__dirname, '..', '..', 'lib', file), 'utf8');
    const emitted = new Set([
      ...[...source('model/validate.ts').matchAll(/report\('(?:error|warning)', '([a-z-]+)'/g)].map((m) => m[1]),
      ...[...source('model/hostname.ts').matchAll(/code: '([a-z-]+)'/g)].map((m) => m[1]),
      ...[...source('patterns/keycloak-on-aws.ts').matchAll(/code: '([a-z-]+)'/g)].map((m) => m[1]),
    ]);
    const tested = new Set([...cases, ...awsCases, ...kubernetesCases].map(([code]) => code));
    expect([...emitted].filter((code) => !tested.has(code))).toEqual([]);
    expect(emitted.size).toBeGreaterThan(35);
  });
});
