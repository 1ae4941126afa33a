/**
 * The only file of lib/ that imports cdktf core. CDK for Terraform continues as the CDK Terrain
 * fork (`cdktn`); switching is a change of this file (and the provider packages).
 */
export { Annotations, Aspects, Fn, TerraformOutput, TerraformProvider, TerraformStack, Token } from 'cdktf';
export type { IAspect, ITerraformDependable } from 'cdktf';
export type { TerraformResource } from 'cdktf';

import {
  App as CdktfApp, DefaultTokenResolver, Fn as CdktfFn, TerraformProvider as CdktfProvider, StringConcat, TerraformResource as CdktfResource, TerraformStack as CdktfStack,
  Testing as CdktfTesting, Token as CdktfToken, Tokenization,
} from 'cdktf';
import type { IConstruct } from 'constructs';

/**
 * Write-only arguments (`*_wo`) exist from Terraform 1.11 on; older versions reject the
 * configuration with an unhelpful "unsupported argument". Declares `required_version >= 1.11` in
 * the `terraform` block of the stack holding `scope`, so an older Terraform says what it needs.
 * (https://developer.hashicorp.com/terraform/language/resources/ephemeral/write-only)
 */
export function requireWriteOnlyArguments(scope: IConstruct): void {
  // Not under `cdktf synth --hcl`: cdktf 0.21's HCL writer (lib/hcl/render.js, renderTerraform)
  // writes the terraform block's other attributes by their index (`0 = "required_version"`),
  // which Terraform cannot parse. That output then goes without the constraint.
  if (CdktfApp.of(scope).hclOutput) return;
  CdktfStack.of(scope).addOverride('terraform.required_version', '>= 1.11');
}

/**
 * A free-form object attribute (`kubernetes_manifest.manifest`) that both of cdktf's outputs read
 * as written. `cdk.tf.json`: the value unchanged. `cdktf synth --hcl`: `jsondecode(jsonencode(…))`
 * of it (`jsonAttribute`), because cdktf 0.21's HCL writer of an untyped map writes lists as maps
 * keyed by index and copies some strings unquoted (a Prometheus annotation `{{ $value }} …`),
 * which Terraform rejects or reads differently; inside a function call the object is written as
 * an HCL expression, and the round trip gives Terraform the object itself.
 */
export function objectAttribute<T>(scope: IConstruct, value: T): T {
  if (!CdktfApp.of(scope).hclOutput) return value;
  return CdktfToken.asAny(CdktfFn.jsondecode(jsonAttribute(scope, value))) as T;
}

/**
 * A literal string as Terraform must read it: `${` and `%{` escaped to `$${` and `%%{`, so text
 * that uses the same syntax for itself (Infinispan's `${env.NAME}` and `${property:default}`) is
 * not taken for an interpolation or directive that `terraform plan` would reject (cdktf passes the
 * escapes through; Terraform turns them back). Strings holding tokens pass unchanged.
 */
export function terraformLiteral(text: string): string {
  return CdktfToken.isUnresolved(text) ? text : text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/**
 * A JSON-valued attribute (ECS container definitions, a dashboard body, a scheduler input) that
 * both of cdktf's outputs read correctly. `cdk.tf.json`: the JSON text, with `${`/`%{` of literal
 * strings escaped (`terraformLiteral`). `cdktf synth --hcl`: `jsonencode()` of the value, because
 * cdktf's HCL writer copies a string that holds a reference verbatim, unescaped quotes included,
 * which Terraform cannot parse. cdktf escapes `${` and newlines of the literals inside the
 * expression but not backslashes, quotes or `%{`, so those are escaped here.
 */
export function jsonAttribute(scope: IConstruct, value: unknown): string {
  if (CdktfApp.of(scope).hclOutput) {
    const escaped = mapStrings(value, (text) => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%\{/g, '%%{'));
    return CdktfFn.jsonencode(escaped);
  }
  return JSON.stringify(mapStrings(value, terraformLiteral));
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]));
  }
  return value;
}

/**
 * `value` as the stack of `scope` synthesizes it: tokens become the Terraform expressions of
 * cdk.tf.json (`${aws_rds_cluster.<id>.endpoint}`, a cross-stack reference's remote state output).
 */
export function resolveInStack<T>(scope: IConstruct, value: unknown): T {
  // What a stack does with each element when it writes cdk.tf.json.
  return Tokenization.resolve(value, { scope, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) }) as T;
}

/** The synthesized Terraform JSON of the stack that holds `construct`. */
export function synthesizeStackOf(construct: IConstruct): string {
  return CdktfTesting.synth(CdktfStack.of(construct));
}

/** Terraform `resource` blocks by type and logical ID, as in cdk.tf.json. */
export type ResourceBlocks = Record<string, Record<string, Record<string, unknown>>>;

/**
 * The `resource` blocks of the Terraform resources below `root`, exactly as its stack writes them
 * into cdk.tf.json, with types in the stack's order. `stack.toTerraform()` yields the same blocks
 * but resolves every element of the stack, and then the whole configuration once more; this
 * resolves only the resources below `root`, once (`resolveSparingly`). When the
 * stack's own overrides (`stack.addOverride('resource.…')`) change resource blocks, or cdktf no
 * longer keeps them where this looks, the whole stack is synthesized instead.
 */
export function resourceBlocksBelow(root: IConstruct): ResourceBlocks {
  const stack = CdktfStack.of(root);
  const prefix = `${root.node.path}/`;
  const stackOverrides: unknown = Reflect.get(stack, 'rawOverrides');
  if (typeof stackOverrides !== 'object' || stackOverrides === null || 'resource' in stackOverrides) {
    const all = (stack.toTerraform() as { resource?: ResourceBlocks }).resource ?? {};
    return Object.fromEntries(Object.entries(all)
      .map(([type, byName]) => [type, Object.fromEntries(Object.entries(byName).filter(([, body]) => constructPathOf(body).startsWith(prefix)))] as const)
      .filter(([, byName]) => Object.keys(byName).length > 0));
  }
  // The stack merges its elements' blocks in construct-tree order, so a type sits where its first
  // resource in the whole stack does.
  const typeOrder = new Map<string, number>();
  for (const construct of stack.node.findAll()) {
    if (CdktfResource.isTerraformResource(construct) && !typeOrder.has(construct.terraformResourceType)) {
      typeOrder.set(construct.terraformResourceType, typeOrder.size);
    }
  }
  const blocks: ResourceBlocks = {};
  for (const construct of root.node.findAll()) {
    // Only resources write `resource` blocks (data sources, providers, outputs write their own).
    if (!CdktfResource.isTerraformResource(construct) || !construct.node.path.startsWith(prefix)) continue;
    const fragment = resolveSparingly(stack, construct.toTerraform()) as { resource?: ResourceBlocks };
    for (const [type, byName] of Object.entries(fragment.resource ?? {})) Object.assign(blocks[type] ??= {}, byName);
  }
  const rank = (type: string) => typeOrder.get(type) ?? typeOrder.size;
  return Object.fromEntries(Object.entries(blocks).sort(([a], [b]) => rank(a) - rank(b)));
}

/** The construct path cdktf records in a synthesized block's metadata (`//`), or ''. */
export function constructPathOf(body: Readonly<Record<string, unknown>>): string {
  return String((body['//'] as { metadata?: { path?: string } } | undefined)?.metadata?.path ?? '');
}

/** Marks of cdktf's token encodings: string, list and map tokens, and a number token written into a string (~ -1.9e+289). */
const TOKEN_MARK = /TfToken\[|e\+\d{3}/;

/** Whether cdktf could see a token in a scalar (a number token is a double near -1.9e+289). */
function mayBeToken(value: unknown): boolean {
  if (typeof value === 'string') return TOKEN_MARK.test(value) || value === CdktfToken.STRING_MAP_TOKEN_VALUE || value === CdktfToken.ANY_MAP_TOKEN_VALUE;
  if (typeof value === 'number') return Math.abs(value) >= 1e100 || value === CdktfToken.NUMBER_MAP_TOKEN_VALUE;
  return typeof value === 'function';
}

/**
 * `value` resolved as `resolveInStack` does it, with cdktf's resolver called only where a token
 * may be: on each scalar that carries a token mark, each list holding one directly, each object
 * that is not a plain object (a resolvable, a class instance) or has a marked key. Plain objects
 * and lists around them are copied here, dropping `undefined` as cdktf does. cdktf's resolver
 * builds a context per value it visits, which makes resolving a resource's plain attributes cost
 * many times what copying them does.
 */
export function resolveSparingly(scope: IConstruct, value: unknown): unknown {
  if (mayBeToken(value)) return resolveInStack(scope, value);
  if (Array.isArray(value)) {
    if (value.some(mayBeToken)) return resolveInStack(scope, value);
    return value.map((item) => resolveSparingly(scope, item)).filter((item) => item !== undefined);
  }
  if (value !== null && typeof value === 'object') {
    const prototype: unknown = Object.getPrototypeOf(value);
    if ((prototype !== Object.prototype && prototype !== null) || Object.keys(value).some(mayBeToken)) return resolveInStack(scope, value);
    const resolved: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const result = resolveSparingly(scope, item);
      if (result !== undefined) resolved[key] = result;
    }
    return resolved;
  }
  return value;
}

/** Whether `stack` holds a provider of `name` (e.g. `aws`), aliased or not. */
export function hasProvider(stack: CdktfStack, name: string): boolean {
  return stack.node.findAll().some((c) => CdktfProvider.isTerraformProvider(c) && c.terraformGeneratorMetadata?.providerName === name);
}
