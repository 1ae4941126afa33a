/**
 * The only file of lib/ that imports cdktf core. CDK for Terraform continues as the CDK Terrain
 * fork (`cdktn`); switching is a change of this file (and the provider packages).
 */
export { Annotations, Aspects, Fn, TerraformOutput, TerraformProvider, TerraformStack, Token } from 'cdktf';
export type { IAspect, ITerraformDependable } from 'cdktf';
export type { TerraformResource } from 'cdktf';

import { IConstruct } from 'constructs';
import { TerraformStack as CdktfStack, Token as CdktfToken } from 'cdktf';

/**
 * Write-only arguments (`*_wo`) exist from Terraform 1.11 on; older versions reject the
 * configuration with an unhelpful "unsupported argument". Declares `required_version >= 1.11` in
 * the `terraform` block of the stack holding `scope`, so an older Terraform says what it needs.
 * (https://developer.hashicorp.com/terraform/language/resources/ephemeral/write-only)
 */
export function requireWriteOnlyArguments(scope: IConstruct): void {
  CdktfStack.of(scope).addOverride('terraform.required_version', '>= 1.11');
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
