import { Construct } from 'constructs';
import { CloudwatchDashboard, CloudwatchMetricAlarm, DataAwsCallerIdentity, DataAwsIamPolicyDocument, DataAwsPartition, DataAwsRegion, SnsTopic, SnsTopicPolicy, SnsTopicSubscription } from '../private/aws-classes';
import type { CloudwatchMetricAlarmMetricQuery } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { AlarmSummary } from '../model/alarm';
import { SiteSpec } from '../model/topology';
import { Annotations, jsonAttribute, TerraformProvider, Token } from '../private/cdktf';
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

/**
 * Alarms of a site; the alarm name is `<deployment>-<site>-<id>`. Every site gets the load balancer
 * and task alarms; the database alarms exist only where the site holds a cluster (writer alarms
 * not on an Aurora Global Database secondary, which has no writer; `global-replication-lag` only
 * there), `infinispan-tasks` only with an external Infinispan.
 */
export type KeycloakAlarmId =
  | 'server-errors' | 'response-time-p99' | 'unhealthy-targets' | 'healthy-targets' | 'running-tasks'
  | 'task-cpu' | 'task-memory' | 'database-cpu' | 'database-freeable-memory' | 'database-connections' | 'replica-lag'
  | 'global-replication-lag' | 'infinispan-tasks';

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
   * @default - dbPoolSize × (client nodes + client sites) + 10: the pool of every node connecting
   * here, one extra task per client site while deployments run, a few other sessions
   */
  readonly databaseConnections?: number;
  /** Worst reader's replica lag, in milliseconds. @default 1000 */
  readonly replicaLagMilliseconds?: number;
  /**
   * How far an Aurora Global Database secondary may trail the primary region, in milliseconds:
   * the writes a regional failover would lose (RPO).
   * @default 1000 - Aurora typically replicates in under a second
   */
  readonly globalReplicationLagMilliseconds?: number;
}

/** The ECS service of a site's external Infinispan, as its alarm and dashboard row need it. */
export interface ObservedInfinispanService {
  readonly clusterName: string;
  readonly serviceName: string;
  /** Tasks ECS keeps running; fewer for 3 minutes raise `infinispan-tasks`. */
  readonly desiredCount: number;
}

export interface KeycloakObservabilityProps {
  readonly keycloak: KeycloakService;
  readonly loadBalancer: KeycloakLoadBalancer;
  /**
   * The site's own Aurora cluster.
   * @default - none: the site uses the cluster of another site of its region, whose observability
   * watches it; no database alarms or widgets here
   */
  readonly database?: AuroraDatabase;
  /**
   * Keycloak nodes, of every site, whose pools connect to `database`'s writer: this site's plus
   * those of the sites sharing the cluster (same region) or writing through the global writer
   * endpoint (other regions, when this is the global primary). Only with `database`, not on a
   * global secondary (no writer: count its site's nodes at the primary).
   * @default - this site's nodes
   */
  readonly databaseClientNodes?: number;
  /**
   * Sites, this one included, whose Keycloak connects to `database`'s writer; each may run one
   * task above its node count while its service deploys.
   * @default 1
   */
  readonly databaseClientSites?: number;
  /**
   * `database` is an Aurora Global Database secondary: read-only, made of readers only, the
   * disaster-recovery copy of the primary region. Adds `global-replication-lag`; the writer alarms
   * (CPU, freeable memory, connections) are left out, since no writer publishes them.
   * @default false
   */
  readonly globalDatabaseSecondary?: boolean;
  /**
   * The site's external Infinispan (several sites): adds `infinispan-tasks` and a dashboard row.
   * @default - none (one site: Keycloak's embedded caches)
   */
  readonly infinispan?: ObservedInfinispanService;
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
 * signals grouped by layer (traffic, nodes, Infinispan, database). Capacity thresholds come from
 * the topology (node count, pool size, instance class, and with several sites the nodes sharing
 * the database), so adding nodes moves them. With several sites, each site watches what it runs:
 * its database only if it holds one, replication lag if that is a global secondary, its
 * Infinispan if it has one; `DnsHealthAlarms` watches the sites from DNS's side. `resolvedAlarms`
 * lists every alarm with its threshold, reason and first action, for a review bundle or runbook.
 */
export class KeycloakObservability extends Construct {
  readonly topic: SnsTopic;
  /** The alarms of this site, by id; which exist depends on the props (see `KeycloakAlarmId`). */
  readonly alarms: Readonly<Partial<Record<KeycloakAlarmId, CloudwatchMetricAlarm>>>;
  readonly dashboard: CloudwatchDashboard;
  readonly resolvedAlarms: readonly ResolvedAlarm[];

  constructor(scope: Construct, id: string, context: AwsSiteContext, props: KeycloakObservabilityProps) {
    super(scope, id);
    const { provider, tags, name } = context;
    this.topic = createAlarmTopic(this, 'KeycloakObservability', {
      topicName: `${name}-alarms`, kmsKeyArn: props.kmsKeyArn, alarmNamePattern: `${name}-*`,
      emails: props.alarmEmails ?? [], ...(provider ? { provider } : {}), tags,
    });

    const specs = this.alarmSpecs(context, props);
    const alarms: Partial<Record<KeycloakAlarmId, CloudwatchMetricAlarm>> = {};
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
      dashboardBody: jsonAttribute(this, this.dashboardBody(context, props, specs)),
    });
  }

  private alarmSpecs(context: AwsSiteContext, props: KeycloakObservabilityProps): AlarmSpec[] {
    const { site } = context;
    const t = validThresholds(props.thresholds ?? {});
    const lb = props.loadBalancer.loadBalancer.arnSuffix;
    const targets = { LoadBalancer: lb, TargetGroup: props.loadBalancer.targetGroup.arnSuffix };
    const service = { ClusterName: props.keycloak.cluster.name, ServiceName: props.keycloak.service.name };
    const nodes = site.nodes;
    const minutes = t.nodeLossMinutes ?? 5;
    const nodeLoss = { periodSeconds: 60, evaluationPeriods: minutes, datapointsToAlarm: minutes };
    const sustained = { periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 3 };
    const clients = databaseClients(props, site);
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
        source: { namespace: INSIGHTS, name: 'RunningTaskCount', dimensions: service, stat: 'Minimum' },
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
      ...(props.database && clients ? this.databaseSpecs(context, props.database, t, clients) : []),
      ...(props.database && props.globalDatabaseSecondary ? secondarySpecs(props.database, t) : []),
      ...(props.infinispan ? [infinispanSpec(validInfinispan(props.infinispan))] : []),
    ];
  }

  /** Alarms on a cluster with a writer: the site's regional cluster or the global primary. */
  private databaseSpecs(context: AwsSiteContext, database: AuroraDatabase, t: KeycloakAlarmThresholds, clients: DatabaseClients): AlarmSpec[] {
    const { topology } = context;
    const writer = { DBClusterIdentifier: database.cluster.clusterIdentifier, Role: 'WRITER' };
    const readers = { ...writer, Role: 'READER' };
    const pool = topology.keycloak.dbPoolSize;
    /*
     * Every node holds a fixed pool (initial = min = max), opened as the task starts. Each client
     * site's ECS service runs at most one task above its node count while it deploys
     * (`oneExtraTaskPercent`), and the sites do not take turns: a rotation of the shared
     * credentials rolls every site using them right after it, and an apply that changes Keycloak
     * rolls them all. So the legitimate peak is one extra pool per client site, not one in all:
     * pool × (client nodes + client sites). `+ 1` alone would page at every shared rotation;
     * an extra task per node would hide a stray task or two for good.
     */
    const peak = pool * (clients.nodes + clients.sites);
    const connections = t.databaseConnections ?? peak + OTHER_DATABASE_SESSIONS;
    const memoryGiB = auroraInstanceMemoryGiB(topology.database.instanceClass);
    if (memoryGiB === undefined && t.databaseFreeableMemoryBytes === undefined) {
      Annotations.of(this).addWarning(`[observability-instance-memory-unknown] database.instanceClass: the memory of this class is not ` +
        `known here, so the freeable-memory alarm fires below 1 GiB (got '${topology.database.instanceClass}'). ` +
        `Fix: set thresholds.databaseFreeableMemoryBytes to about 10 % of the instance memory`);
    }
    const freeBytes = t.databaseFreeableMemoryBytes ?? (memoryGiB === undefined ? GIB : Math.round(memoryGiB * 0.1 * GIB));
    const sustained = { periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 3 };
    const failoverGap = 'a failover briefly leaves the role without data; keep the state through it';
    const holders = clients.sites === 1 ? `${clients.nodes} nodes` : `the ${clients.nodes} nodes of the ${clients.sites} sites connecting here`;
    const rolling = clients.sites === 1 ? 'a deployment runs one extra task'
      : 'every site\'s deployment runs one extra task at once (a rotation of the shared credentials rolls them together)';
    return [
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
          `each node holds a fixed pool of ${pool} (initial = min = max), so ${holders} hold ${pool * clients.nodes}, ` +
          `${peak} while ${rolling}; more means tasks that did not stop or clients other than Keycloak`,
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

  private dashboardBody(context: AwsSiteContext, props: KeycloakObservabilityProps, specs: AlarmSpec[]): unknown {
    const { site, name } = context;
    const region = site.region;
    const find = (id: KeycloakAlarmId): AlarmSpec => {
      const found = specs.find((s) => s.id === id);
      if (!found) throw new Error(`KeycloakObservability: no alarm ${id} for the dashboard`); // unreachable: sections follow the specs
      return found;
    };
    const threshold = (id: KeycloakAlarmId) => {
      const spec = find(id);
      return { horizontal: [{ label: `alarm: ${spec.comparison} ${spec.threshold}`, value: spec.threshold }] };
    };
    const metric = (source: Metric, label: string, extra: Record<string, unknown> = {}) =>
      [source.namespace, source.name, ...Object.entries(source.dimensions).flat(), { stat: source.stat, label, ...extra }];
    const graph = (title: string, metrics: unknown[], annotations?: unknown, width = 8) =>
      ({ type: 'metric', width, height: 6, properties: { title, region, view: 'timeSeries', stacked: false, period: 60, metrics, ...(annotations ? { annotations } : {}) } });
    const text = (markdown: string) => ({ type: 'text', width: 24, height: 1, properties: { markdown } });
    const spec = (id: KeycloakAlarmId) => find(id).source as Metric;
    const lb = props.loadBalancer.loadBalancer.arnSuffix;
    const alb = (metricName: string, stat: string) => ({ namespace: ALB, name: metricName, dimensions: { LoadBalancer: lb }, stat });
    const desired = { ...spec('running-tasks'), name: 'DesiredTaskCount' };
    const has = (id: KeycloakAlarmId) => specs.some((s) => s.id === id);
    const database = has('database-cpu')
      ? [
        text('## Database (Aurora writer and readers)'),
        graph('Writer CPU (%)', [metric(spec('database-cpu'), 'writer CPU')], threshold('database-cpu'), 6),
        graph('Writer freeable memory (bytes)', [metric(spec('database-freeable-memory'), 'freeable')], threshold('database-freeable-memory'), 6),
        graph('Writer connections', [metric(spec('database-connections'), 'connections')], threshold('database-connections'), 6),
        graph('Replica lag (ms)', [metric(spec('replica-lag'), 'worst reader')], threshold('replica-lag'), 6),
      ]
      : has('global-replication-lag')
        ? [
          text('## Database (Aurora Global Database secondary: readers only)'),
          graph('Global replication lag (ms)', [metric(spec('global-replication-lag'), 'behind the primary region')], threshold('global-replication-lag'), 12),
          graph('Replica lag (ms)', [metric(spec('replica-lag'), 'worst reader')], threshold('replica-lag'), 12),
        ]
        : [];
    const infinispan = props.infinispan && has('infinispan-tasks')
      ? (() => {
        const running = spec('infinispan-tasks');
        const ecs = (metricName: string, stat: string): Metric => ({ namespace: 'AWS/ECS', name: metricName, dimensions: running.dimensions, stat });
        return [
          text('## Infinispan (ECS service, cross-site caches)'),
          graph('Infinispan running and desired tasks', [metric(running, 'running'), metric({ ...running, name: 'DesiredTaskCount' }, 'desired')],
            threshold('infinispan-tasks'), 12),
          graph('Infinispan CPU and memory (%)', [metric(ecs('CPUUtilization', 'Average'), 'CPU (average)'),
            metric(ecs('MemoryUtilization', 'Maximum'), 'memory (fullest task)')], undefined, 12),
        ];
      })()
      : [];
    return {
      widgets: [
        text(`# ${name}: Keycloak site ${site.name} in ${region}, ${site.nodes} nodes`),
        { type: 'alarm', width: 24, height: 3, properties: { title: 'Alarms', alarms: specs.flatMap((s) => this.alarms[s.id]?.arn ?? []) } },
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
        ...infinispan,
        ...database,
      ],
    };
  }
}

export interface AlarmTopicProps {
  readonly topicName: string;
  /** A customer-managed key CloudWatch may use (an `alias/aws/sns` topic never receives alarms). */
  readonly kmsKeyArn: string;
  /** Names of the alarms allowed to publish (ArnLike), e.g. `keycloak-eu-west-*`. */
  readonly alarmNamePattern: string;
  readonly emails: readonly string[];
  readonly provider?: TerraformProvider;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * An encrypted SNS topic for alarms: only the matching alarms may publish, e-mail subscriptions
 * keyed by address (removing one never replaces, and unconfirms, the others). Construct IDs
 * `Topic`, `Email-<address>` and those of `restrictAlarmTopicPublishers`. `owner` names the caller in errors.
 */
export function createAlarmTopic(scope: Construct, owner: string, props: AlarmTopicProps): SnsTopic {
  const { provider } = props;
  const topic = new SnsTopic(scope, 'Topic', { provider, name: props.topicName, kmsMasterKeyId: props.kmsKeyArn, tags: props.tags });
  restrictAlarmTopicPublishers(scope, topic, props.alarmNamePattern, provider);
  for (const email of props.emails) {
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      throw new Error(`${owner}: alarmEmails holds '${email}', which is not an e-mail address. Fix: pass addresses like oncall@example.com`);
    }
    new SnsTopicSubscription(scope, `Email-${email.replace(/[^A-Za-z0-9]/g, '-')}`, {
      provider, topicArn: topic.arn, protocol: 'email', endpoint: email,
    });
  }
  return topic;
}

/**
 * Lets only this account's CloudWatch alarms whose names match `alarmNamePattern` (ArnLike, e.g.
 * `keycloak-eu-west-*`), in the topic's region, publish to `topic`, and nobody without TLS. Creates
 * `Account`, `Partition`, `Region`, `TopicPolicyDocument` and `TopicPolicy` in `scope`.
 */
function restrictAlarmTopicPublishers(scope: Construct, topic: SnsTopic, alarmNamePattern: string, provider?: TerraformProvider): SnsTopicPolicy {
  const account = new DataAwsCallerIdentity(scope, 'Account', { provider });
  const partition = new DataAwsPartition(scope, 'Partition', { provider });
  const region = new DataAwsRegion(scope, 'Region', { provider });
  const policy = new DataAwsIamPolicyDocument(scope, 'TopicPolicyDocument', {
    provider,
    statement: [
      {
        sid: 'CloudWatchAlarmsPublish',
        principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
        actions: ['sns:Publish'],
        resources: [topic.arn],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: [account.accountId] },
          {
            test: 'ArnLike',
            variable: 'aws:SourceArn',
            values: [`arn:${partition.partition}:cloudwatch:${region.region}:${account.accountId}:alarm:${alarmNamePattern}`],
          },
        ],
      },
      {
        sid: 'DenyInsecureTransport',
        effect: 'Deny',
        principals: [{ type: '*', identifiers: ['*'] }],
        actions: ['sns:Publish'],
        resources: [topic.arn],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      },
    ],
  });
  return new SnsTopicPolicy(scope, 'TopicPolicy', { provider, arn: topic.arn, policy: policy.json });
}

const ALB = 'AWS/ApplicationELB';
const RDS = 'AWS/RDS';
const INSIGHTS = 'ECS/ContainerInsights';
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

/** Who connects to the writer of the site's cluster. */
interface DatabaseClients {
  readonly nodes: number;
  readonly sites: number;
}

/**
 * The clients of `props.database`'s writer, checked against the site: undefined when the site has
 * no writer to watch (no cluster, or a global secondary).
 */
function databaseClients(props: KeycloakObservabilityProps, site: SiteSpec): DatabaseClients | undefined {
  const given = (['databaseClientNodes', 'databaseClientSites'] as const).filter((key) => props[key] !== undefined);
  if (!props.database) {
    const stray = [...given, ...(props.globalDatabaseSecondary ? ['globalDatabaseSecondary' as const] : [])];
    if (stray.length > 0) {
      throw new Error(`KeycloakObservability: ${stray[0]} is set (got ${String(props[stray[0]])}) but site ${site.name} has no database of its own. ` +
        'Fix: pass it to the observability of the site that holds the cluster, and leave it unset here');
    }
    return undefined;
  }
  if (props.globalDatabaseSecondary) {
    if (given.length > 0) {
      throw new Error(`KeycloakObservability: ${given[0]} is set (got ${String(props[given[0]])}) but site ${site.name}'s cluster is a ` +
        'global secondary, which has no writer: its Keycloak writes through the global writer endpoint to the primary. ' +
        'Fix: count these nodes in the primary site\'s databaseClientNodes and databaseClientSites, and leave them unset here');
    }
    return undefined;
  }
  const sites = props.databaseClientSites ?? 1;
  if (!Number.isInteger(sites) || sites < 1) {
    throw new Error(`KeycloakObservability: databaseClientSites must be a whole number of sites, at least 1 (got ${String(sites)}). ` +
      'Fix: count the sites whose Keycloak connects to this cluster, this one included');
  }
  // This site's nodes connect, and every other client site has at least one node.
  const least = site.nodes + sites - 1;
  const nodes = props.databaseClientNodes ?? site.nodes;
  if (!Number.isInteger(nodes) || nodes < least) {
    throw new Error(`KeycloakObservability: databaseClientNodes must be a whole number of at least ${least} ` +
      `(site ${site.name}'s ${site.nodes} nodes plus one per other client site) (got ${String(nodes)}). ` +
      'Fix: add up the nodes of every site whose Keycloak connects to this cluster, this site included');
  }
  return { nodes, sites };
}

/*
 * An Aurora Global Database secondary is a read-only cluster made up entirely of Aurora Replicas
 * (Aurora user guide, "Getting started with Amazon Aurora global databases"), so the WRITER-role
 * alarms would never see data there and are left out. Its lag behind the primary region is
 * AuroraGlobalDBReplicationLag: a cluster-level AWS/RDS metric in milliseconds, published only in
 * the secondary's region (Aurora user guide, "Amazon CloudWatch metrics for Amazon Aurora",
 * cluster-level metrics), hence the alarm on DBClusterIdentifier = this cluster, with the site's
 * (secondary's) provider. AuroraReplicaLag keeps a meaning there: AWS measures a secondary's
 * end-to-end lag as AuroraGlobalDBProgressLag + AuroraReplicaLag ("Cross-Region resiliency for
 * Global Database secondary clusters"), so the reader alarm stays, reworded: an instance behind the
 * secondary's own volume.
 *
 * Missing data breaches: only a secondary publishes the metric, so silence means the cluster was
 * promoted (switchover, failover, detach) or stopped replicating. Either way the deployment no
 * longer has the disaster-recovery copy it describes, which is worth a page; after a planned
 * switchover the page says "make this site the primary in the topology and redeploy", and the
 * alarm clears once the alarms follow the new roles. ('missing' would leave it in
 * INSUFFICIENT_DATA, which notifies nobody.) It also turns a metric that never arrives into an
 * alarm rather than a blind spot.
 */
function secondarySpecs(database: AuroraDatabase, t: KeycloakAlarmThresholds): AlarmSpec[] {
  const cluster = { DBClusterIdentifier: database.cluster.clusterIdentifier };
  const lagWindow = { periodSeconds: 60, evaluationPeriods: 5, datapointsToAlarm: 5 };
  return [
    {
      id: 'replica-lag', comparison: 'above', threshold: t.replicaLagMilliseconds ?? 1000, unit: 'milliseconds',
      metric: 'AWS/RDS AuroraReplicaLag Maximum (cluster, role READER)', ...lagWindow,
      missingData: 'notBreaching', missingWhy: 'no reader reporting is not lag',
      why: 'every instance of a global secondary is a reader; one far behind the secondary\'s own volume adds to the global lag ' +
        'and is the instance that would become the writer after a promotion',
      action: 'check the reader\'s CPU and memory; replace it if it does not recover',
      source: { namespace: RDS, name: 'AuroraReplicaLag', dimensions: { ...cluster, Role: 'READER' }, stat: 'Maximum' },
    },
    {
      id: 'global-replication-lag', comparison: 'above', threshold: t.globalReplicationLagMilliseconds ?? 1000, unit: 'milliseconds',
      metric: 'AWS/RDS AuroraGlobalDBReplicationLag Maximum (this secondary cluster)', ...lagWindow,
      missingData: 'breaching',
      missingWhy: 'only a secondary publishes it: silence means the cluster was promoted or detached, or stopped replicating',
      why: 'this cluster is the disaster-recovery copy of the primary region; what it trails by is lost if that region fails now (RPO). ' +
        'Aurora typically replicates in under a second',
      action: 'check the primary\'s write load and SELECT * FROM aurora_global_db_status() on the primary; if this cluster was promoted ' +
        '(switchover or failover), make its site the primary and redeploy so the alarms follow the roles ' +
        '(RUNBOOK.md, "Database: switch over or fail over the global database")',
      source: { namespace: RDS, name: 'AuroraGlobalDBReplicationLag', dimensions: cluster, stat: 'Maximum' },
    },
  ];
}

/**
 * The site's Infinispan: with several sites Keycloak keeps its sessions there, backed up to the
 * other sites. Once no node answers, Keycloak's `/lb-check` in this site reports DOWN (503), the
 * DNS health check fails and users are moved to the other sites; fewer nodes than desired mean
 * fewer owners per entry and a cluster that may not survive the next loss.
 */
function infinispanSpec(infinispan: ObservedInfinispanService): AlarmSpec {
  const dimensions = { ClusterName: infinispan.clusterName, ServiceName: infinispan.serviceName };
  return {
    id: 'infinispan-tasks', comparison: 'below', threshold: infinispan.desiredCount, unit: 'tasks',
    metric: 'ECS/ContainerInsights RunningTaskCount Minimum (Infinispan cluster, service)',
    periodSeconds: 60, evaluationPeriods: 3, datapointsToAlarm: 3,
    missingData: 'breaching', missingWhy: 'Container Insights reports the service every minute; silence means no tasks or no insights',
    why: `ECS should keep ${infinispan.desiredCount} Infinispan tasks running; with none, Keycloak of this site loses its external caches, ` +
      'its /lb-check reports DOWN and DNS moves users to the other sites; with fewer, the cache entries have fewer owners',
    action: 'read the Infinispan service events and stopped-task reasons; if the site was withdrawn, take it offline from the surviving sites, ' +
      'and once Infinispan is back bring it online, push state and clear Keycloak caches (RUNBOOK.md, "Cross-site operations (Infinispan)")',
    source: { namespace: INSIGHTS, name: 'RunningTaskCount', dimensions, stat: 'Minimum' },
  };
}

function validInfinispan(infinispan: ObservedInfinispanService): ObservedInfinispanService {
  const count = infinispan.desiredCount;
  if (!Token.isUnresolved(count) && (!Number.isInteger(count) || count < 1)) {
    throw new Error(`KeycloakObservability: infinispan.desiredCount must be a whole number of tasks, at least 1 (got ${String(count)}). ` +
      'Fix: pass the desired count of the Infinispan ECS service');
  }
  for (const key of ['clusterName', 'serviceName'] as const) {
    if (typeof infinispan[key] !== 'string' || infinispan[key].length === 0) {
      throw new Error(`KeycloakObservability: infinispan.${key} must be the name of the Infinispan ECS ${key === 'clusterName' ? 'cluster' : 'service'} ` +
        `(got '${String(infinispan[key])}'). Fix: pass the service's cluster and service names (e.g. its \`cluster.name\`)`);
    }
  }
  return infinispan;
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
