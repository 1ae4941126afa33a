/** A resource as synthesized: Terraform type and name, construct path, and its JSON body. */
export interface SynthesizedResource {
  readonly type: string;
  readonly name: string;
  /** Construct path, e.g. `stack/Keycloak/eu-west/Database/Cluster`. */
  readonly path: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** What a rule found wrong with one resource. */
export interface Violation {
  readonly resource: SynthesizedResource;
  /** The concrete problem, naming the attribute and value. */
  readonly detail: string;
}

/**
 * One HA or security rule: a pure function over the resources of a deployment, with a stable id,
 * an explanation of why it matters and how to fix a violation.
 */
export interface CheckRule {
  readonly id: string;
  readonly severity: 'error' | 'warning';
  /** Why the rule exists, for the report. */
  readonly explanation: string;
  readonly fix: string;
  evaluate(resources: readonly SynthesizedResource[]): Violation[];
}

/** The value at a dotted path (`health_check.port`, `stickiness.0.type`), or undefined. */
export function valueAt(body: unknown, path: string): unknown {
  let current: unknown = body;
  for (const key of path.split('.')) {
    // Terraform blocks synthesize as objects or as one-element lists; read through either.
    if (Array.isArray(current) && !/^\d+$/.test(key) && current.length === 1) current = current[0];
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Resources of the given Terraform types. */
export function ofType(resources: readonly SynthesizedResource[], ...types: string[]): SynthesizedResource[] {
  return resources.filter((r) => types.includes(r.type));
}

/** True for a Terraform expression (`${...}`): a reference, not a literal. */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/** The `${type.name` prefix other resources use to refer to this one. */
export function referenceTo(resource: SynthesizedResource): string {
  return `\${${resource.type}.${resource.name}.`;
}
