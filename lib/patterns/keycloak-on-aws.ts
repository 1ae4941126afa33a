import { Construct } from 'constructs';
import { KeycloakAlarmThresholds } from '../aws/observability';
import { ICertificate, IHostedZone } from '../aws/references';
import { KeycloakChecks } from '../checks/aspect';
import { CapacityPlan, LoadTarget, planCapacity, renderCapacity } from '../model/capacity';
import { defineTopology, SiteInput, TopologyInput } from '../model/define';
import { analyzeFailures, renderFailureTable } from '../model/failure-modes';
import { Diagnostic, formatDiagnostic, TopologyError } from '../model/diagnostic';
import { isHostnameProblem, parseHostname } from '../model/hostname';
import { Topology } from '../model/topology';
import { errorsOf, validate } from '../model/validate';
import { Annotations, Aspects, TerraformOutput, TerraformProvider, Token } from '../private/cdktf';
import { renderAlarmSection } from '../review/alarms';
import { writeReviewBundle } from '../review/bundle';
import { AwsSite } from './aws-site';

/** A site on AWS: the model's site plus the provider of its region. */
export interface AwsSiteInput extends SiteInput {
  /**
   * The AWS provider configured for `region`.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

export interface KeycloakOnAwsProps extends TopologyInput {
  readonly sites: Readonly<Record<string, AwsSiteInput>>;
  /**
   * Prefix of AWS resource names (`<name>-<site>`): distinct deployments in one account need
   * distinct names. A DNS label of at most 11 characters (load balancer names stop at 32).
   * @default 'keycloak'
   */
  readonly name?: string;
  /**
   * ACM certificate for the hostname, in the site's region.
   * @default - a DNS-validated certificate in `hostedZone`
   */
  readonly certificate?: ICertificate;
  /**
   * Public hosted zone of the hostname. When given, the hostname becomes an alias of the load
   * balancer (and the certificate is issued through it if none is given).
   * @default - no DNS record; point the hostname at the `load-balancer-dns-name` output yourself
   */
  readonly hostedZone?: IHostedZone;
  /**
   * Tags for every taggable resource.
   * @default - `app: keycloak` and `keycloak-deployment: <name>`
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Where alarms go and when they fire. Every site gets an encrypted SNS topic (output
   * `<name>-<site>-alarm-topic-arn`), CloudWatch alarms and a dashboard; subscribe your pager to the topic.
   * @default - no e-mail subscriptions; default thresholds (derived from the topology where capacity-related)
   */
  readonly alarms?: { readonly emails?: readonly string[]; readonly thresholds?: KeycloakAlarmThresholds };
  /**
   * The load the deployment must carry (logins, grants, refreshes per second). The library then
   * sizes it with Keycloak's sizing guidance so it still carries the load after losing its
   * largest failure domain, warns (`capacity-insufficient`, ...) when the configured nodes cannot,
   * and puts the plan in the review bundle.
   * @default - no capacity plan
   */
  readonly load?: LoadTarget;
  /**
   * Check every resource of the deployment against the HA and security rule pack at synthesis
   * (findings become annotations; see `suppressCheck` for justified exceptions).
   * @default true
   */
  readonly checks?: boolean;
}

/**
 * Highly available Keycloak on AWS from one topology: per site a VPC over several zones, an
 * Aurora PostgreSQL cluster with readers in other zones, Keycloak on ECS Fargate with one node per
 * zone or more, forming one cluster, behind an Application Load Balancer.
 *
 * Synthesis fails with every problem of the topology at once; risks that are legal but unwise
 * become warnings. Outputs (per site, `<name>-<site>-` prefixed): `url`, `load-balancer-dns-name`,
 * `bootstrap-admin-secret-arn`.
 */
export class KeycloakOnAws extends Construct {
  readonly topology: Topology;
  /** The sites' constructs, keyed like `props.sites`. */
  readonly sites: Readonly<Record<string, AwsSite>>;
  /** Warnings of the topology (also reported as annotations). */
  readonly warnings: readonly Diagnostic[];
  /** The check pack applied at synthesis, unless `checks: false`. */
  readonly checks?: KeycloakChecks;
  /** Prefix of AWS resource names (`props.name`). */
  readonly deploymentName: string;
  /** The capacity plan, when `props.load` is given. */
  readonly capacity?: CapacityPlan;

  constructor(scope: Construct, id: string, props: KeycloakOnAwsProps) {
    super(scope, id);
    this.topology = defineTopology(props);
    const diagnostics = [...validate(this.topology), ...validateAwsProps(props)];
    const errors = errorsOf(diagnostics);
    if (errors.length > 0) throw new TopologyError(errors);
    if (props.load) this.capacity = planCapacity(this.topology, props.load);
    this.warnings = [...diagnostics.filter((d) => d.severity === 'warning'), ...(this.capacity?.diagnostics ?? [])];
    for (const warning of this.warnings) Annotations.of(this).addWarning(formatDiagnostic(warning));

    const name = props.name ?? DEFAULT_NAME;
    this.deploymentName = name;
    const hostname = parseHostname(this.topology.keycloak.hostname);
    if (isHostnameProblem(hostname)) throw new Error(hostname.message); // unreachable: validated above
    const sites: Record<string, AwsSite> = {};
    for (const site of Object.values(this.topology.sites)) {
      const provider = props.sites[site.name].provider;
      const context = {
        topology: this.topology,
        site,
        name: `${name}-${site.name}`,
        ...(provider ? { provider } : {}),
        tags: { app: 'keycloak', 'keycloak-deployment': name, 'keycloak-site': site.name, ...props.tags },
      };
      const awsSite = new AwsSite(this, site.name, context, {
        host: hostname.host,
        ...(props.certificate ? { certificate: props.certificate } : {}),
        ...(props.hostedZone ? { hostedZone: props.hostedZone } : {}),
        ...(props.alarms?.emails ? { alarmEmails: props.alarms.emails } : {}),
        ...(props.alarms?.thresholds ? { alarmThresholds: props.alarms.thresholds } : {}),
      });
      sites[site.name] = awsSite;
      this.output(`${name}-${site.name}-url`, hostname.url, `Keycloak URL (site ${site.name})`);
      this.output(`${name}-${site.name}-load-balancer-dns-name`, awsSite.loadBalancer.loadBalancer.dnsName,
        `Load balancer of site ${site.name}: point the hostname here when no hosted zone is given`);
      this.output(`${name}-${site.name}-bootstrap-admin-secret-arn`, awsSite.keycloak.bootstrapAdminSecret.arn,
        'Secrets Manager secret with the temporary administrator (username, password)');
      this.output(`${name}-${site.name}-alarm-topic-arn`, awsSite.observability.topic.arn,
        'SNS topic of the alarms: subscribe your pager, chat or ticket integration');
    }
    this.sites = sites;
    if (props.checks !== false) {
      this.checks = new KeycloakChecks(this);
      Aspects.of(this).add(this.checks);
    }
  }

  /**
   * Writes the review bundle of this deployment into `dir`: TOPOLOGY.md (diagram, recovery
   * objectives, alarms, warnings, client guidance), RUNBOOK.md, topology.svg and each site's keycloak.env.
   * Call it after `app.synth()`, e.g. into `<outdir>/review/<stack>`.
   */
  writeReviewBundle(dir: string): Promise<string[]> {
    const alarms = Object.fromEntries(Object.entries(this.sites).map(([name, site]) => [name, site.observability.resolvedAlarms]));
    return writeReviewBundle(dir, this.topology, {
      deployment: this.deploymentName,
      warnings: this.warnings,
      sections: [
        `## Failure modes\n\n${renderFailureTable(analyzeFailures(this.topology))}`,
        ...(this.capacity ? [renderCapacity(this.capacity)] : []),
        renderAlarmSection(alarms),
      ],
    });
  }

  /** An output named exactly `id` in the stack, so scripts can read it by a predictable name. */
  private output(id: string, value: string, description: string): void {
    new TerraformOutput(this, id, { value, description }).overrideLogicalId(id);
  }
}

const DEFAULT_NAME = 'keycloak';

/** Checks of the AWS-only props, in the same diagnostic form as `validate()`. */
export function validateAwsProps(props: KeycloakOnAwsProps): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const name = props.name ?? DEFAULT_NAME;
  if (typeof name !== 'string' || !/^(?!.*--)[a-z]([a-z0-9-]{0,9}[a-z0-9])?$/.test(name)) {
    diagnostics.push({
      code: 'name-invalid', severity: 'error', path: 'name', value: name,
      message: 'the name must be a DNS label of 1–11 lower-case letters, digits and single hyphens, starting with a letter',
      fix: "use e.g. 'keycloak' or 'iam-prod'",
    });
  }
  const siteCount = Object.keys(props.sites ?? {}).length;
  if (siteCount > 1) {
    diagnostics.push({
      code: 'sites-multiple-unsupported', severity: 'error', path: 'sites', value: Object.keys(props.sites),
      message: 'KeycloakOnAws deploys one site spread over availability zones for now; separate sites also need ' +
        'external Infinispan sites joined by RELAY2, which it does not provision yet',
      fix: 'keep one site and spread it over more zones',
    });
  }
  if (!props.certificate && !props.hostedZone) {
    diagnostics.push({
      code: 'certificate-missing', severity: 'error', path: 'certificate', value: undefined,
      message: 'the HTTPS listener needs a certificate for the hostname',
      fix: 'pass certificate: Certificate.fromArn(...) or hostedZone: HostedZone.fromAttributes(...) to issue one',
    });
  }
  const hostname = parseHostname(props.hostname);
  const zoneName = props.hostedZone?.zoneName;
  if (zoneName && !Token.isUnresolved(zoneName) && !isHostnameProblem(hostname) &&
    hostname.host !== zoneName && !hostname.host.endsWith(`.${zoneName}`)) {
    diagnostics.push({
      code: 'hosted-zone-mismatch', severity: 'error', path: 'hostedZone.zoneName', value: zoneName,
      message: `the zone cannot hold the hostname '${hostname.host}'`,
      fix: `pass the hosted zone of '${hostname.host}' (its domain or a parent domain)`,
    });
  }
  return diagnostics;
}
