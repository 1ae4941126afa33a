import { CheckRule, ofType, Violation } from '../rule';
import { containerName, containersOf, workloads } from './kubernetes-workloads';

const SECRET_NAME = /(PASSWORD|PASS|SECRET|TOKEN|PRIVATE_KEY|CREDENTIALS?)$/i;
/** `password="x"` or `password: x` whose value is not a reference (`${env.X}`, escaped `$${...}` in Terraform). */
const INLINE_PASSWORD = /password\s*(=|:)\s*["']?(?!\$\$?\{)(?!["'\s>])[^"'\s<>]+/i;

/** Secret values belong in Secrets, referenced by `secretKeyRef`; env values and ConfigMaps are readable by anyone who can read the object. */
export const kubernetesSecretEnv: CheckRule = {
  id: 'kubernetes-secret-env',
  severity: 'error',
  explanation: 'env values and ConfigMaps are plain text in the Terraform state, the API server and every `kubectl get -o yaml`',
  fix: 'put the value in a Secret and reference it (env valueFrom.secretKeyRef, or ${env.NAME} in a rendered file)',
  evaluate(resources) {
    const violations: Violation[] = [];
    for (const workload of workloads(resources)) {
      for (const container of containersOf(workload)) {
        for (const variable of container.env ?? []) {
          if (SECRET_NAME.test(variable.name ?? '') && variable.value !== undefined) {
            violations.push({ resource: workload, detail: `container ${containerName(container)} sets ${String(variable.name)} as a plain value` });
          }
        }
      }
    }
    for (const configMap of ofType(resources, 'kubernetes_config_map_v1')) {
      for (const [key, value] of Object.entries((configMap.body.data ?? {}) as Record<string, unknown>)) {
        if (SECRET_NAME.test(key)) violations.push({ resource: configMap, detail: `data key ${key} holds a secret` });
        else if (typeof value === 'string' && INLINE_PASSWORD.test(value)) violations.push({ resource: configMap, detail: `data key ${key} contains a literal password` });
      }
    }
    return violations;
  },
};
