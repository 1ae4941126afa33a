import { FARGATE_MEMORY_BY_VCPU } from './aws-limits';
import { Diagnostic } from './diagnostic';
import { SiteSpec, Topology } from './topology';

/**
 * Capacity from a load target, with Keycloak 26's published sizing guidance, so that the topology
 * still carries the whole load after losing its largest failure domain. Pure: no cdktf.
 *
 * Source: Keycloak, "Concepts for sizing CPU and memory resources"
 * https://www.keycloak.org/high-availability/single-cluster/concepts-memory-and-cpu-sizing
 * (keycloak/keycloak docs/guides/high-availability/partials/concepts/perf_recommendations.adoc and
 * perf_single_cluster_calculation.adoc). The figures were measured on ARM (c7g) nodes with Argon2
 * password hashing and sessions in the database; Keycloak asks for a load test before production.
 */
export const KEYCLOAK_SIZING = {
  /** Password hashing dominates a login, so it scales per vCPU (tested up to 300 logins/s). */
  passwordLoginsPerVcpu: 15,
  /** Mostly TLS handshakes, one per client (tested up to 2000 grants/s). */
  clientCredentialGrantsPerVcpu: 120,
  /** Tested up to 435 refreshes/s. */
  refreshesPerVcpu: 120,
  /** Extra CPU on top of the steady state for peaks, start-up and failover work; throttled pods slowed down sharply in Keycloak's tests. */
  cpuHeadroomPercent: 150,
  /** Expected use of one node, including realm caches and 10,000 cached sessions. */
  baseMemoryMiB: 1250,
  nonHeapMemoryMiB: 300,
  /** Keycloak's container image gives the heap 70 % of the container's memory limit. */
  heapFractionOfLimit: 0.7,
  cachedSessions: 10000,
  tested: { passwordLoginsPerSecond: 300, clientCredentialGrantsPerSecond: 2000, refreshesPerSecond: 435 },
  /** Aurora PostgreSQL, per 100 logins, logouts or refreshes per second; idle load from the guide's worked example. */
  database: { requestsPerSecond: 100, writeIops: 1400, vcpu: { min: 0.35, max: 0.7 }, idleVcpu: 0.3 },
} as const;

/** The load the deployment must carry, per second, across all sites. Absent rates count as 0. */
export interface LoadTarget {
  readonly passwordLoginsPerSecond?: number;
  readonly clientCredentialGrantsPerSecond?: number;
  readonly refreshesPerSecond?: number;
  /** Users signed in at once; recorded, but it does not change node memory with persistent sessions. */
  readonly activeSessions?: number;
}

export interface CapacityOptions {
  /**
   * CPU kept free on the survivors of a failure, as a percentage of the steady-state need.
   * @default 150 - Keycloak's guidance; failover work (rebalancing, cold caches, new nodes starting) happens exactly then
   */
  readonly cpuHeadroomPercent?: number;
}

export interface SiteCapacity {
  readonly site: string;
  /** `serving` sites take users in normal operation; a `standby` only after the primary is lost. */
  readonly role: 'serving' | 'standby';
  readonly zoneCount: number;
  readonly vcpuPerNode: number;
  readonly configuredNodes: number;
  /** Fewest nodes (at least one per zone and one per cache owner) that carry every scenario below. */
  readonly recommendedNodes: number;
}

/** One failure of the largest kind and whether a site's survivors carry their share of the load. */
export interface CapacityScenario {
  readonly failure: string;
  readonly site: string;
  readonly requiredVcpu: number;
  readonly survivingVcpu: number;
  readonly carries: boolean;
  readonly formula: string;
}

export interface CapacityPlan {
  readonly load: Required<LoadTarget>;
  /** Cluster-wide vCPU: per workload, steady state, and with headroom (what the survivors must hold). */
  readonly vcpu: {
    readonly passwordLogins: number;
    readonly clientCredentialGrants: number;
    readonly refreshes: number;
    readonly steadyState: number;
    readonly headroomPercent: number;
    readonly required: number;
  };
  readonly memory: { readonly expectedMiB: number; readonly minimumLimitMiB: number; readonly configuredMiB: number };
  readonly sites: readonly SiteCapacity[];
  readonly scenarios: readonly CapacityScenario[];
  readonly database: {
    /** Logins + refreshes per second (logouts are not part of the load target). */
    readonly writeRequestsPerSecond: number;
    readonly writeIops: number;
    /** Writer vCPU, idle load included: the low end saturates the CPU at peaks, the high end keeps response times. */
    readonly vcpu: { readonly min: number; readonly max: number };
    readonly instanceClass: string;
    /** vCPUs of the instance class when its size names them (`large` 2, `xlarge` 4, `Nxlarge` 4N). */
    readonly instanceVcpu?: number;
  };
  /** `validate()`-shaped warnings: stable codes, the prop's path, the value, a fix. */
  readonly diagnostics: readonly Diagnostic[];
  readonly notes: readonly string[];
}

const FARGATE_VCPUS = [...FARGATE_MEMORY_BY_VCPU.keys()].sort((a, b) => a - b);
const EPSILON = 1e-9;

/**
 * Sizes Keycloak for `load` on `topology` and checks the configured nodes against it.
 * Single site: the survivors of the site's largest zone must hold the load with headroom. Active/
 * active: users are split evenly over the serving sites, so every site must hold its share after
 * a zone loss, and the others the whole load after a site loss. Active/passive: the primary must
 * hold it after a zone loss, and every standby alone after the primary is lost (failover routing
 * sends users to one standby).
 * @throws when a rate is negative or not a number, or a node has no vCPU
 */
export function planCapacity(topology: Topology, load: LoadTarget, options: CapacityOptions = {}): CapacityPlan {
  const rates = normalizeLoad(load);
  const headroomPercent = options.cpuHeadroomPercent ?? KEYCLOAK_SIZING.cpuHeadroomPercent;
  if (!Number.isFinite(headroomPercent) || headroomPercent < 0) {
    throw new Error(`planCapacity: cpuHeadroomPercent ${String(headroomPercent)} is not a percentage; use 150 (Keycloak's guidance) or another number ≥ 0`);
  }
  const vcpuPerNode = topology.keycloak.vcpu;
  if (!Number.isFinite(vcpuPerNode) || vcpuPerNode <= 0) {
    throw new Error(`planCapacity: keycloak.vcpu ${String(vcpuPerNode)} is not a vCPU count; use a Fargate size such as 2`);
  }
  const S = KEYCLOAK_SIZING;
  const passwordLogins = rates.passwordLoginsPerSecond / S.passwordLoginsPerVcpu;
  const clientCredentialGrants = rates.clientCredentialGrantsPerSecond / S.clientCredentialGrantsPerVcpu;
  const refreshes = rates.refreshesPerSecond / S.refreshesPerVcpu;
  const steadyState = passwordLogins + clientCredentialGrants + refreshes;
  const required = steadyState * (1 + headroomPercent / 100);

  const sites = Object.values(topology.sites);
  const needs = sites.map((site) => siteNeeds(topology, site, required));
  const scenarios = needs.flatMap((need) => need.checks.map((check) => evaluate(check, need.site, need.site.nodes, vcpuPerNode)));
  const diagnostics: Diagnostic[] = [];
  for (const need of needs) {
    const failing = scenarios.filter((s) => s.site === need.site.name && !s.carries);
    if (failing.length === 0) continue;
    const nodes = fewestNodes(need, vcpuPerNode, topology.caches.owners);
    const vcpu = FARGATE_VCPUS.find((v) => carriesAll(need, need.site.nodes, v));
    diagnostics.push({
      code: 'capacity-insufficient',
      severity: 'warning',
      path: `sites.${need.site.name}.nodes`,
      value: need.site.nodes,
      message: `${failing.map((s) => `after losing ${s.failure}, ${s.formula}`).join('; ')}: the survivors cannot carry the load target`,
      fix: `set nodes to ${nodes} in site '${need.site.name}'` +
        (vcpu !== undefined ? `, or keycloak.vcpu to ${vcpu} (with a matching memoryMiB)` : ''),
    });
  }

  // The heap is 70 % of the limit and the rest of the expected use is off-heap, so the limit must be (expected − non-heap) / 0.7.
  const minimumLimitMiB = Math.ceil((S.baseMemoryMiB - S.nonHeapMemoryMiB) / S.heapFractionOfLimit);
  if (topology.keycloak.memoryMiB < minimumLimitMiB) {
    const memories = FARGATE_MEMORY_BY_VCPU.get(vcpuPerNode) ?? [];
    const suggestion = memories.find((m) => m >= minimumLimitMiB);
    diagnostics.push({
      code: 'capacity-memory-insufficient',
      severity: 'warning',
      path: 'keycloak.memoryMiB',
      value: topology.keycloak.memoryMiB,
      message: `a Keycloak node expects ${S.baseMemoryMiB} MiB, which needs a memory limit of at least ${minimumLimitMiB} MiB ` +
        `((${S.baseMemoryMiB} − ${S.nonHeapMemoryMiB} non-heap) / ${S.heapFractionOfLimit} heap share)`,
      fix: suggestion !== undefined ? `set memoryMiB to ${suggestion}` : 'choose a larger vcpu with at least that much memory',
    });
  }

  const writeRequestsPerSecond = rates.passwordLoginsPerSecond + rates.refreshesPerSecond;
  const per100 = writeRequestsPerSecond / S.database.requestsPerSecond;
  const dbVcpu = { min: S.database.idleVcpu + per100 * S.database.vcpu.min, max: S.database.idleVcpu + per100 * S.database.vcpu.max };
  const instanceClass = topology.database.instanceClass;
  const instanceVcpu = vcpusOfInstanceClass(instanceClass);
  if (instanceVcpu !== undefined && instanceVcpu + EPSILON < dbVcpu.min) {
    diagnostics.push({
      code: 'capacity-database-insufficient',
      severity: 'warning',
      path: 'database.instanceClass',
      value: instanceClass,
      message: `${fmt(writeRequestsPerSecond)} logins and refreshes per second need ${fmt(dbVcpu.min)}–${fmt(dbVcpu.max)} vCPU on the ` +
        `writer (${S.database.idleVcpu} idle + ${S.database.vcpu.min}–${S.database.vcpu.max} per ${S.database.requestsPerSecond}/s), ` +
        `but the class has ${instanceVcpu}`,
      fix: `choose a class with at least ${Math.ceil(dbVcpu.max)} vCPU (every instance: a reader becomes the writer on failover)`,
    });
  }

  return {
    load: rates,
    vcpu: { passwordLogins, clientCredentialGrants, refreshes, steadyState, headroomPercent, required },
    memory: { expectedMiB: S.baseMemoryMiB, minimumLimitMiB, configuredMiB: topology.keycloak.memoryMiB },
    sites: needs.map((need) => ({
      site: need.site.name,
      role: need.role,
      zoneCount: need.site.zoneCount,
      vcpuPerNode,
      configuredNodes: need.site.nodes,
      recommendedNodes: fewestNodes(need, vcpuPerNode, topology.caches.owners),
    })),
    scenarios,
    database: {
      writeRequestsPerSecond,
      writeIops: per100 * S.database.writeIops,
      vcpu: dbVcpu,
      instanceClass,
      ...(instanceVcpu !== undefined ? { instanceVcpu } : {}),
    },
    diagnostics,
    notes: notesFor(topology, rates),
  };
}

/** A share of the required vCPU that a site must hold with `lost(n)` of its `n` nodes gone. */
interface Check {
  readonly failure: string;
  readonly share: number;
  readonly lost: (nodes: number) => number;
  /** How `lost` is computed, for the formula; absent when the site keeps every node. */
  readonly lostText?: (nodes: number) => string;
}

interface SiteNeed {
  readonly site: SiteSpec;
  readonly role: 'serving' | 'standby';
  readonly checks: readonly Check[];
}

function siteNeeds(topology: Topology, site: SiteSpec, required: number): SiteNeed {
  const sites = Object.values(topology.sites);
  // ECS spreads a service's tasks evenly over its zones, so the fullest zone holds ceil(n / zones).
  const zoneLoss = (share: number): Check => ({
    failure: `a zone of ${site.region}`,
    share,
    lost: (n) => Math.ceil(n / Math.max(1, site.zoneCount)),
    lostText: (n) => `ceil(${n} / ${site.zoneCount})`,
  });
  const siteLoss = (lostSite: string, share: number): Check => ({ failure: `site ${lostSite}`, share, lost: () => 0 });
  if (sites.length <= 1 || topology.mode === 'single-site') {
    return { site, role: 'serving', checks: [zoneLoss(required)] };
  }
  if (topology.mode === 'active-passive') {
    return site.name === topology.primarySite
      ? { site, role: 'serving', checks: [zoneLoss(required)] }
      : { site, role: 'standby', checks: [siteLoss(topology.primarySite, required)] };
  }
  // Active/active: an accelerator or latency records split users evenly (an assumption); after a
  // site is lost, the others split its users too.
  const others = sites.filter((other) => other.name !== site.name);
  return {
    site,
    role: 'serving',
    checks: [zoneLoss(required / sites.length), ...others.map((other) => siteLoss(other.name, required / others.length))],
  };
}

function evaluate(check: Check, site: SiteSpec, nodes: number, vcpuPerNode: number): CapacityScenario {
  const survivors = Math.max(0, nodes - check.lost(nodes));
  const survivingVcpu = survivors * vcpuPerNode;
  return {
    failure: check.failure,
    site: site.name,
    requiredVcpu: check.share,
    survivingVcpu,
    carries: survivingVcpu + EPSILON >= check.share,
    formula: `${check.lostText ? `(${nodes} − ${check.lostText(nodes)})` : nodes} × ${fmt(vcpuPerNode)} vCPU = ${fmt(survivingVcpu)} vCPU ` +
      `${survivingVcpu + EPSILON >= check.share ? '≥' : '<'} ${fmt(check.share)} vCPU needed`,
  };
}

function fewestNodes(need: SiteNeed, vcpuPerNode: number, owners: number): number {
  let nodes = Math.max(1, need.site.zoneCount || 1, Number.isInteger(owners) ? owners : 1);
  while (!carriesAll(need, nodes, vcpuPerNode)) nodes += 1;
  return nodes;
}

function carriesAll(need: SiteNeed, nodes: number, vcpuPerNode: number): boolean {
  return need.checks.every((check) => evaluate(check, need.site, nodes, vcpuPerNode).carries);
}

function normalizeLoad(load: LoadTarget): Required<LoadTarget> {
  const rate = (name: keyof LoadTarget): number => {
    const value = load?.[name] ?? 0;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`planCapacity: load.${name} ${String(value)} is not a rate; give a number ≥ 0 (or leave it out for 0)`);
    }
    return value;
  };
  return {
    passwordLoginsPerSecond: rate('passwordLoginsPerSecond'),
    clientCredentialGrantsPerSecond: rate('clientCredentialGrantsPerSecond'),
    refreshesPerSecond: rate('refreshesPerSecond'),
    activeSessions: rate('activeSessions'),
  };
}

/** vCPUs of an RDS class from its size: medium, large → 2; xlarge → 4; Nxlarge → 4N (r, m, t and x families). */
export function vcpusOfInstanceClass(instanceClass: string): number | undefined {
  const size = /^db\.[a-z0-9-]+\.([a-z0-9]+)$/.exec(instanceClass ?? '')?.[1];
  if (size === undefined) return undefined;
  if (['micro', 'small', 'medium', 'large'].includes(size)) return 2;
  const match = /^(\d*)xlarge$/.exec(size);
  return match ? 4 * Number(match[1] || 1) : undefined;
}

function notesFor(topology: Topology, load: Required<LoadTarget>): string[] {
  const S = KEYCLOAK_SIZING;
  const notes = [
    'Fargate gives each task exactly its vCPU, with no bursting above it, so the surviving nodes must hold the headroom, not only the steady state.',
    `Memory does not grow with active sessions: Keycloak 26 keeps sessions in the database and at most ${S.cachedSessions.toLocaleString('en-US')} ` +
      'of them in memory, which the expected node memory already includes; others are read from the database when used.',
    'Figures come from ARM (c7g) nodes; Keycloak measured up to twice the client-credential and refresh throughput per core on x86 ' +
      '(c7i/c7a), and the same password-hashing throughput. Load-test before production.',
  ];
  const beyond = [
    [load.passwordLoginsPerSecond, S.tested.passwordLoginsPerSecond, 'password logins'],
    [load.clientCredentialGrantsPerSecond, S.tested.clientCredentialGrantsPerSecond, 'client-credential grants'],
    [load.refreshesPerSecond, S.tested.refreshesPerSecond, 'refreshes'],
  ] as const;
  for (const [rate, tested, what] of beyond) {
    if (rate > tested) notes.push(`${fmt(rate)} ${what}/s is beyond what Keycloak tested (${tested}/s): linear scaling is an extrapolation there.`);
  }
  if (Object.keys(topology.sites).length > 1) {
    notes.push('Keycloak measured lower throughput per node across sites (cross-site replication work); the database is sized once, every site uses its writer.');
  }
  return notes;
}

/** The plan as Markdown, for TOPOLOGY.md. Same plan, same bytes. */
export function renderCapacity(plan: CapacityPlan): string {
  const { load, vcpu, memory, database } = plan;
  const S = KEYCLOAK_SIZING;
  const lines = [
    '## Capacity',
    '',
    `Load target: ${fmt(load.passwordLoginsPerSecond)} password logins/s, ${fmt(load.clientCredentialGrantsPerSecond)} client-credential grants/s, ` +
      `${fmt(load.refreshesPerSecond)} refreshes/s, ${fmt(load.activeSessions)} active sessions. ` +
      'Sizing: Keycloak, "Concepts for sizing CPU and memory resources" (https://www.keycloak.org/high-availability/single-cluster/concepts-memory-and-cpu-sizing).',
    '',
    '| CPU for | Rate | Per vCPU | vCPU |',
    '| --- | ---: | ---: | ---: |',
    `| password logins | ${fmt(load.passwordLoginsPerSecond)}/s | ${S.passwordLoginsPerVcpu}/s | ${fmt(vcpu.passwordLogins)} |`,
    `| client-credential grants | ${fmt(load.clientCredentialGrantsPerSecond)}/s | ${S.clientCredentialGrantsPerVcpu}/s | ${fmt(vcpu.clientCredentialGrants)} |`,
    `| refreshes | ${fmt(load.refreshesPerSecond)}/s | ${S.refreshesPerVcpu}/s | ${fmt(vcpu.refreshes)} |`,
    `| steady state | | | ${fmt(vcpu.steadyState)} |`,
    `| with ${fmt(vcpu.headroomPercent)} % headroom (held by the survivors of a failure) | | | ${fmt(vcpu.required)} |`,
    '',
    `Memory per node: ${memory.expectedMiB} MiB expected, so a limit of at least ${memory.minimumLimitMiB} MiB ` +
      `((${memory.expectedMiB} − ${S.nonHeapMemoryMiB}) / ${S.heapFractionOfLimit}); configured ${memory.configuredMiB} MiB.`,
    '',
    '| Site | Role | Zones | vCPU per node | Nodes configured | Nodes needed |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...plan.sites.map((s) => `| ${s.site} | ${s.role} | ${s.zoneCount} | ${fmt(s.vcpuPerNode)} | ${s.configuredNodes} | ${s.recommendedNodes} |`),
    '',
    '| Failure | Site | Survivors | Carries the load |',
    '| --- | --- | --- | --- |',
    ...plan.scenarios.map((s) => `| ${s.failure} | ${s.site} | ${s.formula} | ${s.carries ? 'yes' : '**no**'} |`),
    '',
    `Database writer (${database.instanceClass}${database.instanceVcpu !== undefined ? `, ${database.instanceVcpu} vCPU` : ''}): ` +
      `${fmt(database.writeRequestsPerSecond)} logins and refreshes/s → ${fmt(database.writeIops)} write IOPS, ` +
      `${fmt(database.vcpu.min)}–${fmt(database.vcpu.max)} vCPU (${S.database.idleVcpu} idle + ${S.database.vcpu.min}–${S.database.vcpu.max} ` +
      `per ${S.database.requestsPerSecond}/s; the low end accepts slower responses at peaks).`,
  ];
  if (plan.diagnostics.length > 0) {
    lines.push('', '### Warnings', '', ...plan.diagnostics.map((d) => `- [${d.code}] ${d.path}: ${d.message}. Fix: ${d.fix}.`));
  }
  lines.push('', '### Notes', '', ...plan.notes.map((n) => `- ${n}`), '');
  return lines.join('\n');
}

/** Up to two decimals, without trailing zeros: stable text for tables and messages. */
function fmt(value: number): string {
  return String(Number(value.toFixed(2)));
}
