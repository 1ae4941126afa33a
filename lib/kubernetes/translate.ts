import type { Construct } from 'constructs';
import type { Deployment, StatefulSet } from 'kubernetes-types/apps/v1';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2';
import type { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-types/core/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import type { Ingress, NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import {
  ConfigMapV1, DeploymentV1, HorizontalPodAutoscalerV2, IngressV1, Manifest, NamespaceV1, NetworkPolicyV1, PodDisruptionBudgetV1, ServiceAccountV1, ServiceV1,
  StatefulSetV1,
} from '../private/kubernetes-classes';
import type { ConfigMapV1Config } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import type { ManifestConfig } from '@cdktf/provider-kubernetes/lib/manifest';
import type { NamespaceV1Config } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import type { ServiceAccountV1Config, ServiceAccountV1ImagePullSecret, ServiceAccountV1Secret } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import type { ITerraformDependable, TerraformProvider, TerraformResource } from '../private/cdktf';
import { objectAttribute, terraformLiteral } from '../private/cdktf';
import { type Fields, read } from './fields';
import { clusterMetadata, namespacedMetadata } from './meta';
import { ingressV1, networkPolicyV1, serviceV1 } from './networking';
import { deploymentV1, horizontalPodAutoscalerV2, podDisruptionBudgetV1, statefulSetV1 } from './workloads';

/** The built-in API objects that have a typed `kubernetes_*_v1` translation. */
export type BuiltInKubernetesObject =
  | Deployment
  | StatefulSet
  | Service
  | ConfigMap
  | ServiceAccount
  | Namespace
  | PodDisruptionBudget
  | NetworkPolicy
  | Ingress
  | HorizontalPodAutoscaler;

/**
 * An object of a custom resource (a kind defined by a CRD), e.g. a CloudNativePG `Cluster`. All its
 * top-level fields are carried into `kubernetes_manifest` unchanged. There is deliberately no index
 * signature, so a renderer's own interface for such an object is assignable without a cast.
 */
export interface CustomObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly spec?: unknown;
}

type CustomObjectFields = CustomObject & Readonly<Record<string, unknown>>;

/** A Kubernetes API object as rendered by `lib/render` and written to the review bundle as YAML. */
export type KubernetesObject = BuiltInKubernetesObject | CustomObject;

type BuiltInKind = NonNullable<BuiltInKubernetesObject['kind']>;

/** The one API version translated per kind; another version of a known kind is refused. */
const BUILT_IN_API_VERSIONS: Readonly<Record<BuiltInKind, string>> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  Service: 'v1',
  ConfigMap: 'v1',
  ServiceAccount: 'v1',
  Namespace: 'v1',
  PodDisruptionBudget: 'policy/v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  Ingress: 'networking.k8s.io/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
};

/**
 * Adds the typed Terraform resource that creates `object`: `kubernetes_deployment_v1`,
 * `kubernetes_stateful_set_v1`, `kubernetes_service_v1`, `kubernetes_config_map_v1`,
 * `kubernetes_service_account_v1`, `kubernetes_namespace_v1`, `kubernetes_pod_disruption_budget_v1`,
 * `kubernetes_network_policy_v1`, `kubernetes_ingress_v1` or `kubernetes_horizontal_pod_autoscaler_v2`.
 * Typed resources plan without a reachable cluster.
 *
 * Custom resources (API groups outside `k8s.io`, e.g. `postgresql.cnpg.io/v1` `Cluster`) become a
 * `kubernetes_manifest` carrying the object unchanged. Unlike the typed resources,
 * `kubernetes_manifest` needs a reachable cluster with the CRD installed at plan time: the operator
 * that defines it is a prerequisite of the first `terraform plan`, not something the same plan can
 * install.
 *
 * Throws, naming the kind, the object's name and the JSON path, when the object has a field the
 * translation does not support (nothing is dropped), lacks one the provider requires, or is a
 * built-in kind without a translation.
 *
 * @param id construct id of the resource, and so its Terraform address
 * @param provider the kubernetes provider (cluster) to create it with; the stack's default when omitted
 * @param dependsOn resources Terraform must create first (e.g. the object's namespace)
 */
export function addKubernetesObject(
  scope: Construct, id: string, object: KubernetesObject, provider?: TerraformProvider, dependsOn: readonly ITerraformDependable[] = [],
): TerraformResource {
  const name = typeof object.metadata?.name === 'string' ? object.metadata.name : '(unnamed)';
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    throw new Error(`cannot translate Kubernetes object "${name}": apiVersion and kind are required; received apiVersion ${String(apiVersion)} and kind ${String(kind)}`);
  }
  const meta = { ...(provider === undefined ? {} : { provider }), ...(dependsOn.length > 0 ? { dependsOn: [...dependsOn] } : {}) };
  if (isBuiltInKubernetesObject(object)) {
    switch (object.kind) {
      case 'Deployment':
        return new DeploymentV1(scope, id, { ...translate(object, name, DeploymentV1.tfResourceType, deploymentV1), ...meta });
      case 'StatefulSet':
        return new StatefulSetV1(scope, id, { ...translate(object, name, StatefulSetV1.tfResourceType, statefulSetV1), ...meta });
      case 'Service':
        return new ServiceV1(scope, id, { ...translate(object, name, ServiceV1.tfResourceType, serviceV1), ...meta });
      case 'ConfigMap':
        return new ConfigMapV1(scope, id, { ...translate(object, name, ConfigMapV1.tfResourceType, configMapV1), ...meta });
      case 'ServiceAccount':
        return new ServiceAccountV1(scope, id, { ...translate(object, name, ServiceAccountV1.tfResourceType, serviceAccountV1), ...meta });
      case 'Namespace':
        return new NamespaceV1(scope, id, { ...translate(object, name, NamespaceV1.tfResourceType, namespaceV1), ...meta });
      case 'PodDisruptionBudget':
        return new PodDisruptionBudgetV1(scope, id, {
          ...translate(object, name, PodDisruptionBudgetV1.tfResourceType, podDisruptionBudgetV1),
          ...meta,
        });
      case 'NetworkPolicy':
        return new NetworkPolicyV1(scope, id, { ...translate(object, name, NetworkPolicyV1.tfResourceType, networkPolicyV1), ...meta });
      case 'Ingress':
        return new IngressV1(scope, id, { ...translate(object, name, IngressV1.tfResourceType, ingressV1), ...meta });
      case 'HorizontalPodAutoscaler':
        return new HorizontalPodAutoscalerV2(scope, id, {
          ...translate(object, name, HorizontalPodAutoscalerV2.tfResourceType, horizontalPodAutoscalerV2),
          ...meta,
        });
    }
  }
  if (isCustomResourceGroup(apiVersion)) {
    const custom = object as CustomObjectFields;
    return new Manifest(scope, id, { ...translate(custom, name, Manifest.tfResourceType, manifest(scope, custom)), ...meta });
  }
  const supported = Object.entries(BUILT_IN_API_VERSIONS).map(([k, v]) => `${v} ${k}`).join(', ');
  throw new Error(
    `cannot translate ${kind} "${name}": ${apiVersion} ${kind} has no typed translation (supported: ${supported}; ` +
      'custom resources, whose API group is outside k8s.io, become kubernetes_manifest)',
  );
}

/**
 * Whether `object` is a built-in kind with a typed translation. Narrowing a `KubernetesObject` by
 * `kind` alone cannot exclude `CustomObject` (its kind is any string); narrow with this first.
 */
export function isBuiltInKubernetesObject(object: KubernetesObject): object is BuiltInKubernetesObject {
  return Object.hasOwn(BUILT_IN_API_VERSIONS, object.kind as string)
    && BUILT_IN_API_VERSIONS[object.kind as BuiltInKind] === object.apiVersion;
}

/**
 * Built-in API groups are the core group (`v1`), dotless groups (`apps`, `policy`, ...) and
 * `*.k8s.io`; a CRD's group must contain a dot, and `k8s.io` groups are reserved for Kubernetes.
 */
function isCustomResourceGroup(apiVersion: string): boolean {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  return group.includes('.') && group !== 'k8s.io' && !group.endsWith('.k8s.io');
}

function translate<T extends object, R>(object: T, name: string, resourceType: string, translator: (fields: Fields<T>) => R): R {
  const kind = (object as { kind?: string }).kind ?? 'object';
  return read({ kind, name, resourceType }, '', object, translator);
}

function mapValues(record: Readonly<Record<string, string>> | undefined, fn: (value: string) => string): Record<string, string> | undefined {
  return record === undefined ? undefined : Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value)]));
}

function configMapV1(fields: Fields<ConfigMap>): ConfigMapV1Config {
  fields.get('apiVersion');
  fields.get('kind');
  return {
    metadata: fields.struct('metadata', namespacedMetadata) ?? fields.missing('metadata'),
    // Files such as infinispan.xml use `${...}` themselves: kept literal for Terraform.
    data: mapValues(fields.get('data'), terraformLiteral),
    binaryData: fields.get('binaryData'),
    immutable: fields.get('immutable'),
  };
}

function serviceAccountV1(fields: Fields<ServiceAccount>): ServiceAccountV1Config {
  fields.get('apiVersion');
  fields.get('kind');
  return {
    metadata: fields.struct('metadata', namespacedMetadata) ?? fields.missing('metadata'),
    automountServiceAccountToken: fields.get('automountServiceAccountToken'),
    imagePullSecret: fields.list('imagePullSecrets', (secret): ServiceAccountV1ImagePullSecret => ({ name: secret.get('name') })),
    secret: fields.list('secrets', (secret): ServiceAccountV1Secret => ({ name: secret.get('name') })),
  };
}

function namespaceV1(fields: Fields<Namespace>): NamespaceV1Config {
  fields.get('apiVersion');
  fields.get('kind');
  return { metadata: fields.struct('metadata', clusterMetadata) ?? fields.missing('metadata') };
}

/**
 * The object goes into `kubernetes_manifest` unchanged, so nothing can be lost; only its metadata
 * is checked like the typed resources' (name required; namespace, labels, annotations) and a
 * `status` is refused because the API server owns it.
 */
function manifest(scope: Construct, object: CustomObjectFields): (fields: Fields<CustomObjectFields>) => ManifestConfig {
  return (fields) => {
    for (const key of Object.keys(object)) if (key !== 'status' && key !== 'metadata') fields.get(key);
    const metadata = fields.get('metadata') as ObjectMeta | undefined;
    if (metadata === undefined) return fields.missing('metadata');
    read(fields.origin, 'metadata', metadata, namespacedMetadata);
    return { manifest: objectAttribute(scope, { ...object }) };
  };
}
