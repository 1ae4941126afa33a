import type { LabelSelector, LabelSelectorRequirement, ObjectMeta } from 'kubernetes-types/meta/v1';
import type {
  DeploymentV1Metadata,
  DeploymentV1SpecSelector,
  DeploymentV1SpecSelectorMatchExpressions,
  DeploymentV1SpecTemplateMetadata,
} from '@cdktf/provider-kubernetes/lib/deployment-v1';
import type { NamespaceV1Metadata } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import type { Fields } from './fields';

// Every kubernetes_*_v1 resource has the same metadata and label-selector blocks under its own type
// names. These helpers are typed with the deployment_v1 names so the compiler checks the field
// names; the other resources' blocks are structurally identical, which the compiler checks again
// where the results are assigned.

/** Metadata of a namespaced object: name, namespace, labels, annotations. */
export function namespacedMetadata(fields: Fields<ObjectMeta>): DeploymentV1Metadata {
  return {
    name: fields.required('name'),
    namespace: fields.get('namespace'),
    labels: fields.get('labels'),
    annotations: fields.get('annotations'),
  };
}

/** Metadata of a cluster-scoped object (Namespace): a namespace field is rejected. */
export function clusterMetadata(fields: Fields<ObjectMeta>): NamespaceV1Metadata {
  return {
    name: fields.required('name'),
    labels: fields.get('labels'),
    annotations: fields.get('annotations'),
  };
}

/** Metadata of a pod template: labels and annotations only. */
export function podTemplateMetadata(fields: Fields<ObjectMeta>): DeploymentV1SpecTemplateMetadata {
  return {
    labels: fields.get('labels'),
    annotations: fields.get('annotations'),
  };
}

export function labelSelector(fields: Fields<LabelSelector>): DeploymentV1SpecSelector {
  return {
    matchLabels: fields.get('matchLabels'),
    matchExpressions: fields.list('matchExpressions', labelSelectorRequirement),
  };
}

function labelSelectorRequirement(fields: Fields<LabelSelectorRequirement>): DeploymentV1SpecSelectorMatchExpressions {
  return {
    key: fields.get('key'),
    operator: fields.get('operator'),
    values: fields.get('values'),
  };
}
