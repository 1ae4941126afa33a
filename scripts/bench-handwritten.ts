/**
 * The benchmark's baselines: cdktf programs written "by hand" with exactly the resources the library
 * synthesized. Generated from cdk.tf.json (so the resources stay identical as the library changes),
 * per stack one provider class per resource and data source type, loaded from its deep path as a
 * careful hand-written program would. No model, validation, rendering, checks or review bundle:
 * what is left is cdktf's own cost. Two styles:
 * - `typed`, what a person writes: each block built with its class's typed configuration
 *   (`new Subnet(stack, id, { vpcId: vpc.id, … })`), references read from attribute getters
 *   (`vpc.id`), blocks created after those they refer to; meta-arguments (`provider`,
 *   `depends_on`, `lifecycle`) as overrides. A block whose typed form does not synthesize the same
 *   (a map key the camel-casing changed, a property the bindings name differently) is written as
 *   overrides instead; bench.ts finds those by comparing, and reports how many.
 * - `overrides`, a floor no typed program reaches: every attribute an escape-hatch override on an
 *   empty block, references as raw reference objects, so cdktf never runs the bindings' mappers.
 * Providers, backend, outputs and remote state are stack overrides in both.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type Blocks = Record<string, Record<string, Record<string, unknown>>>;
type Kind = 'resource' | 'data' | 'provider';
interface StackJson {
  readonly resource?: Blocks;
  readonly data?: Blocks;
  readonly [section: string]: unknown;
}

/** `aws_ecs_service` → `@cdktf/provider-aws/lib/ecs-service`; data sources get the `data-` prefix. */
function modulePath(type: string, kind: Kind): string {
  if (kind === 'provider') return `@cdktf/provider-${type}/lib/provider`;
  const [provider, ...rest] = type.split('_');
  const name = rest.join('-');
  return `@cdktf/provider-${provider}/lib/${kind === 'data' ? `data-${provider}-${name}` : name}`;
}

/** The exported class of a provider module whose `tfResourceType` is `type`. */
function className(type: string, kind: Kind): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the generator inspects the module once
  const exports = require(modulePath(type, kind)) as Record<string, unknown>;
  const found = Object.entries(exports).find(([, value]) => (value as { tfResourceType?: unknown }).tfResourceType === type);
  if (!found) throw new Error(`bench-handwritten: no class for ${kind} ${type} in ${modulePath(type, kind)}`);
  return found[0];
}

/** Drops cdktf's construct metadata (`//`), which a hand-written program's output has in other words. */
export function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== '//').map(([key, item]) => [key, withoutMetadata(item)]));
  }
  return value;
}

/** The stacks of a synthesized app (`<outdir>/stacks/<id>/cdk.tf.json`), by stack id. */
export function readStacks(outdir: string): Record<string, StackJson> {
  const stacks = join(outdir, 'stacks');
  return Object.fromEntries(readdirSync(stacks).sort().map((id) => [id, JSON.parse(readFileSync(join(stacks, id, 'cdk.tf.json'), 'utf8')) as StackJson]));
}

/** A resource or data block of a synthesized stack, keyed `<stack> <address>`. */
export interface Block {
  readonly key: string;
  readonly address: string;
  readonly kind: 'resource' | 'data';
  readonly type: string;
  readonly name: string;
  /** The block's attributes without cdktf's metadata. */
  readonly attributes: Record<string, unknown>;
}

/**
 * The blocks of `stacks` a generated program creates one by one, data sources first: every
 * resource and data block except remote state, which the programs set as a stack override.
 */
export function blocksOf(stacks: Readonly<Record<string, StackJson>>): Block[] {
  return Object.entries(stacks).flatMap(([id, json]) => (['data', 'resource'] as const).flatMap((kind) =>
    Object.entries(json[kind] ?? {}).filter(([type]) => type !== 'terraform_remote_state').flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, attributes]) => {
        const address = `${kind === 'data' ? 'data.' : ''}${type}.${name}`;
        return { key: `${id} ${address}`, address, kind, type, name, attributes: withoutMetadata(attributes) as Record<string, unknown> };
      }))));
}

/** How a style writes a reference to `attribute` of the block at `address`. */
type Reference = (address: string, attribute: string) => string;
const referenceObject: Reference = (address, attribute) => `b[${JSON.stringify(address)}].interpolationForAttribute(${JSON.stringify(attribute)})`;
const attributeGetter: Reference = (address, attribute) => `b[${JSON.stringify(address)}].getStringAttribute(${JSON.stringify(attribute)})`;

/** `vpc_id` → `vpcId`; map keys that are not snake-case identifiers (`Name`, `app.kubernetes.io/name`) stay. */
function camelCase(key: string): string {
  return /^[a-z][a-z0-9_]*$/.test(key) ? key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) : key;
}

/** A Terraform reference `${<address>.<attribute>}`, not an escaped `$${`. */
const REFERENCE = /(?<!\$)\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.([A-Za-z0-9_.[\]]+)\}/g;

/** The blocks of the same stack a value refers to. */
function referencedBlocks(value: unknown, addresses: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  for (const match of JSON.stringify(value).matchAll(REFERENCE)) if (addresses.has(match[1])) found.add(match[1]);
  return found;
}

/**
 * A JSON value as JavaScript source in which every reference `${<address>.<attribute>}` to a block
 * of the same stack is written as `reference` says, so the baseline creates and resolves
 * references as code does; `keys` rewrites object keys (camel case for typed configuration).
 */
function source(value: unknown, addresses: ReadonlySet<string>, reference: Reference = referenceObject, keys: (key: string) => string = (key) => key): string {
  if (typeof value === 'string') {
    const parts: string[] = [];
    let last = 0;
    for (const match of value.matchAll(REFERENCE)) {
      if (!addresses.has(match[1])) continue;
      if (match.index > last) parts.push(JSON.stringify(value.slice(last, match.index)));
      parts.push(reference(match[1], match[2]));
      last = match.index + match[0].length;
    }
    if (parts.length === 0) return JSON.stringify(value);
    if (last < value.length) parts.push(JSON.stringify(value.slice(last)));
    return parts.length === 1 ? `${parts[0]}` : `${parts.join(' + ')}`;
  }
  if (Array.isArray(value)) return `[${value.map((item) => source(item, addresses, reference, keys)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value).map(([key, item]) => `${JSON.stringify(keys(key))}: ${source(item, addresses, reference, keys)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** Baseline style; see the file comment. */
export type HandwrittenStyle = 'typed' | 'overrides';

/** Terraform meta-arguments: overrides in both styles (a typed program passes them as objects of other kinds). */
const META_ARGUMENTS = new Set(['provider', 'depends_on', 'lifecycle', 'count', 'for_each', 'provisioner', 'connection']);

/**
 * The JavaScript source of the hand-written equivalent of the app synthesized into `outdir`.
 * `asOverrides` names blocks (`<stack> <address>`) the typed style writes as overrides.
 */
export function generateHandwritten(outdir: string, style: HandwrittenStyle = 'typed', asOverrides: ReadonlySet<string> = new Set()): string {
  const stacks = readStacks(outdir);
  const imports = new Map<string, string>();
  const use = (type: string, kind: Kind) => {
    const key = `${kind}:${type}`;
    if (!imports.has(key)) imports.set(key, `const C${imports.size} = require(${JSON.stringify(modulePath(type, kind))}).${className(type, kind)};`);
    return imports.get(key)?.split(' ')[1] ?? '';
  };
  const body: string[] = [];
  for (const [id, json] of Object.entries(stacks)) {
    body.push(`{`, `  const stack = new TerraformStack(app, ${JSON.stringify(id)});`, '  const b = {};');
    for (const [section, value] of Object.entries(json)) {
      if (section === 'resource' || section === 'data' || section === '//') continue;
      if (section === 'provider') {
        for (const [type, configs] of Object.entries(value as Record<string, Record<string, unknown>[]>)) {
          const cls = use(type, 'provider');
          configs.forEach((config, i) => body.push(`  attributes(new ${cls}(stack, ${JSON.stringify(`${type}${i}`)}, {}), ${JSON.stringify(config)});`));
        }
        continue;
      }
      body.push(`  stack.addOverride(${JSON.stringify(section)}, ${JSON.stringify(withoutMetadata(value))});`);
      // A stack without a backend of its own gets cdktf's local one, which an S3 backend replaces.
      const backend = (value as { backend?: Record<string, unknown> }).backend;
      if (section === 'terraform' && backend && !('local' in backend)) body.push("  stack.addOverride('terraform.backend.local', undefined);");
    }
    const remote = json.data?.terraform_remote_state;
    if (remote) body.push(`  stack.addOverride('data.terraform_remote_state', ${JSON.stringify(withoutMetadata(remote))});`);
    const blocks = blocksOf({ [id]: json }).map((block) =>
      ({ ...block, cls: use(block.type, block.kind), typed: style === 'typed' && !asOverrides.has(block.key) }));
    const addresses = new Set(blocks.map((block) => block.address));
    // Blocks written as overrides first, empty, so any block can refer to them; their attributes last.
    for (const block of blocks.filter((b) => !b.typed)) body.push(`  b[${JSON.stringify(block.address)}] = block(stack, ${block.cls}, ${JSON.stringify(block.name)});`);
    for (const block of dependencyOrder(blocks.filter((b) => b.typed), addresses)) {
      const config = Object.fromEntries(Object.entries(block.attributes).filter(([key]) => !META_ARGUMENTS.has(key)));
      const meta = Object.fromEntries(Object.entries(block.attributes).filter(([key]) => META_ARGUMENTS.has(key)));
      body.push(`  b[${JSON.stringify(block.address)}] = typed(stack, ${block.cls}, ${JSON.stringify(block.name)}, ${source(config, addresses, attributeGetter, camelCase)});`);
      if (Object.keys(meta).length > 0) body.push(`  attributes(b[${JSON.stringify(block.address)}], ${source(meta, addresses)});`);
    }
    for (const block of blocks.filter((b) => !b.typed)) body.push(`  attributes(b[${JSON.stringify(block.address)}], ${source(block.attributes, addresses)});`);
    body.push('}');
  }
  return [
    "'use strict';",
    '// Generated by scripts/bench-handwritten.ts from the library\'s cdk.tf.json: the same resources, written directly.',
    "const { App, TerraformStack } = require('cdktf');",
    ...imports.values(),
    'function block(stack, Class, name) {',
    '  const element = new Class(stack, name, {});',
    '  element.overrideLogicalId(name);',
    '  return element;',
    '}',
    'function typed(stack, Class, name, config) {',
    '  const element = new Class(stack, name, config);',
    '  element.overrideLogicalId(name);',
    '  return element;',
    '}',
    'function attributes(element, values) {',
    '  for (const [key, value] of Object.entries(values)) element.addOverride(key, value);',
    '}',
    'const app = new App();',
    ...body,
    'app.synth();',
    '',
  ].join('\n');
}

/**
 * Typed blocks in an order a program can create them in: each after the blocks its configuration
 * refers to (blocks written as overrides exist already), otherwise as they stand in cdk.tf.json.
 */
function dependencyOrder<T extends { address: string; attributes: Record<string, unknown> }>(blocks: readonly T[], addresses: ReadonlySet<string>): T[] {
  const pending = new Map(blocks.map((block) => [block.address, block]));
  const needs = new Map(blocks.map((block) => {
    const config = Object.fromEntries(Object.entries(block.attributes).filter(([key]) => !META_ARGUMENTS.has(key)));
    return [block.address, [...referencedBlocks(config, addresses)].filter((address) => pending.has(address) && address !== block.address)];
  }));
  const ordered: T[] = [];
  while (pending.size > 0) {
    const ready = [...pending.values()].filter((block) => (needs.get(block.address) ?? []).every((address) => !pending.has(address)));
    if (ready.length === 0) throw new Error(`bench-handwritten: blocks refer to each other in a cycle: ${[...pending.keys()].join(', ')}`);
    for (const block of ready) {
      ordered.push(block);
      pending.delete(block.address);
    }
  }
  return ordered;
}
