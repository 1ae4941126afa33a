import { DnsRoutingSpec, failoverOrder } from '../model/dns-routing';
import { validatedHostname } from '../model/hostname';
import { databaseHolders } from '../model/site-layout';
import { siteLinks } from '../model/validate';
import { Topology } from '../model/topology';
import { DeploymentNames, siteResourceName } from './names';

/**
 * The topology as a graph: per site its zones with their Keycloak nodes, the load balancer, the
 * database writer and readers; between sites (when several) the cross-site cache links with their
 * strategy; DNS in front. Emitted as Mermaid (GitHub renders it in TOPOLOGY.md) and as Graphviz
 * DOT (rendered to SVG in-process by the bundle writer). Node ids are derived from names only.
 */
export interface TopologyGraph {
  readonly mermaid: string;
  readonly dot: string;
}

interface Node { readonly id: string; readonly label: string; readonly shape: 'box' | 'cylinder' | 'ellipse' }
/** `fromCluster`: the edge leaves the whole cluster (drawn from `from`, a node inside it, clipped at the cluster's border). */
/** `across`: a link between sites, which must not push one site below another in the layout. */
interface Edge {
  readonly from: string; readonly to: string; readonly label?: string; readonly dashed?: boolean; readonly fromCluster?: string; readonly across?: boolean;
  /** Layout only (Graphviz): not drawn, not in the Mermaid diagram. */
  readonly hidden?: boolean;
}
interface Cluster { readonly id: string; readonly label: string; readonly nodes: Node[]; readonly clusters: Cluster[] }

/**
 * The deployment as a graph (Mermaid and Graphviz). `routing`: what the hostname's DNS records
 * implement, labelled on each site's edge; without it (no DNS records) the edges say what the mode
 * means (PRIMARY and standbys in active/passive, active otherwise).
 */
export function topologyGraph(topology: Topology, names: DeploymentNames, routing?: DnsRoutingSpec): TopologyGraph {
  const edges: Edge[] = [];
  const clusters: Cluster[] = [];
  const dns: Node = { id: 'dns', label: `DNS ${validatedHostname(topology.keycloak.hostname).host}`, shape: 'ellipse' };
  // AWS: one Aurora cluster per region (databaseHolders); Keycloak writes to the primary's writer.
  const holders = databaseHolders(topology);
  const global = holders.size > 1;
  const primaryRegion = topology.sites[topology.primarySite]?.region;
  const writerSite = (site: string) => global ? topology.primarySite : holders.get(topology.sites[site].region) ?? site;
  for (const site of Object.values(topology.sites)) {
    const id = slug(site.name);
    const prefix = siteResourceName(names, site.name);
    const kubernetes = names.substrate === 'kubernetes';
    const lb: Node = kubernetes
      ? { id: `${id}_lb`, label: `Ingress (nginx), site ${site.name}\\nHTTPS, cookie affinity\\nreadiness /health/ready :9000`, shape: 'box' }
      : { id: `${id}_lb`, label: `ALB ${prefix}\\nHTTPS, sticky AUTH_SESSION_ID\\nhealth /health/ready :9000`, shape: 'box' };
    const holdsDatabase = kubernetes || holders.get(site.region) === site.name;
    const readers = topology.database.instances - 1;
    const writerAndReaders = `1 writer + ${readers} reader${readers === 1 ? '' : 's'}`;
    const auroraRole = !global ? writerAndReaders
      : site.region === primaryRegion ? `global primary: ${writerAndReaders}`
        : `global secondary: ${topology.database.instances} read-only`;
    const db: Node[] = !holdsDatabase ? [] : kubernetes
      ? [{ id: `${id}_db`, label: kubernetesDatabaseLabel(names), shape: 'cylinder' }]
      : [{ id: `${id}_db`, label: `Aurora PostgreSQL ${topology.database.engineVersion}\\n${prefix}: ${auroraRole}`, shape: 'cylinder' }];
    const writer = kubernetes ? `${id}_db` : `${slug(writerSite(site.name))}_db`;
    const writerLabel = !kubernetes && global && site.name !== topology.primarySite ? 'global writer endpoint' : undefined;
    const perZone = spread(site.nodes, site.zoneCount);
    const zones: Cluster[] = perZone.map((count, i) => ({
      id: `${id}_zone${i + 1}`,
      label: site.zoneNames?.[i] ?? `zone ${i + 1}`,
      nodes: [{ id: `${id}_kc${i + 1}`, label: `Keycloak × ${count}`, shape: 'box' }],
      clusters: [],
    }));
    // The zones in one Keycloak cluster, so that its database and cache links are one edge each,
    // drawn from the middle zone: with three sites, an edge per zone crossed the whole picture.
    const keycloak: Cluster = { id: `${id}_keycloak`, label: `Keycloak, ${site.nodes} nodes`, nodes: [], clusters: zones };
    const middle = `${id}_kc${Math.floor(perZone.length / 2) + 1}`;
    const multiSite = Object.keys(topology.sites).length > 1;
    const infinispan: Node[] = multiSite ? [{ id: `${id}_ispn`, label: `Infinispan site ${site.name}`, shape: 'box' }] : [];
    // A Kubernetes site's network is the cluster's, not one this stack creates.
    clusters.push({ id: `${id}_site`, label: `site ${site.name} (${site.region}${kubernetes ? '' : `, ${site.cidr}`})`, nodes: [lb, ...db, ...infinispan], clusters: [keycloak] });
    edges.push({ from: dns.id, to: lb.id, label: multiSite ? routingLabel(topology, site.name, routing) : 'alias' });
    perZone.forEach((_, i) => edges.push({ from: lb.id, to: `${id}_kc${i + 1}` }));
    edges.push({
      from: middle, fromCluster: keycloak.id, to: writer, dashed: true, label: writerLabel ?? 'JDBC', ...(writer === `${id}_db` ? {} : { across: true }),
    });
    if (multiSite) edges.push({ from: middle, fromCluster: keycloak.id, to: `${id}_ispn`, label: 'Hot Rod', dashed: true });
    // The database below the caches: links from other sites' Keycloak then run under the cache row.
    if (multiSite && db.length > 0) edges.push({ from: `${id}_ispn`, to: db[0].id, hidden: true });
  }
  if (global && names.substrate !== 'kubernetes') {
    for (const [region, holder] of holders) {
      if (region !== primaryRegion) edges.push({ from: `${slug(topology.primarySite)}_db`, to: `${slug(holder)}_db`, label: 'Aurora Global, async', dashed: true, across: true });
    }
  }
  const sites = Object.keys(topology.sites);
  sites.forEach((a, i) => sites.slice(i + 1).forEach((b) => {
    const strategy = siteLinks(topology, a)[b] === 'same-region' ? 'SYNC' : 'ASYNC';
    edges.push({ from: `${slug(a)}_ispn`, to: `${slug(b)}_ispn`, label: `RELAY2 ${strategy}`, dashed: true, across: true });
  }));
  return { mermaid: toMermaid(dns, clusters, edges), dot: toDot(dns, clusters, edges) };
}

/** Nodes per zone as ECS spreads them: evenly, the first zones taking the remainder. */
export function spread(nodes: number, zones: number): number[] {
  return Array.from({ length: zones }, (_, i) => Math.floor(nodes / zones) + (i < nodes % zones ? 1 : 0));
}

/**
 * How DNS sends users to the site: its place in the failover order (PRIMARY, SECONDARY with two
 * sites, standby k with more), its latency region, or its location.
 */
function routingLabel(topology: Topology, site: string, routing: DnsRoutingSpec | undefined): string {
  const kind = routing?.kind ?? (topology.mode === 'active-passive' ? 'failover' : undefined);
  switch (kind) {
    case 'failover': {
      const order = failoverOrder(routing?.primarySite ?? topology.primarySite, Object.keys(topology.sites));
      const position = order.indexOf(site);
      if (position === 0) return 'PRIMARY';
      return order.length === 2 ? 'SECONDARY' : `standby ${position}`;
    }
    case 'latency':
      return `latency (${topology.sites[site].region})`;
    case 'geolocation': {
      const { continent, country, subdivision } = routing?.locations?.[site] ?? {};
      const where = [continent, country, subdivision].filter((part) => part !== undefined).join('-');
      return `geolocation ${where}${routing?.defaultSite === site ? ', default' : ''}`;
    }
    default:
      return 'active';
  }
}

function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '_');
}

function toMermaid(dns: Node, clusters: Cluster[], edges: Edge[]): string {
  const shape = (n: Node) => (n.shape === 'cylinder' ? `[(${quote(n.label)})]` : n.shape === 'ellipse' ? `([${quote(n.label)}])` : `[${quote(n.label)}]`);
  const lines = ['flowchart TB', `  ${dns.id}${shape(dns)}`];
  const cluster = (c: Cluster, indent: string): void => {
    lines.push(`${indent}subgraph ${c.id}[${quote(c.label)}]`);
    for (const n of c.nodes) lines.push(`${indent}  ${n.id}${shape(n)}`);
    for (const child of c.clusters) cluster(child, `${indent}  `);
    lines.push(`${indent}end`);
  };
  for (const c of clusters) cluster(c, '  ');
  for (const e of edges.filter((edge) => !edge.hidden)) {
    const arrow = e.label
      ? (e.dashed ? `-. ${quote(e.label)} .->` : `-- ${quote(e.label)} -->`)
      : (e.dashed ? '-.->' : '-->');
    lines.push(`  ${e.fromCluster ?? e.from} ${arrow} ${e.to}`);
  }
  return `${lines.join('\n')}\n`;
}

function quote(label: string): string {
  return `"${label.replace(/\\n/g, '<br/>').replace(/"/g, "'")}"`;
}

function toDot(dns: Node, clusters: Cluster[], edges: Edge[]): string {
  const attr = (label: string) => `"${label.replace(/"/g, '\\"')}"`;
  const node = (n: Node) => `${n.id} [label=${attr(n.label)}, shape=${n.shape}]`;
  const lines = [
    'digraph topology {',
    '  rankdir=TB; compound=true; ordering=out; fontname="Helvetica"; node [fontname="Helvetica", fontsize=10]; edge [fontname="Helvetica", fontsize=9];',
    `  ${node(dns)};`,
  ];
  const cluster = (c: Cluster, indent: string): void => {
    lines.push(`${indent}subgraph cluster_${c.id} {`, `${indent}  label=${attr(c.label)};`);
    for (const n of c.nodes) lines.push(`${indent}  ${node(n)};`);
    for (const child of c.clusters) cluster(child, `${indent}  `);
    lines.push(`${indent}}`);
  };
  for (const c of clusters) cluster(c, '  ');
  for (const e of edges) {
    const attrs = [e.label ? `label=${attr(e.label)}` : '', e.dashed ? 'style=dashed' : '', e.fromCluster ? `ltail=cluster_${e.fromCluster}` : '', e.across ? 'constraint=false' : '', e.hidden ? 'style=invis' : '']
      .filter(Boolean).join(', ');
    lines.push(`  ${e.from} -> ${e.to}${attrs ? ` [${attrs}]` : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function kubernetesDatabaseLabel(names: DeploymentNames): string {
  const database = names.kubernetesDatabase;
  if (database?.kind === 'cloudnative-pg') return `CloudNativePG ${database.cluster}\\n${database.instances} instances`;
  return `PostgreSQL (external)${database ? `\\n${database.hosts[0]}` : ''}`;
}
