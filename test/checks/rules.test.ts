import { CHECK_RULES, runChecks } from '../../lib/checks/pack';
import { SynthesizedResource } from '../../lib/checks/rule';

const r = (type: string, body: Record<string, unknown>, name = 'x'): SynthesizedResource => ({ type, name, path: `stack/${name}`, body });
const lbGroup = r('aws_security_group', {}, 'lbsg');
const lb = r('aws_lb', { security_groups: ['${aws_security_group.lbsg.id}'] }, 'lb');
const env = (pairs: Record<string, string>) =>
  JSON.stringify([{ name: 'keycloak', environment: Object.entries(pairs).map(([name, value]) => ({ name, value })) }]);

const inNs = { provider: 'kubernetes', metadata: { namespace: 'keycloak' } };
/** A compliant Keycloak workload as the kubernetes provider synthesizes it; `options` break one property at a time. */
function k8sWorkload(type: string, options: { replicas?: string; labels?: Record<string, string>; spread?: object[]; container?: Record<string, unknown> }, name: string): SynthesizedResource {
  const health = (path: string) => ({ http_get: { path, port: '9000' } });
  const container = {
    name: 'keycloak', image: 'quay.io/keycloak/keycloak:26.7.0',
    startup_probe: health('/health/started'), readiness_probe: health('/health/ready'), liveness_probe: health('/health/live'),
    resources: { requests: { cpu: '2', memory: '4Gi' }, limits: { memory: '4Gi' } },
    ...options.container,
  };
  return r(type, {
    ...inNs,
    spec: {
      ...(options.replicas ? { replicas: options.replicas } : {}),
      template: {
        metadata: { labels: options.labels ?? { app: 'keycloak' } },
        spec: { container: [container], topology_spread_constraint: options.spread ?? [{ topology_key: 'topology.kubernetes.io/zone', when_unsatisfiable: 'DoNotSchedule' }] },
      },
    },
  }, name);
}

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
  'kubernetes-disruption-budget': {
    compliant: [
      k8sWorkload('kubernetes_deployment_v1', { replicas: '3' }, 'kc'), r('kubernetes_pod_disruption_budget_v1', { ...inNs, spec: { selector: { match_labels: { app: 'keycloak' } } } }, 'pdb'),
      k8sWorkload('kubernetes_deployment_v1', { replicas: '1', labels: { app: 'router' } }, 'router'),
    ],
    violating: [
      k8sWorkload('kubernetes_deployment_v1', { replicas: '3' }, 'kc'),
      k8sWorkload('kubernetes_stateful_set_v1', { labels: { app: 'infinispan' } }, 'ispn'),
    ],
  },
  'kubernetes-zone-spread': {
    compliant: [k8sWorkload('kubernetes_deployment_v1', { replicas: '3', spread: [{ topology_key: 'topology.kubernetes.io/zone', when_unsatisfiable: 'DoNotSchedule' }] }, 'kc')],
    violating: [
      k8sWorkload('kubernetes_deployment_v1', { replicas: '3', spread: [{ topology_key: 'kubernetes.io/hostname', when_unsatisfiable: 'DoNotSchedule' }] }, 'a'),
      k8sWorkload('kubernetes_deployment_v1', { replicas: '3', spread: [{ topology_key: 'topology.kubernetes.io/zone', when_unsatisfiable: 'ScheduleAnyway' }] }, 'b'),
    ],
  },
  'kubernetes-keycloak-probes': {
    compliant: [k8sWorkload('kubernetes_deployment_v1', {}, 'kc'), k8sWorkload('kubernetes_deployment_v1', { container: { image: 'nginx:1.27.0' } }, 'other')],
    violating: [k8sWorkload('kubernetes_deployment_v1', { container: { readiness_probe: { http_get: { path: '/', port: '8080' } } } }, 'kc')],
  },
  'kubernetes-network-policy': {
    compliant: [k8sWorkload('kubernetes_deployment_v1', {}, 'kc'), r('kubernetes_network_policy_v1', { ...inNs, spec: { pod_selector: { match_labels: { app: 'keycloak' } }, policy_types: ['Ingress'] } }, 'np')],
    violating: [k8sWorkload('kubernetes_deployment_v1', { labels: { app: 'other' } }, 'kc')],
  },
  'kubernetes-ingress-tls': {
    compliant: [
      r('kubernetes_ingress_v1', { spec: { rule: [{ host: 'auth.example.com' }], tls: [{ hosts: ['auth.example.com'], secret_name: 'auth-tls' }] } }),
      // Route 53 health checks arrive with the load balancer's name: a host-less rule serving only /lb-check carries no cookie or token.
      r('kubernetes_ingress_v1', { spec: {
        rule: [{ host: 'auth.example.com' }, { http: { path: [{ path: '/lb-check', path_type: 'Exact' }] } }],
        tls: [{ hosts: ['auth.example.com'], secret_name: 'auth-tls' }],
      } }, 'lbcheck'),
    ],
    violating: [
      r('kubernetes_ingress_v1', { spec: { rule: [{ host: 'auth.example.com' }] } }, 'plain'),
      r('kubernetes_ingress_v1', { spec: {
        rule: [{ host: 'auth.example.com' }, { http: { path: [{ path: '/lb-check', path_type: 'Exact' }, { path: '/realms/', path_type: 'Prefix' }] } }],
        tls: [{ hosts: ['auth.example.com'], secret_name: 'auth-tls' }],
      } }, 'hostless-realms'),
      r('kubernetes_ingress_v1', { spec: { rule: [{ host: 'auth.example.com' }], tls: [{ hosts: ['other.example.com'], secret_name: 'x' }] } }, 'wrong'),
      r('kubernetes_ingress_v1', { spec: { rule: [{}], tls: [{ hosts: ['auth.example.com'], secret_name: 'x' }] } }, 'any'),
    ],
  },
  'kubernetes-container-resources': {
    compliant: [k8sWorkload('kubernetes_deployment_v1', {}, 'kc')],
    violating: [k8sWorkload('kubernetes_deployment_v1', { container: { resources: { requests: { cpu: '1' } } } }, 'kc')],
  },
  'kubernetes-image-pinned': {
    compliant: [
      k8sWorkload('kubernetes_deployment_v1', {}, 'kc'),
      k8sWorkload('kubernetes_deployment_v1', { container: { image: `quay.io/infinispan/server@sha256:${'a'.repeat(64)}` } }, 'digest'),
    ],
    violating: [
      k8sWorkload('kubernetes_deployment_v1', { container: { image: 'quay.io/infinispan/server:16.0' } }, 'minor'),
      k8sWorkload('kubernetes_deployment_v1', { container: { image: 'quay.io/keycloak/keycloak' } }, 'none'),
      k8sWorkload('kubernetes_deployment_v1', { container: { image: 'quay.io/keycloak/keycloak:latest' } }, 'latest'),
    ],
  },
  'kubernetes-secret-env': {
    compliant: [
      k8sWorkload('kubernetes_deployment_v1', { container: { env: [{ name: 'KC_DB_PASSWORD', value_from: { secret_key_ref: { name: 'db', key: 'password' } } }] } }, 'kc'),
      r('kubernetes_config_map_v1', { data: { 'infinispan.xml': '<keystore path="/tls/k.p12" password="$${env.KEYSTORE_PASSWORD}"/>' } }, 'cm'),
    ],
    violating: [
      k8sWorkload('kubernetes_deployment_v1', { container: { env: [{ name: 'KC_DB_PASSWORD', value: 'hunter2' }] } }, 'kc'),
      r('kubernetes_config_map_v1', { data: { 'infinispan.xml': '<keystore path="/tls/k.p12" password="changeit"/>' } }, 'xml'),
      r('kubernetes_config_map_v1', { data: { DB_PASSWORD: 'x' } }, 'key'),
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
