import type * as core from 'kubernetes-types/core/v1';
import type * as networking from 'kubernetes-types/networking/v1';
import type * as svc from '@cdktf/provider-kubernetes/lib/service-v1';
import type * as np from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import type * as ing from '@cdktf/provider-kubernetes/lib/ingress-v1';
import type { Fields } from './fields';
import { labelSelector, namespacedMetadata } from './meta';

export function serviceV1(fields: Fields<core.Service>): svc.ServiceV1Config {
  fields.get('apiVersion');
  fields.get('kind');
  return {
    metadata: fields.struct('metadata', namespacedMetadata) ?? fields.missing('metadata'),
    spec: fields.struct('spec', serviceSpec) ?? fields.missing('spec'),
  };
}

function serviceSpec(fields: Fields<core.ServiceSpec>): svc.ServiceV1Spec {
  return {
    type: fields.get('type'),
    selector: fields.get('selector'),
    port: fields.list('ports', (port): svc.ServiceV1SpecPort => ({
      name: port.get('name'),
      port: port.get('port'),
      // int-or-string in the API, a string ("Number or name of the port") in the provider.
      targetPort: port.text('targetPort'),
      protocol: port.get('protocol'),
      appProtocol: port.get('appProtocol'),
      nodePort: port.get('nodePort'),
    })),
    // "None" makes the Service headless; the provider passes the string through.
    clusterIp: fields.get('clusterIP'),
    clusterIps: fields.get('clusterIPs'),
    publishNotReadyAddresses: fields.get('publishNotReadyAddresses'),
    loadBalancerSourceRanges: fields.get('loadBalancerSourceRanges'),
    loadBalancerClass: fields.get('loadBalancerClass'),
    loadBalancerIp: fields.get('loadBalancerIP'),
    allocateLoadBalancerNodePorts: fields.get('allocateLoadBalancerNodePorts'),
    externalTrafficPolicy: fields.get('externalTrafficPolicy'),
    internalTrafficPolicy: fields.get('internalTrafficPolicy'),
    healthCheckNodePort: fields.get('healthCheckNodePort'),
    sessionAffinity: fields.get('sessionAffinity'),
    sessionAffinityConfig: fields.struct('sessionAffinityConfig', (config): svc.ServiceV1SpecSessionAffinityConfig => ({
      clientIp: config.struct('clientIP', (clientIp): svc.ServiceV1SpecSessionAffinityConfigClientIp => ({
        timeoutSeconds: clientIp.get('timeoutSeconds'),
      })),
    })),
    ipFamilies: fields.get('ipFamilies'),
    ipFamilyPolicy: fields.get('ipFamilyPolicy'),
    externalName: fields.get('externalName'),
    externalIps: fields.get('externalIPs'),
  };
}

export function networkPolicyV1(fields: Fields<networking.NetworkPolicy>): np.NetworkPolicyV1Config {
  fields.get('apiVersion');
  fields.get('kind');
  return {
    metadata: fields.struct('metadata', namespacedMetadata) ?? fields.missing('metadata'),
    spec: fields.struct('spec', networkPolicySpec) ?? fields.missing('spec'),
  };
}

function networkPolicySpec(fields: Fields<networking.NetworkPolicySpec>): np.NetworkPolicyV1Spec {
  const ingress = fields.list('ingress', (rule): np.NetworkPolicyV1SpecIngress => ({
    from: rule.list('from', peer),
    ports: rule.list('ports', policyPort),
  }));
  const egress = fields.list('egress', (rule): np.NetworkPolicyV1SpecEgress => ({
    to: rule.list('to', peer),
    ports: rule.list('ports', policyPort),
  }));
  const policyTypes = fields.get('policyTypes');
  return {
    podSelector: fields.struct('podSelector', labelSelector) ?? fields.missing('podSelector'),
    // Required by the provider, optional in the API. Absent, the API server fills in the same
    // default (networking/v1 SetDefaults_NetworkPolicy): Ingress, plus Egress when egress rules exist.
    policyTypes: policyTypes !== undefined && policyTypes.length > 0
      ? policyTypes
      : ['Ingress', ...(egress !== undefined && egress.length > 0 ? ['Egress'] : [])],
    ingress,
    egress,
  };
}

/** A rule's `from` or `to` entry; ingress_from and egress_to have the same blocks. */
function peer(fields: Fields<networking.NetworkPolicyPeer>): np.NetworkPolicyV1SpecIngressFrom {
  return {
    podSelector: fields.struct('podSelector', labelSelector),
    namespaceSelector: fields.struct('namespaceSelector', labelSelector),
    ipBlock: fields.struct('ipBlock', (block): np.NetworkPolicyV1SpecIngressFromIpBlock => ({
      cidr: block.get('cidr'),
      except: block.get('except'),
    })),
  };
}

function policyPort(fields: Fields<networking.NetworkPolicyPort>): np.NetworkPolicyV1SpecIngressPorts {
  return {
    port: fields.text('port'),
    protocol: fields.get('protocol'),
    endPort: fields.get('endPort'),
  };
}

export function ingressV1(fields: Fields<networking.Ingress>): ing.IngressV1Config {
  fields.get('apiVersion');
  fields.get('kind');
  return {
    metadata: fields.struct('metadata', namespacedMetadata) ?? fields.missing('metadata'),
    spec: fields.struct('spec', (spec): ing.IngressV1Spec => ({
      ingressClassName: spec.get('ingressClassName'),
      defaultBackend: spec.struct('defaultBackend', backend),
      rule: spec.list('rules', (rule): ing.IngressV1SpecRule => ({
        host: rule.get('host'),
        http: rule.struct('http', (http): ing.IngressV1SpecRuleHttp => ({
          path: http.list('paths', (path): ing.IngressV1SpecRuleHttpPath => ({
            path: path.get('path'),
            pathType: path.get('pathType'),
            backend: path.struct('backend', backend),
          })) ?? http.missing('paths'),
        })),
      })),
      tls: spec.list('tls', (tls): ing.IngressV1SpecTls => ({
        hosts: tls.get('hosts'),
        secretName: tls.get('secretName'),
      })),
    })) ?? fields.missing('spec'),
  };
}

/** A path's backend or the default backend; the provider gives both the same blocks. */
function backend(fields: Fields<networking.IngressBackend>): ing.IngressV1SpecRuleHttpPathBackend {
  return {
    service: fields.struct('service', (service): ing.IngressV1SpecRuleHttpPathBackendService => ({
      name: service.get('name'),
      port: service.struct('port', (port): ing.IngressV1SpecRuleHttpPathBackendServicePort => ({
        number: port.get('number'),
        name: port.get('name'),
      })) ?? service.missing('port'),
    })),
    resource: fields.struct('resource', (resource): ing.IngressV1SpecRuleHttpPathBackendResource => ({
      apiGroup: resource.required('apiGroup'),
      kind: resource.get('kind'),
      name: resource.get('name'),
    })),
  };
}
