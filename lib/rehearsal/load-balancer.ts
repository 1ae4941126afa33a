import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ProcessRegistry, Progress, RehearsalError, hasCommand, requireFree, run, waitFor, isListening } from './runtime';

/** What the synthesized stack says one site's load balancer does (read from cdk.tf.json). */
export interface SynthesizedLoadBalancer {
  /** `aws_lb_target_group` address, for the report. */
  readonly targetGroup: string;
  readonly listenerPort: number;
  readonly sslPolicy: string;
  /** Port answered with a redirect to HTTPS, if any. */
  readonly redirectPort?: number;
  readonly healthCheck: {
    readonly path: string; readonly port: number; readonly intervalSeconds: number; readonly timeoutSeconds: number;
    readonly healthyThreshold: number; readonly unhealthyThreshold: number; readonly matcher: string;
  };
  readonly stickiness?: { readonly type: string; readonly cookieName?: string; readonly durationSeconds: number };
  readonly deregistrationDelaySeconds: number;
  /** Listener rules that forward to the target group, by priority. */
  readonly rules: readonly { readonly priority: number; readonly paths: readonly string[]; readonly sourceCidrs?: readonly string[] }[];
  /** The listener's answer when no rule matches. */
  readonly defaultStatus: number;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? v as Json : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/**
 * Finds the load balancer of `site` in a synthesized stack: the target group tagged with the site,
 * the HTTPS listener and the rules that forward to that target group.
 */
export function readSynthesizedLoadBalancer(stack: Json, site: string): SynthesizedLoadBalancer {
  const resources = obj(stack.resource);
  const groups = Object.entries(obj(resources.aws_lb_target_group)).filter(([, g]) => obj(obj(g).tags)['keycloak-site'] === site);
  if (groups.length !== 1) {
    throw new RehearsalError('load-balancer-not-found', `the synthesized stack has ${groups.length} target groups tagged keycloak-site=${site}, expected 1`, 'rehearse the stack that holds the site');
  }
  const [groupId, group] = groups[0] as [string, Json];
  const check = obj(group.health_check);
  const listeners = Object.entries(obj(resources.aws_lb_listener)).map(([id, l]) => [id, obj(l)] as const);
  const lbArn = (l: Json) => String(l.load_balancer_arn);
  const rules = Object.values(obj(resources.aws_lb_listener_rule)).map(obj)
    .filter((r) => arr(r.action).some((a) => String(obj(a).target_group_arn).includes(`aws_lb_target_group.${groupId}.`)));
  const https = listeners.find(([id]) => rules.some((r) => String(r.listener_arn).includes(`aws_lb_listener.${id}.`)));
  if (!https) throw new RehearsalError('load-balancer-not-found', `no listener forwards to ${groupId}`, 'rehearse the stack that holds the site');
  const [, listener] = https;
  const redirect = listeners.find(([, l]) => l !== listener && lbArn(l) === lbArn(listener) && arr(l.default_action).some((a) => obj(a).type === 'redirect'));
  const stick = obj(group.stickiness);
  const fixed = obj(obj(arr(listener.default_action)[0]).fixed_response);
  return {
    targetGroup: `aws_lb_target_group.${groupId}`,
    listenerPort: Number(listener.port),
    sslPolicy: String(listener.ssl_policy ?? ''),
    ...(redirect ? { redirectPort: Number(redirect[1].port) } : {}),
    healthCheck: {
      path: String(check.path), port: Number(check.port), intervalSeconds: Number(check.interval), timeoutSeconds: Number(check.timeout),
      healthyThreshold: Number(check.healthy_threshold), unhealthyThreshold: Number(check.unhealthy_threshold), matcher: String(check.matcher ?? '200'),
    },
    ...(stick.enabled ? { stickiness: { type: String(stick.type), ...(stick.cookie_name ? { cookieName: String(stick.cookie_name) } : {}), durationSeconds: Number(stick.cookie_duration ?? 86400) } } : {}),
    deregistrationDelaySeconds: Number(group.deregistration_delay ?? 300),
    rules: rules.map((r) => {
      const conditions = arr(r.condition).map(obj);
      const paths = conditions.flatMap((c) => arr(obj(c.path_pattern).values).map(String));
      const sources = conditions.flatMap((c) => arr(obj(c.source_ip).values).map(String));
      return { priority: Number(r.priority), paths, ...(sources.length ? { sourceCidrs: sources } : {}) };
    }).sort((a, b) => a.priority - b.priority),
    defaultStatus: Number(fixed.status_code ?? 404),
  };
}

export interface HaproxyBackend { readonly name: string; readonly address: string; readonly httpPort: number; readonly enabled: boolean }

/** ALB path patterns (`*` any characters, `?` one) as an anchored regular expression. */
function pathRegex(patterns: readonly string[]): string {
  const one = (p: string) => p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return `^(${patterns.map(one).join('|')})$`;
}

/**
 * HAProxy configuration equivalent to the synthesized ALB: the HTTPS listener with its TLS floor,
 * the HTTP redirect, one ACL per listener rule (paths, source networks) in priority order, the
 * fixed answer otherwise, the target group's health check (path, port, interval, timeout,
 * thresholds, matcher) and `app_cookie` stickiness (a stick table keyed on the application cookie,
 * learned from the response that sets it, as the ALB pins a target once the cookie appears).
 * `option redispatch` re-sends a request whose target refuses the connection, as an ALB stops
 * routing to a task whose process exited (ECS deregisters it at once).
 */
export function renderHaproxyConfig(lb: SynthesizedLoadBalancer, listen: { address: string; certificateBundle: string; socket: string }, backends: readonly HaproxyBackend[]): string {
  const hc = lb.healthCheck;
  const tlsFloor = /TLS13-1-3/.test(lb.sslPolicy) ? 'TLSv1.3' : 'TLSv1.2';
  const lines = [
    'global',
    `  stats socket ${listen.socket} mode 600 level admin`,
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 5s',
    '  timeout client 60s',
    // The ALB's default idle timeout.
    '  timeout server 60s',
    '  option redispatch',
    '  retries 2',
    ...(lb.redirectPort !== undefined ? [
      'frontend http_redirect',
      `  bind ${listen.address}:${lb.redirectPort}`,
      `  http-request redirect scheme https code 301`,
    ] : []),
    'frontend https',
    `  bind ${listen.address}:${lb.listenerPort} ssl crt ${listen.certificateBundle} ssl-min-ver ${tlsFloor}`,
    '  option forwardfor',
    '  http-request set-header X-Forwarded-Proto https',
    `  http-request set-header X-Forwarded-Port ${lb.listenerPort}`,
    ...lb.rules.flatMap((rule, i) => [
      `  acl rule${i}_path path_reg ${pathRegex(rule.paths)}`,
      ...(rule.sourceCidrs ? [`  acl rule${i}_src src ${rule.sourceCidrs.join(' ')}`] : []),
      `  use_backend keycloak if rule${i}_path${rule.sourceCidrs ? ` rule${i}_src` : ''}`,
    ]),
    '  default_backend no_rule',
    'backend no_rule',
    `  http-request return status ${lb.defaultStatus} content-type text/plain string "Not found"`,
    'backend keycloak',
    '  balance roundrobin',
    ...(lb.stickiness?.type === 'app_cookie' && lb.stickiness.cookieName ? [
      `  stick-table type string len 200 size 100k expire ${lb.stickiness.durationSeconds}s`,
      `  stick on req.cook(${lb.stickiness.cookieName})`,
      `  stick store-response res.cook(${lb.stickiness.cookieName})`,
    ] : []),
    `  option httpchk GET ${hc.path}`,
    `  http-check expect status ${hc.matcher}`,
    `  timeout check ${hc.timeoutSeconds}s`,
    `  default-server inter ${hc.intervalSeconds}s fall ${hc.unhealthyThreshold} rise ${hc.healthyThreshold} port ${hc.port}`,
    ...backends.map((b) => `  server ${b.name} ${b.address}:${b.httpPort} check source ${listen.address}${b.enabled ? '' : ' disabled'}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** One site's load balancer: HAProxy from the machine's packages, configured from the synthesized ALB. */
export class HaproxyLoadBalancer {
  readonly socket: string;

  constructor(private readonly registry: ProcessRegistry, private readonly progress: Progress, private readonly dir: string,
    readonly address: string, readonly settings: SynthesizedLoadBalancer, private readonly exec: readonly string[] = []) {
    this.socket = join(dir, `haproxy-${address}.sock`);
  }

  async start(certificateBundle: string, backends: readonly HaproxyBackend[]): Promise<void> {
    if (!hasCommand('haproxy')) throw new RehearsalError('haproxy-missing', 'the load balancer of each site is HAProxy, which is not installed', 'install it (Debian: apt-get install haproxy)');
    await requireFree(this.address, this.settings.listenerPort, 'the load balancer');
    const config = join(this.dir, `haproxy-${this.address}.cfg`);
    writeFileSync(config, renderHaproxyConfig(this.settings, { address: this.address, certificateBundle, socket: this.socket }, backends));
    run('haproxy', ['-c', '-q', '-f', config], { what: 'checking the HAProxy configuration', fix: 'see haproxy.cfg in the rehearsal folder' });
    const [command, ...args] = [...this.exec, 'haproxy', '-db', '-f', config];
    this.registry.start(`haproxy ${this.address}`, command, args, { logFile: join(this.dir, `haproxy-${this.address}.log`), stopSignal: 'SIGUSR1' });
    await waitFor('HAProxy listening', 20, () => isListening(this.address, this.settings.listenerPort));
    this.progress.log(`load balancer (HAProxy) on https://${this.address}:${this.settings.listenerPort}`);
  }

  /** A command on HAProxy's runtime API (e.g. `set server keycloak/n1 state drain`). */
  command(line: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect({ path: this.socket });
      let out = '';
      socket.on('data', (d) => { out += d.toString(); });
      socket.on('end', () => resolve(out));
      socket.on('error', reject);
      socket.end(`${line}\n`);
    });
  }

  /** Servers the health checks consider up. */
  async upServers(): Promise<string[]> {
    const csv = await this.command('show stat');
    return csv.split('\n').map((l) => l.split(',')).filter((f) => f[0] === 'keycloak' && f[1] !== 'BACKEND' && f[17]?.startsWith('UP')).map((f) => f[1]);
  }
}
