import { CheckRule, ofType, Violation } from '../rule';
import { podLabels, runsSeveralPods, sameNamespace, selects, workloads } from './kubernetes-workloads';

/** A drain or upgrade may evict every pod of a workload at once unless a PodDisruptionBudget says otherwise. */
export const kubernetesDisruptionBudget: CheckRule = {
  id: 'kubernetes-disruption-budget',
  severity: 'error',
  explanation: 'without a PodDisruptionBudget a node drain or cluster upgrade may evict every pod of the workload at once',
  fix: 'add a PodDisruptionBudget (maxUnavailable 1) whose selector matches the pod template labels',
  evaluate(resources) {
    const budgets = ofType(resources, 'kubernetes_pod_disruption_budget_v1');
    const violations: Violation[] = [];
    for (const workload of workloads(resources).filter(runsSeveralPods)) {
      const labels = podLabels(workload);
      if (!budgets.some((pdb) => sameNamespace(pdb, workload) && selects(pdb, 'spec.selector', labels))) {
        violations.push({ resource: workload, detail: 'no PodDisruptionBudget selects its pods' });
      }
    }
    return violations;
  },
};
