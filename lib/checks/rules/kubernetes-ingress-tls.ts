import { CheckRule, ofType, valueAt, Violation } from '../rule';

/** An Ingress host without a TLS entry is served over plain HTTP (or with the controller's default certificate). */
export const kubernetesIngressTls: CheckRule = {
  id: 'kubernetes-ingress-tls',
  severity: 'error',
  explanation: 'a host without a TLS entry is served with the ingress controller\'s default certificate or in clear text; Keycloak\'s cookies and tokens then travel unprotected',
  fix: 'list every rule host under spec.tls with a kubernetes.io/tls Secret holding its certificate',
  evaluate(resources) {
    const violations: Violation[] = [];
    for (const ingress of ofType(resources, 'kubernetes_ingress_v1')) {
      const list = (value: unknown) => (Array.isArray(value) ? value : value ? [value] : []) as Record<string, unknown>[];
      const tls = list(valueAt(ingress.body, 'spec.tls'));
      const covered = new Set(tls.filter((entry) => typeof entry.secret_name === 'string' && entry.secret_name !== '').flatMap((entry) => (entry.hosts ?? []) as string[]));
      const hosts = list(valueAt(ingress.body, 'spec.rule')).map((rule) => rule.host);
      if (hosts.length === 0 || hosts.some((host) => typeof host !== 'string' || host === '')) {
        violations.push({ resource: ingress, detail: 'a rule without host takes every name, which no certificate covers' });
      }
      for (const host of hosts) {
        if (typeof host === 'string' && host !== '' && !covered.has(host)) violations.push({ resource: ingress, detail: `host ${host} has no TLS entry with a Secret` });
      }
    }
    return violations;
  },
};
