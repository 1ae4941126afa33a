import { Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check';
import { Construct } from 'constructs';
import { DnsHealthAlarms, DnsHealthAlarmsProps } from '../../lib';
import { runChecks } from '../../lib/checks/pack';
import { SynthesizedResource } from '../../lib/checks/rule';
import { renderAlarmSection } from '../../lib/review/alarms';
import { onlyResource, resourcesOf, synth, Synthesized } from '../helpers';

const CHECKS = { eu: { id: 'hc-eu-0001' }, us: { id: 'hc-us-0002' } };

interface Built { readonly out: Synthesized; readonly alarms: DnsHealthAlarms }

/** DnsHealthAlarms with an us-east-1 provider aliased `use1`, in a stack whose default provider is in eu-west-1. */
function build(props: Partial<DnsHealthAlarmsProps> = {}, providerRegion = 'us-east-1'): Built {
  let alarms: DnsHealthAlarms | undefined;
  const out = synth((scope: Construct) => {
    const provider = new AwsProvider(scope, 'UsEast1', { region: providerRegion, alias: 'use1' });
    alarms = new DnsHealthAlarms(scope, 'DnsAlarms', { healthChecks: CHECKS, name: 'keycloak', provider, ...props });
  });
  return { out, alarms: alarms as DnsHealthAlarms };
}

function alarmOf(out: Synthesized, site: string): Record<string, unknown> {
  const found = resourcesOf(out, 'aws_cloudwatch_metric_alarm').find((a) => a.alarm_name === `keycloak-${site}-dns-health`);
  if (!found) throw new Error(`no alarm for ${site}`);
  return found;
}

const topicArn = expect.stringMatching(/^\$\{aws_sns_topic\.DnsAlarms_Topic_[0-9A-F]+\.arn\}$/);

describe('DnsHealthAlarms', () => {
  const { out, alarms } = build({ alarmEmails: ['oncall@example.com'], tags: { app: 'keycloak' } });

  test.each(['eu', 'us'])('site %s: HealthCheckStatus of its check, Minimum below 1 over 60 s, 1 of 1, missing data breaching', (site) => {
    expect(alarmOf(out, site)).toMatchObject({
      provider: 'aws.use1',
      namespace: 'AWS/Route53',
      metric_name: 'HealthCheckStatus',
      dimensions: { HealthCheckId: CHECKS[site as keyof typeof CHECKS].id },
      statistic: 'Minimum',
      period: 60,
      evaluation_periods: 1,
      datapoints_to_alarm: 1,
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      treat_missing_data: 'breaching',
      alarm_actions: [topicArn],
      ok_actions: [topicArn],
      tags: { app: 'keycloak' },
    });
  });

  test('one alarm per site, each under its site so adding a site renames none', () => {
    expect(resourcesOf(out, 'aws_cloudwatch_metric_alarm')).toHaveLength(2);
    expect(Object.keys(alarms.alarms)).toEqual(['eu', 'us']);
    const euOnly = build({ healthChecks: { eu: CHECKS.eu } });
    const addressOfEu = (s: Synthesized) => Object.entries(s.json.resource.aws_cloudwatch_metric_alarm)
      .find(([, body]) => body.alarm_name === 'keycloak-eu-dns-health')?.[0];
    expect(addressOfEu(euOnly.out)).toMatch(/^DnsAlarms_eu_Alarm_/);
    expect(addressOfEu(euOnly.out)).toBe(addressOfEu(out));
  });

  test('the topic, its key, policy and subscriptions are in us-east-1, the key customer-managed (not alias/aws/sns)', () => {
    const types = ['aws_sns_topic', 'aws_sns_topic_policy', 'aws_sns_topic_subscription', 'aws_kms_key', 'aws_kms_alias', 'aws_cloudwatch_metric_alarm'];
    for (const type of types) {
      for (const resource of resourcesOf(out, type)) expect({ type, provider: resource.provider }).toEqual({ type, provider: 'aws.use1' });
    }
    for (const byName of Object.values(out.json.data ?? {})) {
      for (const body of Object.values(byName)) expect(body.provider).toBe('aws.use1');
    }
    expect(onlyResource(out, 'aws_sns_topic')).toMatchObject({
      name: 'keycloak-dns-alarms',
      kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.DnsAlarms_Key_[0-9A-F]+\.arn\}$/),
    });
    expect(onlyResource(out, 'aws_kms_key')).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(onlyResource(out, 'aws_kms_alias').name).toBe('alias/keycloak-dns-alarms');
    expect(out.text).not.toContain('alias/aws/sns');
  });

  test('the key lets CloudWatch encrypt what it publishes; the topic takes only these alarms, over TLS', () => {
    const documents = Object.values(out.json.data?.aws_iam_policy_document ?? {}) as
      { statement: { sid: string; actions: string[]; principals: { identifiers: string[] }[]; condition?: { variable: string; values: string[] }[] }[] }[];
    const keyPolicy = documents.find((d) => d.statement.some((s) => s.sid === 'AccountAdministers'));
    expect(keyPolicy?.statement.find((s) => s.sid === 'CloudWatchAlarmsPublish')).toMatchObject({
      principals: [{ identifiers: ['cloudwatch.amazonaws.com'] }], actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    });
    const topicPolicy = documents.find((d) => d.statement.some((s) => s.sid === 'DenyInsecureTransport'));
    const publish = topicPolicy?.statement.find((s) => s.sid === 'CloudWatchAlarmsPublish');
    expect(publish?.actions).toEqual(['sns:Publish']);
    expect(publish?.condition?.[1].values[0]).toMatch(/:cloudwatch:.*:alarm:keycloak-\*-dns-health$/);
    expect(onlyResource(out, 'aws_sns_topic_policy').arn).toEqual(topicArn);
  });

  test('e-mail subscribers are keyed by address', () => {
    expect(onlyResource(out, 'aws_sns_topic_subscription')).toMatchObject({ protocol: 'email', endpoint: 'oncall@example.com', topic_arn: topicArn });
    expect(Object.keys(out.json.resource.aws_sns_topic_subscription)[0]).toMatch(/Email-oncall-example-com/);
  });

  test('resolved alarms say per site what fires, why and what to do, in the review bundle\'s shape', () => {
    expect(alarms.resolvedAlarms.map((a) => [a.site, a.name, a.comparison, a.threshold, a.window])).toEqual([
      ['eu', 'keycloak-eu-dns-health', 'below', 1, '1 of 1 periods of 60 s'],
      ['us', 'keycloak-us-dns-health', 'below', 1, '1 of 1 periods of 60 s'],
    ]);
    const [eu] = alarms.resolvedAlarms;
    expect(eu.metric).toContain('AWS/Route53 HealthCheckStatus Minimum');
    expect(eu.missingData).toMatch(/^breaching: a deleted check/);
    expect(eu.action).toMatch(/\/lb-check.*Infinispan.*target health.*failover routing, confirm the hostname now resolves to the secondary site/);
    expect(String(alarmOf(out, 'eu').alarm_description)).toContain(eu.action);
    const section = renderAlarmSection({ 'global (DNS health, us-east-1)': alarms.resolvedAlarms });
    expect(section).toContain('| `keycloak-eu-dns-health` | AWS/Route53 HealthCheckStatus Minimum');
    expect(section).toContain('| below 1 status (1 healthy, 0 unhealthy) |');
  });

  test('takes the ids of real health checks', () => {
    const real = synth((scope: Construct) => {
      const provider = new AwsProvider(scope, 'UsEast1', { region: 'us-east-1', alias: 'use1' });
      const check = new Route53HealthCheck(scope, 'Check', { provider, type: 'HTTPS', fqdn: 'lb.example.com', port: 443, resourcePath: '/lb-check', failureThreshold: 3, requestInterval: 10 });
      new DnsHealthAlarms(scope, 'DnsAlarms', { healthChecks: { eu: check }, name: 'keycloak', provider });
    });
    expect(onlyResource(real, 'aws_cloudwatch_metric_alarm').dimensions).toEqual({ HealthCheckId: expect.stringMatching(/^\$\{aws_route53_health_check\.Check\.id\}$/) });
  });

  test('the check pack finds nothing', () => {
    const resources: SynthesizedResource[] = Object.entries(out.json.resource).flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, body]) => ({ type, name, path: '', body })));
    expect(runChecks(resources)).toEqual([]);
  });
});

describe('DnsHealthAlarms refuses what cannot work', () => {
  test('a provider of another region: Route 53 metrics exist only in us-east-1', () => {
    expect(() => build({}, 'eu-central-1')).toThrow(
      /DnsHealthAlarms: provider is in region 'eu-central-1'; Route 53 publishes health-check metrics only in us-east-1.*Fix: pass an AWS provider for us-east-1/);
  });

  test('no provider, and the stack\'s default provider is in another region', () => {
    expect(() => synth((scope) => new DnsHealthAlarms(scope, 'DnsAlarms', { healthChecks: CHECKS, name: 'keycloak' })))
      .toThrow(/provider is not set, so the stack's default AWS provider is used, which is in region 'eu-west-1'/);
  });

  test('no provider, and the default provider is in us-east-1: accepted, resources on the default provider', () => {
    const text = Testing.synthScope((scope) => {
      new AwsProvider(scope, 'aws', { region: 'us-east-1' });
      new DnsHealthAlarms(scope, 'DnsAlarms', { healthChecks: CHECKS, name: 'keycloak' });
    });
    const alarms = Object.values(JSON.parse(text).resource.aws_cloudwatch_metric_alarm) as Record<string, unknown>[];
    expect(alarms).toHaveLength(2);
    for (const alarm of alarms) expect(alarm).not.toHaveProperty('provider');
  });

  test.each([
    [{ healthChecks: {} }, /healthChecks is empty \(got \{\}\)\. Fix: /],
    [{ healthChecks: { EU_West: { id: 'x' } } }, /healthChecks has the site 'EU_West', which is not a DNS label\. Fix: /],
    [{ name: 'key cloak' }, /name must be 1-200 letters, digits, '-' or '_' \(got 'key cloak'\)\. Fix: /],
    [{ alarmEmails: ['oncall'] }, /alarmEmails holds 'oncall', which is not an e-mail address\. Fix: /],
  ] as const)('%j', (props, message) => {
    expect(() => build(props as Partial<DnsHealthAlarmsProps>)).toThrow(message);
  });
});
