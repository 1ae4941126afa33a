/**
 * The Kubernetes provider classes the constructs create, each loaded from its deep path
 * (`@cdktf/provider-kubernetes/lib/<resource>`) the first time it is used: a deployment without
 * Infinispan never loads the StatefulSet or ConfigMap classes, which are among the provider's
 * largest modules. Import these classes from here in lib/; types that are not classes (`...Config`,
 * structs) come from the deep path with `import type`.
 */
import { defineLazyExports } from './lazy-exports';
import type * as configMapV1 from '@cdktf/provider-kubernetes/lib/config-map-v1';
import type * as deploymentV1 from '@cdktf/provider-kubernetes/lib/deployment-v1';
import type * as horizontalPodAutoscalerV2 from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2';
import type * as ingressV1 from '@cdktf/provider-kubernetes/lib/ingress-v1';
import type * as manifest from '@cdktf/provider-kubernetes/lib/manifest';
import type * as namespaceV1 from '@cdktf/provider-kubernetes/lib/namespace-v1';
import type * as networkPolicyV1 from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import type * as podDisruptionBudgetV1 from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import type * as serviceAccountV1 from '@cdktf/provider-kubernetes/lib/service-account-v1';
import type * as serviceV1 from '@cdktf/provider-kubernetes/lib/service-v1';
import type * as statefulSetV1 from '@cdktf/provider-kubernetes/lib/stateful-set-v1';

export declare const ConfigMapV1: typeof configMapV1.ConfigMapV1;
export type ConfigMapV1 = configMapV1.ConfigMapV1;
export declare const DeploymentV1: typeof deploymentV1.DeploymentV1;
export type DeploymentV1 = deploymentV1.DeploymentV1;
export declare const HorizontalPodAutoscalerV2: typeof horizontalPodAutoscalerV2.HorizontalPodAutoscalerV2;
export type HorizontalPodAutoscalerV2 = horizontalPodAutoscalerV2.HorizontalPodAutoscalerV2;
export declare const IngressV1: typeof ingressV1.IngressV1;
export type IngressV1 = ingressV1.IngressV1;
export declare const Manifest: typeof manifest.Manifest;
export type Manifest = manifest.Manifest;
export declare const NamespaceV1: typeof namespaceV1.NamespaceV1;
export type NamespaceV1 = namespaceV1.NamespaceV1;
export declare const NetworkPolicyV1: typeof networkPolicyV1.NetworkPolicyV1;
export type NetworkPolicyV1 = networkPolicyV1.NetworkPolicyV1;
export declare const PodDisruptionBudgetV1: typeof podDisruptionBudgetV1.PodDisruptionBudgetV1;
export type PodDisruptionBudgetV1 = podDisruptionBudgetV1.PodDisruptionBudgetV1;
export declare const ServiceAccountV1: typeof serviceAccountV1.ServiceAccountV1;
export type ServiceAccountV1 = serviceAccountV1.ServiceAccountV1;
export declare const ServiceV1: typeof serviceV1.ServiceV1;
export type ServiceV1 = serviceV1.ServiceV1;
export declare const StatefulSetV1: typeof statefulSetV1.StatefulSetV1;
export type StatefulSetV1 = statefulSetV1.StatefulSetV1;

/** Deep path → the classes it exports; every class declared above is listed here once. */
const CLASSES: Readonly<Record<string, readonly string[]>> = {
  '@cdktf/provider-kubernetes/lib/config-map-v1': ['ConfigMapV1'],
  '@cdktf/provider-kubernetes/lib/deployment-v1': ['DeploymentV1'],
  '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2': ['HorizontalPodAutoscalerV2'],
  '@cdktf/provider-kubernetes/lib/ingress-v1': ['IngressV1'],
  '@cdktf/provider-kubernetes/lib/manifest': ['Manifest'],
  '@cdktf/provider-kubernetes/lib/namespace-v1': ['NamespaceV1'],
  '@cdktf/provider-kubernetes/lib/network-policy-v1': ['NetworkPolicyV1'],
  '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1': ['PodDisruptionBudgetV1'],
  '@cdktf/provider-kubernetes/lib/service-account-v1': ['ServiceAccountV1'],
  '@cdktf/provider-kubernetes/lib/service-v1': ['ServiceV1'],
  '@cdktf/provider-kubernetes/lib/stateful-set-v1': ['StatefulSetV1'],
};

defineLazyExports(exports, CLASSES);
