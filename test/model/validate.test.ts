import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineTopology, TopologyInput } from '../../lib/model/define';
import { Diagnostic, formatDiagnostic } from '../../lib/model/diagnostic';
import { DnsRoutingSpec, DnsSpec } from '../../lib/model/dns-routing';
import { KeycloakImage } from '../../lib/model/image';
import { errorsOf, validate } from '../../lib/model/validate';
import { KeycloakVersion } from '../../lib/model/version';
import { validateAwsProps } from '../../lib/patterns/keycloak-on-aws';
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
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
    ['take-offline-invalid', { ...twoSites, caches: { takeOffline: { afterFailures: -1 } } }, 'caches.takeOffline.afterFailures'],
    ['take-offline-invalid', { ...twoSites, caches: { takeOffline: { minWaitMs: 1.5 } } }, 'caches.takeOffline.minWaitMs'],
    ['take-offline-disabled', { ...twoSites, caches: { takeOffline: { afterFailures: 0, minWaitMs: 0 } } }, 'caches.takeOffline'],
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

  // The hostname's routing, as the patterns hand it to validate() (defaults filled).
  const threeRegions: TopologyInput = { ...crossRegion, sites: { ...crossRegion.sites, c: { region: 'ap-southeast-2', cidr: '10.3.0.0/16' } } };
  const failover = (primarySite: string): DnsRoutingSpec => ({ kind: 'failover', primarySite });
  const dnsCases: [code: string, input: TopologyInput, dns: DnsSpec, path: string][] = [
    ['dns-routing-contradicts-mode', crossRegion, { routing: { kind: 'latency' } }, 'dns.routing'],
    ['dns-failover-primary-unknown', crossRegion, { routing: failover('z') }, 'dns.routing.primary'],
    ['dns-failover-primary-mismatch', crossRegion, { routing: failover('b') }, 'dns.routing.primary'],
    ['dns-failover-needs-sites', base, { routing: failover('eu-west') }, 'dns.routing'],
    ['dns-latency-region-shared', twoSites, { routing: { kind: 'latency' } }, 'dns.routing'],
    ['dns-accelerator-geolocation', twoSites, { routing: { kind: 'geolocation', locations: { a: { continent: 'EU' }, b: { continent: 'NA' } }, defaultSite: 'a' }, trafficDirector: 'global-accelerator' }, 'dns.routing'],
    ['dns-accelerator-failover-shared-region', twoSites, { routing: failover('a'), trafficDirector: 'global-accelerator' }, 'dns.routing'],
    ['dns-accelerator-standby-order', threeRegions, { routing: failover('a'), trafficDirector: 'global-accelerator' }, 'dns.trafficDirector'],
    ['dns-failover-chain-name-too-long', { ...threeRegions, hostname: `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(50)}.example.com` }, { routing: failover('a') }, 'dns.routing'],
    ['dns-traffic-director-invalid', twoSites, { routing: failover('a'), trafficDirector: 'cloudfront' as 'route53' }, 'dns.trafficDirector'],
    ['dns-routing-invalid', twoSites, { routing: { kind: 'weighted' as 'latency' } }, 'dns.routing'],
    ['dns-geolocation-site-unknown', twoSites, { routing: { kind: 'geolocation', locations: { a: { continent: 'EU' }, b: { continent: 'NA' }, z: { continent: 'AS' } }, defaultSite: 'a' } }, 'dns.routing.locations'],
    ['dns-geolocation-location-invalid', twoSites, { routing: { kind: 'geolocation', locations: { a: {}, b: { continent: 'NA' } }, defaultSite: 'a' } }, 'dns.routing.locations.a'],
    ['dns-geolocation-continent-invalid', twoSites, { routing: { kind: 'geolocation', locations: { a: { continent: 'XX' }, b: { continent: 'NA' } }, defaultSite: 'a' } }, 'dns.routing.locations.a.continent'],
    ['dns-geolocation-country-invalid', twoSites, { routing: { kind: 'geolocation', locations: { a: { country: 'usa' }, b: { continent: 'NA' } }, defaultSite: 'a' } }, 'dns.routing.locations.a.country'],
    ['dns-geolocation-subdivision-invalid', twoSites, { routing: { kind: 'geolocation', locations: { a: { continent: 'EU', subdivision: 'CA' }, b: { continent: 'NA' } }, defaultSite: 'a' } }, 'dns.routing.locations.a.subdivision'],
    ['dns-geolocation-location-duplicate', twoSites, { routing: { kind: 'geolocation', locations: { a: { continent: 'EU' }, b: { continent: 'EU' } }, defaultSite: 'a' } }, 'dns.routing.locations.b'],
    ['dns-geolocation-site-unlocated', twoSites, { routing: { kind: 'geolocation', locations: { a: { continent: 'EU' } }, defaultSite: 'a' } }, 'dns.routing.locations'],
    ['dns-geolocation-site-named-default', { ...base, sites: { default: { region: 'eu-west-1' }, b: { region: 'eu-west-1', cidr: '10.2.0.0/16' } } }, { routing: { kind: 'geolocation', locations: { default: { continent: 'EU' }, b: { continent: 'NA' } }, defaultSite: 'b' } }, 'dns.sites'],
    ['dns-geolocation-default-unknown', twoSites, { routing: { kind: 'geolocation', locations: { a: { continent: 'EU' }, b: { continent: 'NA' } }, defaultSite: 'z' } }, 'dns.routing.default'],
    ['dns-health-check-interval-invalid', twoSites, { routing: failover('a'), healthCheck: { intervalSeconds: 20 } }, 'dns.healthCheck.intervalSeconds'],
    ['dns-health-check-threshold-invalid', twoSites, { routing: failover('a'), healthCheck: { failureThreshold: 0 } }, 'dns.healthCheck.failureThreshold'],
    ['dns-checker-regions-invalid', twoSites, { routing: failover('a'), healthCheck: { checkerRegions: ['eu-west-1'] } }, 'dns.healthCheck.checkerRegions'],
    ['dns-checker-regions-ignored', threeRegions, { routing: { kind: 'latency' }, trafficDirector: 'global-accelerator', healthCheck: { checkerRegions: ['eu-west-1', 'us-east-1', 'us-west-2'] } }, 'dns.healthCheck.checkerRegions'],
  ];
  test.each(dnsCases)('reports routing problem %s at the offending path with a fix', (code, input, dns, path) => {
    const finding = validate(defineTopology(input), { dns }).find((d) => d.code === code);
    expect(finding).toMatchObject({ code, path });
    expect(finding?.fix.length).toBeGreaterThan(5);
  });

  test('GIVEN three regions active/passive THEN failover routing from the primary is valid, and latency only with the acknowledgement', () => {
    const topology = defineTopology(threeRegions);
    expect(errorsOf(validate(topology, { dns: { routing: failover('a') } }))).toEqual([]);
    expect(errorsOf(validate(defineTopology({ ...threeRegions, acknowledge: ['cross-region-active-active'] }), { dns: { routing: { kind: 'latency' } } }))).toEqual([]);
  });

  // Where the sites go: these need the stacks, so they run against real ones.
  const placementCodes = ['site-stack-provider-missing', 'site-stack-cycle'];
  // Tested in test/patterns/keycloak-on-kubernetes.test.ts (they need the pattern's props).
  const kubernetesPropCodes = ['infinispan-secrets-missing', 'gossip-router-missing', 'gossip-router-dns-unmanaged', 'kubernetes-option-invalid', 'site-provider-other-stack'];
  test('GIVEN a site in a stack without an AWS provider THEN site-stack-provider-missing names the site, the stack and the fix', () => {
    const app = Testing.app();
    const global = new TerraformStack(app, 'global');
    new AwsProvider(global, 'aws', { region: 'eu-west-1' });
    const bare = new TerraformStack(app, 'site-b-stack');
    const found = validateAwsProps(awsProps({ sites: { a: { region: 'eu-west-1' }, b: { region: 'eu-west-1', cidr: '10.1.0.0/16', stack: bare } } }), global);
    expect(found.filter((d) => d.code === 'site-stack-provider-missing')).toEqual([expect.objectContaining({
      code: 'site-stack-provider-missing', path: 'sites.b.provider', message: expect.stringContaining("'site-b-stack'"), fix: expect.stringContaining("region: 'eu-west-1'"),
    })]);
  });

  test('GIVEN a site in its own stack using the database of a site in the construct\'s stack THEN site-stack-cycle names both and the fix', () => {
    const app = Testing.app();
    const global = new TerraformStack(app, 'global');
    new AwsProvider(global, 'aws', { region: 'eu-west-1' });
    const own = new TerraformStack(app, 'site-b-stack');
    const provider = new AwsProvider(own, 'aws', { region: 'eu-west-1' });
    const sites = { a: { region: 'eu-west-1' }, b: { region: 'eu-west-1', cidr: '10.1.0.0/16', stack: own, provider } };
    expect(validateAwsProps(awsProps({ sites }), global).filter((d) => d.code === 'site-stack-cycle')).toEqual([expect.objectContaining({
      path: 'sites.b.stack', value: 'site-b-stack', message: expect.stringContaining("uses the database of site 'a'"), fix: expect.stringContaining("give site 'a' a stack of its own"),
    })]);
    // The holder in its own stack and the other beside the construct: no cycle.
    const reversed = { a: { region: 'eu-west-1', stack: own, provider }, b: { region: 'eu-west-1', cidr: '10.1.0.0/16' } };
    expect(validateAwsProps(awsProps({ sites: reversed }), global).map((d) => d.code)).not.toContain('site-stack-cycle');
  });

  test('every code a validator can emit has a failing-input test above', () => {
    const source = (file: string) => readFileSync(join(__dirname, '..', '..', 'lib', file), 'utf8');
    const emitted = new Set([
      ...[...source('model/validate.ts').matchAll(/report\('(?:error|warning)', '([a-z-]+)'/g)].map((m) => m[1]),
      ...[...source('model/dns-routing.ts').matchAll(/report\('(?:error|warning)', '([a-z-]+)'/g)].map((m) => m[1]),
      ...[...source('model/hostname.ts').matchAll(/code: '([a-z-]+)'/g)].map((m) => m[1]),
      ...[...source('patterns/keycloak-on-aws.ts').matchAll(/code: '([a-z-]+)'/g)].map((m) => m[1]),
      ...[...source('patterns/keycloak-on-kubernetes.ts').matchAll(/code: '([a-z-]+)'/g)].map((m) => m[1]),
    ]);
    const tested = new Set([...cases, ...awsCases, ...kubernetesCases, ...dnsCases, ...[...placementCodes, ...kubernetesPropCodes].map((code) => [code])].map(([code]) => code));
    expect([...emitted].filter((code) => !tested.has(code))).toEqual([]);
    expect(emitted.size).toBeGreaterThan(35);
  });
});
