import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Diagnostic } from '../model/diagnostic';
import { DnsRoutingSpec } from '../model/dns-routing';
import { Topology } from '../model/topology';
import { topologyGraph } from './diagram';
import { DeploymentNames } from './names';
import { renderRunbook } from './runbook';
import { renderKubernetesRunbook } from './runbook-kubernetes';
import { renderTopologyDoc } from './topology-doc';

export interface ReviewBundleOptions extends DeploymentNames {
  /** Warnings of the topology (e.g. `KeycloakOnAws.warnings`). */
  readonly warnings?: readonly Diagnostic[];
  /** Extra Markdown sections for TOPOLOGY.md (e.g. failure modes, capacity), in order. */
  readonly sections?: readonly string[];
  /**
   * Files the constructs rendered, by relative path (e.g. `<site>/keycloak.env`, `<site>/infinispan.xml`):
   * views of what the stacks deploy, written as given.
   */
  readonly files?: Readonly<Record<string, string>>;
  /** The routing the hostname's DNS records implement (`GeoDns.routing`), labelled on the diagram. */
  readonly dnsRouting?: DnsRoutingSpec;
}

export interface WriteReviewBundleOptions {
  /**
   * Also render the diagram to `topology.svg` in-process (Graphviz compiled to WebAssembly: no
   * browser, no network). It costs about 0.2 s and 70 MiB per call, so it is off unless asked for;
   * `topology.dot` and the Mermaid diagram in TOPOLOGY.md are always written.
   * @default false
   */
  readonly svg?: boolean;
}

/**
 * Every file of the review bundle except the SVG, as relative path → content: TOPOLOGY.md,
 * RUNBOOK.md, the diagram source and the files the constructs rendered (`options.files`). Pure and
 * deterministic: the same topology gives the same bytes.
 */
export function reviewBundleFiles(topology: Topology, options: ReviewBundleOptions): Record<string, string> {
  const graph = topologyGraph(topology, options, options.dnsRouting);
  const kubernetes = options.substrate === 'kubernetes';
  const files: Record<string, string> = {
    'TOPOLOGY.md': renderTopologyDoc(topology, {
      mermaid: graph.mermaid, sections: options.sections ?? [], warnings: options.warnings ?? [], substrate: options.substrate ?? 'aws',
      ...(options.kubernetesDatabase ? { kubernetesDatabase: options.kubernetesDatabase } : {}),
    }),
    'RUNBOOK.md': kubernetes ? renderKubernetesRunbook(topology, options) : renderRunbook(topology, options),
    'topology.dot': graph.dot,
    ...options.files,
  };
  return files;
}

/**
 * Writes the bundle into `dir` (created if needed); with `{ svg: true }` also the diagram as SVG.
 * Returns the files written.
 */
export async function writeReviewBundle(dir: string, topology: Topology, options: ReviewBundleOptions, write: WriteReviewBundleOptions = {}): Promise<string[]> {
  const files = reviewBundleFiles(topology, options);
  if (write.svg) files['topology.svg'] = await renderSvg(files['topology.dot']);
  const written: string[] = [];
  for (const [path, content] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const file = join(dir, path);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, content);
    written.push(file);
  }
  return written;
}

/**
 * A Graphviz diagram as SVG, rendered in-process by Graphviz compiled to WebAssembly. The package
 * is ESM-only and slow to load, so it is loaded here, on first use, by a real dynamic `import()`
 * (tsconfig's `module: node16` keeps it one in the CommonJS output), never when the library is
 * imported: a consumer's jest, which cannot load ES modules by default, imports the library fine.
 */
export async function renderSvg(dot: string): Promise<string> {
  const { Graphviz } = await import('@hpcc-js/wasm-graphviz');
  const graphviz = await Graphviz.load();
  return graphviz.dot(dot);
}
