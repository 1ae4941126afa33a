import { valueAt } from '../checks/rule';

/**
 * A compact, stable digest of a synthesized stack for `toMatchSnapshot()`: every resource
 * address, the key properties a reviewer checks (capacity, health checks, stickiness, database
 * engine and protection, alarm thresholds), each Keycloak container's rendered configuration and
 * the network paths; on Kubernetes each workload's replicas, images, ports, probes, resources and
 * environment, the disruption budgets, autoscalers and NetworkPolicy peers. A snapshot diff of it reads like a review instead of 1,500 lines of JSON.
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
  lines.push(...kubernetesLines(resources));
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

type Body = Record<string, unknown>;

function list(value: unknown): Body[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]) as Body[];
}

function labels(value: unknown): string {
  return Object.entries((value ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',') || '*';
}

/** What the Kubernetes resources run and allow, one line per fact a reviewer checks. */
function kubernetesLines(resources: Resources): string[] {
  const lines: string[] = [];
  for (const type of ['kubernetes_deployment_v1', 'kubernetes_stateful_set_v1']) {
    for (const [name, body] of Object.entries(resources[type] ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const replicas = valueAt(body, 'spec.replicas');
      const strategy = valueAt(body, 'spec.strategy.rolling_update') ?? valueAt(body, 'spec.update_strategy');
      lines.push(`workload ${type}.${name}: replicas=${replicas === undefined ? 'autoscaled' : String(replicas)} strategy=${short(JSON.stringify(strategy ?? {}))}` +
        ` min_ready_seconds=${String(valueAt(body, 'spec.min_ready_seconds') ?? 0)} grace=${String(valueAt(body, 'spec.template.spec.termination_grace_period_seconds') ?? 30)}`);
      for (const container of list(valueAt(body, 'spec.template.spec.container'))) {
        const ports = list(container.port).map((p) => String(p.container_port)).join(',');
        const probe = (kind: string) => {
          const get = valueAt(container, `${kind}.http_get`) as Body | undefined;
          const tcp = valueAt(container, `${kind}.tcp_socket`) as Body | undefined;
          return get ? `${String(get.path)}:${String(get.port)}` : tcp ? `tcp:${String(tcp.port)}` : '-';
        };
        lines.push(`  container ${String(container.name)}: ${String(container.image)} ports=${ports || '-'}` +
          ` probes=${['startup_probe', 'readiness_probe', 'liveness_probe'].map(probe).join(' ')}` +
          ` resources=${short(JSON.stringify(container.resources ?? {}))}`);
        for (const variable of list(container.env)) {
          const ref = valueAt(variable, 'value_from.secret_key_ref') as Body | undefined;
          const field = valueAt(variable, 'value_from.field_ref') as Body | undefined;
          const value = ref ? ` <- secret ${String(ref.name)}/${String(ref.key)}` : field ? ` <- ${String(field.field_path)}` : `=${short(String(variable.value))}`;
          lines.push(`    ${String(variable.name)}${value}`);
        }
      }
    }
  }
  for (const [name, body] of Object.entries(resources.kubernetes_pod_disruption_budget_v1 ?? {})) {
    lines.push(`disruption budget ${name}: max_unavailable=${String(valueAt(body, 'spec.max_unavailable') ?? '-')} min_available=${String(valueAt(body, 'spec.min_available') ?? '-')} selects ${labels(valueAt(body, 'spec.selector.match_labels'))}`);
  }
  for (const [name, body] of Object.entries(resources.kubernetes_horizontal_pod_autoscaler_v2 ?? {})) {
    const target = list(valueAt(body, 'spec.metric')).map((m) => `${String(valueAt(m, 'resource.name'))}=${String(valueAt(m, 'resource.target.average_utilization'))}%`).join(',');
    lines.push(`autoscaler ${name}: ${String(valueAt(body, 'spec.min_replicas'))}..${String(valueAt(body, 'spec.max_replicas'))} on ${target} behavior=${short(JSON.stringify(valueAt(body, 'spec.behavior') ?? {}))}`);
  }
  for (const [name, body] of Object.entries(resources.kubernetes_network_policy_v1 ?? {})) {
    const pods = labels(valueAt(body, 'spec.pod_selector.match_labels'));
    for (const rule of list(valueAt(body, 'spec.ingress'))) {
      const peers = list(rule.from).map((peer) => {
        const block = valueAt(peer, 'ip_block.cidr');
        const namespace = valueAt(peer, 'namespace_selector.match_labels');
        const podSelector = valueAt(peer, 'pod_selector.match_labels');
        return block ? String(block) : `${namespace ? `ns(${labels(namespace)})` : ''}${podSelector ? `pods(${labels(podSelector)})` : ''}` || 'any';
      });
      const ports = list(rule.ports).map((p) => `${String(p.protocol ?? 'TCP')}/${String(p.port)}${p.end_port ? `-${String(p.end_port)}` : ''}`);
      lines.push(`network policy ${name}: to pods(${pods}) ${ports.join(',') || 'all ports'} from ${peers.join(' ') || 'any'}`);
    }
  }
  return lines;
}
