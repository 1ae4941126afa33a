import { CheckRule, ofType, valueAt, Violation } from '../rule';

/** HTTPS with a TLS 1.3 policy; plain HTTP only to redirect. */
export const listenerTls: CheckRule = {
  id: 'listener-tls',
  severity: 'error',
  explanation: 'credentials and tokens cross the listener; old TLS versions and plain HTTP expose them',
  fix: "use an 'ELBSecurityPolicy-TLS13-*' policy on HTTPS listeners and make HTTP listeners redirect to HTTPS",
  evaluate(resources) {
    const violations: Violation[] = [];
    for (const resource of ofType(resources, 'aws_lb_listener')) {
      const { protocol, ssl_policy: policy } = resource.body;
      if (protocol === 'HTTPS' && !String(policy ?? '').startsWith('ELBSecurityPolicy-TLS13-')) {
        violations.push({ resource, detail: `ssl_policy is ${policy === undefined ? 'the default' : `'${String(policy)}'`}` });
      }
      if (protocol === 'HTTP') {
        const action = valueAt(resource.body, 'default_action.0');
        const redirectsToHttps = valueAt(action, 'type') === 'redirect' && valueAt(action, 'redirect.protocol') === 'HTTPS';
        if (!redirectsToHttps) violations.push({ resource, detail: 'an HTTP listener serves instead of redirecting to HTTPS' });
      }
    }
    return violations;
  },
};
