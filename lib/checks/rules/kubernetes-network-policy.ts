import { CheckRule, ofType, valueAt, Violation } from '../rule';
import { podLabels, sameNamespace, selects, workloads } from './kubernetes-workloads';

/** Pods no NetworkPolicy selects accept connections from every pod of the cluster. */
export const kubernetesNetworkPolicy: CheckRule = {
  id: 'kubernetes-network-policy',
  severity: 'error',
  explanation: 'pods that no NetworkPolicy selects accept connections from any pod in the cluster, on every port',
  fix: "add a NetworkPolicy with policyTypes ['Ingress'] whose podSelector matches the pod template labels and allows only the peers that need each port",
  evaluate(resources) {
    const policies = ofType(resources, 'kubernetes_network_policy_v1').filter((policy) => {
      const types = valueAt(policy.body, 'spec.policy_types');
      return Array.isArray(types) && types.includes('Ingress');
    });
    const violations: Violation[] = [];
    for (const workload of workloads(resources)) {
      const labels = podLabels(workload);
      if (!policies.some((policy) => sameNamespace(policy, workload) && selects(policy, 'spec.pod_selector', labels))) {
        violations.push({ resource: workload, detail: 'no NetworkPolicy restricts ingress to its pods' });
      }
    }
    return violations;
  },
};
