import { Testing } from 'cdktf';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import { MultiAzStack } from '../../examples/aws-multi-az/stack';
import { multiRegionStacks } from '../../examples/aws-multi-region/stack';
import { withScratchFolder } from '../conformance';

/**
 * Terraform addresses of stateful resources are a contract: a changed address makes Terraform
 * destroy the database, the keys or the secrets and create new ones. If this test fails after a
 * refactor, restore the construct IDs (or move the state with cdktf's moveTo/moveFromId); do not
 * update the list unless the change is meant to replace these resources.
 */
const PINNED = [
  'aws_cloudwatch_log_group.Keycloak_eu-west_Database_Logs_3DC3E3CC',
  'aws_cloudwatch_log_group.Keycloak_eu-west_Keycloak_Logs_078D1FFE',
  'aws_db_subnet_group.Keycloak_eu-west_Database_SubnetGroup_B499D876',
  'aws_kms_alias.Keycloak_eu-west_Key_Alias_83CC6488',
  'aws_kms_key.Keycloak_eu-west_Key_E6B6F2B0',
  'aws_rds_cluster.Keycloak_eu-west_Database_Cluster_F6C08D48',
  'aws_rds_cluster_instance.Keycloak_eu-west_Database_Instance1_74FE3B51',
  'aws_rds_cluster_instance.Keycloak_eu-west_Database_Instance2_20552ED0',
  'aws_rds_cluster_instance.Keycloak_eu-west_Database_Instance3_26D9C765',
  'aws_secretsmanager_secret.Keycloak_eu-west_Database_KeycloakCredentials_F155A007',
  'aws_secretsmanager_secret.Keycloak_eu-west_Keycloak_BootstrapAdminSecret_F3FDFB9B',
  'aws_secretsmanager_secret_version.Keycloak_eu-west_Database_KeycloakCredentials_Value_4601FA9A',
  'aws_secretsmanager_secret_version.Keycloak_eu-west_Keycloak_BootstrapAdminSecretValue_8828A103',
  'aws_vpc.Keycloak_eu-west_Network_A19F75F8',
];
const STATEFUL_TYPES = new Set(PINNED.map((address) => address.split('.')[0]));

test('stateful resources keep their Terraform addresses', () => {
  const stack = new MultiAzStack(Testing.app(), 'keycloak-multi-az');
  const resources: Record<string, Record<string, unknown>> = JSON.parse(Testing.synth(stack)).resource;
  const addresses = Object.entries(resources)
    .filter(([type]) => STATEFUL_TYPES.has(type))
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();
  expect(addresses).toEqual(PINNED);
});

/** The multi-region example's stateful resources: both databases, keys, secrets, VPCs and Cloud Map namespaces. */
const PINNED_MULTI_REGION: Record<string, string[]> = {
  'keycloak-multi-region-frankfurt': [
    'aws_cloudwatch_log_group.Keycloak-frankfurt_Database_Logs_A93508FD',
    'aws_cloudwatch_log_group.Keycloak-frankfurt_Infinispan_Logs_E48CA84B',
    'aws_cloudwatch_log_group.Keycloak-frankfurt_Keycloak_Logs_F2D62899',
    'aws_db_subnet_group.Keycloak-frankfurt_Database_SubnetGroup_1688E13A',
    'aws_kms_key.Keycloak-frankfurt_Key_04F3B613',
    'aws_rds_cluster.Keycloak-frankfurt_Database_Cluster_C94815E0',
    'aws_rds_cluster_instance.Keycloak-frankfurt_Database_Instance1_C4575D8E',
    'aws_rds_cluster_instance.Keycloak-frankfurt_Database_Instance2_768FA704',
    'aws_rds_global_cluster.Keycloak-frankfurt_GlobalDatabase_452ADF2D',
    'aws_secretsmanager_secret.Keycloak-frankfurt_DatabaseCredentials_A9556215',
    'aws_secretsmanager_secret.Keycloak-frankfurt_Infinispan_CredentialsSecret_70E7EEA3',
    'aws_secretsmanager_secret.Keycloak-frankfurt_Infinispan_OperatorSecret_7259EC42',
    'aws_secretsmanager_secret.Keycloak-frankfurt_KeycloakDatabaseCredentials_0C097634',
    'aws_secretsmanager_secret.Keycloak-frankfurt_Keycloak_BootstrapAdminSecret_D43D7A8C',
    'aws_secretsmanager_secret_version.Keycloak-frankfurt_DatabaseCredentials_Value_7C04B7F0',
    'aws_secretsmanager_secret_version.Keycloak-frankfurt_Infinispan_CredentialsSecretValue_AF5FD46D',
    'aws_secretsmanager_secret_version.Keycloak-frankfurt_Infinispan_OperatorSecretValue_4EB6792F',
    'aws_secretsmanager_secret_version.Keycloak-frankfurt_KeycloakDatabaseCredentials_Value_C96FD63C',
    'aws_secretsmanager_secret_version.Keycloak-frankfurt_Keycloak_BootstrapAdminSecretValue_6D03D49F',
    'aws_service_discovery_private_dns_namespace.Keycloak-frankfurt_Infinispan_Namespace_141B273C',
    'aws_vpc.Keycloak-frankfurt_Network_267588EF',
  ],
  'keycloak-multi-region-dublin': [
    'aws_cloudwatch_log_group.Keycloak-dublin_Database_Logs_87ABB867',
    'aws_cloudwatch_log_group.Keycloak-dublin_Infinispan_Logs_62FE491B',
    'aws_cloudwatch_log_group.Keycloak-dublin_Keycloak_Logs_B5E69CE7',
    'aws_db_subnet_group.Keycloak-dublin_Database_SubnetGroup_59F9CDDC',
    'aws_kms_key.Keycloak-dublin_Key_3BA34334',
    'aws_rds_cluster.Keycloak-dublin_Database_Cluster_6409996D',
    'aws_rds_cluster_instance.Keycloak-dublin_Database_Instance1_DD5CAE16',
    'aws_rds_cluster_instance.Keycloak-dublin_Database_Instance2_39CFD165',
    'aws_secretsmanager_secret.Keycloak-dublin_Infinispan_CredentialsSecret_33143E5C',
    'aws_secretsmanager_secret.Keycloak-dublin_Infinispan_OperatorSecret_12F2BE8E',
    'aws_secretsmanager_secret_version.Keycloak-dublin_Infinispan_CredentialsSecretValue_E9AC7C14',
    'aws_secretsmanager_secret_version.Keycloak-dublin_Infinispan_OperatorSecretValue_52A5F056',
    'aws_service_discovery_private_dns_namespace.Keycloak-dublin_Infinispan_Namespace_C3E13B87',
    'aws_vpc.Keycloak-dublin_Network_046862C1',
  ],
};
const MULTI_REGION_TYPES = new Set(Object.values(PINNED_MULTI_REGION).flat().map((address) => address.split('.')[0]));

test('stateful resources of the multi-region sites keep their Terraform addresses', () => {
  const stacks = withScratchFolder('pinning-', (outdir) => {
    const app = new App({ outdir });
    multiRegionStacks(app);
    app.synth();
    return Object.fromEntries(readdirSync(join(outdir, 'stacks')).map((id) =>
      [id, JSON.parse(readFileSync(join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8')).resource as Record<string, Record<string, unknown>>]));
  });
  for (const [stack, pinned] of Object.entries(PINNED_MULTI_REGION)) {
    const addresses = Object.entries(stacks[stack])
      .filter(([type]) => MULTI_REGION_TYPES.has(type))
      .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
      .sort();
    expect(addresses).toEqual(pinned);
  }
});
