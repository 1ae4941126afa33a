import { Diagnostic, formatDiagnostic } from '../model/diagnostic';
import { isHostnameProblem, parseHostname } from '../model/hostname';
import { Topology } from '../model/topology';
import { spread } from './diagram';
import { KubernetesDatabaseFacts } from './names';

export interface TopologyDocParts {
  readonly mermaid: string;
  /** Markdown sections placed after the diagram (failure modes, capacity), in order. */
  readonly sections: readonly string[];
  readonly warnings: readonly Diagnostic[];
  /** @default 'aws' */
  readonly substrate?: 'aws' | 'kubernetes';
  /** Kubernetes: the database as the deployment rendered it. */
  readonly kubernetesDatabase?: KubernetesDatabaseFacts;
}

/** TOPOLOGY.md: what exists, what a failure costs, what clients must know. */
export function renderTopologyDoc(topology: Topology, parts: TopologyDocParts): string {
  const parsed = parseHostname(topology.keycloak.hostname);
  const url = isHostnameProblem(parsed) ? topology.keycloak.hostname : parsed.url;
  const v = topology.keycloak.version;
  const out: string[] = [
    `# Topology: ${url}`, '',
    `Keycloak ${v.text} (embedded Infinispan ${v.infinispan}, JGroups ${v.jgroups}), mode **${topology.mode}**, ` +
      `image \`${topology.keycloak.image.uri(v)}\`${topology.keycloak.image.bundlesAwsJdbcWrapper ? ' (with the AWS JDBC wrapper)' : ''}.`, '',
    ...siteTable(topology, parts.substrate === 'kubernetes'),
    '',
    (parts.substrate === 'kubernetes'
      ? kubernetesDatabaseLine(parts.kubernetesDatabase)
      : `Database: Aurora PostgreSQL ${topology.database.engineVersion}, ${topology.database.instances} instances (${topology.database.instanceClass}), ` +
        `${topology.database.backupRetentionDays}-day backups, deletion protection ${topology.database.deletionProtection ? 'on' : 'OFF'}. `) +
      `Pool ${topology.keycloak.dbPoolSize} connections per node. Distributed cache owners: ${topology.caches.owners}.`, '',
    '## Diagram', '', '![topology](topology.svg)', '', '```mermaid', parts.mermaid.trimEnd(), '```', '',
    '## Recovery objectives', '', rpoStatement(topology, parts.substrate ?? 'aws', parts.kubernetesDatabase), '',
    ...parts.sections.flatMap((section) => [section.trimEnd(), '']),
    '## Validation warnings', '',
    ...(parts.warnings.length === 0 ? ['None.'] : parts.warnings.map((w) => `- ${formatDiagnostic(w)}`)), '',
    ...clientGuidance(topology, url),
  ];
  return `${out.join('\n')}\n`;
}

/**
 * One row per site. On Kubernetes the stack creates no network, and the scheduler places pods by
 * the zone spread (max skew 1) rather than a fixed count per zone.
 */
function siteTable(topology: Topology, kubernetes: boolean): string[] {
  const name = (s: Topology['sites'][string]) => `${s.name}${s.name === topology.primarySite && topology.mode !== 'single-site' ? ' (primary)' : ''}`;
  const size = `${topology.keycloak.vcpu} / ${topology.keycloak.memoryMiB} MiB`;
  return kubernetes
    ? ['| Site | Region | Zones | Keycloak pods | CPU / memory requested per pod |', '| --- | --- | ---: | --- | --- |',
      ...Object.values(topology.sites).map((s) => `| ${name(s)} | ${s.region} | ${s.zoneCount} | ${s.nodes} (spread over the zones, at most 1 apart) | ${size} |`)]
    : ['| Site | Region | Network | Zones | Keycloak nodes (per zone) | vCPU / memory per node |', '| --- | --- | --- | ---: | --- | --- |',
      ...Object.values(topology.sites).map((s) =>
        `| ${name(s)} | ${s.region} | ${s.cidr} | ${s.zoneCount} | ${s.nodes} (${spread(s.nodes, s.zoneCount).join(' / ')}) | ${size} |`)];
}

function kubernetesDatabaseLine(database: KubernetesDatabaseFacts | undefined): string {
  if (database?.kind === 'cloudnative-pg') {
    return `Database: CloudNativePG cluster \`${database.cluster}\` (created by this stack), ${database.instances} instances, one per zone; ` +
      `commits wait for a synchronous standby (dataDurability ${database.dataDurability}); ` +
      (database.backup ? `base backups and WAL to \`${database.backup.destinationPath}\`, kept ${database.backup.retentionPolicy}. ` : 'no backups configured. ');
  }
  return `Database: external PostgreSQL${database ? ` at \`${database.hosts.join(', ')}\`` : ''}, not created by this stack. `;
}

function rpoStatement(topology: Topology, substrate: 'aws' | 'kubernetes', database?: KubernetesDatabaseFacts): string {
  if (topology.mode === 'active-passive') {
    return 'RPO > 0: the secondary region receives database writes asynchronously (Aurora Global Database, typically under ' +
      'a second behind) and cross-site cache entries ASYNC; a regional failover may lose the writes of that last moment ' +
      '(new users, password changes, consents). A planned switchover loses nothing.';
  }
  const storage = substrate === 'kubernetes'
    ? (database?.kind === 'cloudnative-pg'
      ? (database.dataDurability === 'required'
        ? 'RPO = 0 for data: every commit waits for a synchronous standby in another zone, and CloudNativePG promotes the most advanced one. '
        : 'RPO > 0 for data: while no synchronous standby is healthy, commits proceed on the primary alone (dataDurability preferred) and are lost if it then fails. ')
      : 'RPO for data is the external database\'s (this stack does not create it): 0 for a synchronously replicated one such as an Aurora regional cluster. ')
    : 'RPO = 0 for data: Aurora writes every commit to storage in three zones before acknowledging it. ';
  return storage +
    (topology.mode === 'active-active' ? 'Cross-site caches replicate synchronously. ' : '') +
    'In-flight logins (authentication sessions) survive as long as one owner of each entry survives.';
}

function clientGuidance(topology: Topology, url: string): string[] {
  const several = Object.keys(topology.sites).length > 1;
  return [
    '## For application teams', '',
    `- Issuer of realm \`<realm>\`: \`${url}/realms/<realm>\` — the same in every site, so tokens issued in one site validate in all.`,
    `- Discovery: \`${url}/realms/<realm>/.well-known/openid-configuration\`; keys (JWKS): \`${url}/realms/<realm>/protocol/openid-connect/certs\`.`,
    `- Back-channel calls (token exchange, introspection, admin API) use the same hostname${several ? '; DNS sends each caller to a healthy site' : ''}. ` +
      'Do not pin load-balancer or task addresses.',
    '- Cache the JWKS and refresh it on an unknown `kid`, so key rotation needs no restart.',
    several
      ? '- Keep access tokens short-lived (5 minutes or less): a logout or revocation reaches the other site asynchronously, and a ' +
        'resource server that validates tokens offline keeps accepting a revoked token until it expires.'
      : '- Keep access tokens short-lived (5 minutes or less): resource servers that validate tokens offline cannot see a logout before expiry.',
    '- Only `/realms/`, `/resources/`, `/.well-known/` and `/robots.txt` are public; `/admin/` is restricted.',
    '',
  ];
}
