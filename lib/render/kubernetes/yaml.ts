import type { stringify as Stringify } from 'yaml';

/** A Kubernetes API object (kubernetes-types declares `apiVersion` and `kind` optional; they are required here at run time). */
export interface ApiObject {
  readonly apiVersion?: string;
  readonly kind?: string;
}

/**
 * Kubernetes objects as one multi-document YAML stream, each document opened by `---`, keys in
 * the order the objects were built (so `apiVersion`, `kind`, `metadata` lead, as reviewers and
 * `kubectl` expect). Same objects, same bytes.
 *
 * Repeated sub-objects (one label map used as selector, PDB selector and spread selector) are
 * written out in full instead of as YAML anchors and aliases: legal YAML, but a reviewer would have
 * to chase `*a1` back to its anchor, and some tools reject aliases. Lines are never folded, so a
 * long annotation or JDBC URL stays on one line and diffs stay readable.
 *
 * The text is what the `yaml` package's `stringify` writes with those options. A document of plain
 * maps, lists, integers, booleans, null and strings (the Kubernetes objects this library renders)
 * is written here in the same bytes (a test compares both); any other document is handed to the
 * `yaml` package, which is then loaded (loading it costs more than writing every object here).
 */
export function toYaml(objects: readonly ApiObject[]): string {
  return objects
    .map((object, index) => {
      if (typeof object?.apiVersion !== 'string' || typeof object.kind !== 'string') {
        throw new Error(`toYaml: object ${index} has no apiVersion or kind; every Kubernetes document needs both`);
      }
      return `---\n${writeDocument(object) ?? stringifyWithPackage(object)}`;
    })
    .join('');
}

function stringifyWithPackage(object: ApiObject): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only for a document outside what writeDocument writes
  const { stringify } = require('yaml') as { stringify: typeof Stringify };
  return stringify(object, { aliasDuplicateObjects: false, lineWidth: 0, minContentWidth: 0 });
}

/** Thrown inside the writer when a value is outside what it writes the way the `yaml` package does. */
class Unsupported extends Error {}

const INDENT = '  ';

/** The document as the `yaml` package writes it (block style, two-space indent, sequences indented), or undefined. */
export function writeDocument(object: object): string | undefined {
  try {
    return `${node(object, '')}\n`;
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/** A map or list in block style, its first line unindented, the others at `indent`. */
function block(value: object, indent: string): string {
  if (Array.isArray(value)) {
    return value.map((item: unknown) => `- ${node(item, `${indent}${INDENT}`)}`).join(`\n${indent}`);
  }
  if (!isPlainObject(value)) throw new Unsupported();
  return Object.entries(value).map(([key, item]) => {
    const inner = `${indent}${INDENT}`;
    const written = node(item, inner);
    const collection = isCollection(item) && written !== '[]' && written !== '{}';
    return `${keyString(key)}:${collection ? `\n${inner}` : ' '}${written}`;
  }).join(`\n${indent}`);
}

/** A value after `key: ` or `- `; `indent` is where its own lines (nested entries, block scalar lines) start. */
function node(value: unknown, indent: string): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || Object.is(value, -0)) throw new Unsupported();
    return String(value);
  }
  if (typeof value === 'string') return valueString(value, indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.some(Array.isArray)) throw new Unsupported();
    return block(value, indent);
  }
  if (isPlainObject(value)) {
    if (Object.keys(value).length === 0) return '{}';
    return block(value, indent);
  }
  throw new Unsupported();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isCollection(value: unknown): boolean {
  return Array.isArray(value) || isPlainObject(value);
}

// The `yaml` package's rules (yaml 2.x, src/stringify/stringifyString.ts and the core schema's tags).
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const OTHER_TYPES = [
  /^(?:~|[Nn]ull|NULL)?$/, /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, /^0o[0-7]+$/, /^[-+]?[0-9]+$/, /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];

/** A single-line string, plain when YAML reads it back as that string, else quoted. */
function lineString(value: string): string {
  if (CONTROL.test(value) || DOCUMENT_MARKER.test(value) || value.includes('\n')) throw new Unsupported();
  if (!NOT_PLAIN.test(value) && !OTHER_TYPES.some((type) => type.test(value))) return value;
  return value.includes('"') && !value.includes("'") ? `'${value}'` : JSON.stringify(value);
}

function keyString(key: string): string {
  if (key.length > 1000) throw new Unsupported();
  return lineString(key);
}

/** A string in value position: multi-line ones as a literal block scalar (`|`, `|-`), indented at `indent`. */
function valueString(value: string, indent: string): string {
  if (!value.includes('\n')) return lineString(value);
  if (CONTROL.test(value) || DOCUMENT_MARKER.test(value) || /\n[\t ]+$/.test(value)) throw new Unsupported();
  let endStart = value.length;
  while (endStart > 0 && '\n\t '.includes(value[endStart - 1])) endStart -= 1;
  let end = value.substring(endStart);
  const endNewline = end.indexOf('\n');
  // Keeping several final newlines (`|+`) changes how the document ends: left to the package.
  if (endNewline !== -1 && (value === end || endNewline !== end.length - 1)) throw new Unsupported();
  const chomp = endNewline === -1 ? '-' : '';
  let body = value;
  if (end) {
    body = body.slice(0, -end.length);
    if (end.endsWith('\n')) end = end.slice(0, -1);
    end = end.replace(/(^|(?<!\n))\n+(?!\n|$)/g, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd = 0;
  let startNewline = -1;
  for (; startEnd < body.length; startEnd += 1) {
    const ch = body[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNewline = startEnd;
    else break;
  }
  let start = body.substring(0, startNewline < startEnd ? startNewline + 1 : startEnd);
  if (start) {
    body = body.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startWithSpace ? '2' : '') + chomp;
  return `|${header}\n${indent}${start}${body.replace(/\n+/g, `$&${indent}`)}${end}`;
}
