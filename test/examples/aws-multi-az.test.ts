import { Testing } from 'cdktf';
import { MultiAzStack } from '../../examples/aws-multi-az/stack';
import { summarizeStack } from '../../lib/testing/summary';
import { keycloakEnvironment, onlyResource, resourcesOf, Synthesized } from '../helpers';

function synthExample(): Synthesized {
  const stack = new MultiAzStack(Testing.app(), 'keycloak-multi-az');
  const text = Testing.synth(stack);
  return { text, json: JSON.parse(text) };
}

describe('examples/aws-multi-az', () => {
  const out = synthExample();

  test('private subnets span three distinct availability zones', () => {
    const privateSubnets = Object.entries(out.json.resource.aws_subnet).filter(([name]) => /Zone\dPrivate_/.test(name));
    expect(new Set(privateSubnets.map(([, s]) => s.availability_zone)).size).toBeGreaterThanOrEqual(3);
  });

  test('one ECS service runs at least three tasks in those private subnets', () => {
    const service = onlyResource(out, 'aws_ecs_service');
    expect(service.desired_count).toBeGreaterThanOrEqual(3);
    const subnets = (service.network_configuration as { subnets: string[] }).subnets;
    expect(subnets.every((s) => /Zone\dPrivate_/.test(s))).toBe(true);
    expect(subnets).toHaveLength(3);
  });

  test('the task environment clusters through jdbc-ping, has health on, proxy headers and the hostname, and no KC_PROXY', () => {
    const env = keycloakEnvironment(out);
    expect(env.KC_CACHE_STACK).toBe('jdbc-ping');
    expect(env.KC_HEALTH_ENABLED).toBe('true');
    expect(env.KC_PROXY_HEADERS).toBe('xforwarded');
    expect(env.KC_HOSTNAME).toBe('https://auth.example.com');
    expect(env).not.toHaveProperty('KC_PROXY');
  });

  test('7800 and 57800 are open with the Keycloak security group itself as the source', () => {
    const rules = resourcesOf(out, 'aws_vpc_security_group_ingress_rule').filter((r) => r.from_port === 7800 || r.from_port === 57800);
    expect(rules).toHaveLength(2);
    for (const rule of rules) expect(rule.referenced_security_group_id).toBe(rule.security_group_id);
  });

  test('the target group sticks on AUTH_SESSION_ID and checks /health/ready on 9000', () => {
    expect(onlyResource(out, 'aws_lb_target_group')).toMatchObject({
      stickiness: { type: 'app_cookie', cookie_name: 'AUTH_SESSION_ID', enabled: true },
      health_check: { path: '/health/ready', port: '9000' },
    });
  });

  test('Aurora PostgreSQL is encrypted, deletion protected, with a managed password and three instances', () => {
    expect(onlyResource(out, 'aws_rds_cluster')).toMatchObject({
      engine: 'aurora-postgresql', storage_encrypted: true, deletion_protection: true, manage_master_user_password: true,
    });
    expect(resourcesOf(out, 'aws_rds_cluster_instance')).toHaveLength(3);
  });

  test('no password appears as a literal anywhere in the synthesized stack', () => {
    // A value is safe when it is a Terraform expression that takes it from a resource or data source.
    const isReference = (value: string) => /^\$\{.*\}$/s.test(value) && /(data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+\./.test(value) &&
      !/"password"\s*=\s*"/i.test(value);
    const literals: string[] = [];
    const visit = (value: unknown, path: string): void => {
      if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${path}[${i}]`));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`);
      else if (/password|secret_string/i.test(path) && typeof value === 'string' && !isReference(value)) literals.push(path);
    };
    visit(out.json, '');
    // Container definitions are JSON inside a string: their environment must not name a secret.
    const env = Object.keys(keycloakEnvironment(out));
    expect(literals).toEqual([]);
    expect(env.filter((name) => /PASSWORD|SECRET/.test(name))).toEqual([]);
    expect(out.text).not.toMatch(/"master_password"/);
  });

  // The user-facing snapshot helper, used as the README shows.
  test('summary for reviewers (resources with key properties, Keycloak options, network paths)', () => {
    expect(summarizeStack(out.text)).toMatchSnapshot();
  });
});
