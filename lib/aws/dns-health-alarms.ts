import { Construct } from 'constructs';
import { AwsProvider, CloudwatchMetricAlarm, DataAwsCallerIdentity, DataAwsIamPolicyDocument, DataAwsPartition, KmsAlias, KmsKey, SnsTopic } from '../private/aws-classes';
import { AlarmSummary } from '../model/alarm';
import { TerraformProvider, TerraformStack, Token } from '../private/cdktf';
import { createAlarmTopic } from './observability';
import { CLOUDWATCH_ALARMS_KEY_STATEMENT } from './site-key';

/*
 * Route 53 publishes health-check metrics (namespace AWS/Route53, dimension HealthCheckId) in
 * US East (N. Virginia) only: "Route 53 metrics are not available if you select any other region"
 * (Route 53 developer guide, "Monitoring health checks using CloudWatch"). An alarm evaluates
 * metrics of its own region, and its SNS action must be in that region too, so the alarms, their
 * topic and the topic's key all live in us-east-1, whatever the sites' regions.
 */
/** The only region where Route 53 health-check metrics exist. */
export const ROUTE53_HEALTH_METRICS_REGION = 'us-east-1';

export interface DnsHealthAlarmsProps {
  /** The Route 53 health check of each site's `/lb-check`, by site name (e.g. `GeoDns.healthChecks`). */
  readonly healthChecks: Readonly<Record<string, { readonly id: string }>>;
  /**
   * An AWS provider for us-east-1, where Route 53 publishes health-check metrics. Synthesis fails
   * when its region (or the default provider's) is known and is another one.
   * @default - the stack's default AWS provider, which must then be in us-east-1
   */
  readonly provider?: TerraformProvider;
  /** Prefix of the names: alarms `<name>-<site>-dns-health`, topic `<name>-dns-alarms`, e.g. `keycloak`. */
  readonly name: string;
  /**
   * Addresses subscribed to the topic by e-mail; each must confirm the message SNS sends.
   * @default - none: subscribe a pager, chat or ticket integration to `topic` yourself
   */
  readonly alarmEmails?: readonly string[];
  /** @default - no tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/** A DNS health alarm as an operator reads it (the review bundle's alarm shape). */
export interface DnsHealthAlarmSummary extends AlarmSummary {
  /** The site whose health check the alarm watches. */
  readonly site: string;
  /** CloudWatch `treat_missing_data`, and why. */
  readonly missingData: string;
}

const SITE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** Usable in SNS topic names and KMS aliases (`alias/<name>-dns-alarms`), which allow fewer characters than alarm names. */
const NAME = /^[A-Za-z0-9_-]{1,200}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * One alarm per site on its Route 53 health check: it fires while Route 53 considers the site's
 * `/lb-check` failed, that is while DNS keeps users away from the site. The alarms notify their own
 * SNS topic in us-east-1, encrypted with a customer-managed key there: the sites' keys are
 * regional, and a topic under the AWS-managed key `alias/aws/sns` would silently drop every alarm,
 * since that key's policy cannot let CloudWatch use it (AWS re:Post, "configure a CloudWatch alarm
 * with an encrypted SNS topic"). The key costs about one dollar a month.
 */
export class DnsHealthAlarms extends Construct {
  /** Encrypts the topic; its policy lets CloudWatch publish (`CLOUDWATCH_ALARMS_KEY_STATEMENT`). */
  readonly key: KmsKey;
  readonly topic: SnsTopic;
  /** The alarm of each site, keyed like `props.healthChecks`. */
  readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;
  readonly resolvedAlarms: readonly DnsHealthAlarmSummary[];

  constructor(scope: Construct, id: string, props: DnsHealthAlarmsProps) {
    super(scope, id);
    validate(props);
    requireMetricsRegion(this, props.provider);
    const { provider, name } = props;
    const tags = { ...(props.tags ?? {}) };

    this.key = createTopicKey(this, name, tags, provider);
    this.topic = createAlarmTopic(this, 'DnsHealthAlarms', {
      topicName: `${name}-dns-alarms`, kmsKeyArn: this.key.arn, alarmNamePattern: `${name}-*-dns-health`,
      emails: props.alarmEmails ?? [], ...(provider ? { provider } : {}), tags,
    });

    const alarms: Record<string, CloudwatchMetricAlarm> = {};
    const resolved: DnsHealthAlarmSummary[] = [];
    for (const [site, check] of Object.entries(props.healthChecks)) {
      const summary = summaryFor(name, site);
      resolved.push(summary);
      // Under its site, like GeoDns's checks: adding a site adds an alarm and renames none.
      alarms[site] = new CloudwatchMetricAlarm(new Construct(this, site), 'Alarm', {
        provider,
        alarmName: summary.name,
        alarmDescription: `${summary.why}. Action: ${summary.action}.`.slice(0, 1024),
        namespace: 'AWS/Route53',
        metricName: 'HealthCheckStatus',
        dimensions: { HealthCheckId: check.id },
        // 1 while Route 53 considers the check healthy, 0 while unhealthy, one point a minute.
        statistic: 'Minimum',
        period: 60,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        comparisonOperator: 'LessThanThreshold',
        threshold: 1,
        // A deleted check, or one Route 53 stopped evaluating, publishes nothing: that must page, not look healthy.
        treatMissingData: 'breaching',
        alarmActions: [this.topic.arn],
        okActions: [this.topic.arn],
        tags,
      });
    }
    this.alarms = alarms;
    this.resolvedAlarms = resolved;
  }
}

function summaryFor(name: string, site: string): DnsHealthAlarmSummary {
  return {
    site,
    name: `${name}-${site}-dns-health`,
    metric: `AWS/Route53 HealthCheckStatus Minimum (the health check of site ${site}'s /lb-check), us-east-1`,
    comparison: 'below',
    threshold: 1,
    unit: 'status (1 healthy, 0 unhealthy)',
    window: '1 of 1 periods of 60 s',
    missingData: 'breaching: a deleted check, or one Route 53 stopped evaluating, publishes nothing and must not look healthy',
    why: `Route 53 finds site ${site} unhealthy (its load balancer unreachable, no healthy Keycloak node, or Keycloak's /lb-check ` +
      'reporting DOWN because its Infinispan or cross-site link is down): DNS stops sending users there; ' +
      'the health check has already waited its failure threshold, so this is not a blip',
    action: `curl https://<site ${site}'s load balancer DNS name>/lb-check (-k: the certificate names the hostname); ` +
      `check site ${site}'s Infinispan tasks and cross-site link, and its load balancer's target health; with failover routing, ` +
      'confirm the hostname now resolves to the secondary site; once the site is back, bring it online in Infinispan and clear caches ' +
      '(RUNBOOK.md, "Cross-site operations (Infinispan)")',
  };
}

function validate(props: DnsHealthAlarmsProps): void {
  const sites = Object.keys(props.healthChecks);
  if (sites.length === 0) {
    throw new Error('DnsHealthAlarms: healthChecks is empty (got {}). Fix: pass the health check of each site, e.g. GeoDns.healthChecks');
  }
  for (const site of sites) {
    if (!SITE_NAME.test(site)) {
      throw new Error(`DnsHealthAlarms: healthChecks has the site '${site}', which is not a DNS label. ` +
        'Fix: key the health checks by the site names of the topology (lowercase letters, digits, hyphens)');
    }
  }
  if (!Token.isUnresolved(props.name) && !NAME.test(props.name)) {
    throw new Error(`DnsHealthAlarms: name must be 1-200 letters, digits, '-' or '_' (got '${props.name}'). ` +
      'Fix: pass the deployment name, e.g. \'keycloak\'');
  }
  for (const email of props.alarmEmails ?? []) {
    if (!EMAIL.test(email)) {
      throw new Error(`DnsHealthAlarms: alarmEmails holds '${email}', which is not an e-mail address. Fix: pass addresses like oncall@example.com`);
    }
  }
}

/** Fails synthesis when the provider the alarms would use is known to be outside us-east-1. */
function requireMetricsRegion(scope: Construct, provider: TerraformProvider | undefined): void {
  const aws = provider ?? defaultAwsProvider(scope);
  if (provider && !(provider instanceof AwsProvider)) {
    throw new Error(`DnsHealthAlarms: provider must be an AWS provider for ${ROUTE53_HEALTH_METRICS_REGION} (got a ${provider.terraformResourceType} provider). ` +
      `Fix: pass new AwsProvider(scope, 'UsEast1', { region: '${ROUTE53_HEALTH_METRICS_REGION}', alias: 'us-east-1' })`);
  }
  if (!(aws instanceof AwsProvider)) return;
  const region = aws.region;
  if (region === undefined || Token.isUnresolved(region) || region === ROUTE53_HEALTH_METRICS_REGION) return;
  const which = provider ? 'provider' : 'provider is not set, so the stack\'s default AWS provider is used, which';
  throw new Error(`DnsHealthAlarms: ${which} is in region '${region}'; Route 53 publishes health-check metrics only in ` +
    `${ROUTE53_HEALTH_METRICS_REGION}, so alarms elsewhere never see data and page forever. ` +
    `Fix: pass an AWS provider for ${ROUTE53_HEALTH_METRICS_REGION} (e.g. new AwsProvider(scope, 'UsEast1', { region: '${ROUTE53_HEALTH_METRICS_REGION}', alias: 'us-east-1' }))`);
}

/** The stack's AWS provider without alias, if it exists yet. */
function defaultAwsProvider(scope: Construct): AwsProvider | undefined {
  return TerraformStack.of(scope).node.findAll()
    .find((c): c is AwsProvider => c instanceof AwsProvider && c.alias === undefined);
}

/** A customer-managed key in us-east-1 that CloudWatch may use to publish to the topic. */
function createTopicKey(scope: Construct, name: string, tags: Record<string, string>, provider: TerraformProvider | undefined): KmsKey {
  const keyScope = new Construct(scope, 'Key');
  const account = new DataAwsCallerIdentity(keyScope, 'Account', { provider });
  const partition = new DataAwsPartition(keyScope, 'Partition', { provider });
  const policy = new DataAwsIamPolicyDocument(keyScope, 'Policy', {
    provider,
    statement: [
      {
        sid: 'AccountAdministers',
        principals: [{ type: 'AWS', identifiers: [`arn:${partition.partition}:iam::${account.accountId}:root`] }],
        actions: ['kms:*'],
        resources: ['*'],
      },
      CLOUDWATCH_ALARMS_KEY_STATEMENT,
    ],
  });
  const key = new KmsKey(keyScope, 'Resource', {
    provider,
    description: `Keycloak ${name}: DNS health alarm topic`,
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    policy: policy.json,
    tags,
  });
  new KmsAlias(keyScope, 'Alias', { provider, name: `alias/${name}-dns-alarms`, targetKeyId: key.keyId });
  return key;
}
