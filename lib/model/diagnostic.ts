/** How bad a finding is: errors stop synthesis, warnings are reported as annotations. */
export type Severity = 'error' | 'warning';

/**
 * One finding of `validate()`. `code` is stable across releases so tests, suppressions and
 * runbooks can refer to it; `path` names the property of the user's props that holds `value`.
 */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly path: string;
  readonly value: unknown;
  readonly message: string;
  readonly fix: string;
}

/** Renders one diagnostic as a single line: `[code] path: message (got value). Fix: fix`. */
export function formatDiagnostic(d: Diagnostic): string {
  return `[${d.code}] ${d.path}: ${d.message} (got ${describeValue(d.value)}). Fix: ${d.fix}`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `'${value}'`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Thrown when a topology has errors; carries every diagnostic, not just the first. */
export class TopologyError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(
      `invalid Keycloak topology (${diagnostics.length} error${diagnostics.length === 1 ? '' : 's'}):\n` +
        diagnostics.map((d) => `  - ${formatDiagnostic(d)}`).join('\n'),
    );
    this.name = 'TopologyError';
  }
}
