import { CheckRule, valueAt, Violation } from '../rule';
import { containerName, containersOf, workloads } from './kubernetes-workloads';

const PROBES = [['startup_probe', '/health/started'], ['readiness_probe', '/health/ready'], ['liveness_probe', '/health/live']] as const;

/** Keycloak 26 serves health on the management port; `/` redirects and 8080 has no health endpoint. */
export const kubernetesKeycloakProbes: CheckRule = {
  id: 'kubernetes-keycloak-probes',
  severity: 'error',
  explanation: "Keycloak's health endpoints are on the management port 9000; a probe elsewhere never reflects readiness (or restarts healthy pods)",
  fix: "probe '/health/started', '/health/ready' and '/health/live' on port 9000 (health-enabled=true)",
  evaluate(resources) {
    const violations: Violation[] = [];
    for (const workload of workloads(resources)) {
      for (const container of containersOf(workload).filter((c) => /keycloak/i.test(c.image ?? '') && !/infinispan/i.test(c.image ?? ''))) {
        for (const [probe, path] of PROBES) {
          const port = String(valueAt(container, `${probe}.http_get.port`));
          const actual = valueAt(container, `${probe}.http_get.path`);
          if (port !== '9000' || actual !== path) {
            violations.push({ resource: workload, detail: `container ${containerName(container)}: ${probe} is ${actual === undefined ? 'not an HTTP probe' : `${String(actual)} on port ${port}`}` });
          }
        }
      }
    }
    return violations;
  },
};
