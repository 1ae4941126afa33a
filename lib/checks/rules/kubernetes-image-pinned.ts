import { CheckRule, isExpression, Violation } from '../rule';
import { containerName, containersOf, workloads } from './kubernetes-workloads';

/** A full version (`26.7.0`, `16.0.12-1`), or a digest. */
const PINNED = /(@sha256:[0-9a-f]{64}$)|(:[^/:@]*\d+\.\d+\.\d+[^/:@]*$)/;

/** A moving tag changes what runs at the next pod start, one pod at a time, without any plan showing it. */
export const kubernetesImagePinned: CheckRule = {
  id: 'kubernetes-image-pinned',
  severity: 'warning',
  explanation: 'a moving tag (none, latest, or MAJOR.MINOR) makes pods of one workload run different versions after a restart, with no diff in any plan',
  fix: 'use a full version tag (e.g. quay.io/keycloak/keycloak:26.7.0) or a digest',
  evaluate(resources) {
    const violations: Violation[] = [];
    for (const workload of workloads(resources)) {
      for (const container of containersOf(workload)) {
        const image = container.image ?? '';
        if (!isExpression(image) && !PINNED.test(image)) violations.push({ resource: workload, detail: `container ${containerName(container)} runs '${image}'` });
      }
    }
    return violations;
  },
};
