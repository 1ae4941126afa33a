/**
 * The only file of lib/ that imports cdktf core. CDK for Terraform continues as the CDK Terrain
 * fork (`cdktn`); switching is a change of this file (and the provider packages).
 */
export { Annotations, Aspects, Fn, TerraformOutput, TerraformProvider, TerraformStack, Token } from 'cdktf';
export type { IAspect, ITerraformDependable } from 'cdktf';
export type { TerraformResource } from 'cdktf';

import { App as CdktfApp, DefaultTokenResolver, TerraformProvider as CdktfProvider, Fn as CdktfFn, StringConcat, TerraformStack as CdktfStack, Testing as CdktfTesting, Token as CdktfToken, Tokenization } from 'cdktf';
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

/** Whether `stack` holds a provider of `name` (e.g. `aws`), aliased or not. */
export function hasProvider(stack: CdktfStack, name: string): boolean {
  return stack.node.findAll().some((c) => CdktfProvider.isTerraformProvider(c) && c.terraformGeneratorMetadata?.providerName === name);
}
