import { Block, EXAMPLES, resourcesOf, synthExample, SynthesizedStack } from './examples';

type Stack = SynthesizedStack;
const resources = resourcesOf;

/** Follows a cross-stack reference (remote state output) to the expression the other stack outputs. */
function dereference(stacks: Record<string, Stack>, expression: string): string {
  const output = /^\$\{data\.terraform_remote_state\.[^.]+\.outputs\.([^}]+)\}$/.exec(expression)?.[1];
  if (!output) return expression;
  const value = Object.values(stacks).map((stack) => stack.output?.[output]?.value).find((v) => v !== undefined);
  return typeof value === 'string' ? value : expression;
}

/** A glob of an ALB path-pattern condition (`*` any run, `?` one character) matching `path`. */
const globMatches = (pattern: string, path: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(path);

/**
 * What serves the health check's request (its Host is its `fqdn`, Route 53's behaviour without
 * an IP address): a rule of the HTTPS listener on its port of the load balancer it names, or a
 * rule of the Ingress whose load balancer it names. Returns what was found, for the message.
 */
function servingRule(stacks: Record<string, Stack>, check: Block): string | undefined {
  const host = String(check.fqdn);
  // The probe resolves its fqdn: a site's own record (alias of its load balancer), in whichever stack.
  const record = resources(stacks, 'aws_route53_record').find(([, r]) => r.name === host && r.set_identifier === undefined)?.[1];
  const alias = record?.alias as Block | undefined;
  const target = dereference(stacks, String(alias?.name ?? host));
  const path = String(check.resource_path);
  const lb = /^\$\{aws_lb\.([^.]+)\.dns_name\}$/.exec(target)?.[1];
  if (lb) {
    const listeners = resources(stacks, 'aws_lb_listener')
      .filter(([, l]) => l.load_balancer_arn === `\${aws_lb.${lb}.arn}` && l.port === check.port && l.protocol === check.type);
    for (const [name] of listeners) {
      const rule = resources(stacks, 'aws_lb_listener_rule').find(([, r]) => {
        if (r.listener_arn !== `\${aws_lb_listener.${name}.arn}`) return false;
        const conditions = r.condition as Block[];
        // Route 53 checkers come from AWS addresses with the load balancer's name as Host:
        // a host or source-address condition would turn them away.
        if (conditions.some((c) => c.host_header !== undefined || c.source_ip !== undefined)) return false;
        const patterns = conditions.flatMap((c) => ((c.path_pattern as { values?: string[] } | undefined)?.values ?? []));
        return patterns.some((p) => globMatches(p, path)) && (r.action as Block[]).some((a) => a.type === 'forward');
      });
      if (rule) return `aws_lb_listener_rule.${rule[0]}`;
    }
    return undefined;
  }
  const ingress = /^\$\{kubernetes_ingress_v1\.([^.]+)\.status\[0\]/.exec(target)?.[1];
  if (ingress && check.port === 443 && check.type === 'HTTPS') {
    const spec = resources(stacks, 'kubernetes_ingress_v1').find(([name]) => name === ingress)?.[1].spec as Block | undefined;
    type Rule = { host?: string; http: { path: { path: string; path_type: string }[] } };
    const rule = ((spec?.rule ?? []) as Rule[]).find((r) => (r.host === undefined || r.host === '' || r.host === host) &&
      r.http.path.some((p) => (p.path_type === 'Exact' ? p.path === path : path.startsWith(p.path))));
    return rule ? `kubernetes_ingress_v1.${ingress} rule ${JSON.stringify(rule.host ?? '*')}` : undefined;
  }
  return undefined;
}

describe.each(Object.keys(EXAMPLES))('example %s', (example) => {
  test('every Route 53 health check reaches /lb-check through a routing rule of the load balancer or Ingress it targets', () => {
    const stacks = synthExample(example);
    const checks = resources(stacks, 'aws_route53_health_check');
    expect(checks.length).toBe(example === 'aws-multi-az' ? 0 : 2);
    for (const [name, check] of checks) {
      expect(check.resource_path).toBe('/lb-check');
      expect({ check: name, servedBy: servingRule(stacks, check) }).toEqual({ check: name, servedBy: expect.any(String) });
    }
  });
});
