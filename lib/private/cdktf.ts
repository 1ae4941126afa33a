/**
 * The only file of lib/ that imports cdktf core. CDK for Terraform continues as the CDK Terrain
 * fork (`cdktn`); switching is a change of this file (and the provider packages).
 */
export { Annotations, Aspects, Fn, TerraformOutput, TerraformProvider, TerraformStack, Token } from 'cdktf';
export type { IAspect, ITerraformDependable } from 'cdktf';
export type { TerraformResource } from 'cdktf';

import { Token as CdktfToken } from 'cdktf';

/**
 * A literal string as Terraform must read it: `${` and `%{` escaped to `$${` and `%%{`, so text
 * that uses the same syntax for itself (Infinispan's `${env.NAME}` and `${property:default}`) is
 * not taken for an interpolation or directive that `terraform plan` would reject (cdktf passes the
 * escapes through; Terraform turns them back). Strings holding tokens pass unchanged.
 */
export function terraformLiteral(text: string): string {
  return CdktfToken.isUnresolved(text) ? text : text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

import { Testing as CdktfTesting, TerraformStack as CdktfStack } from 'cdktf';
import type { IConstruct } from 'constructs';

/** The synthesized Terraform JSON of the stack that holds `construct`. */
export function synthesizeStackOf(construct: IConstruct): string {
  return CdktfTesting.synth(CdktfStack.of(construct));
}
