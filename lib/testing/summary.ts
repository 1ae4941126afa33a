/**
 * A compact, stable digest of a synthesized stack for `toMatchSnapshot()`: every resource
 * address, the key properties a reviewer checks (capacity, health checks, stickiness, database
 * engine and protection, alarm thresholds), each Keycloak container's rendered configuration and
 * the network paths. A snapshot diff of it reads like a review instead of 1,500 lines of JSON.
 *
 * @param synthesized the output of cdktf's `Testing.synth(stack)` (or the parsed JSON)
 */
export function summarizeStack(synthesized: string | { readonly resource?: unknown }): string {
  const json = (typeof synthesized === 'string' ? JSON.parse(synthesized) : synthesized) as { resource?: Resources };
  const resources = json.resource ?? {};
  const lines: string[] = [];
  const addresses = Object.entries(resources).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)).sort();
  lines.push(`resources (${addresses.length}):`);
  for (const address of addresses) {
    const [type, name] = splitAddress(address);
    const keys = KEY_PROPERTIES[type] ?? [];
    const props = keys.map((key) => [key, resources[type][name][key]] as const).filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${short(JSON.stringify(value))}`);
    lines.push(`  ${address}${props.length ? `  ${props.join(' ')}` : ''}`);
  }
  for (const [name, taskDefinition] of Object.entries(resources.aws_ecs_task_definition ?? {})) {
    for (const container of parseContainers(taskDefinition.container_definitions)) {
      lines.push(`container ${container.name} of ${name}: ${short(container.image ?? '')} ${(container.command ?? []).join(' ')}`);
      for (const { name: env, value } of container.environment ?? []) lines.push(`  ${env}=${short(value)}`);
      for (const { name: env, valueFrom } of container.secrets ?? []) lines.push(`  ${env} <- ${short(valueFrom)}`);
    }
  }
  lines.push('network paths:');
  for (const direction of ['ingress', 'egress'] as const) {
    for (const rule of Object.values(resources[`aws_vpc_security_group_${direction}_rule`] ?? {})) {
      const peer = rule.referenced_security_group_id ?? rule.cidr_ipv4 ?? rule.cidr_ipv6;
      const ports = rule.ip_protocol === '-1' ? 'all' : `${String(rule.ip_protocol)}/${String(rule.from_port)}`;
      lines.push(`  ${direction} ${short(String(rule.security_group_id))} ${ports} ${direction === 'ingress' ? 'from' : 'to'} ${short(String(peer))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** What a reviewer looks at first, per resource type. */
const KEY_PROPERTIES: Record<string, readonly string[]> = {
  aws_ecs_service: ['desired_count', 'deployment_minimum_healthy_percent', 'deployment_maximum_percent'],
  aws_ecs_task_definition: ['cpu', 'memory'],
  aws_lb_target_group: ['health_check', 'stickiness'],
  aws_lb_listener: ['port', 'protocol', 'ssl_policy'],
  aws_rds_cluster: ['engine', 'engine_version', 'storage_encrypted', 'deletion_protection', 'backup_retention_period'],
  aws_rds_cluster_instance: ['instance_class', 'availability_zone'],
  aws_subnet: ['cidr_block'],
  aws_cloudwatch_metric_alarm: ['comparison_operator', 'threshold'],
  aws_cloudwatch_log_group: ['retention_in_days'],
  aws_route53_health_check: ['resource_path', 'request_interval', 'failure_threshold'],
};

interface Container {
  readonly name?: string;
  readonly image?: string;
  readonly command?: string[];
  readonly environment?: { name: string; value: string }[];
  readonly secrets?: { name: string; valueFrom: string }[];
}

function parseContainers(definitions: unknown): Container[] {
  if (typeof definitions !== 'string') return [];
  const parsed: unknown = JSON.parse(definitions);
  return Array.isArray(parsed) ? parsed : [];
}

function splitAddress(address: string): [string, string] {
  const dot = address.indexOf('.');
  return [address.slice(0, dot), address.slice(dot + 1)];
}

/** `${aws_x.Name_With_Path_HASH.attr}` → `aws_x.Name_With_Path.attr`: hashes dropped for reading. */
function short(value: string): string {
  return value.replace(/\$\{((?:data\.)?[a-z0-9_]+)\.([A-Za-z0-9_-]+?)_[0-9A-F]{8}((?:\.[a-z_[\]0-9]+)*)\}/g, '$1.$2$3');
}
