import { CheckRule, ofType, valueAt, Violation } from '../rule';

/**
 * Keycloak 26 serves health on the management port: `/` redirects and 8080 has no health
 * endpoint, so a target check elsewhere marks healthy nodes down (or dead ones up).
 */
export const targetHealth: CheckRule = {
  id: 'target-health',
  severity: 'error',
  explanation: "Keycloak's readiness is /health/ready on the management port 9000; other paths do not reflect it",
  fix: "set the target group health check to path '/health/ready', port '9000'",
  evaluate(resources) {
    const violations: Violation[] = [];
    for (const resource of ofType(resources, 'aws_lb_target_group')) {
      const path = valueAt(resource.body, 'health_check.path');
      const port = String(valueAt(resource.body, 'health_check.port'));
      if (valueAt(resource.body, 'health_check.enabled') === false || path !== '/health/ready' || port !== '9000') {
        violations.push({ resource, detail: `health check is ${String(path ?? '/')} on port ${port}` });
      }
    }
    return violations;
  },
};

/** Global checks (DNS, accelerator) ask `/lb-check`, which also reports the cross-site link. */
export const globalHealth: CheckRule = {
  id: 'global-health-lb-check',
  severity: 'error',
  explanation: 'a site whose cross-site cache link is down answers 503 on /lb-check; other paths keep routing users to it',
  fix: "set resource_path (Route 53) or health_check_path (Global Accelerator) to '/lb-check'",
  evaluate(resources) {
    const violations: Violation[] = [];
    for (const resource of ofType(resources, 'aws_route53_health_check')) {
      const type = String(resource.body.type ?? '');
      if (type.startsWith('HTTP') && resource.body.resource_path !== '/lb-check') {
        violations.push({ resource, detail: `resource_path is '${String(resource.body.resource_path ?? '/')}'` });
      }
    }
    for (const resource of ofType(resources, 'aws_globalaccelerator_endpoint_group')) {
      if (resource.body.health_check_path !== '/lb-check') {
        violations.push({ resource, detail: `health_check_path is '${String(resource.body.health_check_path ?? '/')}'` });
      }
    }
    return violations;
  },
};
