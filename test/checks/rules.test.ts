import { CHECK_RULES, runChecks } from '../../lib/checks/pack';
import { SynthesizedResource } from '../../lib/checks/rule';

const r = (type: string, body: Record<string, unknown>, name = 'x'): SynthesizedResource => ({ type, name, path: `stack/${name}`, body });
const lbGroup = r('aws_security_group', {}, 'lbsg');
const lb = r('aws_lb', { security_groups: ['${aws_security_group.lbsg.id}'] }, 'lb');
const env = (pairs: Record<string, string>) =>
  JSON.stringify([{ name: 'keycloak', environment: Object.entries(pairs).map(([name, value]) => ({ name, value })) }]);

/** For every rule: resources that comply, and resources that violate it. */
const cases: Record<string, { compliant: SynthesizedResource[]; violating: SynthesizedResource[] }> = {
  'stateful-deletion-protection': {
    compliant: [r('aws_rds_cluster', { deletion_protection: true, skip_final_snapshot: false }), r('aws_kms_key', { deletion_window_in_days: 30 }), r('aws_secretsmanager_secret', { recovery_window_in_days: 7 })],
    violating: [r('aws_rds_cluster', { deletion_protection: false }), r('aws_kms_key', { deletion_window_in_days: 5 }), r('aws_secretsmanager_secret', { recovery_window_in_days: 0 })],
  },
  'encryption-at-rest': {
    compliant: [r('aws_rds_cluster', { storage_encrypted: true }), r('aws_cloudwatch_log_group', { kms_key_id: '${aws_kms_key.k.arn}' }), r('aws_kms_key', { enable_key_rotation: true })],
    violating: [r('aws_rds_cluster', {}), r('aws_secretsmanager_secret', {}), r('aws_kms_key', { enable_key_rotation: false })],
  },
  'database-multi-az': {
    compliant: [
      r('aws_rds_cluster', {}, 'db'),
      r('aws_rds_cluster_instance', { cluster_identifier: '${aws_rds_cluster.db.id}', availability_zone: 'eu-west-1a' }, 'i1'),
      r('aws_rds_cluster_instance', { cluster_identifier: '${aws_rds_cluster.db.id}', availability_zone: 'eu-west-1b' }, 'i2'),
    ],
    violating: [
      r('aws_rds_cluster', {}, 'db'),
      r('aws_rds_cluster_instance', { cluster_identifier: '${aws_rds_cluster.db.id}', availability_zone: 'eu-west-1a' }, 'i1'),
      r('aws_rds_cluster_instance', { cluster_identifier: '${aws_rds_cluster.db.id}', availability_zone: 'eu-west-1a' }, 'i2'),
    ],
  },
  'world-open-ingress': {
    compliant: [lbGroup, lb,
      r('aws_vpc_security_group_ingress_rule', { security_group_id: '${aws_security_group.lbsg.id}', cidr_ipv4: '0.0.0.0/0', from_port: 443, to_port: 443 }),
      r('aws_vpc_security_group_ingress_rule', { security_group_id: '${aws_security_group.app.id}', referenced_security_group_id: '${aws_security_group.lbsg.id}', from_port: 8080, to_port: 8080 })],
    violating: [lbGroup, lb,
      r('aws_vpc_security_group_ingress_rule', { security_group_id: '${aws_security_group.app.id}', cidr_ipv4: '0.0.0.0/0', from_port: 443, to_port: 443 }),
      r('aws_vpc_security_group_ingress_rule', { security_group_id: '${aws_security_group.lbsg.id}', cidr_ipv6: '::/0', from_port: 0, to_port: 65535 }),
      r('aws_security_group', { ingress: [{ cidr_blocks: ['0.0.0.0/0'], from_port: 22, to_port: 22 }] }, 'ssh')],
  },
  'task-public-ip': {
    compliant: [r('aws_ecs_service', { network_configuration: { assign_public_ip: false } })],
    violating: [r('aws_ecs_service', { network_configuration: { assign_public_ip: true } })],
  },
  'listener-tls': {
    compliant: [
      r('aws_lb_listener', { protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }),
      r('aws_lb_listener', { protocol: 'HTTP', default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS' } }] }),
    ],
    violating: [
      r('aws_lb_listener', { protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-2016-08' }),
      r('aws_lb_listener', { protocol: 'HTTP', default_action: [{ type: 'forward' }] }),
    ],
  },
  'target-health': {
    compliant: [r('aws_lb_target_group', { health_check: { path: '/health/ready', port: '9000' } })],
    violating: [r('aws_lb_target_group', { health_check: { path: '/', port: '8080' } }), r('aws_lb_target_group', {})],
  },
  'global-health-lb-check': {
    compliant: [r('aws_route53_health_check', { type: 'HTTPS', resource_path: '/lb-check' }), r('aws_globalaccelerator_endpoint_group', { health_check_path: '/lb-check' })],
    violating: [r('aws_route53_health_check', { type: 'HTTPS', resource_path: '/' }), r('aws_globalaccelerator_endpoint_group', {})],
  },
  'stickiness-auth-session': {
    compliant: [r('aws_lb_target_group', { stickiness: { enabled: true, type: 'app_cookie', cookie_name: 'AUTH_SESSION_ID' } })],
    violating: [r('aws_lb_target_group', { stickiness: { type: 'lb_cookie' } }), r('aws_lb_target_group', {})],
  },
  'cache-owners': {
    compliant: [r('aws_ecs_task_definition', { container_definitions: env({ KC_SPI_CACHE_EMBEDDED__DEFAULT__ACTION_TOKENS_OWNERS: '2' }) })],
    violating: [r('aws_ecs_task_definition', { container_definitions: env({ KC_SPI_CACHE_EMBEDDED__DEFAULT__ACTION_TOKENS_OWNERS: '1' }) })],
  },
  'dns-health-check': {
    compliant: [
      r('aws_route53_record', { failover_routing_policy: { type: 'PRIMARY' }, health_check_id: '${aws_route53_health_check.h.id}' }),
      r('aws_route53_record', { latency_routing_policy: { region: 'eu-west-1' }, alias: { evaluate_target_health: true } }),
      r('aws_route53_record', { type: 'A', alias: { evaluate_target_health: false } }),
    ],
    violating: [r('aws_route53_record', { failover_routing_policy: { type: 'PRIMARY' } })],
  },
  'log-retention': {
    compliant: [r('aws_cloudwatch_log_group', { retention_in_days: 90 })],
    violating: [r('aws_cloudwatch_log_group', {}), r('aws_cloudwatch_log_group', { retention_in_days: 0 })],
  },
  'plaintext-secret': {
    compliant: [
      r('aws_rds_cluster', { manage_master_user_password: true }),
      r('aws_secretsmanager_secret_version', { secret_string: '${jsonencode({"password" = data.aws_secretsmanager_random_password.p.random_password})}' }),
      r('aws_ecs_task_definition', { container_definitions: env({ KC_SPI_CACHE_EMBEDDED__DEFAULT__ACTION_TOKENS_OWNERS: '2' }) }),
    ],
    violating: [
      r('aws_rds_cluster', { master_password: 'hunter2hunter2' }),
      r('aws_ecs_task_definition', { container_definitions: env({ KC_DB_PASSWORD: 'hunter2' }) }),
    ],
  },
};

describe('check pack', () => {
  test('every rule has a compliant and a violating case, and ids are unique', () => {
    const ids = CHECK_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(cases).sort()).toEqual([...ids].sort());
  });

  describe.each(CHECK_RULES.map((rule) => [rule.id, rule] as const))('%s', (id, rule) => {
    test('passes compliant resources', () => {
      expect(runChecks(cases[id].compliant, [rule])).toEqual([]);
    });
    test('flags every violating resource with a detail and a fix', () => {
      const findings = runChecks(cases[id].violating, [rule]);
      const flagged = new Set(findings.map((f) => f.address));
      const expected = cases[id].violating.filter((v) => v !== lbGroup && v !== lb && !(id === 'database-multi-az' && v.type !== 'aws_rds_cluster'));
      expect([...flagged].sort()).toEqual([...new Set(expected.map((v) => `${v.type}.${v.name}`))].sort());
      for (const f of findings) {
        expect(f.detail.length).toBeGreaterThan(5);
        expect(f.fix.length).toBeGreaterThan(10);
      }
    });
  });
});
