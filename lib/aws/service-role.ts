import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument, IamRole, IamRolePolicy } from '../private/aws-classes';
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { AwsSiteContext } from './site-context';

export interface ServiceRoleProps {
  /** The AWS service principal that assumes the role, e.g. `ecs-tasks.amazonaws.com`. */
  readonly service: string;
  /** IAM role name. */
  readonly roleName: string;
  /** What the role may do, as an inline policy. */
  readonly statements: DataAwsIamPolicyDocumentStatement[];
}

/**
 * An IAM role one AWS service assumes, with exactly the given permissions inline. Construct IDs
 * are `<prefix>Role` and `<prefix>Policy` (plus the two policy documents) below `scope`.
 */
export function createServiceRole(scope: Construct, prefix: string, context: AwsSiteContext, props: ServiceRoleProps): IamRole {
  const { provider, tags } = context;
  const assume = new DataAwsIamPolicyDocument(scope, `${prefix}Assume`, {
    provider,
    statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: [props.service] }] }],
  });
  const role = new IamRole(scope, `${prefix}Role`, { provider, name: props.roleName, assumeRolePolicy: assume.json, tags });
  const permissions = new DataAwsIamPolicyDocument(scope, `${prefix}Permissions`, { provider, statement: props.statements });
  new IamRolePolicy(scope, `${prefix}Policy`, { provider, role: role.id, policy: permissions.json });
  return role;
}
