import { ofType, SynthesizedResource, valueAt } from '../rule';

/** Shared reading of synthesized `kubernetes_*_v1` resources for the Kubernetes rules. */

const WORKLOAD_TYPES = ['kubernetes_deployment_v1', 'kubernetes_stateful_set_v1'] as const;

/** A container block of a pod template, as the provider synthesizes it. */
export interface SynthesizedContainer {
  readonly name?: string;
  readonly image?: string;
  readonly env?: readonly { readonly name?: string; readonly value?: unknown; readonly value_from?: unknown }[];
  readonly resources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
  readonly readiness_probe?: unknown;
  readonly liveness_probe?: unknown;
  readonly startup_probe?: unknown;
}

/** Deployments and StatefulSets. */
export function workloads(resources: readonly SynthesizedResource[]): SynthesizedResource[] {
  return ofType(resources, ...WORKLOAD_TYPES);
}

/** Every container and init container of a workload's pod template. */
export function containersOf(workload: SynthesizedResource): SynthesizedContainer[] {
  const list = (value: unknown): SynthesizedContainer[] => (Array.isArray(value) ? value : value ? [value] : []) as SynthesizedContainer[];
  return [...list(valueAt(workload.body, 'spec.template.spec.container')), ...list(valueAt(workload.body, 'spec.template.spec.init_container'))];
}

/** Labels of a workload's pods. */
export function podLabels(workload: SynthesizedResource): Record<string, string> {
  return (valueAt(workload.body, 'spec.template.metadata.labels') ?? {}) as Record<string, string>;
}

/**
 * Whether several pods run: a replica count above one, or none at all (an autoscaler owns it, and
 * the library's autoscalers never go below the site's nodes).
 */
export function runsSeveralPods(workload: SynthesizedResource): boolean {
  const replicas = valueAt(workload.body, 'spec.replicas');
  return replicas === undefined || Number(replicas) > 1;
}

/** Same cluster (provider alias) and namespace. */
export function sameNamespace(a: SynthesizedResource, b: SynthesizedResource): boolean {
  return a.body.provider === b.body.provider && valueAt(a.body, 'metadata.namespace') === valueAt(b.body, 'metadata.namespace');
}

/** A `match_labels` selector (at `path`) that selects pods with `labels`; an empty one selects every pod. */
export function selects(resource: SynthesizedResource, path: string, labels: Record<string, string>): boolean {
  const matchLabels = (valueAt(resource.body, `${path}.match_labels`) ?? {}) as Record<string, string>;
  const expressions = valueAt(resource.body, `${path}.match_expressions`);
  if (Array.isArray(expressions) && expressions.length > 0) return false;
  return Object.entries(matchLabels).every(([key, value]) => labels[key] === value);
}

/** `${name}` of a container for the findings. */
export function containerName(container: SynthesizedContainer): string {
  return container.name ?? '(unnamed)';
}
