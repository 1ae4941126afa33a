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
  /** Kubernetes: Keycloak's database as the deployment rendered it, so the documents state what exists. */
  readonly kubernetesDatabase?: KubernetesDatabaseFacts;
}

/** What holds Keycloak's database on Kubernetes. */
export type KubernetesDatabaseFacts =
  | {
    readonly kind: 'cloudnative-pg';
    readonly cluster: string;
    readonly instances: number;
    readonly dataDurability: 'required' | 'preferred';
    /** Object store and retention, when backups are configured. */
    readonly backup?: { readonly destinationPath: string; readonly retentionPolicy: string };
  }
  | { readonly kind: 'external'; readonly hosts: readonly string[] };

/** `<deployment>-<site>`: the prefix of every AWS name of a site. */
export function siteResourceName(names: DeploymentNames, site: string): string {
  return `${names.deployment}-${site}`;
}

/** The sites of a topology in the order the user gave them. */
export function siteNames(topology: Topology): string[] {
  return Object.keys(topology.sites);
}
