import { SiteSpec, Topology } from '../model/topology';
import { TerraformProvider } from '../private/cdktf';

/** What every construct of one AWS site shares. */
export interface AwsSiteContext {
  readonly topology: Topology;
  readonly site: SiteSpec;
  /** Prefix of AWS resource names, e.g. `keycloak-eu-west`. */
  readonly name: string;
  /** The AWS provider of the site's region; the stack's default provider when absent. */
  readonly provider?: TerraformProvider;
  /** Tags put on every taggable resource of the site. */
  readonly tags: Readonly<Record<string, string>>;
}
