import { CheckRule, valueAt, Violation } from '../rule';
import { runsSeveralPods, workloads } from './kubernetes-workloads';

/** Pods of one workload in one zone go down with it. */
export const kubernetesZoneSpread: CheckRule = {
  id: 'kubernetes-zone-spread',
  severity: 'error',
  explanation: 'the scheduler may put every pod in one zone, and a zone outage then takes the whole site down',
  fix: "add a topologySpreadConstraint on 'topology.kubernetes.io/zone' with whenUnsatisfiable 'DoNotSchedule' and maxSkew 1",
  evaluate(resources) {
    const violations: Violation[] = [];
    for (const workload of workloads(resources).filter(runsSeveralPods)) {
      const constraints = valueAt(workload.body, 'spec.template.spec.topology_spread_constraint');
      const list = (Array.isArray(constraints) ? constraints : constraints ? [constraints] : []) as Record<string, unknown>[];
      const zone = list.find((c) => c.topology_key === 'topology.kubernetes.io/zone');
      if (!zone) violations.push({ resource: workload, detail: 'no spread constraint on topology.kubernetes.io/zone' });
      else if (zone.when_unsatisfiable !== 'DoNotSchedule') {
        violations.push({ resource: workload, detail: `the zone spread is '${String(zone.when_unsatisfiable ?? 'DoNotSchedule')}', a preference the scheduler may drop` });
      }
    }
    return violations;
  },
};
