/**
 * The public API of `cdktf-keycloak-ha/kubernetes`: Keycloak on Kubernetes. It loads
 * `@cdktf/provider-kubernetes` (an optional peer dependency: install it to use this entry point).
 * A Kubernetes app needs nothing from the root entry point, which loads the AWS constructs.
 */
export { KeycloakOnKubernetes } from './patterns/keycloak-on-kubernetes';
// What a Kubernetes app passes besides (the same classes as in the root entry point), so that it
// need not load the root and with it the AWS constructs.
export { KeycloakImage } from './model/image';
export type { KeycloakImageOptions } from './model/image';
export { KeycloakVersion } from './model/version';
export { DnsRouting } from './aws/dns-routing';
export { HostedZone } from './aws/references';
export type { IHostedZone } from './aws/references';
export type { KeycloakOnKubernetesProps, KubernetesGeoDnsProps, KubernetesSiteInput } from './patterns/keycloak-on-kubernetes';
export { addKubernetesObject, isBuiltInKubernetesObject } from './kubernetes';
export type { BuiltInKubernetesObject, CustomObject } from './kubernetes';
export type { KubernetesObject as KubernetesApiObject } from './kubernetes/translate';
export type { ApiObject } from './render/kubernetes/yaml';
export {
  cloudNativePgJdbcUrl, INGRESS_AFFINITY_COOKIE, infinispanObjectList, monitoringAlertSummaries, monitoringObjectList,
  renderCloudNativePgCluster, renderInfinispanObjects, renderKeycloakObjects, renderMonitoringObjects, toYaml,
} from './render/kubernetes';
export type {
  AlertingRule, CloudNativePgBackup, CloudNativePgCluster, CloudNativePgOptions, GossipRouterObjects, InfinispanObjectsOptions, InfinispanSiteObjects,
  KeycloakObjectsOptions, KubernetesDatabase, KubernetesObject, MonitoringObjects, MonitoringObjectsOptions, MonitoringThresholds,
  PrometheusRule, SecretKeyReference, SecretKeys, ServiceMonitor, ServiceMonitorEndpoint,
} from './render/kubernetes';
export { analyzeKubernetesFailures, KUBERNETES_PROBE_FAILURE_THRESHOLD } from './model';
export type { KubernetesDatabaseKind, KubernetesFailureAnalysisOptions } from './model';
