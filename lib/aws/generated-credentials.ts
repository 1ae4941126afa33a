import { Construct } from 'constructs';
import { DataAwsSecretsmanagerRandomPassword, SecretsmanagerSecret, SecretsmanagerSecretVersion } from '../private/aws-classes';
import { Fn } from '../private/cdktf';
import { AwsSiteContext } from './site-context';

export interface GeneratedCredentialsProps {
  /** Construct IDs of the secret, the password draw and the secret's value (Terraform addresses). */
  readonly ids: { readonly secret: string; readonly password: string; readonly value: string };
  /** Secrets Manager name. */
  readonly name: string;
  readonly description: string;
  readonly username: string;
  readonly passwordLength: number;
  readonly kmsKeyArn: string;
  /** Regions the secret is replicated to (with each region's Secrets Manager key). */
  readonly replicaRegions?: readonly string[];
}

/** A secret holding `{ username, password }` and the expression of the password it keeps. */
export interface GeneratedCredentials {
  readonly secret: SecretsmanagerSecret;
  /** Terraform expression of the drawn password, for write-only arguments. */
  readonly password: string;
}

/**
 * A username and a password Secrets Manager draws at the first apply, kept in a KMS-encrypted
 * secret. The draw (a data source) runs on every plan; `ignore_changes` keeps the first one, so
 * the value lives in the secret and the Terraform state, never in synthesized files.
 */
export function createGeneratedCredentials(scope: Construct, context: AwsSiteContext, props: GeneratedCredentialsProps): GeneratedCredentials {
  const { provider, tags } = context;
  const secret = new SecretsmanagerSecret(scope, props.ids.secret, {
    provider,
    name: props.name,
    description: props.description,
    kmsKeyId: props.kmsKeyArn,
    recoveryWindowInDays: 7,
    ...(props.replicaRegions?.length ? { replica: props.replicaRegions.map((region) => ({ region })) } : {}),
    tags,
  });
  const drawn = new DataAwsSecretsmanagerRandomPassword(scope, props.ids.password, {
    provider,
    passwordLength: props.passwordLength,
    excludePunctuation: true,
  });
  new SecretsmanagerSecretVersion(scope, props.ids.value, {
    provider,
    secretId: secret.id,
    secretString: Fn.jsonencode({ username: props.username, password: drawn.randomPassword }),
    lifecycle: { ignoreChanges: ['secret_string'] },
  });
  return { secret, password: drawn.randomPassword };
}
