import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { Diagnostic } from '../model/diagnostic';
import { Topology } from '../model/topology';
import { topologyGraph } from './diagram';
import { renderKeycloakEnv } from './keycloak-env';
import { DeploymentNames } from './names';
import { renderRunbook } from './runbook';
import { renderKubernetesRunbook } from './runbook-kubernetes';
import { renderTopologyDoc } from './topology-doc';

export interface ReviewBundleOptions extends DeploymentNames {
  /** Warnings of the topology (e.g. `KeycloakOnAws.warnings`). */
  readonly warnings?: readonly Diagnostic[];
  /** Extra Markdown sections for TOPOLOGY.md (e.g. failure modes, capacity), in order. */
  readonly sections?: readonly string[];
}

/**
 * Every file of the review bundle except the SVG, as relative path → content: per site the
 * Keycloak environment, plus TOPOLOGY.md, RUNBOOK.md and the diagram source. Pure and
 * deterministic: the same topology gives the same bytes.
 */
export function reviewBundleFiles(topology: Topology, options: ReviewBundleOptions): Record<string, string> {
  const graph = topologyGraph(topology, options);
  const kubernetes = options.substrate === 'kubernetes';
  const files: Record<string, string> = {
    'TOPOLOGY.md': renderTopologyDoc(topology, {
      mermaid: graph.mermaid, sections: options.sections ?? [], warnings: options.warnings ?? [], substrate: options.substrate ?? 'aws',
      ...(options.kubernetesDatabase ? { kubernetesDatabase: options.kubernetesDatabase } : {}),
    }),
    'RUNBOOK.md': kubernetes ? renderKubernetesRunbook(topology, options) : renderRunbook(topology, options),
    'topology.dot': graph.dot,
  };
  // On Kubernetes the environment is part of each site's objects.yaml, written by the pattern.
  if (!kubernetes) for (const site of Object.keys(topology.sites)) files[`${site}/keycloak.env`] = renderKeycloakEnv(topology, site, options);
  return files;
}

/**
 * Writes the bundle into `dir` (created if needed), with the diagram rendered to SVG in-process
 * (Graphviz compiled to WebAssembly: no browser, no network). Returns the files written.
 */
export async function writeReviewBundle(dir: string, topology: Topology, options: ReviewBundleOptions): Promise<string[]> {
  const files = reviewBundleFiles(topology, options);
  const graphviz = await Graphviz.load();
  files['topology.svg'] = graphviz.dot(files['topology.dot']);
  const written: string[] = [];
  for (const [path, content] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const file = join(dir, path);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, content);
    written.push(file);
  }
  return written;
}
