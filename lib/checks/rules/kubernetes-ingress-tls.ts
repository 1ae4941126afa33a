import { LB_CHECK_PATH } from '../../model/topology';
import { CheckRule, ofType, valueAt, Violation } from '../rule';

/**
 * An Ingress host without a TLS entry is served over plain HTTP (or with the controller's default
 * certificate). A host-less rule is accepted only when it serves nothing but the health endpoint
 * (`/lb-check`, Exact): Route 53 health checks arrive with the load balancer's name as Host, and
 * that response carries no cookie or token.
 */
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
      const rules = list(valueAt(ingress.body, 'spec.rule'));
      const hosts = rules.map((rule) => rule.host);
      if (rules.length === 0 || rules.some((rule) => (typeof rule.host !== 'string' || rule.host === '') && !onlyHealthCheck(rule))) {
        violations.push({ resource: ingress, detail: 'a rule without host takes every name, which no certificate covers' });
      }
      for (const host of hosts) {
        if (typeof host === 'string' && host !== '' && !covered.has(host)) violations.push({ resource: ingress, detail: `host ${host} has no TLS entry with a Secret` });
      }
    }
    return violations;
  },
};

/** A rule whose only path is the health endpoint, matched exactly. */
function onlyHealthCheck(rule: Record<string, unknown>): boolean {
  const http = rule.http as { path?: { path?: unknown; path_type?: unknown }[] }[] | { path?: { path?: unknown; path_type?: unknown }[] } | undefined;
  const paths = (Array.isArray(http) ? http : http ? [http] : []).flatMap((h) => h.path ?? []);
  return paths.length > 0 && paths.every((p) => p.path === LB_CHECK_PATH && p.path_type === 'Exact');
}
