import type * as apps from 'kubernetes-types/apps/v1';
import type * as autoscaling from 'kubernetes-types/autoscaling/v2';
import type * as core from 'kubernetes-types/core/v1';
import type * as policy from 'kubernetes-types/policy/v1';
import type {
  DeploymentV1Config,
  DeploymentV1Spec,
  DeploymentV1SpecStrategy,
  DeploymentV1SpecStrategyRollingUpdate,
} from '@cdktf/provider-kubernetes/lib/deployment-v1';
import type * as sts from '@cdktf/provider-kubernetes/lib/stateful-set-v1';
import type { PodDisruptionBudgetV1Config } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import type * as hpa from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2';
import type { Fields } from './fields';
import { labelSelector, namespacedMetadata } from './meta';
import { listOfOne, podTemplate } from './pod';

// `replicas` is a string in deployment_v1 and stateful_set_v1 ("a string to be able to
// distinguish between explicit zero and not specified"); int-or-string fields (maxSurge,
// maxUnavailable, minAvailable) are strings too.

export function deploymentV1(fields: Fields<apps.Deployment>): DeploymentV1Config {
  fields.get('apiVersion');
  fields.get('kind');
  return {
    metadata: fields.struct('metadata', namespacedMetadata) ?? fields.missing('metadata'),
    spec: fields.struct('spec', deploymentSpec) ?? fields.missing('spec'),
  };
}

function deploymentSpec(fields: Fields<apps.DeploymentSpec>): DeploymentV1Spec {
  return {
    replicas: fields.text('replicas'),
    selector: fields.struct('selector', labelSelector),
    template: fields.struct('template', podTemplate) ?? fields.missing('template'),
    strategy: fields.struct('strategy', (strategy): DeploymentV1SpecStrategy => ({
      type: strategy.get('type'),
      rollingUpdate: strategy.struct('rollingUpdate', (update): DeploymentV1SpecStrategyRollingUpdate => ({
        maxSurge: update.text('maxSurge'),
        maxUnavailable: update.text('maxUnavailable'),
      })),
    })),
    minReadySeconds: fields.get('minReadySeconds'),
    revisionHistoryLimit: fields.get('revisionHistoryLimit'),
    progressDeadlineSeconds: fields.get('progressDeadlineSeconds'),
    paused: fields.get('paused'),
  };
}

export function statefulSetV1(fields: Fields<apps.StatefulSet>): sts.StatefulSetV1Config {
  fields.get('apiVersion');
  fields.get('kind');
  return {
    metadata: fields.struct('metadata', namespacedMetadata) ?? fields.missing('metadata'),
    spec: fields.struct('spec', statefulSetSpec) ?? fields.missing('spec'),
  };
}

function statefulSetSpec(fields: Fields<apps.StatefulSetSpec>): sts.StatefulSetV1Spec {
  return {
    replicas: fields.text('replicas'),
    serviceName: fields.get('serviceName'),
    selector: fields.struct('selector', labelSelector) ?? fields.missing('selector'),
    template: fields.struct('template', podTemplate) ?? fields.missing('template'),
    podManagementPolicy: fields.get('podManagementPolicy'),
    // A single struct in the API, a block list in the provider (as is its rollingUpdate).
    updateStrategy: listOfOne(fields.struct('updateStrategy', (strategy): sts.StatefulSetV1SpecUpdateStrategy => ({
      type: strategy.get('type'),
      rollingUpdate: listOfOne(strategy.struct('rollingUpdate', (update): sts.StatefulSetV1SpecUpdateStrategyRollingUpdate => ({
        partition: update.get('partition'),
      }))),
    }))),
    volumeClaimTemplate: fields.list('volumeClaimTemplates', volumeClaimTemplate),
    persistentVolumeClaimRetentionPolicy: listOfOne(fields.struct('persistentVolumeClaimRetentionPolicy',
      (retention): sts.StatefulSetV1SpecPersistentVolumeClaimRetentionPolicy => ({
        whenDeleted: retention.get('whenDeleted'),
        whenScaled: retention.get('whenScaled'),
      }))),
    minReadySeconds: fields.get('minReadySeconds'),
    revisionHistoryLimit: fields.get('revisionHistoryLimit'),
  };
}

function volumeClaimTemplate(fields: Fields<core.PersistentVolumeClaim>): sts.StatefulSetV1SpecVolumeClaimTemplate {
  fields.get('apiVersion');
  fields.get('kind');
  return {
    metadata: fields.struct('metadata', (metadata): sts.StatefulSetV1SpecVolumeClaimTemplateMetadata => ({
      name: metadata.required('name'),
      labels: metadata.get('labels'),
      annotations: metadata.get('annotations'),
    })) ?? fields.missing('metadata'),
    spec: fields.struct('spec', (spec): sts.StatefulSetV1SpecVolumeClaimTemplateSpec => ({
      accessModes: spec.required('accessModes'),
      resources: spec.struct('resources', (resources): sts.StatefulSetV1SpecVolumeClaimTemplateSpecResources => ({
        requests: resources.get('requests'),
        limits: resources.get('limits'),
      })) ?? spec.missing('resources'),
      storageClassName: spec.get('storageClassName'),
      volumeMode: spec.get('volumeMode'),
      volumeName: spec.get('volumeName'),
      selector: spec.struct('selector', labelSelector),
    })) ?? fields.missing('spec'),
  };
}

export function podDisruptionBudgetV1(fields: Fields<policy.PodDisruptionBudget>): PodDisruptionBudgetV1Config {
  fields.get('apiVersion');
  fields.get('kind');
  return {
    metadata: fields.struct('metadata', namespacedMetadata) ?? fields.missing('metadata'),
    spec: fields.struct('spec', (spec): PodDisruptionBudgetV1Config['spec'] => ({
      maxUnavailable: spec.text('maxUnavailable'),
      minAvailable: spec.text('minAvailable'),
      selector: spec.struct('selector', labelSelector) ?? spec.missing('selector'),
    })) ?? fields.missing('spec'),
  };
}

export function horizontalPodAutoscalerV2(fields: Fields<autoscaling.HorizontalPodAutoscaler>): hpa.HorizontalPodAutoscalerV2Config {
  fields.get('apiVersion');
  fields.get('kind');
  return {
    metadata: fields.struct('metadata', namespacedMetadata) ?? fields.missing('metadata'),
    spec: fields.struct('spec', (spec): hpa.HorizontalPodAutoscalerV2Spec => ({
      scaleTargetRef: spec.struct('scaleTargetRef', (target): hpa.HorizontalPodAutoscalerV2SpecScaleTargetRef => ({
        apiVersion: target.get('apiVersion'),
        kind: target.get('kind'),
        name: target.get('name'),
      })) ?? spec.missing('scaleTargetRef'),
      minReplicas: spec.get('minReplicas'),
      maxReplicas: spec.get('maxReplicas'),
      metric: spec.list('metrics', metric),
      behavior: spec.struct('behavior', (behavior): hpa.HorizontalPodAutoscalerV2SpecBehavior => ({
        // Single structs in the API, block lists in the provider.
        scaleUp: listOfOne(behavior.struct('scaleUp', scalingRules)),
        scaleDown: listOfOne(behavior.struct('scaleDown', scalingRules)),
      })),
    })) ?? fields.missing('spec'),
  };
}

function scalingRules(fields: Fields<autoscaling.HPAScalingRules>): hpa.HorizontalPodAutoscalerV2SpecBehaviorScaleDown {
  return {
    stabilizationWindowSeconds: fields.get('stabilizationWindowSeconds'),
    selectPolicy: fields.get('selectPolicy'),
    // Required with at least one item by the provider's schema (MinItems: 1).
    policy: fields.list('policies', (policy): hpa.HorizontalPodAutoscalerV2SpecBehaviorScaleDownPolicy => ({
      type: policy.get('type'),
      value: policy.get('value'),
      periodSeconds: policy.get('periodSeconds'),
    })) ?? fields.missing('policies'),
  };
}

function metric(fields: Fields<autoscaling.MetricSpec>): hpa.HorizontalPodAutoscalerV2SpecMetric {
  return {
    type: fields.get('type'),
    resource: fields.struct('resource', (source): hpa.HorizontalPodAutoscalerV2SpecMetricResource => ({
      name: source.get('name'),
      target: source.struct('target', metricTarget),
    })),
    containerResource: fields.struct('containerResource', (source): hpa.HorizontalPodAutoscalerV2SpecMetricContainerResource => ({
      name: source.get('name'),
      container: source.get('container'),
      target: source.struct('target', metricTarget),
    })),
    pods: fields.struct('pods', (source): hpa.HorizontalPodAutoscalerV2SpecMetricPods => ({
      metric: source.struct('metric', metricIdentifier) ?? source.missing('metric'),
      target: source.struct('target', metricTarget),
    })),
    object: fields.struct('object', (source): hpa.HorizontalPodAutoscalerV2SpecMetricObject => ({
      describedObject: source.struct('describedObject', (described): hpa.HorizontalPodAutoscalerV2SpecMetricObjectDescribedObject => ({
        apiVersion: described.required('apiVersion'),
        kind: described.get('kind'),
        name: described.get('name'),
      })) ?? source.missing('describedObject'),
      metric: source.struct('metric', metricIdentifier) ?? source.missing('metric'),
      target: source.struct('target', metricTarget),
    })),
    external: fields.struct('external', (source): hpa.HorizontalPodAutoscalerV2SpecMetricExternal => ({
      metric: source.struct('metric', metricIdentifier) ?? source.missing('metric'),
      target: source.struct('target', metricTarget),
    })),
  };
}

function metricIdentifier(fields: Fields<autoscaling.MetricIdentifier>): hpa.HorizontalPodAutoscalerV2SpecMetricPodsMetric {
  return {
    name: fields.get('name'),
    selector: listOfOne(fields.struct('selector', labelSelector)),
  };
}

function metricTarget(fields: Fields<autoscaling.MetricTarget>): hpa.HorizontalPodAutoscalerV2SpecMetricResourceTarget {
  return {
    type: fields.get('type'),
    averageUtilization: fields.get('averageUtilization'),
    averageValue: fields.get('averageValue'),
    value: fields.get('value'),
  };
}
