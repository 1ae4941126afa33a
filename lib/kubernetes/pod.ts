import type * as api from 'kubernetes-types/core/v1';
import type * as tf from '@cdktf/provider-kubernetes/lib/deployment-v1';
import type { Fields } from './fields';
import { labelSelector, podTemplateMetadata } from './meta';

// The pod template shared by kubernetes_deployment_v1 and kubernetes_stateful_set_v1. It is typed
// with the deployment_v1 block types; stateful_set_v1's are structurally identical, which the
// compiler verifies where StatefulSet assigns the result.
//
// Shape changes from the API object to the provider's blocks (see the provider's
// lib/deployment-v1/index-structs/*.d.ts):
// - API plural lists become singular repeated blocks: containers -> container, initContainers ->
//   initContainer, ports -> port, volumes -> volume, volumeMounts -> volumeMount, tolerations ->
//   toleration, topologySpreadConstraints -> topologySpreadConstraint, imagePullSecrets stays,
//   httpHeaders -> httpHeader, sysctls -> sysctl, nodeSelectorTerms -> nodeSelectorTerm;
// - single structs the provider models as lists: probe tcpSocket and grpc, lifecycle postStart and
//   preStop, the labelSelector of topology spread constraints and affinity terms;
// - int-or-string and integer fields typed `string` by the provider: probe/handler ports, user and
//   group ids, fsGroup, tolerationSeconds; file modes become octal strings ("0644").

type PodTemplate = tf.DeploymentV1SpecTemplate;
type PodSpec = tf.DeploymentV1SpecTemplateSpec;
type Container = tf.DeploymentV1SpecTemplateSpecContainer;
type Probe = tf.DeploymentV1SpecTemplateSpecContainerReadinessProbe;
type HttpGet = tf.DeploymentV1SpecTemplateSpecContainerReadinessProbeHttpGet;
type Handler = tf.DeploymentV1SpecTemplateSpecContainerLifecyclePreStop;
type AffinityTerm = tf.DeploymentV1SpecTemplateSpecAffinityPodAntiAffinityRequiredDuringSchedulingIgnoredDuringExecution;
type WeightedAffinityTerm = tf.DeploymentV1SpecTemplateSpecAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecution;
type NodeSelectorTerm = tf.DeploymentV1SpecTemplateSpecAffinityNodeAffinityRequiredDuringSchedulingIgnoredDuringExecutionNodeSelectorTerm;
type NodeSelectorRequirement = tf.DeploymentV1SpecTemplateSpecAffinityNodeAffinityRequiredDuringSchedulingIgnoredDuringExecutionNodeSelectorTermMatchFields;

export function podTemplate(fields: Fields<api.PodTemplateSpec>): PodTemplate {
  return {
    // The provider requires the block; an API template without metadata has none to carry.
    metadata: fields.struct('metadata', podTemplateMetadata) ?? {},
    spec: fields.struct('spec', podSpec) ?? fields.missing('spec'),
  };
}

function podSpec(fields: Fields<api.PodSpec>): PodSpec {
  return {
    container: fields.list('containers', container),
    initContainer: fields.list('initContainers', container),
    volume: fields.list('volumes', volume),
    serviceAccountName: fields.get('serviceAccountName'),
    automountServiceAccountToken: fields.get('automountServiceAccountToken'),
    securityContext: fields.struct('securityContext', podSecurityContext),
    affinity: fields.struct('affinity', affinity),
    topologySpreadConstraint: fields.list('topologySpreadConstraints', (constraint): tf.DeploymentV1SpecTemplateSpecTopologySpreadConstraint => ({
      maxSkew: constraint.get('maxSkew'),
      topologyKey: constraint.get('topologyKey'),
      whenUnsatisfiable: constraint.get('whenUnsatisfiable'),
      labelSelector: listOfOne(constraint.struct('labelSelector', labelSelector)),
      matchLabelKeys: constraint.get('matchLabelKeys'),
      minDomains: constraint.get('minDomains'),
      nodeAffinityPolicy: constraint.get('nodeAffinityPolicy'),
      nodeTaintsPolicy: constraint.get('nodeTaintsPolicy'),
    })),
    toleration: fields.list('tolerations', (toleration): tf.DeploymentV1SpecTemplateSpecToleration => ({
      key: toleration.get('key'),
      operator: toleration.get('operator'),
      value: toleration.get('value'),
      effect: toleration.get('effect'),
      tolerationSeconds: toleration.text('tolerationSeconds'),
    })),
    nodeSelector: fields.get('nodeSelector'),
    imagePullSecrets: fields.list('imagePullSecrets', (secret): tf.DeploymentV1SpecTemplateSpecImagePullSecrets => ({ name: secret.required('name') })),
    terminationGracePeriodSeconds: fields.get('terminationGracePeriodSeconds'),
    enableServiceLinks: fields.get('enableServiceLinks'),
    priorityClassName: fields.get('priorityClassName'),
    dnsPolicy: fields.get('dnsPolicy'),
    hostname: fields.get('hostname'),
    subdomain: fields.get('subdomain'),
    restartPolicy: fields.get('restartPolicy'),
    runtimeClassName: fields.get('runtimeClassName'),
    shareProcessNamespace: fields.get('shareProcessNamespace'),
  };
}

function container(fields: Fields<api.Container>): Container {
  return {
    name: fields.get('name'),
    image: fields.get('image'),
    imagePullPolicy: fields.get('imagePullPolicy'),
    command: fields.get('command'),
    args: fields.get('args'),
    workingDir: fields.get('workingDir'),
    env: fields.list('env', (env): tf.DeploymentV1SpecTemplateSpecContainerEnv => ({
      name: env.get('name'),
      value: env.get('value'),
      valueFrom: env.struct('valueFrom', (from): tf.DeploymentV1SpecTemplateSpecContainerEnvValueFrom => ({
        secretKeyRef: from.struct('secretKeyRef', keySelector),
        configMapKeyRef: from.struct('configMapKeyRef', keySelector),
        fieldRef: from.struct('fieldRef', (ref): tf.DeploymentV1SpecTemplateSpecContainerEnvValueFromFieldRef => ({ apiVersion: ref.get('apiVersion'), fieldPath: ref.get('fieldPath') })),
        resourceFieldRef: from.struct('resourceFieldRef', (ref): tf.DeploymentV1SpecTemplateSpecContainerEnvValueFromResourceFieldRef => ({
          containerName: ref.get('containerName'),
          resource: ref.get('resource'),
          divisor: ref.get('divisor'),
        })),
      })),
    })),
    envFrom: fields.list('envFrom', (source): tf.DeploymentV1SpecTemplateSpecContainerEnvFrom => ({
      prefix: source.get('prefix'),
      configMapRef: source.struct('configMapRef', sourceRef),
      secretRef: source.struct('secretRef', sourceRef),
    })),
    port: fields.list('ports', (port): tf.DeploymentV1SpecTemplateSpecContainerPort => ({
      containerPort: port.get('containerPort'),
      name: port.get('name'),
      protocol: port.get('protocol'),
      hostPort: port.get('hostPort'),
      hostIp: port.get('hostIP'),
    })),
    resources: fields.struct('resources', (resources): tf.DeploymentV1SpecTemplateSpecContainerResources => ({
      requests: resources.get('requests'),
      limits: resources.get('limits'),
    })),
    securityContext: fields.struct('securityContext', (context): tf.DeploymentV1SpecTemplateSpecContainerSecurityContext => ({
      allowPrivilegeEscalation: context.get('allowPrivilegeEscalation'),
      privileged: context.get('privileged'),
      readOnlyRootFilesystem: context.get('readOnlyRootFilesystem'),
      runAsNonRoot: context.get('runAsNonRoot'),
      runAsUser: context.text('runAsUser'),
      runAsGroup: context.text('runAsGroup'),
      capabilities: context.struct('capabilities', (capabilities): tf.DeploymentV1SpecTemplateSpecContainerSecurityContextCapabilities => ({
        add: capabilities.get('add'),
        drop: capabilities.get('drop'),
      })),
      seccompProfile: context.struct('seccompProfile', seccompProfile),
      seLinuxOptions: context.struct('seLinuxOptions', seLinuxOptions),
    })),
    startupProbe: fields.struct('startupProbe', probe),
    readinessProbe: fields.struct('readinessProbe', probe),
    livenessProbe: fields.struct('livenessProbe', probe),
    lifecycle: fields.struct('lifecycle', (lifecycle): tf.DeploymentV1SpecTemplateSpecContainerLifecycle => ({
      postStart: listOfOne(lifecycle.struct('postStart', handler)),
      preStop: listOfOne(lifecycle.struct('preStop', handler)),
    })),
    volumeMount: fields.list('volumeMounts', (mount): tf.DeploymentV1SpecTemplateSpecContainerVolumeMount => ({
      name: mount.get('name'),
      mountPath: mount.get('mountPath'),
      readOnly: mount.get('readOnly'),
      subPath: mount.get('subPath'),
      subPathExpr: mount.get('subPathExpr'),
      mountPropagation: mount.get('mountPropagation'),
    })),
    stdin: fields.get('stdin'),
    stdinOnce: fields.get('stdinOnce'),
    tty: fields.get('tty'),
    terminationMessagePath: fields.get('terminationMessagePath'),
    terminationMessagePolicy: fields.get('terminationMessagePolicy'),
  };
}

function keySelector(fields: Fields<api.SecretKeySelector | api.ConfigMapKeySelector>): tf.DeploymentV1SpecTemplateSpecContainerEnvValueFromSecretKeyRef {
  return { name: fields.get('name'), key: fields.get('key'), optional: fields.get('optional') };
}

function sourceRef(fields: Fields<api.SecretEnvSource | api.ConfigMapEnvSource>): tf.DeploymentV1SpecTemplateSpecContainerEnvFromSecretRef {
  return { name: fields.required('name'), optional: fields.get('optional') };
}

function probe(fields: Fields<api.Probe>): Probe {
  return {
    httpGet: fields.struct('httpGet', httpGet),
    tcpSocket: listOfOne(fields.struct('tcpSocket', tcpSocket)),
    exec: fields.struct('exec', exec),
    grpc: listOfOne(fields.struct('grpc', (grpc): tf.DeploymentV1SpecTemplateSpecContainerReadinessProbeGrpc => ({
      port: grpc.get('port'),
      service: grpc.get('service'),
    }))),
    initialDelaySeconds: fields.get('initialDelaySeconds'),
    periodSeconds: fields.get('periodSeconds'),
    timeoutSeconds: fields.get('timeoutSeconds'),
    successThreshold: fields.get('successThreshold'),
    failureThreshold: fields.get('failureThreshold'),
  };
}

function handler(fields: Fields<api.LifecycleHandler>): Handler {
  return {
    httpGet: fields.struct('httpGet', httpGet),
    tcpSocket: listOfOne(fields.struct('tcpSocket', tcpSocket)),
    exec: fields.struct('exec', exec),
  };
}

function tcpSocket(fields: Fields<api.TCPSocketAction>): tf.DeploymentV1SpecTemplateSpecContainerReadinessProbeTcpSocket {
  return { port: fields.text('port') ?? fields.missing('port') };
}

function exec(fields: Fields<api.ExecAction>): tf.DeploymentV1SpecTemplateSpecContainerReadinessProbeExec {
  return { command: fields.get('command') };
}

function httpGet(fields: Fields<api.HTTPGetAction>): HttpGet {
  return {
    path: fields.get('path'),
    port: fields.text('port'),
    scheme: fields.get('scheme'),
    host: fields.get('host'),
    httpHeader: fields.list('httpHeaders', (header): tf.DeploymentV1SpecTemplateSpecContainerReadinessProbeHttpGetHttpHeader => ({ name: header.get('name'), value: header.get('value') })),
  };
}

function podSecurityContext(fields: Fields<api.PodSecurityContext>): tf.DeploymentV1SpecTemplateSpecSecurityContext {
  return {
    runAsNonRoot: fields.get('runAsNonRoot'),
    runAsUser: fields.text('runAsUser'),
    runAsGroup: fields.text('runAsGroup'),
    fsGroup: fields.text('fsGroup'),
    fsGroupChangePolicy: fields.get('fsGroupChangePolicy'),
    supplementalGroups: fields.get('supplementalGroups'),
    seccompProfile: fields.struct('seccompProfile', seccompProfile),
    seLinuxOptions: fields.struct('seLinuxOptions', seLinuxOptions),
    sysctl: fields.list('sysctls', (sysctl): tf.DeploymentV1SpecTemplateSpecSecurityContextSysctl => ({ name: sysctl.get('name'), value: sysctl.get('value') })),
  };
}

function seccompProfile(fields: Fields<api.SeccompProfile>): tf.DeploymentV1SpecTemplateSpecSecurityContextSeccompProfile {
  return { type: fields.get('type'), localhostProfile: fields.get('localhostProfile') };
}

function seLinuxOptions(fields: Fields<api.SELinuxOptions>): tf.DeploymentV1SpecTemplateSpecSecurityContextSeLinuxOptions {
  return { level: fields.get('level'), role: fields.get('role'), type: fields.get('type'), user: fields.get('user') };
}

function affinity(fields: Fields<api.Affinity>): tf.DeploymentV1SpecTemplateSpecAffinity {
  return {
    nodeAffinity: fields.struct('nodeAffinity', (node): tf.DeploymentV1SpecTemplateSpecAffinityNodeAffinity => ({
      requiredDuringSchedulingIgnoredDuringExecution: node.struct('requiredDuringSchedulingIgnoredDuringExecution', (selector): tf.DeploymentV1SpecTemplateSpecAffinityNodeAffinityRequiredDuringSchedulingIgnoredDuringExecution => ({
        nodeSelectorTerm: selector.list('nodeSelectorTerms', nodeSelectorTerm),
      })),
      preferredDuringSchedulingIgnoredDuringExecution: node.list('preferredDuringSchedulingIgnoredDuringExecution', (preferred): tf.DeploymentV1SpecTemplateSpecAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecution => ({
        weight: preferred.get('weight'),
        preference: preferred.struct('preference', nodeSelectorTerm) ?? preferred.missing('preference'),
      })),
    })),
    podAffinity: fields.struct('podAffinity', podAffinity),
    podAntiAffinity: fields.struct('podAntiAffinity', podAffinity),
  };
}

/** podAffinity and podAntiAffinity have the same shape in the API and in the provider. */
function podAffinity(fields: Fields<api.PodAffinity | api.PodAntiAffinity>): tf.DeploymentV1SpecTemplateSpecAffinityPodAntiAffinity {
  return {
    requiredDuringSchedulingIgnoredDuringExecution: fields.list('requiredDuringSchedulingIgnoredDuringExecution', affinityTerm),
    preferredDuringSchedulingIgnoredDuringExecution: fields.list(
      'preferredDuringSchedulingIgnoredDuringExecution',
      (weighted): WeightedAffinityTerm => ({
        weight: weighted.get('weight'),
        podAffinityTerm: weighted.struct('podAffinityTerm', affinityTerm) ?? weighted.missing('podAffinityTerm'),
      }),
    ),
  };
}

function affinityTerm(fields: Fields<api.PodAffinityTerm>): AffinityTerm {
  return {
    topologyKey: fields.get('topologyKey'),
    labelSelector: listOfOne(fields.struct('labelSelector', labelSelector)),
    namespaceSelector: listOfOne(fields.struct('namespaceSelector', labelSelector)),
    namespaces: fields.get('namespaces'),
  };
}

function nodeSelectorTerm(fields: Fields<api.NodeSelectorTerm>): NodeSelectorTerm {
  return {
    matchExpressions: fields.list('matchExpressions', nodeSelectorRequirement),
    matchFields: fields.list('matchFields', nodeSelectorRequirement),
  };
}

function nodeSelectorRequirement(fields: Fields<api.NodeSelectorRequirement>): NodeSelectorRequirement {
  return { key: fields.get('key'), operator: fields.get('operator'), values: fields.get('values') };
}

function volume(fields: Fields<api.Volume>): tf.DeploymentV1SpecTemplateSpecVolume {
  return {
    name: fields.get('name'),
    configMap: fields.struct('configMap', (source): tf.DeploymentV1SpecTemplateSpecVolumeConfigMap => ({
      name: source.get('name'),
      defaultMode: source.mode('defaultMode'),
      optional: source.get('optional'),
      items: source.list('items', keyToPath),
    })),
    secret: fields.struct('secret', (source): tf.DeploymentV1SpecTemplateSpecVolumeSecret => ({
      secretName: source.get('secretName'),
      defaultMode: source.mode('defaultMode'),
      optional: source.get('optional'),
      items: source.list('items', keyToPath),
    })),
    emptyDir: fields.struct('emptyDir', (source): tf.DeploymentV1SpecTemplateSpecVolumeEmptyDir => ({ medium: source.get('medium'), sizeLimit: source.get('sizeLimit') })),
    persistentVolumeClaim: fields.struct('persistentVolumeClaim', (source): tf.DeploymentV1SpecTemplateSpecVolumePersistentVolumeClaim => ({
      claimName: source.get('claimName'),
      readOnly: source.get('readOnly'),
    })),
  };
}

function keyToPath(fields: Fields<api.KeyToPath>): tf.DeploymentV1SpecTemplateSpecVolumeConfigMapItems {
  return { key: fields.get('key'), path: fields.get('path'), mode: fields.mode('mode') };
}

/** The provider models some single API structs as blocks that repeat at most once. */
export function listOfOne<T>(value: T | undefined): T[] | undefined {
  return value === undefined ? undefined : [value];
}
