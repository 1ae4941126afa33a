import { CheckRule, ofType } from '../rule';

/** Logs are kept for a set time: neither lost at once nor kept (and billed) forever. */
export const logRetention: CheckRule = {
  id: 'log-retention',
  severity: 'warning',
  explanation: 'a log group without retention keeps personal data (user names, IP addresses) forever',
  fix: 'set retention_in_days (traffic.logRetentionDays)',
  evaluate(resources) {
    return ofType(resources, 'aws_cloudwatch_log_group')
      .filter((group) => !(typeof group.body.retention_in_days === 'number' && group.body.retention_in_days > 0))
      .map((resource) => ({ resource, detail: 'retention_in_days is not set' }));
  },
};
