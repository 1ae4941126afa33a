/**
 * The only file of lib/ that imports cdktf core. CDK for Terraform continues as the CDK Terrain
 * fork (`cdktn`); switching is a change of this file (and the provider packages).
 */
export { Annotations, Aspects, Fn, TerraformOutput, TerraformStack, Token } from 'cdktf';
export type { IAspect, TerraformProvider } from 'cdktf';
export type { TerraformResource } from 'cdktf';
