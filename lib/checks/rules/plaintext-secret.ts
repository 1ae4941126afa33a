import { CheckRule, isExpression, Violation } from '../rule';
import { parseContainers } from './cache-owners';

const SECRET_KEY = /(^|_)(password|secret_string|secret|token|private_key|client_secret)(_wo)?$/i;
const SECRET_ENV = /(PASSWORD|SECRET|TOKEN|PRIVATE_KEY)$/i;

/** Secrets come from a secret store by reference; no literal ever reaches the Terraform files. */
export const plaintextSecret: CheckRule = {
  id: 'plaintext-secret',
  severity: 'error',
  explanation: 'synthesized files are committed, reviewed and logged: a literal secret there is a leaked secret',
  fix: 'reference a Secrets Manager secret (ECS `secrets`, RDS-managed passwords) instead of writing the value',
  evaluate(resources) {
    const violations: Violation[] = [];
    for (const resource of resources) {
      walk(resource.body, '', (path, value) => {
        if (SECRET_KEY.test(path.split('.').pop() ?? '') && typeof value === 'string' && value !== '' && !isExpression(value)) {
          violations.push({ resource, detail: `${path} holds a literal value` });
        }
      });
      for (const container of parseContainers(resource.body.container_definitions)) {
        for (const variable of container.environment ?? []) {
          if (SECRET_ENV.test(variable.name)) {
            violations.push({ resource, detail: `container ${container.name ?? '?'} sets ${variable.name} in its plain environment` });
          }
        }
      }
    }
    return violations;
  },
};

function walk(value: unknown, path: string, visit: (path: string, value: unknown) => void): void {
  if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}.${i}`, visit));
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key, visit);
  } else visit(path, value);
}
