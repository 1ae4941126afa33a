import { CheckRule, Violation } from '../rule';
import { containerName, containersOf, workloads } from './kubernetes-workloads';

/** Unbounded or unrequested resources: the scheduler overcommits, and one pod can starve a node. */
export const kubernetesContainerResources: CheckRule = {
  id: 'kubernetes-container-resources',
  severity: 'error',
  explanation: 'without requests the scheduler packs pods onto nodes that cannot run them under load; without a memory limit one pod can exhaust its node',
  fix: 'set resources.requests.cpu, resources.requests.memory and resources.limits.memory on every container',
  evaluate(resources) {
    const violations: Violation[] = [];
    for (const workload of workloads(resources)) {
      for (const container of containersOf(workload)) {
        const missing = [
          ...(container.resources?.requests?.cpu ? [] : ['requests.cpu']),
          ...(container.resources?.requests?.memory ? [] : ['requests.memory']),
          ...(container.resources?.limits?.memory ? [] : ['limits.memory']),
        ];
        if (missing.length > 0) violations.push({ resource: workload, detail: `container ${containerName(container)} has no ${missing.join(', ')}` });
      }
    }
    return violations;
  },
};
