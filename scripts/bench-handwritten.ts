/**
 * The benchmark's baseline: a cdktf program written "by hand" with exactly the resources the library
 * synthesized. Generated from cdk.tf.json (so the resources stay identical as the library changes):
 * per stack, one provider class per resource and data source type, loaded from its deep path as a
 * careful hand-written program would, each block created with its logical ID and its attributes as
 * they stand in cdk.tf.json; providers, backend, outputs and remote state as stack overrides. No
 * model, validation, rendering, checks or review bundle: what is left is cdktf's own cost.
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

/**
 * A JSON value as JavaScript source in which every reference `${<address>.<attribute>}` to a block
 * of the same stack is an attribute token of that block's object (as `vpc.id` is in a hand-written
 * program), so the baseline creates and resolves references as real code does.
 */
function source(value: unknown, addresses: ReadonlySet<string>): string {
  if (typeof value === 'string') {
    const parts: string[] = [];
    let last = 0;
    for (const match of value.matchAll(/(?<!\$)\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.([A-Za-z0-9_.[\]]+)\}/g)) {
      if (!addresses.has(match[1])) continue;
      if (match.index > last) parts.push(JSON.stringify(value.slice(last, match.index)));
      parts.push(`b[${JSON.stringify(match[1])}].interpolationForAttribute(${JSON.stringify(match[2])})`);
      last = match.index + match[0].length;
    }
    if (parts.length === 0) return JSON.stringify(value);
    if (last < value.length) parts.push(JSON.stringify(value.slice(last)));
    return parts.length === 1 ? `${parts[0]}` : `${parts.join(' + ')}`;
  }
  if (Array.isArray(value)) return `[${value.map((item) => source(item, addresses)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${source(item, addresses)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** The JavaScript source of the hand-written equivalent of the app synthesized into `outdir`. */
export function generateHandwritten(outdir: string): string {
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
    // Every block first, then their attributes, which may refer to any block.
    const blocks: [string, Record<string, unknown>][] = [];
    for (const kind of ['data', 'resource'] as const) {
      for (const [type, byName] of Object.entries(json[kind] ?? {})) {
        if (type === 'terraform_remote_state') continue;
        const cls = use(type, kind);
        for (const [name, attributes] of Object.entries(byName)) {
          const address = `${kind === 'data' ? 'data.' : ''}${type}.${name}`;
          body.push(`  b[${JSON.stringify(address)}] = block(stack, ${cls}, ${JSON.stringify(name)});`);
          blocks.push([address, withoutMetadata(attributes) as Record<string, unknown>]);
        }
      }
    }
    const addresses = new Set(blocks.map(([address]) => address));
    for (const [address, attributes] of blocks) body.push(`  attributes(b[${JSON.stringify(address)}], ${source(attributes, addresses)});`);
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
    'function attributes(element, values) {',
    '  for (const [key, value] of Object.entries(values)) element.addOverride(key, value);',
    '}',
    'const app = new App();',
    ...body,
    'app.synth();',
    '',
  ].join('\n');
}
