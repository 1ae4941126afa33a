import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { onlyResource, resourcesOf, synthKeycloak } from '../helpers';

describe('AuroraDatabase', () => {
  const out = synthKeycloak({ database: { instances: 3 } });

  test('an encrypted, deletion-protected Aurora PostgreSQL cluster whose password RDS manages', () => {
    expect(out.text).toHaveResourceWithProperties(RdsCluster, {
      engine: 'aurora-postgresql',
      engine_version: '17.5',
      storage_encrypted: true,
      deletion_protection: true,
      manage_master_user_password: true,
      skip_final_snapshot: false,
      backup_retention_period: 14,
    });
    const cluster = onlyResource(out, 'aws_rds_cluster');
    expect(cluster.master_password).toBeUndefined();
    expect(String(cluster.kms_key_id)).toContain('aws_kms_key.');
    expect(String(cluster.master_user_secret_kms_key_id)).toContain('aws_kms_key.');
  });

  test('instances sit in distinct zones, in the database subnets, not public', () => {
    const instances = resourcesOf(out, 'aws_rds_cluster_instance');
    expect(instances).toHaveLength(3);
    expect(new Set(instances.map((i) => i.availability_zone)).size).toBe(3);
    expect(instances.every((i) => i.publicly_accessible === false)).toBe(true);
    const subnetGroup = onlyResource(out, 'aws_db_subnet_group');
    expect(String(subnetGroup.subnet_ids)).toMatch(/Zone1Database/);
    expect(String(subnetGroup.subnet_ids)).not.toMatch(/Private|Public/);
  });

  test('TLS is enforced by the cluster parameter group of the engine major', () => {
    expect(onlyResource(out, 'aws_rds_cluster_parameter_group')).toMatchObject({
      family: 'aurora-postgresql17',
      parameter: [{ name: 'rds.force_ssl', value: '1', apply_method: 'pending-reboot' }],
    });
  });

  test('PostgreSQL is reachable only from the Keycloak tasks', () => {
    const rules = resourcesOf(out, 'aws_vpc_security_group_ingress_rule').filter((r) => r.from_port === 5432);
    expect(rules).toHaveLength(1);
    expect(String(rules[0].security_group_id)).toContain('Database_SecurityGroup');
    expect(String(rules[0].referenced_security_group_id)).toContain('Keycloak_SecurityGroup');
  });
});
