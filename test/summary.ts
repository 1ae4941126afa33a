import { Synthesized } from './helpers';

/**
 * A reviewer-readable digest of a synthesized stack: every resource address, the Keycloak
 * container environment and the security group rules. Snapshots of it show in a diff what
 * changed in terms a reviewer checks, instead of 1,500 lines of JSON.
 */
export function summarize(out: Synthesized): string {
  const lines: string[] = [];
  const resources = Object.entries(out.json.resource).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)).sort();
  lines.push(`resources (${resources.length}):`, ...resources.map((r) => `  ${r}`));
  for (const [name, taskDefinition] of Object.entries(out.json.resource.aws_ecs_task_definition ?? {})) {
    const [container] = JSON.parse(String(taskDefinition.container_definitions));
    lines.push(`container ${container.name} of ${name}: ${container.image} ${container.command.join(' ')}`);
    for (const { name: env, value } of container.environment) lines.push(`  ${env}=${short(value)}`);
    for (const { name: env, valueFrom } of container.secrets) lines.push(`  ${env} <- ${short(valueFrom)}`);
  }
  lines.push('security group rules:');
  for (const direction of ['ingress', 'egress'] as const) {
    for (const rule of Object.values(out.json.resource[`aws_vpc_security_group_${direction}_rule`] ?? {})) {
      const peer = rule.referenced_security_group_id ?? rule.cidr_ipv4;
      const ports = rule.ip_protocol === '-1' ? 'all' : `${rule.ip_protocol}/${rule.from_port}`;
      lines.push(`  ${direction} ${short(String(rule.security_group_id))} ${ports} ${direction === 'ingress' ? 'from' : 'to'} ${short(String(peer))}`);
    }
  }
  return lines.join('\n');
}

/** `${aws_x.Name_With_Path_HASH.attr}` → `aws_x.Name_With_Path.attr`, hashes dropped for reading. */
function short(value: string): string {
  return value.replace(/\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+?)_[0-9A-F]{8}((?:\.[a-z_\[\]0-9]+)*)\}/g, '$1.$2$3');
}
