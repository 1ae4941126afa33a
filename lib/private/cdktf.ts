/**
 * The only file of lib/ that imports cdktf core. CDK for Terraform continues as the CDK Terrain
 * fork (`cdktn`); switching is a change of this file (and the provider packages).
 */
export { Annotations, Aspects, Fn, TerraformOutput, TerraformStack, Token } from 'cdktf';
export type { IAspect, TerraformProvider } from 'cdktf';
export type { TerraformResource } from 'cdktf';

import { Fn as CdktfFn, Token as CdktfToken } from 'cdktf';

/**
 * A literal string as Terraform must read it: `${` escaped to `$${` (Fn.rawString), so text that
 * uses the same syntax for itself (Infinispan's `${env.NAME}` and `${property:default}`) is not
 * taken for an interpolation that `terraform plan` would reject. Tokens pass unchanged.
 */
export function terraformLiteral(text: string): string {
  return CdktfToken.isUnresolved(text) ? text : CdktfFn.rawString(text);
}
