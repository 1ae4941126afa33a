import { CheckRule, ofType, referenceTo, SynthesizedResource, valueAt, Violation } from '../rule';

const WORLD = ['0.0.0.0/0', '::/0'];
const WEB_PORTS = [80, 443];

/** Only the load balancer faces the internet, and only for HTTPS (and HTTP to redirect). */
export const worldOpenIngress: CheckRule = {
  id: 'world-open-ingress',
  severity: 'error',
  explanation: 'a port open to the internet on anything but the load balancer bypasses TLS, the WAF and the health-checked path',
  fix: 'allow 0.0.0.0/0 only to the load balancer security group on 443 (and 80 for the redirect); reference security groups elsewhere',
  evaluate(resources) {
    const violations: Violation[] = [];
    const loadBalancerGroups = ofType(resources, 'aws_lb').flatMap((lb) => (valueAt(lb.body, 'security_groups') as string[] | undefined) ?? []);
    const isLoadBalancerGroup = (groupId: unknown) => loadBalancerGroups.includes(String(groupId));
    const check = (resource: SynthesizedResource, groupId: unknown, sources: unknown[], from: unknown, to: unknown) => {
      if (!sources.some((s) => WORLD.includes(String(s)))) return;
      const webPort = from === to && WEB_PORTS.includes(Number(from));
      if (!webPort || !isLoadBalancerGroup(groupId)) {
        violations.push({ resource, detail: `ports ${from}–${to} are open to the internet${isLoadBalancerGroup(groupId) ? '' : ' on a group no load balancer uses'}` });
      }
    };
    for (const rule of ofType(resources, 'aws_vpc_security_group_ingress_rule')) {
      check(rule, rule.body.security_group_id, [rule.body.cidr_ipv4, rule.body.cidr_ipv6], rule.body.from_port, rule.body.to_port);
    }
    for (const rule of ofType(resources, 'aws_security_group_rule').filter((r) => r.body.type === 'ingress')) {
      const sources = [...((rule.body.cidr_blocks as string[]) ?? []), ...((rule.body.ipv6_cidr_blocks as string[]) ?? [])];
      check(rule, rule.body.security_group_id, sources, rule.body.from_port, rule.body.to_port);
    }
    for (const group of ofType(resources, 'aws_security_group')) {
      const inline = (group.body.ingress as Record<string, unknown>[] | undefined) ?? [];
      for (const entry of inline) {
        const sources = [...((entry.cidr_blocks as string[]) ?? []), ...((entry.ipv6_cidr_blocks as string[]) ?? [])];
        check(group, `${referenceTo(group)}id}`, sources, entry.from_port, entry.to_port);
      }
    }
    return violations;
  },
};
