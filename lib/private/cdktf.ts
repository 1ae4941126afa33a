/**
 * The only file of lib/ that imports cdktf core. CDK for Terraform continues as the CDK Terrain
 * fork (`cdktn`); switching is a change of this file (and the provider packages).
 */
export { Annotations, Aspects, Fn, TerraformOutput, TerraformStack, Token } from 'cdktf';
export type { IAspect, TerraformProvider } from 'cdktf';
export type { TerraformResource } from 'cdktf';

import { App as CdktfApp, DefaultTokenResolver, Fn as CdktfFn, StringConcat, Token as CdktfToken, Tokenization } from 'cdktf';
import type { IConstruct } from 'constructs';

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
