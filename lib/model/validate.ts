import { FARGATE_MEMORY_BY_VCPU, LOG_RETENTION_DAYS } from './aws-limits';
import { isPrivate, overlaps, parseCidr } from './cidr';
import { Diagnostic, Severity } from './diagnostic';
import { checkDnsRouting, DnsSpec } from './dns-routing';
import { isHostnameProblem, parseHostname } from './hostname';
import { MAX_ZONES, SITE_CIDR_PREFIX } from './network-plan';
import type { TopologyInput } from './define';
import { CrossSiteStrategy, ExternalCacheName, RiskAcknowledgement, SiteLink, SiteSpec, Topology } from './topology';

type Report = (severity: Severity, code: string, path: string, value: unknown, message: string, fix: string) => void;

/**
 * Checks a topology and returns every finding at once, errors and warnings, each with a stable
 * code, the path of the offending prop, the value received and a fix. Never throws.
 */
/** What the topology is checked for. */
export interface ValidateOptions {
  /**
   * The substrate the topology is deployed to: AWS-only rules (Fargate sizes, VPC blocks, NAT,
   * Aurora, CloudWatch, AWS region and zone names) apply only to `aws`.
   * @default 'aws'
   */
  readonly substrate?: 'aws' | 'kubernetes';
  /**
   * The hostname's routing between the sites (the patterns' `dns` props, defaults filled): checked
   * against the sites, the mode and the primary, at `dns.*` paths.
   * @default - no routing checked
   */
  readonly dns?: DnsSpec;
}

export function validate(topology: Topology, options: ValidateOptions = {}): Diagnostic[] {
  const aws = options.substrate !== 'kubernetes';
  const diagnostics: Diagnostic[] = [];
  const report: Report = (severity, code, path, value, message, fix) =>
    diagnostics.push({ code, severity, path, value, message, fix });
  checkHostname(topology, report);
  checkVersionAndImage(topology, report, aws);
  checkSites(topology, report, aws);
  checkMultiSite(topology, report, aws);
  checkKeycloak(topology, report, aws);
  checkDatabase(topology, report, aws);
  checkTraffic(topology, report, aws);
  if (options.dns) diagnostics.push(...checkDns(topology, options.dns));
  return diagnostics;
}

/** Only the errors of a diagnostic list. */
export function errorsOf(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error');
}

function checkDns(topology: Topology, dns: DnsSpec): Diagnostic[] {
  const sites = Object.values(topology.sites);
  // A routing over sites of unknown regions or an unknown primary repeats errors reported above.
  if (sites.some((site) => typeof site.region !== 'string') || !topology.sites[topology.primarySite]) return [];
  const parsed = parseHostname(topology.keycloak.hostname);
  return checkDnsRouting(dns, Object.fromEntries(sites.map((site) => [site.name, site.region])), 'dns', topology,
    isHostnameProblem(parsed) ? undefined : parsed.host);
}

function checkHostname({ keycloak }: Topology, report: Report): void {
  const parsed = parseHostname(keycloak.hostname);
  if (isHostnameProblem(parsed)) {
    report('error', parsed.code, 'hostname', keycloak.hostname, parsed.message, parsed.fix);
  }
}

function checkVersionAndImage({ keycloak }: Topology, report: Report, aws: boolean): void {
  if (!keycloak.version.isChecked) {
    report('warning', 'version-not-checked', 'version', keycloak.version.text,
      `Keycloak ${keycloak.version.major}.${keycloak.version.minor} is not a line this library was checked against`,
      'prefer KeycloakVersion.LATEST or a 26.4.x / 26.7.x release');
  }
  if (aws && !keycloak.image.bundlesAwsJdbcWrapper) {
    report('warning', 'database-failover-without-wrapper', 'keycloak.image', keycloak.image.uri(keycloak.version),
      'the image has no AWS Advanced JDBC Wrapper, so an Aurora failover reaches Keycloak only through the ' +
        "PostgreSQL driver's multi-host URL (slower, and connections are re-established)",
      "build the image from the Dockerfile the package ships (node_modules/cdktf-keycloak-ha/examples/aws-multi-az/Dockerfile) and pass KeycloakImage.fromRegistry(uri, { bundlesAwsJdbcWrapper: true })");
  }
}

const SITE_NAME = /^(?!.*--)[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
/** Any cloud's region name (Kubernetes sites): a lower-case label. */
const REGION_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function checkSites(topology: Topology, report: Report, aws: boolean): void {
  const sites = Object.values(topology.sites);
  if (sites.length === 0) {
    report('error', 'sites-empty', 'sites', topology.sites, 'no site is defined',
      "add one site, e.g. sites: { 'eu-west': { region: 'eu-west-1' } }");
    return;
  }
  for (const site of sites) checkSite(site, report, aws);
}

/** For each other site, whether it shares `siteName`'s region. */
export function siteLinks(topology: Topology, siteName: string): Record<string, SiteLink> {
  const own = topology.sites[siteName];
  return Object.fromEntries(Object.values(topology.sites).filter((s) => s.name !== siteName)
    .map((s) => [s.name, s.region === own?.region ? 'same-region' : 'cross-region']));
}

const EXTERNAL_CACHES: readonly ExternalCacheName[] = ['actionTokens', 'authenticationSessions', 'loginFailures', 'work'];
const STRATEGIES: readonly CrossSiteStrategy[] = ['SYNC', 'ASYNC', 'NONE'];
const ACKNOWLEDGEMENTS: readonly RiskAcknowledgement[] = ['cross-region-active-active', 'cross-region-sync-replication'];

function checkMultiSite(topology: Topology, report: Report, aws: boolean): void {
  const sites = Object.values(topology.sites);
  const acknowledged = (risk: RiskAcknowledgement) => topology.acknowledged.includes(risk);
  (Array.isArray(topology.acknowledged) ? topology.acknowledged : []).forEach((risk, i) => {
    if (!ACKNOWLEDGEMENTS.includes(risk)) {
      report('error', 'acknowledgement-unknown', `acknowledge[${i}]`, risk, 'this is not a risk the library knows',
        `use one of ${ACKNOWLEDGEMENTS.join(', ')}`);
    }
  });
  if (sites.length < 2) {
    if (topology.mode !== 'single-site') {
      report('error', 'mode-needs-sites', 'mode', topology.mode, `${topology.mode} needs at least two sites`,
        'add a second site, or leave mode unset');
    }
    return;
  }
  if (topology.mode !== 'active-active' && topology.mode !== 'active-passive') {
    report('error', 'mode-invalid', 'mode', topology.mode, "several sites run 'active-active' or 'active-passive'",
      "use 'active-active' for sites in one region, 'active-passive' across regions");
  }
  if (!topology.sites[topology.primarySite]) {
    report('error', 'primary-site-unknown', 'primarySite', topology.primarySite, 'the primary site is not one of the sites',
      `use one of ${Object.keys(topology.sites).join(', ')}`);
  }
  if (sites.length > 2) {
    report('warning', 'sites-beyond-blueprint', 'sites', Object.keys(topology.sites),
      "Keycloak's multi-site blueprint is built and tested for two sites; more sites multiply cross-site traffic and failure cases",
      'prefer two sites with more zones each');
  }
  sites.forEach((a, i) => sites.slice(i + 1).forEach((b) => {
    const ca = parseCidr(a.cidr);
    const cb = parseCidr(b.cidr);
    // Only AWS peers the sites' networks; Kubernetes clusters meet through their load balancers.
    if (aws && ca && cb && overlaps(ca, cb)) {
      report('error', 'cidr-overlap', `sites.${b.name}.cidr`, b.cidr,
        `the block overlaps site '${a.name}' (${a.cidr}); peered networks cannot route overlapping addresses`,
        'give every site its own block, e.g. 10.10.0.0/16 and 10.20.0.0/16');
    }
  }));
  const crossRegion = new Set(sites.map((s) => s.region)).size > 1;
  if (crossRegion && topology.mode === 'active-active' && !acknowledged('cross-region-active-active')) {
    report('error', 'active-active-cross-region', 'mode', topology.mode,
      'Keycloak supports active/active only between sites of one region (synchronous replication needs a round trip ' +
        'under ~10 ms); across regions logins and logouts would race',
      "use mode 'active-passive', or acknowledge: ['cross-region-active-active'] if you accept the races");
  }
  checkTakeOffline(topology, report);
  for (const [cache, strategy] of Object.entries(topology.caches.crossSiteStrategies)) {
    const path = `caches.crossSite.${cache}`;
    if (!EXTERNAL_CACHES.includes(cache as ExternalCacheName)) {
      report('error', 'cross-site-cache-unknown', path, cache, 'Keycloak keeps no such cache in the external Infinispan',
        `use one of ${EXTERNAL_CACHES.join(', ')}`);
    } else if (!STRATEGIES.includes(strategy as CrossSiteStrategy)) {
      report('error', 'cross-site-strategy-invalid', path, strategy, `allowed strategies are ${STRATEGIES.join(', ')}`, "use 'SYNC' or 'ASYNC'");
    } else if (cache === 'actionTokens' && strategy !== 'SYNC') {
      report('error', 'action-tokens-not-sync', path, strategy,
        'an action token (password reset, e-mail verification) replicated late can be used once in each site',
        "leave actionTokens 'SYNC'");
    } else if (strategy === 'SYNC' && crossRegion && cache !== 'actionTokens' && !acknowledged('cross-region-sync-replication')) {
      report('error', 'sync-cross-region', path, strategy,
        'synchronous replication across regions puts the inter-region round trip on every login step, and a slow link fails them',
        "use 'ASYNC' across regions, or acknowledge: ['cross-region-sync-replication']");
    }
  }
}

function checkTakeOffline({ caches }: Topology, report: Report): void {
  const { afterFailures, minWaitMs } = caches.takeOffline;
  if (!Number.isInteger(afterFailures) || afterFailures < 0) {
    report('error', 'take-offline-invalid', 'caches.takeOffline.afterFailures', afterFailures,
      'the number of consecutive failed backups before a site is taken offline must be a whole number of 0 or more', 'use e.g. 3');
  }
  if (!Number.isInteger(minWaitMs) || minWaitMs < 0) {
    report('error', 'take-offline-invalid', 'caches.takeOffline.minWaitMs', minWaitMs,
      'the minimum time before a failing site is taken offline must be a whole number of milliseconds, 0 or more', 'use e.g. 15000');
  } else if (afterFailures === 0 && minWaitMs === 0) {
    report('error', 'take-offline-disabled', 'caches.takeOffline', caches.takeOffline,
      'with both 0 Infinispan never takes a site offline, so a lost site or link fails (FAIL) or slows (WARN) every write until a person intervenes',
      'set afterFailures or minWaitMs above 0, e.g. { afterFailures: 3, minWaitMs: 15000 }');
  }
}

function checkSite(site: SiteSpec, report: Report, aws: boolean): void {
  const at = `sites.${site.name}`;
  if (!SITE_NAME.test(site.name)) {
    report('error', 'site-name-invalid', at, site.name,
      'a site name must be a DNS label of 1–20 lower-case letters, digits and single hyphens, starting with a letter',
      "rename the site, e.g. 'eu-west' or 'site-a'");
  }
  if (typeof site.region !== 'string' || !(aws ? REGION : REGION_LABEL).test(site.region)) {
    report('error', 'region-invalid', `${at}.region`, site.region,
      aws ? 'this is not an AWS region name' : 'this is not a region name (a lower-case label; it tells same-region sites apart)',
      aws ? "use a region such as 'eu-west-1'" : "use the cloud's region name, e.g. 'eu-west-1' or 'europe-west1'");
  }
  if (aws) checkNetwork(site, at, report);
  checkZones(site, at, report, aws);
  if (!Number.isInteger(site.nodes) || site.nodes < 1) {
    report('error', 'nodes-invalid', `${at}.nodes`, site.nodes, 'the node count must be a whole number of at least 1',
      'set nodes to at least the number of zones');
  } else if (Number.isInteger(site.zoneCount) && site.nodes < site.zoneCount) {
    report('error', 'nodes-fewer-than-zones', `${at}.nodes`, site.nodes,
      `${site.nodes} node(s) cannot cover ${site.zoneCount} zones; a zone without a node serves no one and a zone loss may take the only node`,
      `set nodes to at least ${site.zoneCount}, or use fewer zones`);
  }
}

/** The site's VPC (AWS only): its block and its way out. */
function checkNetwork(site: SiteSpec, at: string, report: Report): void {
  const cidr = parseCidr(site.cidr);
  if (!cidr) {
    report('error', 'cidr-invalid', `${at}.cidr`, site.cidr,
      'this is not an IPv4 network block (four-part address, zero host bits, /prefix)', "use a block such as '10.10.0.0/16'");
  } else if (cidr.prefix < SITE_CIDR_PREFIX.min || cidr.prefix > SITE_CIDR_PREFIX.max) {
    report('error', 'cidr-size', `${at}.cidr`, site.cidr,
      `a site network must be a /${SITE_CIDR_PREFIX.min} to /${SITE_CIDR_PREFIX.max} block (AWS allows /16 at most; ` +
        'smaller blocks leave public subnets too small for the load balancer)',
      `use a /${SITE_CIDR_PREFIX.min}–/${SITE_CIDR_PREFIX.max} block such as '10.10.0.0/16'`);
  } else if (!isPrivate(cidr)) {
    report('warning', 'cidr-not-private', `${at}.cidr`, site.cidr,
      'the block is not a private (RFC 1918) range, so it may collide with public addresses the tasks call',
      "use a block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16");
  }
  if (site.natGateways !== 'per-zone' && site.natGateways !== 'single') {
    report('error', 'nat-gateways-invalid', `${at}.natGateways`, site.natGateways, "allowed values are 'per-zone' and 'single'",
      "use 'per-zone' (default)");
  } else if (site.natGateways === 'single') {
    report('warning', 'nat-single-zone', `${at}.natGateways`, site.natGateways,
      "with one NAT gateway, losing its zone cuts every zone's outbound traffic (image pulls, Secrets Manager, identity providers)",
      "use 'per-zone'");
  }
}

function checkZones(site: SiteSpec, at: string, report: Report, aws: boolean): void {
  const path = `${at}.zones`;
  const value = site.zoneNames ?? site.zoneCount;
  if (!Number.isInteger(site.zoneCount) || site.zoneCount < 1 || site.zoneCount > MAX_ZONES) {
    report('error', 'zones-invalid', path, value, `give 2–${MAX_ZONES} zones, as a count or as names`, 'use zones: 3');
    return;
  }
  if (site.zoneCount < 2) {
    report('error', 'zones-too-few', path, value,
      'a single zone cannot survive the loss of that zone, and Aurora needs subnets in two zones', 'use zones: 3');
  }
  if (!site.zoneNames) return;
  const seen = new Set<string>();
  site.zoneNames.forEach((zone, i) => {
    // AWS names zones after their region (eu-west-1a); other clouds' zone labels are free-form.
    const zoneOfRegion = typeof zone === 'string' && (!aws || (typeof site.region === 'string' &&
      zone.startsWith(site.region) && /^[a-z]$/.test(zone.slice(site.region.length))));
    if (!zoneOfRegion) {
      report('error', 'zone-not-in-region', `${path}[${i}]`, zone, `the zone is not an availability zone of ${site.region}`,
        `name zones as '${site.region}a', '${site.region}b', ... or give a count`);
    } else if (seen.has(zone)) {
      report('error', 'zone-duplicate', `${path}[${i}]`, zone, 'the zone is listed twice', 'list each zone once');
    }
    seen.add(zone);
  });
}

function checkKeycloak(topology: Topology, report: Report, aws: boolean): void {
  const { keycloak } = topology;
  if (aws) checkFargateSize(topology, report);
  else if (!(typeof keycloak.vcpu === 'number' && keycloak.vcpu > 0 && Number.isFinite(keycloak.vcpu)) ||
    !Number.isInteger(keycloak.memoryMiB) || keycloak.memoryMiB < 1024) {
    report('error', 'resources-invalid', 'keycloak', { vcpu: keycloak.vcpu, memoryMiB: keycloak.memoryMiB },
      'a pod needs a positive vCPU count and at least 1024 MiB (Keycloak alone takes about 1250 MB)', 'use e.g. vcpu: 2, memoryMiB: 4096');
  }
  if (!Number.isInteger(keycloak.dbPoolSize) || keycloak.dbPoolSize < 1 || keycloak.dbPoolSize > 1000) {
    report('error', 'db-pool-size-invalid', 'keycloak.dbPoolSize', keycloak.dbPoolSize,
      'the pool size must be a whole number from 1 to 1000', 'use the default 30, or size it from the load');
  }
  if (typeof keycloak.bootstrapAdminUsername !== 'string' || !/^[A-Za-z0-9._@-]{1,64}$/.test(keycloak.bootstrapAdminUsername)) {
    report('error', 'bootstrap-admin-username-invalid', 'keycloak.bootstrapAdminUsername', keycloak.bootstrapAdminUsername,
      'the user name must be 1–64 letters, digits or . _ @ -', "use 'temp-admin'");
  }
  checkCacheOwners(topology, report);
}

/** Fargate offers fixed vCPU/memory combinations. */
function checkFargateSize({ keycloak }: Topology, report: Report): void {
  const memories = FARGATE_MEMORY_BY_VCPU.get(keycloak.vcpu);
  if (!memories) {
    report('error', 'vcpu-invalid', 'keycloak.vcpu', keycloak.vcpu, 'Fargate tasks have 0.25, 0.5, 1, 2, 4, 8 or 16 vCPUs',
      'use one of those sizes (2 is the default)');
  } else if (!memories.includes(keycloak.memoryMiB)) {
    report('error', 'memory-invalid', 'keycloak.memoryMiB', keycloak.memoryMiB,
      `a Fargate task with ${keycloak.vcpu} vCPU takes ${memories[0]}–${memories[memories.length - 1]} MiB in steps of ${
        memories.length > 1 ? memories[1] - memories[0] : memories[0]} MiB`,
      `use e.g. ${memories[Math.min(1, memories.length - 1)]}`);
  }
}

function checkCacheOwners({ keycloak, caches, sites }: Topology, report: Report): void {
  const owners = caches.owners;
  const path = 'keycloak.cacheOwners';
  if (!Number.isInteger(owners) || owners < 1) {
    report('error', 'cache-owners-invalid', path, owners, 'the owner count must be a whole number of at least 1', 'set cacheOwners to 2 (the default)');
    return;
  }
  if (!keycloak.version.hasCacheOwnerOptions && owners !== 2) {
    report('warning', 'cache-owners-not-configurable', path, owners,
      `Keycloak ${keycloak.version.text} has no owner options, so its caches keep their default of 2 owners`,
      'use Keycloak 26.4 or later to set owners, or leave the default');
  }
  for (const site of Object.values(sites)) {
    if (!Number.isInteger(site.nodes) || site.nodes < 1) continue;
    if (owners > site.nodes) {
      report('error', 'cache-owners-exceed-nodes', path, owners,
        `${owners} owners need ${owners} nodes, but site '${site.name}' has ${site.nodes}`,
        `set cacheOwners to at most ${site.nodes} (2 is the default), or add nodes`);
    } else if (Number.isInteger(site.zoneCount) && site.zoneCount >= 2 && owners >= 2 && site.nodes > site.zoneCount &&
      owners <= Math.ceil(site.nodes / site.zoneCount)) {
      report('warning', 'cache-owners-zone-loss', path, owners,
        `site '${site.name}' puts up to ${Math.ceil(site.nodes / site.zoneCount)} nodes in one zone, so all ${owners} owners of an ` +
          'entry may share a zone and a zone loss can drop in-flight logins and action tokens',
        `set cacheOwners to ${Math.ceil(site.nodes / site.zoneCount) + 1}, or run one node per zone`);
    } else if (owners < 2 && site.nodes >= 2) {
      report('error', 'cache-owners-too-few', path, owners,
        `with one owner, each authentication session and action token lives on one node of site '${site.name}' ` +
          'and is lost with it', 'set cacheOwners to 2 or more');
    }
  }
}

function checkDatabase({ database, sites }: Topology, report: Report, aws: boolean): void {
  if (aws) checkAurora(database, report);
  if (!Number.isInteger(database.instances) || database.instances < 1 || database.instances > 16) {
    report('error', 'database-instances-invalid', 'database.instances', database.instances,
      'an Aurora cluster has 1 to 16 instances', 'use 2 or more, one per zone');
  } else {
    if (database.instances < 2) {
      report('error', 'database-single-instance', 'database.instances', database.instances,
        'without a reader in another zone there is nothing to fail over to: a writer or zone failure stops logins until Aurora replaces the instance',
        'use at least 2 instances');
    }
    for (const site of Object.values(sites)) {
      if (Number.isInteger(site.zoneCount) && database.instances > site.zoneCount && site.zoneCount >= 2) {
        report('warning', 'database-instances-share-zone', 'database.instances', database.instances,
          `${database.instances} instances in ${site.zoneCount} zones put two instances in one zone`,
          'use at most one instance per zone, or more zones');
      }
    }
  }
  if (typeof database.databaseName !== 'string' || !/^[a-z][a-z0-9_]{0,62}$/.test(database.databaseName)) {
    report('error', 'database-name-invalid', 'database.databaseName', database.databaseName,
      'a database name is 1–63 lower-case letters, digits or underscores, starting with a letter', "use 'keycloak'");
  }
}

/** Aurora's own settings (AWS only). */
function checkAurora(database: Topology['database'], report: Report): void {
  if (typeof database.engineVersion !== 'string' || !/^(1[4-9]|[2-9]\d)\.\d+$/.test(database.engineVersion)) {
    report('error', 'database-engine-version-invalid', 'database.engineVersion', database.engineVersion,
      'give an Aurora PostgreSQL version as MAJOR.MINOR, major 14 or later', "use e.g. '17.5'");
  }
  if (typeof database.instanceClass !== 'string' || !/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(database.instanceClass)) {
    report('error', 'database-instance-class-invalid', 'database.instanceClass', database.instanceClass,
      'this is not a provisioned RDS instance class', "use e.g. 'db.r7g.large'");
  }
  if (!Number.isInteger(database.backupRetentionDays) || database.backupRetentionDays < 1 || database.backupRetentionDays > 35) {
    report('error', 'database-backup-retention-invalid', 'database.backupRetentionDays', database.backupRetentionDays,
      'Aurora keeps automated backups for 1 to 35 days', 'use e.g. 14');
  }
  if (database.deletionProtection !== true) {
    report('warning', 'database-deletion-unprotected', 'database.deletionProtection', database.deletionProtection,
      'the cluster holding every realm, user and session can be deleted by a plan', 'leave deletionProtection on');
  }
}

function checkTraffic({ traffic }: Topology, report: Report, aws: boolean): void {
  const wholeIn = (value: number, min: number, max: number): boolean => Number.isInteger(value) && value >= min && value <= max;
  if (!wholeIn(traffic.stickinessSeconds, 1, 604800)) {
    report('error', 'stickiness-invalid', 'traffic.stickinessSeconds', traffic.stickinessSeconds,
      'load balancer stickiness lasts 1 to 604800 seconds', 'use e.g. 3600');
  }
  if (!wholeIn(traffic.deregistrationDelaySeconds, 0, 3600)) {
    report('error', 'deregistration-delay-invalid', 'traffic.deregistrationDelaySeconds', traffic.deregistrationDelaySeconds,
      'the deregistration delay is 0 to 3600 seconds', 'use e.g. 30');
  }
  if (!wholeIn(traffic.targetHealthCheck.intervalSeconds, 5, 300)) {
    report('error', 'health-check-interval-invalid', 'traffic.healthCheckIntervalSeconds',
      traffic.targetHealthCheck.intervalSeconds, 'target health checks run every 5 to 300 seconds', 'use e.g. 10');
  }
  for (const [prop, cidrs] of [['allowedClientCidrs', traffic.allowedClientCidrs], ['adminAllowedCidrs', traffic.adminAllowedCidrs]] as const) {
    if (!Array.isArray(cidrs)) {
      report('error', 'client-cidrs-invalid', `traffic.${prop}`, cidrs, 'give a list of IPv4 blocks', "use e.g. ['203.0.113.0/24']");
      continue;
    }
    cidrs.forEach((cidr, i) => {
      if (!parseCidr(cidr)) {
        report('error', 'client-cidrs-invalid', `traffic.${prop}[${i}]`, cidr, 'this is not an IPv4 block', "use e.g. '203.0.113.0/24'");
      }
    });
  }
  if (Array.isArray(traffic.adminAllowedCidrs) && traffic.adminAllowedCidrs.includes('0.0.0.0/0')) {
    report('warning', 'admin-exposed-publicly', 'traffic.adminAllowedCidrs', traffic.adminAllowedCidrs,
      "the admin console and admin API are reachable from the internet, which Keycloak's proxy guide advises against",
      "list only your administrators' networks");
  }
  if (aws && !LOG_RETENTION_DAYS.includes(traffic.logRetentionDays)) {
    report('error', 'log-retention-invalid', 'traffic.logRetentionDays', traffic.logRetentionDays,
      `CloudWatch keeps logs for one of ${LOG_RETENTION_DAYS.join(', ')} days`, 'use e.g. 90');
  }
}

/**
 * Props of the topology input that only the AWS substrate reads (VPC, NAT, flow logs, ALB, Aurora,
 * CloudWatch): on Kubernetes a value there would be ignored, so giving one is an error.
 */
const AWS_ONLY_PROPS: readonly { readonly path: (input: TopologyInput) => [string, unknown][]; readonly what: string }[] = [
  { what: 'AWS NAT gateways', path: (i) => Object.entries(i.sites ?? {}).map(([name, s]) => [`sites.${name}.natGateways`, s?.natGateways]) },
  { what: 'VPC flow logs', path: (i) => Object.entries(i.sites ?? {}).map(([name, s]) => [`sites.${name}.flowLogs`, s?.flowLogs]) },
  { what: "the ALB's admin rules (the Ingress never routes /admin/)", path: (i) => [['traffic.adminAllowedCidrs', i.traffic?.adminAllowedCidrs]] },
  { what: "the ALB's client rules", path: (i) => [['traffic.allowedClientCidrs', i.traffic?.allowedClientCidrs]] },
  { what: "the ALB's scheme", path: (i) => [['traffic.internetFacing', i.traffic?.internetFacing]] },
  { what: "the ALB target group's deregistration delay", path: (i) => [['traffic.deregistrationDelaySeconds', i.traffic?.deregistrationDelaySeconds]] },
  { what: 'CloudWatch log retention', path: (i) => [['traffic.logRetentionDays', i.traffic?.logRetentionDays]] },
  { what: 'the Aurora instance class', path: (i) => [['database.instanceClass', i.database?.instanceClass]] },
  { what: "the Aurora cluster's deletion protection", path: (i) => [['database.deletionProtection', i.database?.deletionProtection]] },
  { what: 'the Aurora engine version', path: (i) => [['database.engineVersion', i.database?.engineVersion]] },
];

/**
 * What `validate()` cannot see once defaults are filled: props the user gave that the substrate
 * ignores. Errors with code `aws-only-prop`, each naming the prop and its value.
 */
export function validateSubstrateInput(input: TopologyInput, options: ValidateOptions = {}): Diagnostic[] {
  if (options.substrate !== 'kubernetes') return [];
  return AWS_ONLY_PROPS.flatMap(({ path, what }) => path(input).filter(([, value]) => value !== undefined).map(([at, value]): Diagnostic => ({
    code: 'aws-only-prop', severity: 'error', path: at, value,
    message: `configures ${what}, which a Kubernetes deployment does not have: the value would be ignored`,
    fix: `remove ${at.split('.').pop()} from the Kubernetes deployment's props`,
  })));
}
