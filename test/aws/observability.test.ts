import { Construct } from 'constructs';
import { KeycloakOnAws, KeycloakOnAwsProps } from '../../lib';
import { KeycloakAlarmId, KeycloakAlarmThresholds, KeycloakObservability, KeycloakObservabilityProps } from '../../lib';
import { auroraInstanceMemoryGiB } from '../../lib/aws/observability';
import { runChecks } from '../../lib/checks/pack';
import { SynthesizedResource } from '../../lib/checks/rule';
import { awsProps, onlyResource, resourcesOf, synth, Synthesized } from '../helpers';

interface Deployment {
  readonly out: Synthesized;
  readonly observability: KeycloakObservability;
}

/** One site as the pattern builds it; its observability is part of the site. */
function deploy(overrides: Partial<KeycloakOnAwsProps> = {}, thresholds?: KeycloakAlarmThresholds, alarmEmails?: string[]): Deployment {
  let observability: KeycloakObservability | undefined;
  const out = synth((scope: Construct) => {
    const alarms = { ...(thresholds ? { thresholds } : {}), ...(alarmEmails ? { emails: alarmEmails } : {}) };
    const keycloak = new KeycloakOnAws(scope, 'Keycloak', awsProps({ ...overrides, alarms }));
    observability = keycloak.sites['eu-west'].observability;
  });
  return { out, observability: observability as KeycloakObservability };
}

function alarm(out: Synthesized, id: KeycloakAlarmId): Record<string, unknown> {
  const found = resourcesOf(out, 'aws_cloudwatch_metric_alarm').find((a) => a.alarm_name === `keycloak-eu-west-${id}`);
  if (!found) throw new Error(`no alarm ${id}`);
  return found;
}

const topicArn = expect.stringMatching(/^\$\{aws_sns_topic\.Keycloak_eu-west_Observability_Topic_[0-9A-F]+\.arn\}$/);

describe('KeycloakObservability', () => {
  // GIVEN the default topology: 3 zones, 3 nodes, pools of 30, db.r7g.large writer and reader.
  const { out, observability } = deploy({}, undefined, ['oncall@example.com']);

  test.each([
    ['server-errors', 'GreaterThanThreshold', 1, 'notBreaching'],
    ['response-time-p99', 'GreaterThanThreshold', 1, 'notBreaching'],
    ['unhealthy-targets', 'GreaterThanThreshold', 0, 'notBreaching'],
    ['healthy-targets', 'LessThanThreshold', 3, 'breaching'],
    ['running-tasks', 'LessThanThreshold', 3, 'breaching'],
    ['task-cpu', 'GreaterThanThreshold', 80, 'notBreaching'],
    ['task-memory', 'GreaterThanThreshold', 90, 'notBreaching'],
    ['database-cpu', 'GreaterThanThreshold', 80, 'ignore'],
    ['database-freeable-memory', 'LessThanThreshold', Math.round(1.6 * 1024 ** 3), 'ignore'],
    ['database-connections', 'GreaterThanThreshold', 130, 'ignore'],
    ['replica-lag', 'GreaterThanThreshold', 1000, 'notBreaching'],
  ] as const)('alarm %s: %s %d, missing data %s, notifies the topic on ALARM and on OK', (id, operator, threshold, missing) => {
    expect(alarm(out, id)).toMatchObject({
      comparison_operator: operator,
      threshold,
      treat_missing_data: missing,
      alarm_actions: [topicArn],
      ok_actions: [topicArn],
    });
    expect(alarm(out, id)).not.toHaveProperty('insufficient_data_actions');
  });

  test('every alarm is listed with its threshold, the reason and what to do', () => {
    expect(observability.resolvedAlarms).toHaveLength(11);
    expect(resourcesOf(out, 'aws_cloudwatch_metric_alarm')).toHaveLength(11);
    for (const resolved of observability.resolvedAlarms) {
      expect(resolved.name).toBe(`keycloak-eu-west-${resolved.id}`);
      expect(alarm(out, resolved.id).threshold).toBe(resolved.threshold);
      for (const text of [resolved.metric, resolved.why, resolved.action, resolved.window, resolved.missingData]) expect(text.length).toBeGreaterThan(10);
    }
    const connections = observability.resolvedAlarms.find((a) => a.id === 'database-connections');
    expect(connections?.why).toMatch(/fixed pool of 30.*3 nodes hold 90, 120 while a deployment runs one extra task/);
  });

  test('the 5xx rate counts Keycloak\'s and the load balancer\'s 5xx against all requests, per minute', () => {
    const queries = alarm(out, 'server-errors').metric_query as { id: string; expression?: string; return_data?: boolean; metric?: { metric_name: string; stat: string; dimensions: Record<string, string> } }[];
    expect(queries.map((q) => q.metric?.metric_name ?? q.id)).toEqual(['RequestCount', 'HTTPCode_Target_5XX_Count', 'HTTPCode_ELB_5XX_Count', 'errorRate']);
    expect(queries.filter((q) => q.return_data).map((q) => q.id)).toEqual(['errorRate']);
    expect(queries[3].expression).toContain('100 * (FILL(keycloak5xx, 0) + FILL(lb5xx, 0)) / (FILL(requests, 0) + FILL(lb5xx, 0))');
    expect(queries[0].metric?.dimensions.LoadBalancer).toMatch(/^\$\{aws_lb\..*\.arn_suffix\}$/);
    expect(alarm(out, 'server-errors')).toMatchObject({ evaluation_periods: 5, datapoints_to_alarm: 3 });
  });

  test('the response time alarm is a p99 of the target group that ignores periods with too few requests', () => {
    expect(alarm(out, 'response-time-p99')).toMatchObject({
      namespace: 'AWS/ApplicationELB', metric_name: 'TargetResponseTime', extended_statistic: 'p99',
      evaluate_low_sample_count_percentiles: 'ignore', period: 300, evaluation_periods: 3,
      dimensions: { LoadBalancer: expect.stringMatching(/arn_suffix/), TargetGroup: expect.stringMatching(/aws_lb_target_group\..*\.arn_suffix/) },
    });
  });

  test('node loss: unhealthy and healthy targets per target group, running tasks from Container Insights, for 5 minutes', () => {
    for (const id of ['unhealthy-targets', 'healthy-targets', 'running-tasks'] as const) {
      expect(alarm(out, id)).toMatchObject({ period: 60, evaluation_periods: 5, datapoints_to_alarm: 5 });
    }
    expect(alarm(out, 'unhealthy-targets')).toMatchObject({ metric_name: 'UnHealthyHostCount', statistic: 'Maximum' });
    expect(alarm(out, 'healthy-targets')).toMatchObject({ metric_name: 'HealthyHostCount', statistic: 'Minimum' });
    expect(alarm(out, 'running-tasks')).toMatchObject({
      namespace: 'ECS/ContainerInsights', metric_name: 'RunningTaskCount', statistic: 'Minimum',
      dimensions: { ClusterName: expect.stringMatching(/aws_ecs_cluster\..*\.name/), ServiceName: expect.stringMatching(/aws_ecs_service\..*\.name/) },
    });
    expect(onlyResource(out, 'aws_ecs_cluster').setting).toEqual([{ name: 'containerInsights', value: 'enabled' }]);
  });

  test('database alarms follow the roles, not instances, so a failover does not blind them', () => {
    for (const id of ['database-cpu', 'database-freeable-memory', 'database-connections'] as const) {
      expect(alarm(out, id).dimensions).toEqual({ DBClusterIdentifier: expect.stringMatching(/aws_rds_cluster\..*\.cluster_identifier/), Role: 'WRITER' });
    }
    expect(alarm(out, 'replica-lag')).toMatchObject({ metric_name: 'AuroraReplicaLag', statistic: 'Maximum', dimensions: { Role: 'READER' } });
  });

  test('the alarm topic is encrypted with the site key; only this account\'s alarms publish, over TLS', () => {
    expect(onlyResource(out, 'aws_sns_topic')).toMatchObject({
      name: 'keycloak-eu-west-alarms',
      kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\..*\.arn\}$/),
    });
    expect(onlyResource(out, 'aws_sns_topic_policy').arn).toEqual(topicArn);
    const document = Object.entries(out.json.data?.aws_iam_policy_document ?? {}).find(([key]) => key.includes('Observability'))?.[1] as
      { statement: { sid: string; effect?: string; principals: { identifiers: string[] }[]; condition: { variable: string; values: string[] }[] }[] };
    const [publish, insecure] = document.statement;
    expect(publish.principals[0].identifiers).toEqual(['cloudwatch.amazonaws.com']);
    expect(publish.condition.map((c) => c.variable)).toEqual(['aws:SourceAccount', 'aws:SourceArn']);
    expect(publish.condition[1].values[0]).toMatch(/:cloudwatch:.*:alarm:keycloak-eu-west-\*$/);
    expect(insecure).toMatchObject({ effect: 'Deny', condition: [{ variable: 'aws:SecureTransport', values: ['false'] }] });
    // The site key lets CloudWatch encrypt what it publishes to the topic.
    const keyPolicy = Object.values(out.json.data?.aws_iam_policy_document ?? {}).find((d) => JSON.stringify(d).includes('CloudWatchAlarmsPublish')) as
      { statement: { sid: string; principals: { identifiers: string[] }[]; actions: string[] }[] };
    expect(keyPolicy.statement.find((st) => st.sid === 'CloudWatchAlarmsPublish')).toMatchObject({
      principals: [{ identifiers: ['cloudwatch.amazonaws.com'] }], actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    });
  });

  test('e-mail subscribers are keyed by address', () => {
    const [subscription] = resourcesOf(out, 'aws_sns_topic_subscription');
    expect(subscription).toMatchObject({ protocol: 'email', endpoint: 'oncall@example.com', topic_arn: topicArn });
    expect(Object.keys(out.json.resource.aws_sns_topic_subscription)[0]).toMatch(/Email-oncall-example-com/);
  });

  test('the dashboard groups traffic, nodes and database, with every alarm and its threshold', () => {
    const dashboard = onlyResource(out, 'aws_cloudwatch_dashboard');
    expect(dashboard.dashboard_name).toBe('keycloak-eu-west');
    const body = JSON.parse(dashboard.dashboard_body as string) as { widgets: { type: string; properties: Record<string, unknown> }[] };
    const titles = body.widgets.map((w) => w.properties.title ?? w.properties.markdown);
    expect(titles).toEqual([
      '# keycloak-eu-west: Keycloak site eu-west in eu-west-1, 3 nodes', 'Alarms',
      '## Traffic (load balancer)', 'Requests and 5xx', '5xx rate (%)', 'Response time (s)',
      '## Keycloak nodes (target group, ECS service)', 'Healthy and unhealthy targets', 'Running and desired tasks', 'Task CPU and memory (%)',
      '## Database (Aurora writer and readers)', 'Writer CPU (%)', 'Writer freeable memory (bytes)', 'Writer connections', 'Replica lag (ms)',
    ]);
    expect(body.widgets[1].properties.alarms).toHaveLength(11);
    const text = JSON.stringify(body);
    for (const metric of ['HTTPCode_Target_5XX_Count', 'TargetResponseTime', 'UnHealthyHostCount', 'RunningTaskCount', 'DesiredTaskCount',
      'MemoryUtilization', 'FreeableMemory', 'DatabaseConnections', 'AuroraReplicaLag']) {
      expect(text).toContain(`"${metric}"`);
    }
    const connections = body.widgets.find((w) => w.properties.title === 'Writer connections');
    expect(connections?.properties.annotations).toEqual({ horizontal: [{ label: 'alarm: above 130', value: 130 }] });
  });

  test('the check pack finds nothing in the deployment with observability', () => {
    const resources: SynthesizedResource[] = Object.entries(out.json.resource).flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, body]) => ({ type, name, path: '', body })));
    expect(runChecks(resources)).toEqual([]);
  });
});

describe('thresholds follow the topology', () => {
  const connections = (d: Deployment) => alarm(d.out, 'database-connections').threshold;

  test('WHEN the pool grows THEN the connection threshold moves: pool × (nodes + 1) + 10', () => {
    expect(connections(deploy({ keycloak: { dbPoolSize: 50 } }))).toBe(50 * 4 + 10);
  });

  test('WHEN nodes are added THEN the connection, healthy-target and running-task thresholds move', () => {
    const six = deploy({ sites: { 'eu-west': { region: 'eu-west-1', zones: 3, nodes: 6 } } });
    expect(connections(six)).toBe(30 * 7 + 10);
    expect(alarm(six.out, 'healthy-targets').threshold).toBe(6);
    expect(alarm(six.out, 'running-tasks').threshold).toBe(6);
  });

  test('WHEN the instance class grows THEN the freeable-memory floor stays at 10 % of its memory', () => {
    const bigger = deploy({ database: { instanceClass: 'db.r6g.2xlarge' } });
    expect(alarm(bigger.out, 'database-freeable-memory').threshold).toBe(Math.round(6.4 * 1024 ** 3));
  });

  test('GIVEN a class of unknown memory THEN the floor is 1 GiB and synthesis warns', () => {
    const unknown = deploy({ database: { instanceClass: 'db.m6g.large' } });
    expect(alarm(unknown.out, 'database-freeable-memory').threshold).toBe(1024 ** 3);
    expect(unknown.observability.node.metadata.map((m) => String(m.data))).toEqual([
      expect.stringMatching(/^\[observability-instance-memory-unknown\] database\.instanceClass: .*got 'db\.m6g\.large'.*Fix: set thresholds\.databaseFreeableMemoryBytes/),
    ]);
    expect(deploy({ database: { instanceClass: 'db.m6g.large' } }, { databaseFreeableMemoryBytes: 2 ** 30 }).observability.node.metadata).toEqual([]);
  });

  test('GIVEN overrides THEN they win over the defaults and the topology', () => {
    const tuned = deploy({}, { serverErrorPercent: 5, responseTimeP99Seconds: 2, nodeLossMinutes: 10, databaseConnections: 500, databaseFreeableMemoryBytes: 2 ** 31 });
    expect(alarm(tuned.out, 'server-errors').threshold).toBe(5);
    expect(alarm(tuned.out, 'response-time-p99').threshold).toBe(2);
    expect(alarm(tuned.out, 'healthy-targets')).toMatchObject({ evaluation_periods: 10, datapoints_to_alarm: 10, threshold: 3 });
    expect(connections(tuned)).toBe(500);
    expect(alarm(tuned.out, 'database-freeable-memory').threshold).toBe(2 ** 31);
  });

  test('refuses thresholds and addresses that cannot work, naming the prop', () => {
    expect(() => deploy({}, { taskCpuPercent: 120 })).toThrow('thresholds.taskCpuPercent must be a percentage above 0 and at most 100 (got 120)');
    expect(() => deploy({}, { nodeLossMinutes: 2.5 })).toThrow('thresholds.nodeLossMinutes must be whole minutes from 1 to 60 (got 2.5)');
    expect(() => deploy({}, { replicaLagMilliseconds: -1 })).toThrow('thresholds.replicaLagMilliseconds must be a positive number (got -1)');
    expect(() => deploy({}, undefined, ['oncall'])).toThrow("alarmEmails holds 'oncall', which is not an e-mail address");
  });
});

describe('auroraInstanceMemoryGiB', () => {
  test.each([
    ['db.r7g.large', 16], ['db.r6g.2xlarge', 64], ['db.r5.xlarge', 32], ['db.r6id.4xlarge', 128], ['db.r8g.12xlarge', 384],
    ['db.x2g.large', 32], ['db.t4g.medium', 4], ['db.t3.large', 8],
    ['db.serverless', undefined], ['db.m5.large', undefined], ['db.x2iedn.xlarge', undefined], ['db.t4g.xlarge', undefined],
    ['db.r7g.medium', undefined], ['r7g.large', undefined],
  ])('%s → %s GiB', (instanceClass, gib) => {
    expect(auroraInstanceMemoryGiB(instanceClass)).toBe(gib);
  });
});

describe('several sites: shared and global databases, Infinispan', () => {
  const infinispan = { clusterName: 'keycloak-eu-west-infinispan', serviceName: 'infinispan', desiredCount: 3 };

  /** A second observability of the pattern's site, named `x-eu-west`, with the multi-site props under test. */
  function observe(props: Partial<KeycloakObservabilityProps>, withDatabase = true): Deployment {
    let observability: KeycloakObservability | undefined;
    const out = synth((scope: Construct) => {
      const keycloak = new KeycloakOnAws(scope, 'Keycloak', awsProps());
      const site = keycloak.sites['eu-west'];
      const context = { topology: keycloak.topology, site: keycloak.topology.sites['eu-west'], name: 'x-eu-west', tags: {} };
      observability = new KeycloakObservability(scope, 'X', context, {
        keycloak: site.keycloak, loadBalancer: site.loadBalancer, kmsKeyArn: site.key.arn,
        ...(withDatabase && site.database ? { database: site.database } : {}),
        ...props,
      });
    });
    return { out, observability: observability as KeycloakObservability };
  }
  const xAlarm = (d: Deployment, id: KeycloakAlarmId) => {
    const found = resourcesOf(d.out, 'aws_cloudwatch_metric_alarm').find((a) => a.alarm_name === `x-eu-west-${id}`);
    if (!found) throw new Error(`no alarm ${id}`);
    return found;
  };
  const xIds = (d: Deployment) => resourcesOf(d.out, 'aws_cloudwatch_metric_alarm')
    .map((a) => String(a.alarm_name)).filter((n) => n.startsWith('x-eu-west-')).map((n) => n.slice('x-eu-west-'.length)).sort();
  const xDashboard = (d: Deployment) => {
    const dashboard = resourcesOf(d.out, 'aws_cloudwatch_dashboard').find((b) => b.dashboard_name === 'x-eu-west');
    return JSON.parse(String(dashboard?.dashboard_body)) as { widgets: { type: string; properties: Record<string, unknown> }[] };
  };
  const titles = (d: Deployment) => xDashboard(d).widgets.map((w) => w.properties.title ?? w.properties.markdown);
  const KEYCLOAK_IDS = ['healthy-targets', 'response-time-p99', 'running-tasks', 'server-errors', 'task-cpu', 'task-memory', 'unhealthy-targets'];

  test('GIVEN the default client model THEN it matches one site: pool × (3 nodes + 1 site) + 10', () => {
    expect(xAlarm(observe({}), 'database-connections').threshold).toBe(30 * 4 + 10);
  });

  test('WHEN other sites connect to the database THEN the connection threshold counts their nodes and one extra task per site', () => {
    const shared = observe({ databaseClientNodes: 9, databaseClientSites: 3 });
    expect(xAlarm(shared, 'database-connections').threshold).toBe(30 * (9 + 3) + 10);
    expect(shared.observability.resolvedAlarms.find((a) => a.id === 'database-connections')?.why)
      .toMatch(/the 9 nodes of the 3 sites connecting here hold 270, 360 while every site's deployment runs one extra task/);
    const connections = xDashboard(shared).widgets.find((w) => w.properties.title === 'Writer connections');
    expect(connections?.properties.annotations).toEqual({ horizontal: [{ label: 'alarm: above 370', value: 370 }] });
    // More nodes in one of the other sites moves it again.
    expect(xAlarm(observe({ databaseClientNodes: 12, databaseClientSites: 3 }), 'database-connections').threshold).toBe(30 * 15 + 10);
    // An explicit threshold still wins.
    expect(xAlarm(observe({ databaseClientNodes: 9, databaseClientSites: 3, thresholds: { databaseConnections: 999 } }), 'database-connections').threshold).toBe(999);
  });

  test('GIVEN no database of its own THEN the site has no database alarm and no database widget', () => {
    const noDatabase = observe({}, false);
    expect(xIds(noDatabase)).toEqual(KEYCLOAK_IDS);
    expect(noDatabase.observability.resolvedAlarms.map((a) => a.id).sort()).toEqual(KEYCLOAK_IDS);
    expect(Object.keys(noDatabase.observability.alarms).sort()).toEqual(KEYCLOAK_IDS);
    expect(titles(noDatabase).filter((t) => /database|writer|replica/i.test(String(t)))).toEqual([]);
    expect(JSON.stringify(xDashboard(noDatabase))).not.toContain('DBClusterIdentifier');
    expect(xDashboard(noDatabase).widgets[1].properties.alarms).toHaveLength(7);
  });

  test('GIVEN a global secondary THEN it alarms on AuroraGlobalDBReplicationLag of its cluster, and has no writer alarm', () => {
    const secondary = observe({ globalDatabaseSecondary: true });
    expect(xAlarm(secondary, 'global-replication-lag')).toMatchObject({
      namespace: 'AWS/RDS', metric_name: 'AuroraGlobalDBReplicationLag', statistic: 'Maximum',
      dimensions: { DBClusterIdentifier: expect.stringMatching(/^\$\{aws_rds_cluster\..*\.cluster_identifier\}$/) },
      comparison_operator: 'GreaterThanThreshold', threshold: 1000, period: 60, evaluation_periods: 5, datapoints_to_alarm: 5,
      treat_missing_data: 'breaching',
    });
    expect(Object.keys(xAlarm(secondary, 'global-replication-lag').dimensions as object)).toEqual(['DBClusterIdentifier']);
    expect(xIds(secondary)).toEqual([...KEYCLOAK_IDS, 'global-replication-lag', 'replica-lag'].sort());
    expect(xAlarm(secondary, 'replica-lag')).toMatchObject({ metric_name: 'AuroraReplicaLag', dimensions: { Role: 'READER' } });
    const lag = secondary.observability.resolvedAlarms.find((a) => a.id === 'global-replication-lag');
    expect(lag?.missingData).toMatch(/^breaching: .*promoted/);
    expect(lag?.action).toContain('Database: switch over or fail over the global database');
    expect(titles(secondary)).toEqual(expect.arrayContaining(['## Database (Aurora Global Database secondary: readers only)', 'Global replication lag (ms)']));
    expect(titles(secondary)).not.toContain('Writer connections');
    expect(xAlarm(observe({ globalDatabaseSecondary: true, thresholds: { globalReplicationLagMilliseconds: 5000 } }), 'global-replication-lag').threshold).toBe(5000);
  });

  test('GIVEN a primary or regional cluster THEN there is no global lag alarm (only secondaries publish it)', () => {
    expect(xIds(observe({ globalDatabaseSecondary: false }))).not.toContain('global-replication-lag');
    expect(xIds(observe({}))).not.toContain('global-replication-lag');
  });

  test('GIVEN an Infinispan service THEN fewer running tasks than desired for 3 minutes alarm, and the dashboard has its row', () => {
    const withInfinispan = observe({ infinispan });
    expect(xAlarm(withInfinispan, 'infinispan-tasks')).toMatchObject({
      namespace: 'ECS/ContainerInsights', metric_name: 'RunningTaskCount', statistic: 'Minimum',
      dimensions: { ClusterName: 'keycloak-eu-west-infinispan', ServiceName: 'infinispan' },
      comparison_operator: 'LessThanThreshold', threshold: 3, period: 60, evaluation_periods: 3, datapoints_to_alarm: 3,
      treat_missing_data: 'breaching',
    });
    const resolved = withInfinispan.observability.resolvedAlarms.find((a) => a.id === 'infinispan-tasks');
    expect(resolved?.why).toMatch(/\/lb-check reports DOWN and DNS moves users to the other sites/);
    expect(resolved?.action).toContain('RUNBOOK.md, "Cross-site operations (Infinispan)"');
    expect(titles(withInfinispan)).toEqual(expect.arrayContaining([
      '## Infinispan (ECS service, cross-site caches)', 'Infinispan running and desired tasks', 'Infinispan CPU and memory (%)',
    ]));
    expect(xAlarm(observe({ infinispan: { ...infinispan, desiredCount: 4 } }), 'infinispan-tasks').threshold).toBe(4);
    expect(xIds(observe({}))).not.toContain('infinispan-tasks');
  });

  test.each([
    [{ databaseClientNodes: 9 }, false, /databaseClientNodes is set \(got 9\) but site eu-west has no database of its own\. Fix: /],
    [{ globalDatabaseSecondary: true }, false, /globalDatabaseSecondary is set \(got true\) but site eu-west has no database/],
    [{ globalDatabaseSecondary: true, databaseClientNodes: 9 }, true, /databaseClientNodes is set \(got 9\) .*global secondary.*Fix: count these nodes in the primary site's/],
    [{ databaseClientNodes: 2 }, true, /databaseClientNodes must be a whole number of at least 3 .* \(got 2\)\. Fix: /],
    [{ databaseClientNodes: 4, databaseClientSites: 3 }, true, /databaseClientNodes must be a whole number of at least 5 .*\(got 4\)/],
    [{ databaseClientSites: 0 }, true, /databaseClientSites must be a whole number of sites, at least 1 \(got 0\)/],
    [{ infinispan: { ...infinispan, desiredCount: 0 } }, true, /infinispan\.desiredCount must be a whole number of tasks, at least 1 \(got 0\)/],
    [{ infinispan: { ...infinispan, serviceName: '' } }, true, /infinispan\.serviceName must be the name of the Infinispan ECS service \(got ''\)/],
    [{ thresholds: { globalReplicationLagMilliseconds: -5 } }, true, /thresholds\.globalReplicationLagMilliseconds must be a positive number \(got -5\)/],
  ] as const)('refuses %j (database: %s), naming the prop, the value and the fix', (props, withDatabase, message) => {
    expect(() => observe(props as Partial<KeycloakObservabilityProps>, withDatabase)).toThrow(message);
  });
});
