import { CheckRule, ofType, Violation } from '../rule';

/** Data at rest is encrypted with a key the deployment controls and rotates. */
export const encryptionAtRest: CheckRule = {
  id: 'encryption-at-rest',
  severity: 'error',
  explanation: 'identity data, credentials and logs (which carry user names and IP addresses) must not sit unencrypted',
  fix: 'set storage_encrypted on the cluster, a kms_key_id on log groups and secrets, and key rotation on KMS keys',
  evaluate(resources) {
    const violations: Violation[] = [];
    for (const resource of ofType(resources, 'aws_rds_cluster')) {
      if (resource.body.storage_encrypted !== true) violations.push({ resource, detail: 'storage_encrypted is not true' });
    }
    for (const resource of ofType(resources, 'aws_cloudwatch_log_group', 'aws_secretsmanager_secret')) {
      if (!resource.body.kms_key_id) violations.push({ resource, detail: 'kms_key_id is not set' });
    }
    for (const resource of ofType(resources, 'aws_kms_key')) {
      if (resource.body.enable_key_rotation !== true) violations.push({ resource, detail: 'enable_key_rotation is not true' });
    }
    return violations;
  },
};
