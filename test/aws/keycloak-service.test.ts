import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { oneExtraTaskPercent } from '../../lib/aws/fargate';
import { keycloakContainer, keycloakEnvironment, onlyResource, resourcesOf, synthKeycloak } from '../helpers';

describe('KeycloakService', () => {
  const out = synthKeycloak({ sites: { 'eu-west': { region: 'eu-west-1', zones: 3, nodes: 6 } } });

  test('GIVEN 6 nodes over 3 zones THEN one service runs 6 tasks in the private subnets of all zones', () => {
    expect(out.text).toHaveResourceWithProperties(EcsService, {
      desired_count: 6,
      launch_type: 'FARGATE',
      availability_zone_rebalancing: 'ENABLED',
    });
    const service = onlyResource(out, 'aws_ecs_service');
    const network = service.network_configuration as { subnets: string[]; assign_public_ip: boolean };
    expect(network.subnets.map((s) => /Zone(\d)Private/.exec(s)?.[1])).toEqual(['1', '2', '3']);
    expect(network.assign_public_ip).toBe(false);
  });

  test('deployments never drop below full capacity, replace one node at a time and roll back on failure', () => {
    expect(onlyResource(out, 'aws_ecs_service')).toMatchObject({
      deployment_minimum_healthy_percent: 100,
      deployment_maximum_percent: 117, // 6 nodes: ECS may run 7 (floor(6 × 1.17)), never 8
      deployment_circuit_breaker: { enable: true, rollback: true },
    });
    for (const nodes of [2, 3, 4, 5, 7, 10, 30]) {
      const percent = oneExtraTaskPercent(nodes);
      expect(Math.floor((nodes * percent) / 100)).toBe(nodes + 1);
    }
  });

  test('the service waits for the HTTPS listener, so its target group is attached first', () => {
    expect(String(onlyResource(out, 'aws_ecs_service').depends_on)).toMatch(/aws_lb_listener\..*Https/);
  });

  test('cluster ports are open only between Keycloak tasks; HTTP and management only from the load balancer', () => {
    const ingress = resourcesOf(out, 'aws_vpc_security_group_ingress_rule');
    const toKeycloak = ingress.filter((r) => String(r.security_group_id).includes('Keycloak_SecurityGroup'));
    const byPort = Object.fromEntries(toKeycloak.map((r) => [r.from_port, String(r.referenced_security_group_id)]));
    expect(Object.keys(byPort).sort()).toEqual(['57800', '7800', '8080', '9000']);
    expect(byPort['7800']).toContain('Keycloak_SecurityGroup');
    expect(byPort['57800']).toContain('Keycloak_SecurityGroup');
    expect(byPort['8080']).toContain('LoadBalancer_SecurityGroup');
    expect(byPort['9000']).toContain('LoadBalancer_SecurityGroup');
    expect(toKeycloak.every((r) => r.cidr_ipv4 === undefined)).toBe(true);
  });

  test('the container exposes HTTP, management and both JGroups ports', () => {
    expect(keycloakContainer(out).portMappings.map((p) => p.containerPort)).toEqual([8080, 9000, 7800, 57800]);
  });

  test('the environment carries the rendered options; secrets come from Secrets Manager', () => {
    const env = keycloakEnvironment(out);
    expect(env).toMatchObject({ KC_CACHE_STACK: 'jdbc-ping', KC_HEALTH_ENABLED: 'true', KC_PROXY_HEADERS: 'xforwarded', KC_HOSTNAME: 'https://auth.example.com' });
    expect(env.KC_PROXY).toBeUndefined();
    const secrets = Object.fromEntries(keycloakContainer(out).secrets.map((s) => [s.name, s.valueFrom]));
    expect(secrets.KCRAW_DB_PASSWORD).toMatch(/^\$\{aws_secretsmanager_secret\.[^}]+KeycloakCredentials[^}]+\.arn\}:password::$/);
    expect(secrets.KCRAW_DB_USERNAME).toMatch(/^\$\{aws_secretsmanager_secret\.[^}]+KeycloakCredentials[^}]+\.arn\}:username::$/);
    expect(secrets.KCRAW_BOOTSTRAP_ADMIN_PASSWORD).toMatch(/^\$\{aws_secretsmanager_secret\.[^}]+\.arn\}:password::$/);
  });

  test('the upstream image reaches the writer through every instance endpoint', () => {
    const env = keycloakEnvironment(synthKeycloak());
    expect(env.KC_DB_URL).toMatch(/^jdbc:postgresql:\/\/\$\{aws_rds_cluster_instance\.[^}]+Instance1[^}]+\.endpoint\}:5432,\$\{aws_rds_cluster_instance\.[^}]+Instance2[^}]+\.endpoint\}:5432\/keycloak\?targetServerType=primary/);
  });

  test('the task size follows the topology', () => {
    const custom = synthKeycloak({ keycloak: { vcpu: 4, memoryMiB: 8192 } });
    expect(onlyResource(custom, 'aws_ecs_task_definition')).toMatchObject({ cpu: '4096', memory: '8192', network_mode: 'awsvpc' });
  });

  test('the execution role reads only the task\'s secrets: Keycloak\'s role, the bootstrap administrator, the master user for the role container', () => {
    const policy = Object.values(out.json.data?.aws_iam_policy_document ?? {}).find((d) =>
      JSON.stringify(d).includes('ReadKeycloakSecrets'),
    ) as { statement: { actions: string[]; resources: string[] }[] };
    expect(policy.statement[0].actions).toEqual(['secretsmanager:GetSecretValue']);
    expect(policy.statement[0].resources).toHaveLength(3);
  });

  describe('Keycloak logs in to PostgreSQL as its own role, not as the master user', () => {
    const definitions = JSON.parse(onlyResource(out, 'aws_ecs_task_definition').container_definitions as string) as {
      name: string; essential: boolean; image: string; dependsOn?: unknown; environment: { name: string; value: string }[]; secrets: { name: string; valueFrom: string }[];
    }[];
    const [keycloak, role] = definitions;
    const masterSecret = /aws_rds_cluster\.[^}]+\.master_user_secret\[0\]\.secret_arn/;

    test('the Keycloak container receives no secret of the master user', () => {
      expect(keycloak.name).toBe('keycloak');
      expect(keycloak.secrets.filter((s) => masterSecret.test(s.valueFrom))).toEqual([]);
      expect(keycloak.environment.filter((v) => /^PG/.test(v.name))).toEqual([]);
    });

    test('a non-essential psql container creates the role before Keycloak starts, and only it gets the master secret', () => {
      expect(role).toMatchObject({ name: 'database-role', essential: false, image: expect.stringMatching(/postgres:17/) });
      expect(keycloak.dependsOn).toEqual([{ containerName: 'database-role', condition: 'SUCCESS' }]);
      const secrets = Object.fromEntries(role.secrets.map((s) => [s.name, s.valueFrom]));
      expect(secrets.PGUSER).toMatch(masterSecret);
      expect(secrets.PGPASSWORD).toMatch(masterSecret);
      expect(secrets.KEYCLOAK_DB_PASSWORD).toMatch(/KeycloakCredentials[^}]+\.arn\}:password::$/);
      const env = Object.fromEntries(role.environment.map((v) => [v.name, v.value]));
      expect(env).toMatchObject({ PGDATABASE: 'keycloak', PGSSLMODE: 'require', PGPORT: '5432' });
      expect(env.PGHOST).toMatch(/aws_rds_cluster\.[^}]+\.endpoint/);
      expect(env.DATABASE_ROLE_SQL).toContain('CREATE ROLE "keycloak_app"');
    });

    test('the cluster\'s master user keeps its name (keycloak), the role Keycloak logs in as is keycloak_app', () => {
      expect(onlyResource(out, 'aws_rds_cluster').master_username).toBe('keycloak');
      const roleSecret = resourcesOf(out, 'aws_secretsmanager_secret_version').find((v) => String(v.secret_string).includes('KeycloakCredentials'));
      expect(String(roleSecret?.secret_string)).toContain('"username" = "keycloak_app"');
      expect(roleSecret?.lifecycle).toEqual({ ignore_changes: ['secret_string'] });
    });
  });

  test('Keycloak and PostgreSQL logs are kept for the configured days, encrypted', () => {
    const groups = resourcesOf(synthKeycloak({ traffic: { logRetentionDays: 365 } }), 'aws_cloudwatch_log_group');
    expect(groups.map((g) => g.name).sort()).toEqual(['/aws/rds/cluster/keycloak-eu-west/postgresql', '/keycloak/keycloak-eu-west']);
    for (const logs of groups) {
      expect(logs.retention_in_days).toBe(365);
      expect(String(logs.kms_key_id)).toContain('aws_kms_key.');
    }
  });

  test('the bootstrap password is generated by AWS and kept after the first apply', () => {
    const version = resourcesOf(out, 'aws_secretsmanager_secret_version').find((v) => String(v.secret_string).includes('BootstrapAdmin')) ?? {};
    expect(String(version.secret_string)).toContain('data.aws_secretsmanager_random_password.');
    expect(version.lifecycle).toEqual({ ignore_changes: ['secret_string'] });
  });
});
