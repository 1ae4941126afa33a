import { Construct } from 'constructs';
import { DataAwsCallerIdentity, DataAwsIamPolicyDocument, DataAwsPartition, DataAwsRegion, KmsAlias, KmsKey } from '../private/aws-classes';
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { AwsSiteContext } from './site-context';

/**
 * Key-policy statement that lets CloudWatch use a customer-managed key to publish alarms to a
 * topic it encrypts; without it alarms change state and no notification arrives.
 * Source: AWS re:Post "configure a CloudWatch alarm with an encrypted SNS topic".
 */
export const CLOUDWATCH_ALARMS_KEY_STATEMENT: DataAwsIamPolicyDocumentStatement = {
  sid: 'CloudWatchAlarmsPublish',
  principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
  actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
  resources: ['*'],
};

/**
 * The customer-managed key of a site: it encrypts the database storage, the database and
 * bootstrap secrets, the log groups and the alarm topic. Rotated yearly; a deleted key waits 30 days.
 */
export class SiteKey extends Construct {
  readonly key: KmsKey;
  readonly arn: string;

  constructor(scope: Construct, id: string, context: AwsSiteContext) {
    super(scope, id);
    const provider = context.provider;
    const account = new DataAwsCallerIdentity(this, 'Account', { provider });
    const partition = new DataAwsPartition(this, 'Partition', { provider });
    const region = new DataAwsRegion(this, 'Region', { provider });
    const accountRoot = `arn:${partition.partition}:iam::${account.accountId}:root`;
    const policy = new DataAwsIamPolicyDocument(this, 'Policy', {
      provider,
      statement: [
        {
          sid: 'AccountAdministers',
          principals: [{ type: 'AWS', identifiers: [accountRoot] }],
          actions: ['kms:*'],
          resources: ['*'],
        },
        {
          // CloudWatch Logs encrypts log groups with the key only for this account's log groups.
          sid: 'CloudWatchLogsEncrypts',
          principals: [{ type: 'Service', identifiers: [`logs.${region.region}.amazonaws.com`] }],
          actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          resources: ['*'],
          condition: [
            {
              test: 'ArnLike',
              variable: 'kms:EncryptionContext:aws:logs:arn',
              values: [`arn:${partition.partition}:logs:${region.region}:${account.accountId}:log-group:*`],
            },
          ],
        },
        CLOUDWATCH_ALARMS_KEY_STATEMENT,
      ],
    });
    this.key = new KmsKey(this, 'Resource', {
      provider,
      description: `Keycloak ${context.name}: database, secrets and logs`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policy.json,
      tags: context.tags,
    });
    new KmsAlias(this, 'Alias', { provider, name: `alias/${context.name}`, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
  }
}
