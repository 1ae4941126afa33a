import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { defineTopology, KeycloakLoadBalancer, SiteNetwork } from '../../lib';
import { onlyResource, resourcesOf, synth, synthKeycloak } from '../helpers';

describe('KeycloakLoadBalancer', () => {
  const out = synthKeycloak();

  test('target group: sticky on AUTH_SESSION_ID, readiness on /health/ready at 9000', () => {
    expect(out.text).toHaveResourceWithProperties(LbTargetGroup, {
      target_type: 'ip',
      port: 8080,
      stickiness: { enabled: true, type: 'app_cookie', cookie_name: 'AUTH_SESSION_ID', cookie_duration: 3600 },
      health_check: {
        enabled: true, path: '/health/ready', port: '9000', protocol: 'HTTP', matcher: '200',
        interval: 10, timeout: 5, healthy_threshold: 2, unhealthy_threshold: 9,
      },
      deregistration_delay: '30',
    });
  });

  test('HTTPS with a modern TLS policy; HTTP only redirects', () => {
    const listeners = resourcesOf(out, 'aws_lb_listener');
    expect(listeners.find((l) => l.port === 443)).toMatchObject({
      protocol: 'HTTPS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificate_arn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab',
    });
    expect(listeners.find((l) => l.port === 80)).toMatchObject({
      protocol: 'HTTP',
      default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }],
    });
  });

  test('drops invalid headers; open to the world on 443 and 80 only', () => {
    expect(onlyResource(out, 'aws_lb')).toMatchObject({ drop_invalid_header_fields: true, internal: false, load_balancer_type: 'application' });
    const open = resourcesOf(out, 'aws_vpc_security_group_ingress_rule').filter((r) => r.cidr_ipv4 === '0.0.0.0/0');
    expect(open.map((r) => r.from_port).sort()).toEqual([443, 80]);
    expect(open.every((r) => String(r.security_group_id).includes('LoadBalancer_SecurityGroup'))).toBe(true);
  });

  test('only the paths Keycloak recommends exposing are forwarded; the rest answers 404', () => {
    const https = resourcesOf(out, 'aws_lb_listener').find((l) => l.port === 443);
    expect(https?.default_action).toEqual([{ type: 'fixed-response', fixed_response: { content_type: 'text/plain', status_code: '404', message_body: 'Not found' } }]);
    const rules = resourcesOf(out, 'aws_lb_listener_rule');
    expect(rules).toHaveLength(1);
    expect(rules[0].condition).toEqual([{ path_pattern: { values: ['/realms/*', '/resources/*', '/.well-known/*', '/robots.txt'] } }]);
  });

  test('GIVEN admin networks THEN /admin/ is forwarded only from them', () => {
    const withAdmins = synthKeycloak({ traffic: { adminAllowedCidrs: ['198.51.100.0/24'] } });
    const admin = resourcesOf(withAdmins, 'aws_lb_listener_rule').find((r) => JSON.stringify(r.condition).includes('/admin/*'));
    expect(admin?.condition).toEqual([{ path_pattern: { values: ['/admin/*'] } }, { source_ip: { values: ['198.51.100.0/24'] } }]);
  });

  test('GIVEN more admin networks than one rule holds THEN they are spread over rules of at most 5 condition values (the ALB quota)', () => {
    const cidrs = Array.from({ length: 9 }, (_, i) => `198.51.100.${i * 8}/29`);
    const rules = resourcesOf(synthKeycloak({ traffic: { adminAllowedCidrs: cidrs } }), 'aws_lb_listener_rule')
      .filter((r) => JSON.stringify(r.condition).includes('/admin/*'))
      .sort((a, b) => Number(a.priority) - Number(b.priority));
    expect(rules.map((r) => r.priority)).toEqual([20, 21, 22]);
    for (const rule of rules) {
      const values = (rule.condition as { path_pattern?: { values: string[] }; source_ip?: { values: string[] } }[])
        .flatMap((c) => [...(c.path_pattern?.values ?? []), ...(c.source_ip?.values ?? [])]);
      expect(values.length).toBeLessThanOrEqual(5);
    }
    expect(rules.flatMap((r) => (r.condition as { source_ip?: { values: string[] } }[]).flatMap((c) => c.source_ip?.values ?? []))).toEqual(cidrs);
  });

  test('GIVEN client networks THEN only they reach the load balancer', () => {
    const limited = synthKeycloak({ traffic: { allowedClientCidrs: ['203.0.113.0/24', '192.0.2.0/24'] } });
    const sources = resourcesOf(limited, 'aws_vpc_security_group_ingress_rule').map((r) => r.cidr_ipv4).filter(Boolean);
    expect([...sources].sort()).toEqual(['192.0.2.0/24', '192.0.2.0/24', '203.0.113.0/24', '203.0.113.0/24']);
  });

  test('an internal load balancer admits only its own network', () => {
    const internal = synthKeycloak({ traffic: { internetFacing: false } });
    expect(onlyResource(internal, 'aws_lb').internal).toBe(true);
    const sources = resourcesOf(internal, 'aws_vpc_security_group_ingress_rule').map((r) => r.cidr_ipv4).filter(Boolean);
    expect(sources).toEqual(['10.0.0.0/16', '10.0.0.0/16']);
  });
});

describe('KeycloakLoadBalancer with several sites', () => {
  test('GIVEN a multi-site topology THEN /lb-check is forwarded too, for the global health checks', () => {
    const topology = defineTopology({
      hostname: 'auth.example.com',
      sites: { 'eu-a': { region: 'eu-west-1', cidr: '10.10.0.0/16' }, 'eu-b': { region: 'eu-west-1', cidr: '10.20.0.0/16' } },
    });
    const out = synth((scope) => {
      const context = { topology, site: topology.sites['eu-a'], name: 'kc-eu-a', tags: {} };
      const network = new SiteNetwork(scope, 'Network', context, { kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/x' });
      new KeycloakLoadBalancer(scope, 'LoadBalancer', context, { network, certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/x' });
    });
    const [rule] = resourcesOf(out, 'aws_lb_listener_rule');
    expect(rule.condition).toEqual([{ path_pattern: { values: ['/realms/*', '/resources/*', '/.well-known/*', '/robots.txt', '/lb-check'] } }]);
  });
});
