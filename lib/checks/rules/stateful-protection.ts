import { CheckRule, ofType, Violation } from '../rule';

/** Resources whose loss loses data: a plan must not be able to delete them outright. */
export const statefulProtection: CheckRule = {
  id: 'stateful-deletion-protection',
  severity: 'error',
  explanation: 'the database holds every realm, user and persistent session; keys and secrets cannot be recovered once gone',
  fix: 'keep deletion protection and final snapshots on the cluster, and a recovery window on keys and secrets',
  evaluate(resources) {
    const violations: Violation[] = [];
    for (const resource of ofType(resources, 'aws_rds_cluster')) {
      if (resource.body.deletion_protection !== true) violations.push({ resource, detail: 'deletion_protection is not true' });
      if (resource.body.skip_final_snapshot === true) violations.push({ resource, detail: 'skip_final_snapshot is true' });
    }
    for (const resource of ofType(resources, 'aws_kms_key')) {
      const days = resource.body.deletion_window_in_days;
      if (typeof days === 'number' && days < 7) violations.push({ resource, detail: `deletion_window_in_days is ${days}` });
    }
    for (const resource of ofType(resources, 'aws_secretsmanager_secret')) {
      if (resource.body.recovery_window_in_days === 0) violations.push({ resource, detail: 'recovery_window_in_days is 0 (immediate deletion)' });
    }
    return violations;
  },
};
