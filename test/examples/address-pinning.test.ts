import { Testing } from 'cdktf';
import { MultiAzStack } from '../../examples/aws-multi-az/stack';

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
  'aws_secretsmanager_secret.Keycloak_eu-west_Keycloak_BootstrapAdminSecret_F3FDFB9B',
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
