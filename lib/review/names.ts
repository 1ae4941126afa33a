import { Topology } from '../model/topology';

/**
 * Names of the AWS resources of a deployment, as the AWS constructs give them, so the runbook's
 * commands and the rendered configuration name the real resources.
 */
export interface DeploymentNames {
  /** Deployment name (`KeycloakOnAwsProps.name`), e.g. `keycloak`. */
  readonly deployment: string;
  /**
   * Where the deployment runs; it decides the names and commands the documents use.
   * @default 'aws'
   */
  readonly substrate?: 'aws' | 'kubernetes';
  /** Kubernetes namespace of the objects. @default 'keycloak' */
  readonly namespace?: string;
  /** Kubernetes: the CloudNativePG cluster holding Keycloak's database, if that is where it is. */
  readonly cloudNativePgCluster?: string;
}

/** `<deployment>-<site>`: the prefix of every AWS name of a site. */
export function siteResourceName(names: DeploymentNames, site: string): string {
  return `${names.deployment}-${site}`;
}

/** The sites of a topology in the order the user gave them. */
export function siteNames(topology: Topology): string[] {
  return Object.keys(topology.sites);
}
