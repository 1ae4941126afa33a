import { CheckRule, SynthesizedResource } from './rule';
import { cacheOwners } from './rules/cache-owners';
import { databaseMultiAz } from './rules/database-multi-az';
import { dnsHealthCheck } from './rules/dns-health-check';
import { encryptionAtRest } from './rules/encryption-at-rest';
import { globalHealth, targetHealth } from './rules/health-checks';
import { kubernetesContainerResources } from './rules/kubernetes-container-resources';
import { kubernetesDisruptionBudget } from './rules/kubernetes-disruption-budget';
import { kubernetesImagePinned } from './rules/kubernetes-image-pinned';
import { kubernetesIngressTls } from './rules/kubernetes-ingress-tls';
import { kubernetesKeycloakProbes } from './rules/kubernetes-keycloak-probes';
import { kubernetesNetworkPolicy } from './rules/kubernetes-network-policy';
import { kubernetesSecretEnv } from './rules/kubernetes-secret-env';
import { kubernetesZoneSpread } from './rules/kubernetes-zone-spread';
import { listenerTls } from './rules/listener-tls';
import { logRetention } from './rules/log-retention';
import { plaintextSecret } from './rules/plaintext-secret';
import { statefulProtection } from './rules/stateful-protection';
import { stickiness } from './rules/stickiness';
import { taskPublicIp } from './rules/task-public-ip';
import { worldOpenIngress } from './rules/world-open-ingress';

/** The HA and security rules every deployment is checked against, by id. */
export const CHECK_RULES: readonly CheckRule[] = [
  statefulProtection,
  encryptionAtRest,
  databaseMultiAz,
  worldOpenIngress,
  taskPublicIp,
  listenerTls,
  targetHealth,
  globalHealth,
  stickiness,
  cacheOwners,
  dnsHealthCheck,
  logRetention,
  plaintextSecret,
  kubernetesDisruptionBudget,
  kubernetesZoneSpread,
  kubernetesKeycloakProbes,
  kubernetesNetworkPolicy,
  kubernetesIngressTls,
  kubernetesContainerResources,
  kubernetesImagePinned,
  kubernetesSecretEnv,
];

/** One violation of one rule, ready to report. */
export interface CheckFinding {
  readonly ruleId: string;
  readonly severity: CheckRule['severity'];
  /** Terraform address, e.g. `aws_rds_cluster.Keycloak_eu-west_Database_Cluster_F6C08D48`. */
  readonly address: string;
  /** Construct path of the resource. */
  readonly path: string;
  readonly detail: string;
  readonly explanation: string;
  readonly fix: string;
}

/** Runs rules over resources; pure, so rules are testable on hand-made resources. */
export function runChecks(resources: readonly SynthesizedResource[], rules: readonly CheckRule[] = CHECK_RULES): CheckFinding[] {
  return rules.flatMap((rule) =>
    rule.evaluate(resources).map(({ resource, detail }) => ({
      ruleId: rule.id,
      severity: rule.severity,
      address: `${resource.type}.${resource.name}`,
      path: resource.path,
      detail,
      explanation: rule.explanation,
      fix: rule.fix,
    })),
  );
}

/** One line: `[rule] address: detail — explanation. Fix: fix`. */
export function formatFinding(finding: CheckFinding): string {
  return `[${finding.ruleId}] ${finding.address}: ${finding.detail} — ${finding.explanation}. Fix: ${finding.fix}`;
}
