import { Construct } from 'constructs';
import { AwsProvider } from '../private/aws-classes';
import { DatabaseConnection } from '../aws/aurora-database';
import { DnsHealthAlarms } from '../aws/dns-health-alarms';
import { DnsRouting } from '../aws/dns-routing';
import { AcceleratorEndpointGroup, GeoDns, GeoDnsHealthCheckProps, sitesByRegion } from '../aws/geo-dns';
import { KeycloakAlarmThresholds } from '../aws/observability';
import { ICertificate, IHostedZone } from '../aws/references';
import { AwsSiteContext } from '../aws/site-context';
import { allowBetweenPeerGroups, PeeringEnd, SitePeering } from '../aws/site-peering';
import { FailoverTime, TrafficDirector } from '../model/failover-time';
import { defaultDnsRouting, DnsSpec, siteRecordName } from '../model/dns-routing';
import { databaseHolders, globalClusterName } from '../model/site-layout';
import { KeycloakImage } from '../model/image';
import { KeycloakVersion } from '../model/version';
import { KeycloakChecks } from '../checks/aspect';
import { CapacityPlan, LoadTarget, planCapacity, renderCapacity } from '../model/capacity';
import { defineTopology, SiteInput, TopologyInput } from '../model/define';
import { analyzeFailures, FailureAnalysisOptions, FailureMode, renderFailureTable } from '../model/failure-modes';
import { Diagnostic, formatDiagnostic, TopologyError } from '../model/diagnostic';
import { isHostnameProblem, parseHostname, validatedHostname } from '../model/hostname';
import { Topology } from '../model/topology';
import { errorsOf, validate } from '../model/validate';
import { Annotations, Aspects, hasProvider, resolveInStack, TerraformOutput, TerraformProvider, TerraformStack, Token } from '../private/cdktf';
import { renderAlarmSection } from '../review/alarms';
import { renderTrafficFailover } from '../review/traffic';
import { writeReviewBundle, WriteReviewBundleOptions } from '../review/bundle';
import { renderContainerEnvironment, SynthesizedContainer } from '../review/keycloak-env';
import { AwsSite, SiteDatabasePlan } from './aws-site';

/** A site on AWS: the model's site plus where and with which provider its resources go. */
export interface AwsSiteInput extends SiteInput {
  /**
   * The AWS provider configured for `region`, in `stack`.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
  /**
   * The Terraform stack of this site's resources. Give each site a stack of its own (with its own
   * backend in its own region) and keep the construct in a global stack: a region outage then
   * never blocks `cdktf deploy` of the surviving sites. The global stack holds what joins the
   * sites (VPC peering, GeoDNS, DNS health alarms).
   * @default - the stack of the KeycloakOnAws construct
   */
  readonly stack?: TerraformStack;
  /**
   * ACM certificate for the hostname in this site's region.
   * @default - `props.certificate`, or one issued through `hostedZone`
   */
  readonly certificate?: ICertificate;
  /**
   * With several sites: ARN of the Secrets Manager secret (in this site's region) holding the
   * TLS identity of the site's Infinispan Hot Rod endpoint, created by the operator before the
   * first deploy (RUNBOOK.md shows how). JSON keys: `keystore` (base64 PKCS#12 with the key and the
   * certificate chain, valid for `infinispan.<name>-<site>.internal`), `password`, `ca` (PEM of the
   * signing CA, which Keycloak trusts).
   */
  readonly infinispanTlsSecretArn?: string;
  /**
   * The Keycloak image of this site, e.g. the same build in this region's ECR (replicated), so a
   * region outage never stops another site from pulling. Must carry what `keycloak.image` declares
   * (JDBC wrapper, RDS CA bundle path): the rendered options are the same for every site.
   * @default - `keycloak.image`
   */
  readonly image?: KeycloakImage;
}

/** GeoDNS in front of several sites. */
export interface AwsGeoDnsProps {
  /**
   * @default - `DnsRouting.failover({ primary })` in active/passive and for sites sharing a region
   * (Route 53 keeps one latency record per region); otherwise `DnsRouting.latency()`
   */
  readonly routing?: DnsRouting;
  /** @default 'route53' */
  readonly trafficDirector?: TrafficDirector;
  /** @default - every 10 s, unhealthy after 3 failures, Route 53's default checker regions */
  readonly healthCheck?: GeoDnsHealthCheckProps;
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
   * ACM certificate for the hostname, in the sites' region (one region only; otherwise per site).
   * @default - a DNS-validated certificate in `hostedZone`
   */
  readonly certificate?: ICertificate;
  /**
   * Public hosted zone of the hostname. When given, the hostname becomes an alias of the load
   * balancer (several sites: GeoDNS records with health checks), and certificates are issued through it
   * where none is given. Required with several sites.
   * @default - no DNS record; point the hostname at the `load-balancer-dns-name` output yourself
   */
  readonly hostedZone?: IHostedZone;
  /** With several sites: routing and health checks of the hostname. @default - see AwsGeoDnsProps */
  readonly dns?: AwsGeoDnsProps;
  /**
   * AWS providers keyed by region, of the construct's (DNS) stack or of `interconnectStack`: the
   * DNS stack's Route 53 records, health checks and their alarms use `us-east-1` (Route 53's control
   * plane and health-check metrics are there); the interconnect stack's peering ends use each site's
   * region. A provider is used in the stack it belongs to.
   * @default - created as needed in the stack that needs it, with the region only (alias `<name>-<region>`)
   */
  readonly regionProviders?: Readonly<Record<string, TerraformProvider>>;
  /**
   * With several sites: the stack of what joins the sites' networks (VPC peering, routes, private
   * zone associations, security-group rules between sites of one region). It reads the site
   * stacks' state and needs every site's region, so it is kept apart from the construct's stack:
   * that one then holds only the DNS layer, reads no site's state, uses no site region's provider,
   * and plans and applies while any one site's region is down.
   * @default - the construct's stack when a site lives in it; otherwise a stack
   * `<construct stack>-interconnect` beside it (`interconnectStack`; give it a backend like the others)
   */
  readonly interconnectStack?: TerraformStack;
  /**
   * Infinispan server image of the sites' external caches (several sites).
   * @default - `quay.io/infinispan/server` at the version Keycloak's release is built with
   */
  readonly infinispanImage?: string;
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
 * Highly available Keycloak on AWS from one topology. Per site: a VPC over several zones,
 * Keycloak on ECS Fargate with one node per zone or more behind an Application Load Balancer,
 * and its database. One site: an Aurora PostgreSQL cluster with readers in other zones.
 *
 * Several sites (Keycloak's multi-site blueprint, extended across regions): each site also runs
 * an external Infinispan cluster whose caches back up to every other site over RELAY2; the sites'
 * VPCs are peered; one hostname in front of them through Route 53 health checks on `/lb-check`
 * (or Global Accelerator). Sites of one region share one regional Aurora cluster (active/active);
 * across regions, an Aurora Global Database with one cluster per region (active/passive, RPO > 0).
 *
 * Synthesis fails with every problem of the topology at once; risks that are legal but unwise
 * become warnings. Outputs (per site, `<name>-<site>-` prefixed): `url`, `load-balancer-dns-name`,
 * `alarm-topic-arn`, and on the primary (or only) site `bootstrap-admin-secret-arn`.
 */
export class KeycloakOnAws extends Construct {
  readonly topology: Topology;
  /** The sites' constructs, keyed like `props.sites`. */
  readonly sites: Readonly<Record<string, AwsSite>>;
  /** Warnings of the topology (also reported as annotations). */
  readonly warnings: readonly Diagnostic[];
  /** The check pack applied at synthesis, unless `checks: false` (this construct's stack). */
  readonly checks?: KeycloakChecks;
  /** The check pack of each site that lives in a stack of its own. */
  readonly siteChecks: Readonly<Record<string, KeycloakChecks>>;
  /** The check pack of the interconnect, when it lives in a stack of its own. */
  readonly interconnectChecks?: KeycloakChecks;
  /** Prefix of AWS resource names (`props.name`). */
  readonly deploymentName: string;
  /** The capacity plan, when `props.load` is given. */
  readonly capacity?: CapacityPlan;
  /** Several sites: the hostname's records and health checks, with `failoverTime`. */
  readonly dns?: GeoDns;
  /** Several sites: alarms on the sites' DNS health checks (us-east-1). */
  readonly dnsAlarms?: DnsHealthAlarms;
  /** Several sites: the VPC peering of each pair, keyed `<site>-to-<site>` in the order of `props.sites`. */
  readonly peerings: Readonly<Record<string, SitePeering>>;
  /** Several sites: the stack holding the peerings (see `props.interconnectStack`). */
  readonly interconnectStack?: TerraformStack;
  private readonly regionProviderCache = new Map<string, TerraformProvider | undefined>();

  constructor(scope: Construct, id: string, props: KeycloakOnAwsProps) {
    super(scope, id);
    this.topology = defineTopology(props);
    const dns = awsDnsSpec(this.topology, props);
    const diagnostics = [...validate(this.topology, dns ? { dns } : {}), ...validateAwsProps(props, TerraformStack.of(this))];
    const errors = errorsOf(diagnostics);
    if (errors.length > 0) throw new TopologyError(errors);
    if (props.load) this.capacity = planCapacity(this.topology, props.load);
    this.warnings = [...diagnostics.filter((d) => d.severity === 'warning'), ...(this.capacity?.diagnostics ?? [])];
    for (const warning of this.warnings) Annotations.of(this).addWarning(formatDiagnostic(warning));

    const name = props.name ?? DEFAULT_NAME;
    this.deploymentName = name;
    const hostname = validatedHostname(this.topology.keycloak.hostname);
    const multiSite = this.topology.mode !== 'single-site';
    const plans = planDatabases(this.topology, name);
    const built: Record<string, AwsSite> = {};
    // Holders of a region's database first: the other sites of the region use their connection.
    const order = Object.values(this.topology.sites).sort((a, b) => Number(plans[a.name].kind === 'shared') - Number(plans[b.name].kind === 'shared'));
    for (const site of order) {
      const input = props.sites[site.name];
      const context = this.siteContext(props, site.name);
      const plan = plans[site.name];
      const awsSite = new AwsSite(input.stack ?? this, input.stack ? `${id}-${site.name}` : site.name, context, {
        host: hostname.host,
        ...((input.certificate ?? props.certificate) ? { certificate: input.certificate ?? props.certificate } : {}),
        ...(props.hostedZone ? { hostedZone: props.hostedZone } : {}),
        ...(props.alarms?.emails ? { alarmEmails: props.alarms.emails } : {}),
        ...(props.alarms?.thresholds ? { alarmThresholds: props.alarms.thresholds } : {}),
        database: plan.kind === 'shared'
          ? { ...plan, connection: requireDatabase(built[plan.holder]) }
          : plan,
        ...(multiSite && input.infinispanTlsSecretArn ? {
          infinispan: {
            deploymentName: name,
            tlsSecretArn: input.infinispanTlsSecretArn,
            ...(props.infinispanImage ? { image: props.infinispanImage } : {}),
          },
        } : {}),
        ...(multiSite ? { recordName: siteRecordName(hostname.host, site.name) } : {}),
        ...(input.image ? { image: input.image } : {}),
        ...databaseClientsOf(this.topology, plans, site.name),
      });
      built[site.name] = awsSite;
      // In the site's stack: an output of another stack would read this stack's state.
      const outputs = input.stack ? awsSite : this;
      output(outputs, `${name}-${site.name}-url`, hostname.url, `Keycloak URL (site ${site.name})`);
      output(outputs, `${name}-${site.name}-load-balancer-dns-name`, awsSite.loadBalancer.loadBalancer.dnsName,
        `Load balancer of site ${site.name}: point the hostname here when no hosted zone is given`);
      if (awsSite.keycloak.bootstrapAdminSecret) {
        output(outputs, `${name}-${site.name}-bootstrap-admin-secret-arn`, awsSite.keycloak.bootstrapAdminSecret.arn,
          'Secrets Manager secret with the temporary administrator of the deployment (username, password)');
      }
      output(outputs, `${name}-${site.name}-alarm-topic-arn`, awsSite.observability.topic.arn,
        'SNS topic of the alarms: subscribe your pager, chat or ticket integration');
    }
    this.orderFirstDeploy(props, plans);
    // Keyed in the order of props.sites, whatever the build order.
    this.sites = Object.fromEntries(Object.keys(this.topology.sites).map((siteName) => [siteName, built[siteName]]));
    // What joins the sites: under this construct in its own stack, or at the top of a stack of its own.
    const interconnectStack = multiSite ? props.interconnectStack ?? this.defaultInterconnectStack(props) : undefined;
    const interconnect = interconnectStack && (interconnectStack === TerraformStack.of(this)
      ? new Construct(this, 'Interconnect') : new Construct(interconnectStack, `${id}-Interconnect`));
    this.interconnectStack = interconnectStack;
    this.peerings = interconnect ? this.peerSites(props, interconnect) : {};
    if (dns && props.hostedZone) {
      this.dns = this.geoDns(props, dns, props.hostedZone, hostname.host);
      output(this, `${name}-failover-seconds`, String(this.dns.failoverTime.totalSeconds),
        'Worst case from a site failing to clients resolving the hostname elsewhere (detection + DNS)');
      const healthChecks = Object.entries(this.dns.healthChecks);
      if (healthChecks.length > 0) {
        this.dnsAlarms = new DnsHealthAlarms(this, 'DnsAlarms', {
          healthChecks: Object.fromEntries(healthChecks.map(([siteName, check]) => [siteName, { id: check.id }])),
          name,
          ...(props.alarms?.emails ? { alarmEmails: props.alarms.emails } : {}),
          ...withProvider(this.regionProvider(props, ROUTE53_REGION, this)),
          tags: { app: 'keycloak', 'keycloak-deployment': name, ...props.tags },
        });
      }
    }
    const siteChecks: Record<string, KeycloakChecks> = {};
    if (props.checks !== false) {
      this.checks = new KeycloakChecks(this);
      Aspects.of(this).add(this.checks);
      // Sites in stacks of their own are not below this construct: each gets the pack too.
      for (const [siteName, site] of Object.entries(this.sites)) {
        if (!props.sites[siteName].stack) continue;
        siteChecks[siteName] = new KeycloakChecks(site);
        Aspects.of(site).add(siteChecks[siteName]);
      }
      if (interconnect && interconnectStack !== TerraformStack.of(this)) {
        this.interconnectChecks = new KeycloakChecks(interconnect);
        Aspects.of(interconnect).add(this.interconnectChecks);
      }
    }
    this.siteChecks = siteChecks;
  }

  /**
   * The failure-mode table of this deployment (computed from its settings), as TOPOLOGY.md shows
   * it and as the rehearsal compares its measurements against.
   */
  failureModes(): FailureMode[] {
    return analyzeFailures(this.topology, {
      ...failureOptions(this.dns?.failoverTime),
      // Several regions: Keycloak of every site writes through the global writer endpoint.
      standbyWritesThroughPrimary: databaseHolders(this.topology).size > 1,
    });
  }

  /**
   * Writes the review bundle of this deployment into `dir`: TOPOLOGY.md (diagram, recovery
   * objectives, alarms, warnings, client guidance), RUNBOOK.md, topology.dot, and per site
   * `keycloak.env` (the environment and secrets of the Keycloak task definition as synthesized),
   * `database-role.sql` (what creates Keycloak's database role) and, with several sites,
   * `infinispan.xml` (what the site's Infinispan tasks run). With `{ svg: true }`
   * also topology.svg. Call it after `app.synth()`, e.g. into `<outdir>/review/<stack>`.
   */
  writeReviewBundle(dir: string, options: WriteReviewBundleOptions = {}): Promise<string[]> {
    const alarms = Object.fromEntries(Object.entries(this.sites).map(([name, site]) => [name, site.observability.resolvedAlarms]));
    return writeReviewBundle(dir, this.topology, {
      deployment: this.deploymentName,
      ...(this.dns ? { dnsRouting: this.dns.routing } : {}),
      warnings: this.warnings,
      files: this.renderedFiles(),
      sections: [
        `## Failure modes\n\n${renderFailureTable(this.failureModes())}`,
        ...(this.capacity ? [renderCapacity(this.capacity)] : []),
        ...(this.dns ? [renderTrafficFailover(this.dns.failoverTime)] : []),
        renderAlarmSection(this.dnsAlarms ? { ...alarms, 'global (DNS health, us-east-1)': this.dnsAlarms.resolvedAlarms } : alarms),
      ],
    }, options);
  }

  /**
   * Each site's configuration as the constructs synthesized it: the Keycloak container of the task
   * definition (resolved in its stack, so references read as the Terraform addresses they are in
   * cdk.tf.json) and the Infinispan XML the site's tasks receive.
   */
  private renderedFiles(): Record<string, string> {
    const files: Record<string, string> = {};
    for (const [siteName, site] of Object.entries(this.sites)) {
      const container = resolveInStack<SynthesizedContainer>(site.keycloak, site.keycloak.container);
      files[`${siteName}/keycloak.env`] = renderContainerEnvironment(container,
        `Keycloak ${this.topology.keycloak.version.text}, site ${siteName}: environment of every task of ECS service ${site.keycloak.service.nameInput} (task definition family ${site.keycloak.taskDefinition.familyInput})`);
      if (site.infinispan) files[`${siteName}/infinispan.xml`] = site.infinispan.xml;
      files[`${siteName}/database-role.sql`] = site.keycloak.databaseRoleSql;
    }
    return files;
  }

  /**
   * A site's context, with the site's own provider, or `inStack.provider` (possibly the default
   * provider, undefined) for resources of the site that go to another stack.
   */
  private siteContext(props: KeycloakOnAwsProps, siteName: string, inStack?: { readonly provider?: TerraformProvider }): AwsSiteContext {
    const name = this.deploymentName;
    const provider = inStack ? inStack.provider : props.sites[siteName].provider;
    return {
      topology: this.topology,
      site: this.topology.sites[siteName],
      name: `${name}-${siteName}`,
      ...(provider ? { provider } : {}),
      tags: { app: 'keycloak', 'keycloak-deployment': name, 'keycloak-site': siteName, ...props.tags },
    };
  }

  /**
   * An AWS provider for `region` in the stack of `scope`: the one the caller passed for that stack,
   * a site's own when that site lives in that stack, or one created under `scope`.
   */
  private regionProvider(props: KeycloakOnAwsProps, region: string, scope: Construct): TerraformProvider | undefined {
    const stack = TerraformStack.of(scope);
    const given = props.regionProviders?.[region];
    if (given && TerraformStack.of(given) === stack) return given;
    const key = `${stack.node.path}/${region}`;
    if (this.regionProviderCache.has(key)) return this.regionProviderCache.get(key);
    const constructStack = TerraformStack.of(this);
    const local = Object.values(props.sites).find((site) => site.region === region && (site.stack ?? constructStack) === stack);
    const provider = local
      ? local.provider
      : new AwsProvider(scope, `Aws-${region}`, { region, alias: `${this.deploymentName}-${region}` });
    this.regionProviderCache.set(key, provider);
    return provider;
  }

  /**
   * Without `props.interconnectStack`: the construct's stack when a site lives there (it depends on
   * that site's resources anyway), else a stack of its own beside the construct's.
   */
  private defaultInterconnectStack(props: KeycloakOnAwsProps): TerraformStack {
    const constructStack = TerraformStack.of(this);
    if (Object.values(props.sites).some((site) => !site.stack || site.stack === constructStack)) return constructStack;
    const app = constructStack.node.scope;
    // A stack's scope is the App (cdktf stacks cannot nest).
    if (!app) throw new Error('KeycloakOnAws: the construct\'s stack has no App');
    return new TerraformStack(app, `${constructStack.node.id}-interconnect`);
  }

  /**
   * One VPC peering per pair of sites, both ends in the interconnect stack, so no site stack depends
   * on another and the DNS stack on none; each end routes to the peer and resolves the peer's
   * Infinispan names. Pairs follow the order of `props.sites`: a new site adds pairs and changes none.
   */
  private peerSites(props: KeycloakOnAwsProps, interconnect: Construct): Record<string, SitePeering> {
    const names = Object.keys(this.topology.sites);
    const peerings: Record<string, SitePeering> = {};
    const end = (siteName: string): PeeringEnd => {
      const provider = this.regionProvider(props, this.topology.sites[siteName].region, interconnect);
      return { scope: interconnect, context: this.siteContext(props, siteName, { provider }), network: this.sites[siteName].network };
    };
    names.forEach((a, i) => {
      for (const b of names.slice(i + 1)) {
        const peering = new SitePeering({ requester: end(a), accepter: end(b) });
        const [infinispanA, infinispanB] = [this.sites[a].infinispan, this.sites[b].infinispan];
        if (infinispanA && infinispanB) {
          // Each side resolves the other's relay nodes (the cross-site bridge's DNS discovery).
          peering.requester.associateZone('InfinispanNames', infinispanB.namespace.hostedZone);
          peering.accepter.associateZone('InfinispanNames', infinispanA.namespace.hostedZone);
        }
        if (peering.requester.sameRegionAsPeer) this.admitSameRegionPeers(peering, this.sites[a], this.sites[b]);
        peerings[`${a}-to-${b}`] = peering;
      }
    });
    return peerings;
  }

  /**
   * Sites of one region admit each other by security group, not by subnet: the cross-site bridge
   * only between their Infinispan tasks, PostgreSQL only from the other site's Keycloak tasks.
   */
  private admitSameRegionPeers(peering: SitePeering, requester: AwsSite, accepter: AwsSite): void {
    for (const [from, to, end] of [[requester, accepter, 'requester'], [accepter, requester, 'accepter']] as const) {
      if (from.infinispan && to.infinispan) {
        allowBetweenPeerGroups(peering, 'InfinispanBridge', {
          from: end, fromGroupId: from.infinispan.securityGroup.id, toGroupId: to.infinispan.securityGroup.id,
          port: to.infinispan.bridgePort, description: 'Infinispan cross-site bridge (RELAY2, mutual TLS)', egress: true,
        });
      }
      if (to.database) {
        allowBetweenPeerGroups(peering, 'Postgres', {
          from: end, fromGroupId: from.keycloak.securityGroup.id, toGroupId: to.database.securityGroup.id,
          port: to.database.port, description: 'PostgreSQL, Keycloak tasks',
        });
      }
    }
  }

  private geoDns(props: KeycloakOnAwsProps, spec: DnsSpec, zone: IHostedZone, host: string): GeoDns {
    const { topology } = this;
    // Route 53's control plane is in us-east-1 whatever a provider's region; a provider of a site's
    // region would need that region's STS to start, so the DNS stack uses none of them.
    const globalProvider = this.regionProvider(props, ROUTE53_REGION, this);
    // No load balancer attributes: each site's stack made its record at siteRecordName(host, site),
    // and the records here alias it by name. The DNS stack reads nothing of a site's state.
    const dns = new GeoDns(this, 'Dns', {
      hostname: host,
      zone,
      routing: spec.routing,
      sites: Object.fromEntries(Object.keys(this.sites).map((siteName) => [siteName, { region: topology.sites[siteName].region }])),
      ...(spec.trafficDirector ? { trafficDirector: spec.trafficDirector } : {}),
      ...(props.dns?.healthCheck ? { healthCheck: props.dns.healthCheck } : {}),
      ...(globalProvider ? { globalProvider } : {}),
      name: this.deploymentName,
      tags: { app: 'keycloak', 'keycloak-deployment': this.deploymentName, ...props.tags },
    });
    // Routing warnings came with validate() already; the construct's own are new here.
    for (const warning of dns.warnings.filter((w) => !this.warnings.some((d) => d.code === w.code))) {
      Annotations.of(this).addWarning(formatDiagnostic(warning));
    }
    const listener = dns.listener;
    if (listener) {
      // Each region's endpoint group lives with its first site, which reads the listener from the
      // DNS stack (whose state is in no site's region), never the other way round; unless the
      // construct's stack holds the interconnect, and so depends on the site stacks already.
      const withSites = this.interconnectStack !== TerraformStack.of(this);
      for (const [region, members] of sitesByRegion(topology.sites)) {
        new AcceleratorEndpointGroup(withSites ? this.sites[members[0]] : this, withSites ? 'AcceleratorEndpointGroup' : `AcceleratorEndpointGroup-${region}`, {
          ...withProvider(withSites ? props.sites[members[0]].provider : globalProvider),
          listenerArn: listener.arn,
          region,
          loadBalancerArns: members.map((site) => this.sites[site].loadBalancer.loadBalancer.arn),
          passive: spec.routing.kind === 'failover' && !members.includes(spec.routing.primarySite ?? ''),
          ...dns.probe,
        });
      }
    }
    return dns;
  }

  /**
   * A secondary of the global database looks up, by name in its own region, the global cluster
   * and the replicated credentials the primary's stack creates: on an empty account its stack can
   * only be planned once the primary's is applied. Declaring that order lets `cdktf deploy '*'`
   * bootstrap the deployment; during an outage of the primary region, deploy a secondary alone
   * with `cdktf deploy <its stack> --ignore-missing-stack-dependencies` (its lookups then find the
   * replicas that already exist in its region).
   */
  private orderFirstDeploy(props: KeycloakOnAwsProps, plans: Record<string, DatabasePlanDraft>): void {
    const primary = Object.keys(plans).find((site) => plans[site].kind === 'global-primary');
    const primaryStack = primary === undefined ? undefined : props.sites[primary].stack;
    if (!primaryStack) return;
    for (const site of Object.keys(plans).filter((s) => plans[s].kind === 'global-secondary')) {
      const stack = props.sites[site].stack;
      if (stack && stack !== primaryStack) stack.addDependency(primaryStack);
    }
  }

}

/** An output named exactly `id` in the stack of `scope`, so scripts can read it by a predictable name. */
function output(scope: Construct, id: string, value: string, description: string): void {
  new TerraformOutput(scope, id, { value, description }).overrideLogicalId(id);
}

const DEFAULT_NAME = 'keycloak';

const LATEST_FOR_MESSAGES = KeycloakVersion.LATEST;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\d{12}:secret:.+$/;
const CERTIFICATE_REGION = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):/;

/** Checks of the props several sites need on AWS. */
function validateMultiSiteProps(props: KeycloakOnAwsProps): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const sites = Object.entries(props.sites ?? {});
  for (const [siteName, site] of sites) {
    const image = site.image;
    const shared = props.keycloak?.image;
    if (image && (image.bundlesAwsJdbcWrapper !== (shared?.bundlesAwsJdbcWrapper ?? false) || image.rdsCaBundlePath !== shared?.rdsCaBundlePath)) {
      diagnostics.push({
        code: 'site-image-mismatch', severity: 'error', path: `sites.${siteName}.image`, value: image.uri(LATEST_FOR_MESSAGES),
        message: 'the site image must carry what keycloak.image declares (bundlesAwsJdbcWrapper, rdsCaBundlePath): every site runs the same options',
        fix: 'build both from the same Dockerfile and declare the same options in KeycloakImage.fromRegistry',
      });
    }
  }
  if (sites.length < 2) return diagnostics;
  if (!props.hostedZone) {
    diagnostics.push({
      code: 'hosted-zone-required', severity: 'error', path: 'hostedZone', value: undefined,
      message: 'several sites share one hostname through health-checked Route 53 records, which need the hosted zone of the hostname',
      fix: "pass hostedZone: HostedZone.fromAttributes({ zoneId, zoneName })",
    });
  }
  for (const [siteName, site] of sites) {
    const path = `sites.${siteName}.infinispanTlsSecretArn`;
    const arn = site.infinispanTlsSecretArn;
    if (arn === undefined) {
      diagnostics.push({
        code: 'infinispan-tls-secret-missing', severity: 'error', path, value: undefined,
        message: "each site's Infinispan serves Hot Rod over TLS with a certificate the operator provides",
        fix: `create a Secrets Manager secret in ${site.region} with keys keystore (base64 PKCS#12), password and ca (PEM), and pass its ARN (RUNBOOK.md: "Infinispan TLS")`,
      });
    } else if (!Token.isUnresolved(arn)) {
      const region = SECRET_ARN.exec(arn)?.[1];
      if (region === undefined || (!Token.isUnresolved(site.region) && region !== site.region)) {
        diagnostics.push({
          code: 'infinispan-tls-secret-invalid', severity: 'error', path, value: arn,
          message: region === undefined ? 'not a Secrets Manager secret ARN' : `the secret is in ${region}, but ECS reads secrets of the site's region ${site.region}`,
          fix: `pass the ARN of a secret (or a replica) in ${site.region}: arn:aws:secretsmanager:${site.region}:<account>:secret:<name>`,
        });
      }
    }
    const certificate = site.certificate ?? props.certificate;
    const certificateRegion = certificate && !Token.isUnresolved(certificate.certificateArn)
      ? CERTIFICATE_REGION.exec(certificate.certificateArn)?.[1] : undefined;
    if (certificateRegion !== undefined && !Token.isUnresolved(site.region) && certificateRegion !== site.region) {
      diagnostics.push({
        code: 'certificate-region-mismatch', severity: 'error', path: site.certificate ? `sites.${siteName}.certificate` : 'certificate',
        value: certificate?.certificateArn,
        message: `a load balancer in ${site.region} needs an ACM certificate of its own region, not of ${certificateRegion}`,
        fix: `pass sites.${siteName}.certificate in ${site.region}, or omit certificates and let hostedZone issue one per site`,
      });
    }
  }
  // Sites of different regions in one stack cannot all use the stack's default provider.
  const byStack = new Map<unknown, [string, AwsSiteInput][]>();
  for (const entry of sites) byStack.set(entry[1].stack, [...(byStack.get(entry[1].stack) ?? []), entry]);
  for (const group of byStack.values()) {
    if (new Set(group.map(([, site]) => site.region)).size < 2) continue;
    for (const [siteName, site] of group.filter(([, s]) => !s.provider)) {
      diagnostics.push({
        code: 'site-provider-missing', severity: 'error', path: `sites.${siteName}.provider`, value: undefined,
        message: `sites of several regions share a stack, so site '${siteName}' (${site.region}) needs the AWS provider of its region`,
        fix: `pass provider: new AwsProvider(stack, '${siteName}', { region: '${site.region}', alias: '${siteName}' }), or give the site a stack of its own`,
      });
    }
  }
  return diagnostics;
}

/** Each site's database before the holders exist: `shared` names the site whose cluster it uses. */
type DatabasePlanDraft = Exclude<SiteDatabasePlan, { kind: 'shared' }> | { readonly kind: 'shared'; readonly holder: string; readonly holderRotates: boolean };

/**
 * One Aurora cluster per region, held by the primary site in its region and by the first site of
 * every other region; the other sites of a region use their holder's. One region: a regional
 * cluster. Several: an Aurora Global Database (`<name>-global`), primary in the primary's region.
 */
export function planDatabases(topology: Topology, deploymentName: string): Record<string, DatabasePlanDraft> {
  const sites = Object.values(topology.sites);
  const primary = topology.sites[topology.primarySite];
  const holders = databaseHolders(topology);
  const globalCluster = globalClusterName(deploymentName);
  const plans: Record<string, DatabasePlanDraft> = {};
  for (const site of sites) {
    const holder = holders.get(site.region) ?? site.name;
    // Only a regional cluster has an RDS-managed password that rotates.
    if (holder !== site.name) plans[site.name] = { kind: 'shared', holder, holderRotates: holders.size === 1 };
    else if (holders.size === 1) plans[site.name] = { kind: 'regional' };
    else if (site.name === primary.name) {
      plans[site.name] = { kind: 'global-primary', globalClusterName: globalCluster, replicaRegions: [...holders.keys()].filter((r) => r !== site.region) };
    } else {
      plans[site.name] = { kind: 'global-secondary', globalClusterName: globalCluster, primaryContextName: `${deploymentName}-${primary.name}` };
    }
  }
  return plans;
}

/** Who connects to the cluster a site holds: its region's sites (regional), or every site (global primary). */
function databaseClientsOf(topology: Topology, plans: Record<string, DatabasePlanDraft>, siteName: string):
  { databaseClients?: { nodes: number; sites: number } } {
  const kind = plans[siteName].kind;
  if (kind !== 'regional' && kind !== 'global-primary') return {};
  const clients = Object.values(topology.sites).filter((site) => {
    const plan = plans[site.name];
    return kind === 'global-primary' || site.name === siteName || (plan.kind === 'shared' && plan.holder === siteName);
  });
  return { databaseClients: { nodes: clients.reduce((sum, site) => sum + site.nodes, 0), sites: clients.length } };
}

function requireDatabase(holder: AwsSite | undefined): DatabaseConnection {
  // planDatabases() names holders, and the constructor builds holders first.
  if (!holder) throw new Error('KeycloakOnAws: a site uses the database of a site not built yet');
  return holder.databaseConnection;
}

/**
 * Route 53's control plane (its API endpoint) is in us-east-1, and it publishes health-check metrics
 * there only, so the DNS stack's records, checks and alarms use a provider of that region.
 */
const ROUTE53_REGION = 'us-east-1';

function withProvider(provider: TerraformProvider | undefined): { provider?: TerraformProvider } {
  return provider ? { provider } : {};
}

function failureOptions(failoverTime: FailoverTime | undefined): FailureAnalysisOptions {
  return failoverTime ? { dns: { detectionSeconds: failoverTime.detectionSeconds, ttlSeconds: failoverTime.dnsPropagationSeconds } } : {};
}


/**
 * The routing of the hostname with several sites (defaults filled), for `validate()` and the
 * GeoDns construct alike; undefined with one site.
 */
function awsDnsSpec(topology: Topology, props: KeycloakOnAwsProps): DnsSpec | undefined {
  if (Object.keys(topology.sites).length < 2) return undefined;
  const director = props.dns?.trafficDirector ?? 'route53';
  const regions = Object.fromEntries(Object.values(topology.sites).map((site) => [site.name, site.region]));
  return {
    routing: props.dns?.routing ?? defaultDnsRouting(topology, regions, director),
    trafficDirector: director,
    ...(props.dns?.healthCheck ? { healthCheck: props.dns.healthCheck } : {}),
  };
}

/**
 * Where the sites' resources go: every stack holding a site needs an AWS provider, and a site in a
 * stack of its own cannot use the database of a site in the construct's stack, which depends on
 * every site stack (peering, DNS): the two stacks would need each other deployed first.
 */
function validatePlacement(props: KeycloakOnAwsProps, constructStack: TerraformStack): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const entries = Object.entries(props.sites ?? {});
  const stackOf = (site: AwsSiteInput | undefined): TerraformStack => site?.stack ?? constructStack;
  for (const [siteName, site] of entries) {
    const stack = stackOf(site);
    if (site?.provider || hasProvider(stack, 'aws')) continue;
    diagnostics.push({
      code: 'site-stack-provider-missing', severity: 'error', path: `sites.${siteName}.provider`, value: undefined,
      message: `the stack '${stack.node.id}' holding site '${siteName}' has no AWS provider, so its resources have none to be created with`,
      fix: `create one in that stack before the construct, e.g. new AwsProvider(stack, 'aws', { region: '${site?.region}' }), and pass it as sites.${siteName}.provider`,
    });
  }
  const topology = defineTopology(props);
  if (!topology.sites[topology.primarySite]) return diagnostics;
  const holders = databaseHolders(topology);
  for (const [siteName, site] of entries) {
    const holder = holders.get(topology.sites[siteName].region);
    if (holder === undefined || holder === siteName || stackOf(site) === constructStack || stackOf(props.sites[holder]) !== constructStack) continue;
    diagnostics.push({
      code: 'site-stack-cycle', severity: 'error', path: `sites.${siteName}.stack`, value: stackOf(site).node.id,
      message: `site '${siteName}' lives in a stack of its own but uses the database of site '${holder}' (same region), which lives in the ` +
        "construct's stack; that stack also depends on every site stack (peering, DNS), so each would need the other deployed first",
      fix: `give site '${holder}' a stack of its own too (the construct's stack then holds only what joins the sites), or put site '${siteName}' in the construct's stack`,
    });
  }
  return diagnostics;
}


/**
 * Checks of the AWS-only props, in the same diagnostic form as `validate()`; with `constructStack`
 * (the stack of the construct), also where the sites' resources go.
 */
export function validateAwsProps(props: KeycloakOnAwsProps, constructStack?: TerraformStack): Diagnostic[] {
  const diagnostics: Diagnostic[] = constructStack ? validatePlacement(props, constructStack) : [];
  const name = props.name ?? DEFAULT_NAME;
  if (typeof name !== 'string' || !/^(?!.*--)[a-z]([a-z0-9-]{0,9}[a-z0-9])?$/.test(name)) {
    diagnostics.push({
      code: 'name-invalid', severity: 'error', path: 'name', value: name,
      message: 'the name must be a DNS label of 1–11 lower-case letters, digits and single hyphens, starting with a letter',
      fix: "use e.g. 'keycloak' or 'iam-prod'",
    });
  }
  diagnostics.push(...validateMultiSiteProps(props));
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
