import { App, TerraformOutput, Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import {
  AuroraDatabase, AuroraGlobalCluster, AwsSiteContext, DatabaseCredentials, defineTopology, runChecks, SiteKey, SiteNetwork,
} from '../../lib';
import { requireWriteOnlyArguments } from '../../lib/private/cdktf';

function synthGlobal() {
  const topology = defineTopology({
    hostname: 'auth.example.com',
    sites: { eu: { region: 'eu-west-1', cidr: '10.10.0.0/16' }, us: { region: 'us-east-1', cidr: '10.20.0.0/16' } },
  });
  const stack = new TerraformStack(Testing.app(), 'stack');
  const providers = {
    eu: new AwsProvider(stack, 'aws-eu', { region: 'eu-west-1', alias: 'eu' }),
    us: new AwsProvider(stack, 'aws-us', { region: 'us-east-1', alias: 'us' }),
  };
  const site = (name: 'eu' | 'us') => {
    const scope = new Construct(stack, name);
    const context: AwsSiteContext = { topology, site: topology.sites[name], name: `keycloak-${name}`, provider: providers[name], tags: {} };
    const key = new SiteKey(scope, 'Key', context);
    const network = new SiteNetwork(scope, 'Network', context, { kmsKeyArn: key.arn });
    return { scope, context, key, network };
  };
  const eu = site('eu');
  const us = site('us');
  const global = new AuroraGlobalCluster(stack, 'Global', { name: 'keycloak', database: topology.database, provider: providers.eu });
  const credentials = new DatabaseCredentials(eu.scope, 'Credentials', eu.context, { kmsKeyArn: eu.key.arn, replicaRegions: ['us-east-1'] });
  const keycloakCredentials = new DatabaseCredentials(eu.scope, 'KeycloakCredentials', eu.context, { kmsKeyArn: eu.key.arn, replicaRegions: ['us-east-1'], user: 'keycloak' });
  const primary = new AuroraDatabase(eu.scope, 'Database', eu.context, {
    network: eu.network, kmsKeyArn: eu.key.arn, global: { role: 'primary', globalClusterIdentifier: global.identifier, credentials, keycloakCredentials },
  });
  const secondary = new AuroraDatabase(us.scope, 'Database', us.context, {
    network: us.network, kmsKeyArn: us.key.arn,
    global: {
      role: 'secondary', globalClusterIdentifier: global.identifier,
      credentialsSecretArn: credentials.arnIn('us-east-1'), keycloakCredentialsSecretArn: keycloakCredentials.arnIn('us-east-1'),
    },
  });
  new TerraformOutput(stack, 'us-credentials', { value: secondary.masterSecretArn });
  new TerraformOutput(stack, 'eu-credentials', { value: primary.masterSecretArn });
  new TerraformOutput(stack, 'us-keycloak-credentials', { value: secondary.credentialsSecretArn });
  return { json: JSON.parse(Testing.synth(stack)) };
}

describe('Aurora Global Database', () => {
  const { json } = synthGlobal();
  const clusters = Object.entries(json.resource.aws_rds_cluster as Record<string, Record<string, unknown>>);
  const primary = clusters.find(([name]) => name.startsWith('eu_'))?.[1] ?? {};
  const secondary = clusters.find(([name]) => name.startsWith('us_'))?.[1] ?? {};

  test('an encrypted, deletion-protected global cluster both regional clusters join', () => {
    const [global] = Object.values(json.resource.aws_rds_global_cluster as Record<string, Record<string, unknown>>);
    expect(global).toMatchObject({ global_cluster_identifier: 'keycloak', engine: 'aurora-postgresql', storage_encrypted: true, deletion_protection: true });
    for (const cluster of [primary, secondary]) {
      expect(cluster.global_cluster_identifier).toMatch(/^\$\{aws_rds_global_cluster\.[^}]+\.global_cluster_identifier\}$/);
    }
  });

  test('the primary sets a write-only password from the generated secret, which RDS cannot manage in a global database', () => {
    expect(primary).toMatchObject({ master_username: 'keycloak', master_password_wo_version: 1, database_name: 'keycloak' });
    expect(primary.master_password_wo).toMatch(/^\$\{data\.aws_secretsmanager_random_password\.[^}]+\.random_password\}$/);
    expect(primary.manage_master_user_password).toBeUndefined();
    expect(primary.master_password).toBeUndefined();
    // Write-only arguments need Terraform 1.11; an older one is told so by the terraform block.
    expect(json.terraform.required_version).toBe('>= 1.11');
  });

  test('the secondary inherits users and data, and keeps the replication source RDS sets', () => {
    expect(secondary.master_username).toBeUndefined();
    expect(secondary.database_name).toBeUndefined();
    expect(secondary.lifecycle).toEqual({ ignore_changes: ['replication_source_identifier'] });
    expect(secondary.provider).toBe('aws.us');
  });

  test('the credentials are replicated to the secondary region, which reads its local replica', () => {
    for (const secret of Object.values(json.resource.aws_secretsmanager_secret as Record<string, Record<string, unknown>>)) {
      expect(secret.replica).toEqual([{ region: 'us-east-1' }]);
    }
    expect(json.output['us-credentials'].value).toMatch(/^\$\{replace\(aws_secretsmanager_secret\.[^,]+\.arn, ":eu-west-1:", ":us-east-1:"\)\}$/);
    expect(json.output['us-keycloak-credentials'].value).toMatch(/^\$\{replace\(aws_secretsmanager_secret\.eu_KeycloakCredentials[^,]+\.arn, ":eu-west-1:", ":us-east-1:"\)\}$/);
    expect(json.output['eu-credentials'].value).toMatch(/^\$\{aws_secretsmanager_secret\.[^}]+\.arn\}$/);
  });

  test('no secret is written as a literal', () => {
    const resources = Object.entries(json.resource as Record<string, Record<string, Record<string, unknown>>>)
      .flatMap(([type, byName]) => Object.entries(byName).map(([name, body]) => ({ type, name, path: name, body })));
    expect(runChecks(resources).filter((f) => f.ruleId === 'plaintext-secret')).toEqual([]);
  });
});

describe('the Terraform version constraint of write-only arguments', () => {
  const constrained = (app: App) => {
    const stack = new TerraformStack(app, 'stack');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    requireWriteOnlyArguments(stack);
    return stack;
  };

  test('cdk.tf.json states it; cdktf synth --hcl, whose writer cannot render it, leaves it out and still parses', () => {
    expect(JSON.parse(Testing.synth(constrained(Testing.app()))).terraform.required_version).toBe('>= 1.11');
    const hcl = Testing.synthHcl(constrained(new App({ hclOutput: true })));
    expect(hcl).not.toContain('required_version');
  });
});
