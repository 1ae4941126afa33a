import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm, CloudwatchMetricAlarmMetricQuery } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { AlarmSummary } from '../model/alarm';
import { Annotations } from '../private/cdktf';
import { LATENCY_OBJECTIVE_MS } from '../render/keycloak-options';
import { AuroraDatabase } from './aurora-database';
import { KeycloakService } from './keycloak-service';
import { KeycloakLoadBalancer } from './load-balancer';
import { AwsSiteContext } from './site-context';

/*
 * Keycloak-internal signals (login success rate, login latency, sessions, cache hit ratio, pool
 * saturation) are on each task's management port: `/metrics` on 9000, in Prometheus format. The
 * renderer turns on what they need (user-event metrics, request-duration histograms with a bucket
 * at the latency objective). Nothing here collects them, deliberately:
 *
 * Recommended path: an AWS Distro for OpenTelemetry collector as a second, non-essential container
 * of the Keycloak task, its `prometheus` receiver scraping localhost:9000/metrics, exporting either
 * (a) by remote write to Amazon Managed Service for Prometheus: PromQL as in Keycloak's SLI guide
 *     and upstream Grafana dashboards, alert rules routed to this topic; cost per sample, so
 *     histograms stay affordable; or
 * (b) through the `awsemf` exporter as CloudWatch metrics, so CloudWatch alarms like the ones
 *     below can use them; every label combination is a billed custom metric, so it needs a strict
 *     allow-list (`keycloak_user_events_total` for login/error, the 250 ms latency bucket and the
 *     count of login URIs, `agroal_awaiting_count`, cache hit and miss counters).
 * Either way the task definition changes (second container, a task role allowed to write metrics,
 * CPU and memory carved out of the task so Keycloak's heap, sized from the container memory,
 * shrinks), which belongs to `KeycloakService`. Agent-free alternatives fall short: the log group
 * sees failed logins (logged at WARN) but not successful ones (DEBUG), so no success rate.
 * Until a collector is wired, the alarms below watch Keycloak from outside: load balancer, tasks,
 * database.
 */

/** Alarms every site gets; the alarm name is `<deployment>-<site>-<id>`. */
export type KeycloakAlarmId =
  | 'server-errors' | 'response-time-p99' | 'unhealthy-targets' | 'healthy-targets' | 'running-tasks'
  | 'task-cpu' | 'task-memory' | 'database-cpu' | 'database-freeable-memory' | 'database-connections' | 'replica-lag';

/** Thresholds to move; those tied to capacity follow the topology unless given here. */
export interface KeycloakAlarmThresholds {
  /**
   * Share of requests answered with a 5xx, by Keycloak or by the load balancer, in percent.
   * @default 1
   */
  readonly serverErrorPercent?: number;
  /**
   * 99th percentile of Keycloak's response time as the load balancer sees it, in seconds.
   * @default 1 - four times Keycloak's example 250 ms objective, room for password hashing
   */
  readonly responseTimeP99Seconds?: number;
  /**
   * Minutes a node may be unhealthy, out of the target group or not running before an alarm:
   * longer than ECS needs to replace a failed task.
   * @default 5
   */
  readonly nodeLossMinutes?: number;
  /** Service CPU (average over tasks), in percent. @default 80 */
  readonly taskCpuPercent?: number;
  /** Memory of the fullest task, in percent. @default 90 */
  readonly taskMemoryPercent?: number;
  /** Writer CPU, in percent. @default 80 */
  readonly databaseCpuPercent?: number;
  /**
   * Writer's freeable memory, in bytes.
   * @default - 10 % of the instance class's memory (1 GiB for classes this library does not know)
   */
  readonly databaseFreeableMemoryBytes?: number;
  /**
   * Connections to the writer.
   * @default - dbPoolSize × (nodes + 1) + 10: every pool, one deployment's extra task, a few other sessions
   */
  readonly databaseConnections?: number;
  /** Worst reader's replica lag, in milliseconds. @default 1000 */
  readonly replicaLagMilliseconds?: number;
}

export interface KeycloakObservabilityProps {
  readonly keycloak: KeycloakService;
  readonly loadBalancer: KeycloakLoadBalancer;
  readonly database: AuroraDatabase;
  /**
   * Customer-managed key that encrypts the alarm topic. CloudWatch can publish to the topic only
   * if the key policy lets it use the key (`SiteKey` includes `CLOUDWATCH_ALARMS_KEY_STATEMENT`).
   */
  readonly kmsKeyArn: string;
  /**
   * Addresses subscribed to the alarm topic by e-mail; each must confirm the message SNS sends.
   * @default - none: subscribe a pager, chat or ticket integration to `topic` yourself
   */
  readonly alarmEmails?: readonly string[];
  /** @default - the defaults of each threshold */
  readonly thresholds?: KeycloakAlarmThresholds;
}

/** One CloudWatch alarm as an operator reads it. */
export interface ResolvedAlarm extends AlarmSummary {
  readonly id: KeycloakAlarmId;
  /** CloudWatch `treat_missing_data`, and why. */
  readonly missingData: string;
}


/** Sessions on the writer that are not Keycloak's pools: RDS's own monitoring, an operator's psql. */
export const OTHER_DATABASE_SESSIONS = 10;

type MissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';
type Dimensions = Record<string, string>;
interface Metric { readonly namespace: string; readonly name: string; readonly dimensions: Dimensions; readonly stat: string }

interface AlarmSpec {
  readonly id: KeycloakAlarmId;
  readonly metric: string;
  readonly comparison: 'above' | 'below';
  readonly threshold: number;
  readonly unit: string;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly missingData: MissingData;
  readonly missingWhy: string;
  readonly why: string;
  readonly action: string;
  readonly source: Metric | readonly CloudwatchMetricAlarmMetricQuery[];
}

/**
 * CloudWatch alarms on the signals that tell whether one site of Keycloak serves logins, an
 * encrypted SNS topic they notify on entering and leaving ALARM, and a dashboard with the same
 * signals grouped by layer (traffic, nodes, database). Capacity thresholds come from the topology
 * (node count, pool size, instance class), so adding nodes moves them. `resolvedAlarms` lists
 * every alarm with its threshold, reason and first action, for a review bundle or runbook.
 */
export class KeycloakObservability extends Construct {
  readonly topic: SnsTopic;
  readonly alarms: Readonly<Record<KeycloakAlarmId, CloudwatchMetricAlarm>>;
  readonly dashboard: CloudwatchDashboard;
  readonly resolvedAlarms: readonly ResolvedAlarm[];

  constructor(scope: Construct, id: string, context: AwsSiteContext, props: KeycloakObservabilityProps) {
    super(scope, id);
    const { provider, tags, name } = context;
    this.topic = new SnsTopic(this, 'Topic', { provider, name: `${name}-alarms`, kmsMasterKeyId: props.kmsKeyArn, tags });
    this.restrictPublishers(context);
    for (const email of props.alarmEmails ?? []) {
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
        throw new Error(`KeycloakObservability: alarmEmails holds '${email}', which is not an e-mail address`);
      }
      // Keyed by address: removing one subscriber must not replace (and unconfirm) the others.
      new SnsTopicSubscription(this, `Email-${email.replace(/[^A-Za-z0-9]/g, '-')}`, {
        provider, topicArn: this.topic.arn, protocol: 'email', endpoint: email,
      });
    }

    const specs = this.alarmSpecs(context, props);
    const alarms = {} as Record<KeycloakAlarmId, CloudwatchMetricAlarm>;
    for (const spec of specs) alarms[spec.id] = this.createAlarm(context, spec);
    this.alarms = alarms;
    this.resolvedAlarms = specs.map((spec) => ({
      id: spec.id,
      name: `${name}-${spec.id}`,
      metric: spec.metric,
      comparison: spec.comparison,
      threshold: spec.threshold,
      unit: spec.unit,
      window: `${spec.datapointsToAlarm} of ${spec.evaluationPeriods} periods of ${spec.periodSeconds} s`,
      missingData: `${spec.missingData}: ${spec.missingWhy}`,
      why: spec.why,
      action: spec.action,
    }));
    this.dashboard = new CloudwatchDashboard(this, 'Dashboard', {
      provider,
      dashboardName: name,
      dashboardBody: JSON.stringify(this.dashboardBody(context, props, specs)),
    });
  }

  private alarmSpecs(context: AwsSiteContext, props: KeycloakObservabilityProps): AlarmSpec[] {
    const { topology, site } = context;
    const t = validThresholds(props.thresholds ?? {});
    const lb = props.loadBalancer.loadBalancer.arnSuffix;
    const targets = { LoadBalancer: lb, TargetGroup: props.loadBalancer.targetGroup.arnSuffix };
    const service = { ClusterName: props.keycloak.cluster.name, ServiceName: props.keycloak.service.name };
    const writer = { DBClusterIdentifier: props.database.cluster.clusterIdentifier, Role: 'WRITER' };
    const readers = { ...writer, Role: 'READER' };
    const nodes = site.nodes;
    const minutes = t.nodeLossMinutes ?? 5;
    const pool = topology.keycloak.dbPoolSize;
    const connections = t.databaseConnections ?? pool * (nodes + 1) + OTHER_DATABASE_SESSIONS;
    const memoryGiB = auroraInstanceMemoryGiB(topology.database.instanceClass);
    if (memoryGiB === undefined && t.databaseFreeableMemoryBytes === undefined) {
      Annotations.of(this).addWarning(`[observability-instance-memory-unknown] database.instanceClass: the memory of this class is not ` +
        `known here, so the freeable-memory alarm fires below 1 GiB (got '${topology.database.instanceClass}'). ` +
        `Fix: set thresholds.databaseFreeableMemoryBytes to about 10 % of the instance memory`);
    }
    const freeBytes = t.databaseFreeableMemoryBytes ?? (memoryGiB === undefined ? GIB : Math.round(memoryGiB * 0.1 * GIB));
    const nodeLoss = { periodSeconds: 60, evaluationPeriods: minutes, datapointsToAlarm: minutes };
    const sustained = { periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 3 };
    const failoverGap = 'a failover briefly leaves the role without data; keep the state through it';
    return [
      {
        id: 'server-errors', comparison: 'above', threshold: t.serverErrorPercent ?? 1, unit: 'percent',
        metric: 'AWS/ApplicationELB 100 × (HTTPCode_Target_5XX_Count + HTTPCode_ELB_5XX_Count) / (RequestCount + HTTPCode_ELB_5XX_Count), Sum per minute',
        periodSeconds: 60, evaluationPeriods: 5, datapointsToAlarm: 3,
        missingData: 'notBreaching', missingWhy: 'the load balancer publishes nothing without requests, and no request failed',
        why: 'logins and token requests fail; the load balancer\'s own 503s (no healthy node) count too, since RequestCount leaves them out',
        action: 'check healthy targets first; otherwise search the Keycloak log group for ERROR; 503s from Keycloak mean its request queue is full: add nodes or vCPU',
        source: serverErrorRate(lb),
      },
      {
        id: 'response-time-p99', comparison: 'above', threshold: t.responseTimeP99Seconds ?? 1, unit: 'seconds',
        metric: 'AWS/ApplicationELB TargetResponseTime p99 (load balancer, target group)', ...sustained,
        missingData: 'notBreaching', missingWhy: 'no requests, no latency',
        why: `users wait; Keycloak's example objective is ${LATENCY_OBJECTIVE_MS} ms per authentication request, the margin covers password hashing`,
        action: 'compare task CPU and database CPU and connections: saturated tasks need nodes or vCPU, a saturated writer a bigger instance class',
        source: { namespace: ALB, name: 'TargetResponseTime', dimensions: targets, stat: 'p99' },
      },
      {
        id: 'unhealthy-targets', comparison: 'above', threshold: 0, unit: 'nodes',
        metric: 'AWS/ApplicationELB UnHealthyHostCount Maximum (target group)', ...nodeLoss,
        missingData: 'notBreaching', missingWhy: 'health is reported while health checks run; a gap is no unhealthy node',
        why: 'a node fails /health/ready on 9000 (database unreachable, not started, overloaded) and gets no traffic',
        action: 'read the failing task\'s log; if every node is unhealthy at once, check the database first',
        source: { namespace: ALB, name: 'UnHealthyHostCount', dimensions: targets, stat: 'Maximum' },
      },
      {
        id: 'healthy-targets', comparison: 'below', threshold: nodes, unit: 'nodes',
        metric: 'AWS/ApplicationELB HealthyHostCount Minimum (target group)', ...nodeLoss,
        missingData: 'breaching', missingWhy: 'no health data cannot show that the nodes serve',
        why: `the site runs ${nodes} nodes; fewer serving means less capacity and, with one left, no redundancy for cache owners`,
        action: 'see running tasks and unhealthy targets; a zone outage shows as all nodes of one zone missing',
        source: { namespace: ALB, name: 'HealthyHostCount', dimensions: targets, stat: 'Minimum' },
      },
      {
        id: 'running-tasks', comparison: 'below', threshold: nodes, unit: 'tasks',
        metric: 'ECS/ContainerInsights RunningTaskCount Minimum (cluster, service)', ...nodeLoss,
        missingData: 'breaching', missingWhy: 'Container Insights reports the service every minute; silence means no tasks or no insights',
        why: `ECS should keep ${nodes} tasks running (desired count = nodes); fewer for minutes means tasks crash or cannot start`,
        action: 'read the service events and stopped-task reasons (image pull, secrets, out of memory, failed health check)',
        source: { namespace: 'ECS/ContainerInsights', name: 'RunningTaskCount', dimensions: service, stat: 'Minimum' },
      },
      {
        id: 'task-cpu', comparison: 'above', threshold: t.taskCpuPercent ?? 80, unit: 'percent',
        metric: 'AWS/ECS CPUUtilization Average (cluster, service)', ...sustained,
        missingData: 'notBreaching', missingWhy: 'ECS reports only running tasks; missing tasks are the running-tasks alarm\'s',
        why: 'Keycloak\'s sizing guide scales nodes on CPU: near saturation, latency climbs and the load of a lost node has nowhere to go',
        action: 'add nodes (site nodes) or vCPU per node; look for login bursts or brute-force traffic',
        source: { namespace: 'AWS/ECS', name: 'CPUUtilization', dimensions: service, stat: 'Average' },
      },
      {
        id: 'task-memory', comparison: 'above', threshold: t.taskMemoryPercent ?? 90, unit: 'percent',
        metric: 'AWS/ECS MemoryUtilization Maximum (cluster, service)', ...sustained,
        missingData: 'notBreaching', missingWhy: 'ECS reports only running tasks; missing tasks are the running-tasks alarm\'s',
        why: 'the JVM heap may take 70 % of the task; beyond 90 % the fullest task risks being killed for memory',
        action: 'raise memory per node; check cache sizes and session counts',
        source: { namespace: 'AWS/ECS', name: 'MemoryUtilization', dimensions: service, stat: 'Maximum' },
      },
      {
        id: 'database-cpu', comparison: 'above', threshold: t.databaseCpuPercent ?? 80, unit: 'percent',
        metric: 'AWS/RDS CPUUtilization Average (cluster, role WRITER)', ...sustained,
        missingData: 'ignore', missingWhy: failoverGap,
        why: 'every node writes through the writer; when it saturates, every login slows down at once',
        action: 'look at Performance Insights for the top statements; scale the instance class (database.instanceClass)',
        source: { namespace: RDS, name: 'CPUUtilization', dimensions: writer, stat: 'Average' },
      },
      {
        id: 'database-freeable-memory', comparison: 'below', threshold: freeBytes, unit: 'bytes',
        metric: 'AWS/RDS FreeableMemory Minimum (cluster, role WRITER)', ...sustained,
        missingData: 'ignore', missingWhy: failoverGap,
        why: memoryGiB === undefined || t.databaseFreeableMemoryBytes !== undefined
          ? 'a writer short of memory evicts its cache and may restart'
          : `10 % of the ${memoryGiB} GiB of ${topology.database.instanceClass}: below it the writer evicts its cache and may restart`,
        action: 'check connections (each PostgreSQL backend takes memory) and scale the instance class',
        source: { namespace: RDS, name: 'FreeableMemory', dimensions: writer, stat: 'Minimum' },
      },
      {
        id: 'database-connections', comparison: 'above', threshold: connections, unit: 'connections',
        metric: 'AWS/RDS DatabaseConnections Maximum (cluster, role WRITER)',
        periodSeconds: 60, evaluationPeriods: 5, datapointsToAlarm: 5,
        missingData: 'ignore', missingWhy: failoverGap,
        why: t.databaseConnections !== undefined ? 'more connections than planned' :
          `each node holds a fixed pool of ${pool} (initial = min = max), so ${nodes} nodes hold ${pool * nodes}, ` +
          `${pool * (nodes + 1)} while a deployment runs one extra task; more means tasks that did not stop or clients other than Keycloak`,
        action: 'list sessions by client address in pg_stat_activity; stop stray tasks; before adding nodes, check the instance\'s max_connections',
        source: { namespace: RDS, name: 'DatabaseConnections', dimensions: writer, stat: 'Maximum' },
      },
      {
        id: 'replica-lag', comparison: 'above', threshold: t.replicaLagMilliseconds ?? 1000, unit: 'milliseconds',
        metric: 'AWS/RDS AuroraReplicaLag Maximum (cluster, role READER)',
        periodSeconds: 60, evaluationPeriods: 5, datapointsToAlarm: 5,
        missingData: 'notBreaching', missingWhy: 'no reader reporting is not lag',
        why: 'the readers are the failover targets; one far behind is a reader in trouble (Aurora usually lags well under 100 ms)',
        action: 'check the reader\'s CPU and memory; replace it if it does not recover',
        source: { namespace: RDS, name: 'AuroraReplicaLag', dimensions: readers, stat: 'Maximum' },
      },
    ];
  }

  private createAlarm(context: AwsSiteContext, spec: AlarmSpec): CloudwatchMetricAlarm {
    const { provider, tags, name } = context;
    const source = isMetric(spec.source)
      ? {
        namespace: spec.source.namespace,
        metricName: spec.source.name,
        dimensions: spec.source.dimensions,
        ...(/^p\d/.test(spec.source.stat)
          // Percentiles of a handful of requests say little; such periods leave the state as it is.
          ? { extendedStatistic: spec.source.stat, evaluateLowSampleCountPercentiles: 'ignore' }
          : { statistic: spec.source.stat }),
        period: spec.periodSeconds,
      }
      : { metricQuery: [...spec.source] };
    return new CloudwatchMetricAlarm(this, `${pascal(spec.id)}Alarm`, {
      provider,
      alarmName: `${name}-${spec.id}`,
      alarmDescription: `${spec.why}. Action: ${spec.action}.`.slice(0, 1024),
      comparisonOperator: spec.comparison === 'above' ? 'GreaterThanThreshold' : 'LessThanThreshold',
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm,
      treatMissingData: spec.missingData,
      ...source,
      // Notify on entering and leaving ALARM; INSUFFICIENT_DATA (e.g. a fresh alarm) pages nobody.
      alarmActions: [this.topic.arn],
      okActions: [this.topic.arn],
      tags,
    });
  }

  /** Only this account's CloudWatch alarms may publish, and only over TLS. */
  private restrictPublishers(context: AwsSiteContext): void {
    const { provider, name } = context;
    const account = new DataAwsCallerIdentity(this, 'Account', { provider });
    const partition = new DataAwsPartition(this, 'Partition', { provider });
    const region = new DataAwsRegion(this, 'Region', { provider });
    const policy = new DataAwsIamPolicyDocument(this, 'TopicPolicyDocument', {
      provider,
      statement: [
        {
          sid: 'CloudWatchAlarmsPublish',
          principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
          actions: ['sns:Publish'],
          resources: [this.topic.arn],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: [account.accountId] },
            {
              test: 'ArnLike',
              variable: 'aws:SourceArn',
              values: [`arn:${partition.partition}:cloudwatch:${region.region}:${account.accountId}:alarm:${name}-*`],
            },
          ],
        },
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['sns:Publish'],
          resources: [this.topic.arn],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    new SnsTopicPolicy(this, 'TopicPolicy', { provider, arn: this.topic.arn, policy: policy.json });
  }

  private dashboardBody(context: AwsSiteContext, props: KeycloakObservabilityProps, specs: AlarmSpec[]): unknown {
    const { site, name } = context;
    const region = site.region;
    const threshold = (id: KeycloakAlarmId) => {
      const spec = specs.find((s) => s.id === id) as AlarmSpec;
      return { horizontal: [{ label: `alarm: ${spec.comparison} ${spec.threshold}`, value: spec.threshold }] };
    };
    const metric = (source: Metric, label: string, extra: Record<string, unknown> = {}) =>
      [source.namespace, source.name, ...Object.entries(source.dimensions).flat(), { stat: source.stat, label, ...extra }];
    const graph = (title: string, metrics: unknown[], annotations?: unknown, width = 8) =>
      ({ type: 'metric', width, height: 6, properties: { title, region, view: 'timeSeries', stacked: false, period: 60, metrics, ...(annotations ? { annotations } : {}) } });
    const text = (markdown: string) => ({ type: 'text', width: 24, height: 1, properties: { markdown } });
    const spec = (id: KeycloakAlarmId) => (specs.find((s) => s.id === id) as AlarmSpec).source as Metric;
    const lb = props.loadBalancer.loadBalancer.arnSuffix;
    const alb = (metricName: string, stat: string) => ({ namespace: ALB, name: metricName, dimensions: { LoadBalancer: lb }, stat });
    const desired = { ...spec('running-tasks'), name: 'DesiredTaskCount' };
    return {
      widgets: [
        text(`# ${name}: Keycloak site ${site.name} in ${region}, ${site.nodes} nodes`),
        { type: 'alarm', width: 24, height: 3, properties: { title: 'Alarms', alarms: Object.values(this.alarms).map((a) => a.arn) } },
        text('## Traffic (load balancer)'),
        graph('Requests and 5xx', [
          metric(alb('RequestCount', 'Sum'), 'requests'),
          metric(alb('HTTPCode_Target_5XX_Count', 'Sum'), '5xx from Keycloak'),
          metric(alb('HTTPCode_ELB_5XX_Count', 'Sum'), '5xx from the load balancer'),
        ]),
        graph('5xx rate (%)', [
          metric(alb('RequestCount', 'Sum'), 'requests', { id: 'requests', visible: false }),
          metric(alb('HTTPCode_Target_5XX_Count', 'Sum'), 'keycloak5xx', { id: 'keycloak5xx', visible: false }),
          metric(alb('HTTPCode_ELB_5XX_Count', 'Sum'), 'lb5xx', { id: 'lb5xx', visible: false }),
          [{ expression: SERVER_ERROR_RATE, label: '5xx rate', id: 'errorRate' }],
        ], threshold('server-errors')),
        graph('Response time (s)', [metric({ ...spec('response-time-p99'), stat: 'p50' }, 'p50'), metric(spec('response-time-p99'), 'p99')],
          threshold('response-time-p99')),
        text('## Keycloak nodes (target group, ECS service)'),
        graph('Healthy and unhealthy targets', [metric(spec('healthy-targets'), 'healthy'), metric(spec('unhealthy-targets'), 'unhealthy')],
          threshold('healthy-targets')),
        graph('Running and desired tasks', [metric(spec('running-tasks'), 'running'), metric(desired, 'desired')], threshold('running-tasks')),
        graph('Task CPU and memory (%)', [metric(spec('task-cpu'), 'CPU (average)'), metric(spec('task-memory'), 'memory (fullest task)')],
          { horizontal: [...threshold('task-cpu').horizontal, ...threshold('task-memory').horizontal] }),
        text('## Database (Aurora writer and readers)'),
        graph('Writer CPU (%)', [metric(spec('database-cpu'), 'writer CPU')], threshold('database-cpu'), 6),
        graph('Writer freeable memory (bytes)', [metric(spec('database-freeable-memory'), 'freeable')], threshold('database-freeable-memory'), 6),
        graph('Writer connections', [metric(spec('database-connections'), 'connections')], threshold('database-connections'), 6),
        graph('Replica lag (ms)', [metric(spec('replica-lag'), 'worst reader')], threshold('replica-lag'), 6),
      ],
    };
  }
}

const ALB = 'AWS/ApplicationELB';
const RDS = 'AWS/RDS';
const GIB = 1024 ** 3;
/** Over the queries `requests`, `keycloak5xx` and `lb5xx` of `serverErrorRate()`. */
const SERVER_ERROR_RATE = 'IF(FILL(requests, 0) + FILL(lb5xx, 0) > 0, ' +
  '100 * (FILL(keycloak5xx, 0) + FILL(lb5xx, 0)) / (FILL(requests, 0) + FILL(lb5xx, 0)), 0)';

/**
 * 5xx share of requests. The load balancer's own 503s (no healthy target) are not in RequestCount,
 * so they join the denominator; a minute without requests is 0, not a division by zero.
 */
function serverErrorRate(loadBalancer: string): CloudwatchMetricAlarmMetricQuery[] {
  const sum = (id: string, metricName: string): CloudwatchMetricAlarmMetricQuery => ({
    id, returnData: false,
    metric: { namespace: ALB, metricName, dimensions: { LoadBalancer: loadBalancer }, stat: 'Sum', period: 60 },
  });
  return [
    sum('requests', 'RequestCount'),
    sum('keycloak5xx', 'HTTPCode_Target_5XX_Count'),
    sum('lb5xx', 'HTTPCode_ELB_5XX_Count'),
    { id: 'errorRate', returnData: true, label: '5xx rate (%)', expression: SERVER_ERROR_RATE },
  ];
}

/**
 * Memory of an Aurora instance class in GiB: memory-optimized `r` classes have 8 GiB per vCPU,
 * `x2g` 16, burstable `t` classes 4 (medium) or 8 (large); `large` is 2 vCPU, `xlarge` 4,
 * `Nxlarge` 4N (AWS, "Hardware specifications for DB instance classes for Aurora"). Undefined
 * for any other class.
 */
export function auroraInstanceMemoryGiB(instanceClass: string): number | undefined {
  const match = /^db\.(([a-z])\d+[a-z]*)\.(medium|large|(\d*)xlarge)$/.exec(instanceClass);
  if (!match) return undefined;
  const [, family, kind, size, multiple] = match;
  if (kind === 't') return size === 'medium' ? 4 : size === 'large' ? 8 : undefined;
  const perVcpu = kind === 'r' ? 8 : family === 'x2g' ? 16 : undefined;
  if (perVcpu === undefined || size === 'medium') return undefined;
  const vcpu = size === 'large' ? 2 : 4 * (multiple ? Number(multiple) : 1);
  return perVcpu * vcpu;
}

function validThresholds(thresholds: KeycloakAlarmThresholds): KeycloakAlarmThresholds {
  const percents = ['serverErrorPercent', 'taskCpuPercent', 'taskMemoryPercent', 'databaseCpuPercent'] as const;
  for (const [key, value] of Object.entries(thresholds) as [keyof KeycloakAlarmThresholds, number | undefined][]) {
    if (value === undefined) continue;
    const percent = (percents as readonly string[]).includes(key);
    const wholeMinutes = key === 'nodeLossMinutes';
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (percent && value > 100) ||
      (wholeMinutes && (!Number.isInteger(value) || value > 60))) {
      const allowed = percent ? 'a percentage above 0 and at most 100' : wholeMinutes ? 'whole minutes from 1 to 60' : 'a positive number';
      throw new Error(`KeycloakObservability: thresholds.${key} must be ${allowed} (got ${String(value)})`);
    }
  }
  return thresholds;
}

function isMetric(source: AlarmSpec['source']): source is Metric {
  return !Array.isArray(source);
}

/** `server-errors` → `ServerErrors`. */
function pascal(id: string): string {
  return id.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase());
}
