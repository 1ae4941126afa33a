import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { DataAwsLbHostedZoneId, Route53Record } from '../private/aws-classes';
import { DeploymentV1, IngressV1, Manifest, NamespaceV1, ServiceV1, StatefulSetV1 } from '../private/kubernetes-classes';
import { DnsRouting } from '../aws/dns-routing';
import { GeoDns, GeoDnsHealthCheckProps } from '../aws/geo-dns';
import { HostnameAlias } from '../aws/hostname-dns';
import { IHostedZone } from '../aws/references';
import { addKubernetesObject, KubernetesObject as ApiObject } from '../kubernetes/translate';
import { defineTopology, SiteInput, TopologyInput } from '../model/define';
import { Diagnostic, formatDiagnostic, TopologyError } from '../model/diagnostic';
import { siteRecordName } from '../model/dns-routing';
import { validatedHostname } from '../model/hostname';
import { Topology } from '../model/topology';
import { renderFailureTable } from '../model/failure-modes';
import { analyzeKubernetesFailures } from '../model/failure-modes-kubernetes';
import { errorsOf, validate, validateSubstrateInput } from '../model/validate';
import { validateKubernetesDeployment } from '../model/validate-kubernetes';
import { KeycloakChecks } from '../checks/aspect';
import { Annotations, Aspects, hasProvider, TerraformProvider, TerraformResource, TerraformStack, Token } from '../private/cdktf';
import {
  CloudNativePgOptions, renderCloudNativePgCluster, renderCloudNativePgScheduledBackup,
} from '../render/kubernetes/database-objects';
import {
  INFINISPAN_MIN_READY_SECONDS, INFINISPAN_NAMES, infinispanObjectList, InfinispanObjectsOptions, renderInfinispanObjects,
} from '../render/kubernetes/infinispan-objects';
import { KeycloakObjectsOptionError, KeycloakObjectsOptions, renderKeycloakObjects } from '../render/kubernetes/keycloak-objects';
import {
  monitoringAlertSummaries, MonitoringObjectsOptions, monitoringObjectList, renderMonitoringObjects,
} from '../render/kubernetes/monitoring-objects';
import { toYaml } from '../render/kubernetes/yaml';
import { renderAlarmSection } from '../review/alarms';
import { renderTrafficFailover } from '../review/traffic';
import { writeReviewBundle, WriteReviewBundleOptions } from '../review/bundle';
import { KubernetesDatabaseFacts } from '../review/names';

/** A site on Kubernetes: the model's site plus its cluster. */
export interface KubernetesSiteInput extends SiteInput {
  /** The `kubernetes` provider (an alias per cluster) of this site's cluster, in the site's stack. */
  readonly provider: TerraformProvider;
  /**
   * The Terraform stack of this site's objects. Give each site a stack of its own (with its own
   * backend) and keep the construct in a global stack: a cluster that cannot be reached then never
   * blocks deploying the others, and the global stack holds only the DNS layer, which reads nothing
   * of any site (each site's stack publishes its own record, `<site>.sites.<hostname>`).
   * @default - the stack of the KeycloakOnKubernetes construct
   */
  readonly stack?: TerraformStack;
  /**
   * With `dns`: an AWS provider in this site's stack for the site's own records (its ingress's
   * name `<site>.sites.<hostname>`, the Gossip Router's name).
   * @default - `dns.awsProvider` when the site is in the construct's stack, else the site stack's default AWS provider
   */
  readonly awsProvider?: TerraformProvider;
  /** Pod CIDR or addresses of this cluster's ingress controller: only they may set `X-Forwarded-*`. */
  readonly trustedProxyCidrs: readonly string[];
  /**
   * With several sites: the stable address other sites reach this site's Gossip Router at (a DNS
   * name you point at the router's LoadBalancer Service), and the other sites' egress networks
   * that may connect to it.
   */
  readonly gossipRouter?: {
    readonly host: string;
    readonly port?: number;
    readonly allowedClientCidrs: readonly string[];
    /** The router's LoadBalancer Service. @default - the AWS Load Balancer Controller's internet-facing NLB */
    readonly loadBalancer?: InfinispanObjectsOptions['routerLoadBalancer'];
  };
}

export interface KeycloakOnKubernetesProps extends TopologyInput {
  readonly sites: Readonly<Record<string, KubernetesSiteInput>>;
  /** @default 'keycloak' */
  readonly namespace?: string;
  /**
   * Whether this construct creates the namespace. Either way the Secrets it names (database,
   * bootstrap admin, TLS, Infinispan) are yours to create, never the construct's:
   * - `true`: create them after the namespace, e.g. as `kubernetes_secret_v1` resources in the
   *   same stack whose namespace is `keycloak.namespaceOf(site)` (a reference, so Terraform
   *   orders them after it), or with `kubectl` while the first deploy waits for the rollout;
   * - `false`: create the namespace and its Secrets before the first deploy (kubectl, External
   *   Secrets Operator, ...); nothing here then depends on a namespace resource.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Where Keycloak's database is: an external one (`jdbcUrl`, e.g. Aurora from the AWS side) or a
   * CloudNativePG cluster (`cnpg`), created here when `createCloudNativePgCluster` is set (the
   * CloudNativePG operator must be installed first), with `cloudNativePg`'s storage, image,
   * resources, durability and backups. One site only: each site's cluster would be its own database.
   */
  readonly databaseConnection: KeycloakObjectsOptions['database'] & {
    readonly createCloudNativePgCluster?: boolean;
    /** @default - 20Gi on the default StorageClass, the operator's image, required durability, no backups */
    readonly cloudNativePg?: Omit<CloudNativePgOptions, 'name' | 'namespace' | 'maxClientPods'>;
  };
  readonly bootstrapAdminSecret: KeycloakObjectsOptions['bootstrapAdminSecret'];
  readonly ingress: KeycloakObjectsOptions['ingress'];
  /**
   * With several sites: Secrets of the external Infinispan (Keycloak's Hot Rod user, in role
   * `deployer`; the operator's user, in role `admin`, for the runbook's cross-site operations;
   * keystore and its password; the CA for Keycloak).
   */
  readonly infinispan?: {
    readonly credentialsSecret: { readonly name: string; readonly usernameKey: string; readonly passwordKey: string };
    readonly operatorCredentialsSecret: { readonly name: string; readonly usernameKey: string; readonly passwordKey: string };
    readonly hotRodTls: InfinispanObjectsOptions['hotRodTls'];
    readonly caSecret: { readonly name: string; readonly key: string };
    /** Image of Infinispan and the Gossip Router; pin a full version. @default - see InfinispanObjectsOptions.image */
    readonly image?: string;
  };
  /** Scale Keycloak on CPU, down one pod at a time. @default - fixed at `nodes` per site */
  readonly hpa?: KeycloakObjectsOptions['hpa'];
  /**
   * Route 53 health checks on `/lb-check` and routing records (failover, latency or
   * geolocation) for the hostname, in front of each site's ingress load balancer (AWS-hosted clusters).
   * @default - no DNS records; point the hostname at the ingresses yourself
   */
  readonly dns?: KubernetesGeoDnsProps;
  /**
   * Prometheus Operator monitoring: a management Service on 9000, ServiceMonitors for Keycloak
   * (and Infinispan) and a PrometheusRule with identity-level alerts. The two custom resources
   * are `kubernetes_manifest`s, so the Prometheus Operator's CRDs must be on the cluster at plan
   * time; leave this unset and nothing needs them. kube-state-metrics feeds the budget alerts.
   * @default - no monitoring objects
   */
  /**
   * Run the check pack (`lib/checks`, the Kubernetes rules included) over this construct's
   * resources at synthesis, as `KeycloakOnAws` does. @default true
   */
  readonly checks?: boolean;
  readonly monitoring?: {
    /** Namespace Prometheus runs in (it must be allowed to reach 9000 and 11222). */
    readonly prometheusNamespace: string;
    readonly prometheusSelectorLabels?: MonitoringObjectsOptions['prometheusSelectorLabels'];
    readonly thresholds?: MonitoringObjectsOptions['thresholds'];
  };
}

/** Route 53 in front of the sites' ingress load balancers. */
export interface KubernetesGeoDnsProps {
  readonly hostedZone: IHostedZone;
  /** e.g. `DnsRouting.failover({ primary: 'site-a' })` or `DnsRouting.latency()`. */
  readonly routing: DnsRouting;
  /** An AWS provider for Route 53 (global). @default - the stack's default AWS provider */
  readonly awsProvider?: TerraformProvider;
  /**
   * Kind of AWS load balancer the ingress controller's Service gets (to find its DNS zone).
   * @default 'network'
   */
  readonly loadBalancerType?: 'network' | 'application';
  readonly healthCheck?: GeoDnsHealthCheckProps;
}

/**
 * Highly available Keycloak on Kubernetes from one topology, one cluster per site: Keycloak spread
 * over zones and nodes (PDB, probes on 9000, one-at-a-time rollouts), an Ingress with cookie
 * affinity, and with several sites an external Infinispan per site joined by RELAY2 through Gossip
 * Routers. Objects are rendered as plain Kubernetes API objects and created as typed
 * `kubernetes_*_v1` resources, which plan without a reachable cluster (the CloudNativePG `Cluster`
 * is the exception: `kubernetes_manifest` needs its CRD on the cluster at plan time).
 */
export class KeycloakOnKubernetes extends Construct {
  readonly topology: Topology;
  readonly warnings: readonly Diagnostic[];
  /** The rendered API objects per site, as they are created (for the review bundle, or `kubectl`). */
  readonly objects: Readonly<Record<string, readonly ApiObject[]>>;
  /** The GeoDNS records and health checks, when `props.dns` is given. */
  readonly dns?: GeoDns;
  /** The check pack applied at synthesis, unless `checks: false`. */
  readonly checks?: KeycloakChecks;
  /** The check pack of each site that lives in a stack of its own. */
  readonly siteChecks: Readonly<Record<string, KeycloakChecks>>;
  private readonly namespace: string;
  private readonly namespaces: Readonly<Record<string, string>>;
  private readonly workloads: Readonly<Record<string, readonly TerraformResource[]>>;
  private readonly monitoring?: KeycloakOnKubernetesProps['monitoring'];
  private readonly infinispanSecrets?: KeycloakOnKubernetesProps['infinispan'];
  private readonly cloudNativePgCluster?: string;
  private databaseFacts?: KubernetesDatabaseFacts;

  constructor(scope: Construct, id: string, props: KeycloakOnKubernetesProps) {
    super(scope, id);
    this.topology = defineTopology(props);
    const database = props.databaseConnection;
    const cnpg = database.createCloudNativePgCluster && database.cnpg ? database.cnpg : undefined;
    const routerRecords = gossipRouterRecords(props);
    const diagnostics = [
      ...validate(this.topology, { substrate: 'kubernetes', ...(props.dns ? { dns: { routing: props.dns.routing, ...(props.dns.healthCheck ? { healthCheck: props.dns.healthCheck } : {}) } } : {}) }),
      ...validateSubstrateInput(props, { substrate: 'kubernetes' }),
      ...validateKubernetesDeployment(this.topology, {
        ...(props.namespace !== undefined ? { namespace: props.namespace } : {}),
        sites: props.sites,
        infinispanSecrets: props.infinispan !== undefined,
        ...(props.hpa ? { hpa: props.hpa } : {}),
        ...(cnpg ? { cloudNativePg: { ...(database.cloudNativePg?.dataDurability ? { dataDurability: database.cloudNativePg.dataDurability } : {}) } } : {}),
      }),
      ...routerRecords.unmanaged,
      ...validatePlacement(props, TerraformStack.of(this)),
    ];
    const errors = errorsOf(diagnostics);
    if (errors.length > 0) throw new TopologyError(errors);
    this.warnings = diagnostics.filter((d) => d.severity === 'warning');
    for (const warning of this.warnings) Annotations.of(this).addWarning(formatDiagnostic(warning));

    const namespace = props.namespace ?? 'keycloak';
    this.namespace = namespace;
    this.monitoring = props.monitoring;
    this.infinispanSecrets = props.infinispan;
    this.cloudNativePgCluster = cnpg?.clusterName;
    const multiSite = this.topology.mode !== 'single-site';
    const objects: Record<string, ApiObject[]> = {};
    const namespaces: Record<string, string> = {};
    const ingresses: Record<string, IngressV1> = {};
    const routerServices: Record<string, ServiceV1> = {};
    const workloads: Record<string, TerraformResource[]> = {};
    const siteScopes: Record<string, Construct> = {};
    for (const site of Object.values(this.topology.sites)) {
      const input = props.sites[site.name];
      const siteScope = input.stack ? new Construct(input.stack, `${id}-${site.name}`) : new Construct(this, site.name);
      siteScopes[site.name] = siteScope;
      const add = (object: ApiObject, dependsOn: TerraformResource[] = []) =>
        addKubernetesObject(siteScope, `${object.kind}-${object.metadata?.name ?? ''}`, object, input.provider, dependsOn);
      const siteObjects: ApiObject[] = [];
      // Every namespaced object waits for its namespace: Terraform would otherwise create them in
      // parallel, and the API server refuses objects in a namespace that does not exist yet.
      let inNamespace: TerraformResource[] = [];
      namespaces[site.name] = namespace;
      if (props.createNamespace ?? true) {
        const object: ApiObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };
        const resource = add(object);
        siteObjects.push(object);
        inNamespace = [resource];
        namespaces[site.name] = (resource as NamespaceV1).metadata.name;
      }
      // The database first: Keycloak's first start creates the schema and fails without it.
      let database: TerraformResource[] = [];
      if (cnpg) {
        const options: CloudNativePgOptions = {
          ...props.databaseConnection.cloudNativePg,
          name: cnpg.clusterName,
          namespace: cnpg.namespace ?? namespace,
          // Every pod the autoscaler (or the fixed count) allows, plus the rollout's surge pod.
          maxClientPods: (props.hpa?.maxReplicas ?? site.nodes) + 1,
        };
        const rendered = renderCloudNativePgCluster(this.topology, options);
        this.databaseFacts = {
          kind: 'cloudnative-pg', cluster: cnpg.clusterName, instances: rendered.spec.instances,
          dataDurability: rendered.spec.postgresql.synchronous.dataDurability,
          ...(rendered.spec.backup ? { backup: { destinationPath: rendered.spec.backup.barmanObjectStore.destinationPath, retentionPolicy: rendered.spec.backup.retentionPolicy } } : {}),
        };
        const cluster = rendered as unknown as ApiObject;
        const resource = add(cluster, inNamespace) as Manifest;
        // Apply waits until CloudNativePG reports the cluster ready (primary and standbys up).
        resource.putWait({ condition: [{ type: 'Ready', status: 'True' }] });
        resource.putTimeouts({ create: '30m', update: '30m' });
        database = [resource];
        siteObjects.push(cluster);
        for (const backup of renderCloudNativePgScheduledBackup(this.topology, options) as unknown as ApiObject[]) {
          add(backup, [resource]);
          siteObjects.push(backup);
        }
      }
      const rest: ApiObject[] = [...coded(site.name, () => renderKeycloakObjects(this.topology, site.name, {
        namespace,
        database: props.databaseConnection,
        bootstrapAdminSecret: props.bootstrapAdminSecret,
        ingress: props.ingress,
        trustedProxyCidrs: input.trustedProxyCidrs,
        ...(multiSite ? { infinispan: requireInfinispan(props) } : {}),
        ...(props.hpa ? { hpa: props.hpa } : {}),
        ...(props.monitoring ? { metricsNamespace: props.monitoring.prometheusNamespace } : {}),
      }))];
      if (multiSite) rest.push(...this.infinispanObjects(props, site.name, namespace));
      if (props.monitoring) {
        rest.push(...monitoringObjectList(renderMonitoringObjects(this.topology, site.name, this.monitoringOptions())) as ApiObject[]);
      }
      for (const object of rest) {
        const isKeycloak = object.kind === 'Deployment' && object.metadata?.labels?.['app.kubernetes.io/name'] === 'keycloak';
        const resource = add(object, isKeycloak ? [...inNamespace, ...database] : inNamespace);
        if (waitConsistently(resource, object, props.hpa?.maxReplicas)) (workloads[site.name] ??= []).push(resource);
        // Terraform waits for the ingress controller to publish the address DNS points at.
        if (resource instanceof IngressV1) {
          ingresses[site.name] = resource;
          if (props.dns) resource.waitForLoadBalancer = true;
        }
        if (resource instanceof ServiceV1 && object.metadata?.name === INFINISPAN_NAMES.gossipRouter) routerServices[site.name] = resource;
      }
      objects[site.name] = [...siteObjects, ...rest];
      this.databaseFacts ??= { kind: 'external', hosts: databaseHosts(rest) };
    }
    this.objects = objects;
    this.namespaces = namespaces;
    this.workloads = workloads;
    if (props.dns) {
      for (const site of Object.keys(this.topology.sites)) this.siteRecord(props, props.dns, site, siteScopes[site], ingresses[site]);
      this.dns = this.geoDns(props, props.dns);
      for (const siteName of routerRecords.managed) this.gossipRouterRecord(props, props.dns, siteName, siteScopes[siteName], routerServices[siteName]);
    }
    const siteChecks: Record<string, KeycloakChecks> = {};
    if (props.checks !== false) {
      this.checks = new KeycloakChecks(this);
      Aspects.of(this).add(this.checks);
      // Sites in stacks of their own are not below this construct: each gets the pack too.
      for (const [siteName, input] of Object.entries(props.sites)) {
        if (!input.stack) continue;
        siteChecks[siteName] = new KeycloakChecks(siteScopes[siteName]);
        Aspects.of(siteScopes[siteName]).add(siteChecks[siteName]);
      }
    }
    this.siteChecks = siteChecks;
  }

  /**
   * The namespace of `site`'s objects as a Terraform reference when this construct creates it:
   * give it to your own Secrets (`kubernetes_secret_v1`) so Terraform creates them after it.
   */
  namespaceOf(site: string): string {
    this.siteNamed(site);
    return this.namespaces[site];
  }

  /**
   * Makes `site`'s Deployments and StatefulSets wait for the Secrets they read (e.g. your
   * `kubernetes_secret_v1` resources in `namespaceOf(site)`), so their first pods start with every
   * Secret present instead of failing until it appears.
   */
  dependOnSecrets(site: string, ...secrets: TerraformResource[]): void {
    this.siteNamed(site);
    // `depends_on` takes bare addresses (what cdktf writes for a `dependsOn` given at construction).
    const addresses = secrets.map((secret) => `${secret.terraformResourceType}.${secret.friendlyUniqueId}`);
    for (const workload of this.workloads[site] ?? []) workload.dependsOn = [...(workload.dependsOn ?? []), ...addresses];
  }

  private siteNamed(site: string): void {
    if (!Object.hasOwn(this.namespaces, site)) {
      throw new Error(`KeycloakOnKubernetes: '${site}' is not a site; use one of ${Object.keys(this.namespaces).join(', ')}`);
    }
  }

  /**
   * Writes the review bundle into `dir`: TOPOLOGY.md (diagram, recovery objectives, alerts when
   * monitoring is on, warnings, client guidance), RUNBOOK.md (kubectl, CloudNativePG and
   * Infinispan commands), topology.dot (with `{ svg: true }` also topology.svg), and per site
   * `objects.yaml` and `infinispan.xml`.
   */
  async writeReviewBundle(dir: string, options: WriteReviewBundleOptions = {}): Promise<string[]> {
    const failureTime = this.dns?.failoverTime;
    const failures = analyzeKubernetesFailures(this.topology, {
      database: this.cloudNativePgCluster ? 'cloudnative-pg' : 'external',
      ...(this.databaseFacts?.kind === 'cloudnative-pg' ? { cnpgDataDurability: this.databaseFacts.dataDurability } : {}),
      ...(failureTime ? { dns: { detectionSeconds: failureTime.detectionSeconds, ttlSeconds: failureTime.dnsPropagationSeconds } } : {}),
    });
    const sections = [
      `## Failure modes\n\n${renderFailureTable(failures)}`,
      ...(failureTime ? [renderTrafficFailover(failureTime)] : []),
      ...(this.monitoring
        ? [renderAlarmSection(Object.fromEntries(Object.keys(this.topology.sites).map((site) =>
          [site, monitoringAlertSummaries(this.topology, site, this.monitoringOptions())])))]
        : []),
    ];
    const written = await writeReviewBundle(dir, this.topology, {
      deployment: 'keycloak', substrate: 'kubernetes', namespace: this.namespace, warnings: this.warnings, sections,
      ...(this.dns ? { dnsRouting: this.dns.routing } : {}),
      ...(this.cloudNativePgCluster ? { cloudNativePgCluster: this.cloudNativePgCluster } : {}),
      ...(this.databaseFacts ? { kubernetesDatabase: this.databaseFacts } : {}),
    }, options);
    return [...written, ...this.writeManifests(dir)].sort();
  }

  /**
   * Writes, per site, the objects as multi-document YAML (`<site>/objects.yaml`, what reviewers
   * read and what `kubectl diff` takes) and the rendered `<site>/infinispan.xml`. Returns the files.
   */
  writeManifests(dir: string): string[] {
    const written: string[] = [];
    for (const [site, objects] of Object.entries(this.objects)) {
      mkdirSync(join(dir, site), { recursive: true });
      const yamlFile = join(dir, site, 'objects.yaml');
      writeFileSync(yamlFile, toYaml(objects));
      written.push(yamlFile);
      for (const object of objects) {
        const xml = object.kind === 'ConfigMap' && 'data' in object ? object.data?.['infinispan.xml'] : undefined;
        if (xml) {
          const xmlFile = join(dir, site, 'infinispan.xml');
          writeFileSync(xmlFile, xml);
          written.push(xmlFile);
        }
      }
    }
    return written;
  }

  private monitoringOptions(): MonitoringObjectsOptions {
    const monitoring = this.monitoring;
    const infinispan = this.topology.mode === 'single-site' ? undefined : this.infinispanSecrets;
    return {
      namespace: this.namespace,
      ...(monitoring?.prometheusSelectorLabels ? { prometheusSelectorLabels: monitoring.prometheusSelectorLabels } : {}),
      ...(monitoring?.thresholds ? { thresholds: monitoring.thresholds } : {}),
      ...(infinispan ? { infinispan: { credentialsSecret: infinispan.credentialsSecret, caSecret: infinispan.caSecret } } : {}),
    };
  }

  /**
   * The site's own record, `<site>.sites.<hostname>`, an alias of its ingress's load balancer, in the
   * site's stack (it reads the Ingress's status from the site's cluster): the GeoDNS records alias
   * it and its health check probes it, so the DNS layer reads nothing of the site.
   */
  private siteRecord(props: KeycloakOnKubernetesProps, dns: KubernetesGeoDnsProps, siteName: string, scope: Construct, ingress: IngressV1): void {
    const provider = siteAwsProvider(props, dns, siteName);
    const zone = new DataAwsLbHostedZoneId(scope, 'LoadBalancerZone', {
      provider,
      region: this.topology.sites[siteName].region,
      loadBalancerType: dns.loadBalancerType ?? 'network',
    });
    new HostnameAlias(scope, 'SiteRecord', {
      ...(provider ? { provider } : {}),
      name: siteRecordName(validatedHostname(this.topology.keycloak.hostname).host, siteName),
      zone: dns.hostedZone,
      loadBalancerDnsName: ingress.status.get(0).loadBalancer.get(0).ingress.get(0).hostname,
      loadBalancerZoneId: zone.id,
    });
  }

  private geoDns(props: KeycloakOnKubernetesProps, dns: KubernetesGeoDnsProps): GeoDns {
    return new GeoDns(this, 'Dns', {
      hostname: props.hostname,
      zone: dns.hostedZone,
      sites: Object.fromEntries(Object.values(this.topology.sites).map((site) => [site.name, { region: site.region }])),
      routing: dns.routing,
      ...(dns.awsProvider ? { globalProvider: dns.awsProvider } : {}),
      ...(dns.healthCheck ? { healthCheck: dns.healthCheck } : {}),
    });
  }

  /** `<router host>` as an alias of the router Service's load balancer, in the GeoDNS hosted zone, in the site's stack. */
  private gossipRouterRecord(props: KeycloakOnKubernetesProps, dns: KubernetesGeoDnsProps, siteName: string, scope: Construct, service: ServiceV1 | undefined): void {
    const router = props.sites[siteName].gossipRouter;
    if (!router || !service) return;
    // The provider waits for the load balancer's address (wait_for_load_balancer, true by default).
    service.waitForLoadBalancer = true;
    const provider = siteAwsProvider(props, dns, siteName);
    const zone = new DataAwsLbHostedZoneId(scope, 'GossipRouterZone', {
      provider,
      region: this.topology.sites[siteName].region,
      loadBalancerType: 'network',
    });
    new Route53Record(scope, 'GossipRouterRecord', {
      provider,
      zoneId: dns.hostedZone.zoneId,
      name: router.host,
      type: 'A',
      alias: { name: service.status.get(0).loadBalancer.get(0).ingress.get(0).hostname, zoneId: zone.id, evaluateTargetHealth: false },
    });
  }

  private infinispanObjects(props: KeycloakOnKubernetesProps, siteName: string, namespace: string): ApiObject[] {
    const infinispan = requireInfinispan(props);
    // validateKubernetesDeployment() requires a router of every site with several sites.
    const routers = Object.fromEntries(Object.entries(props.sites).flatMap(([name, site]) =>
      site.gossipRouter ? [[name, { host: site.gossipRouter.host, port: site.gossipRouter.port ?? 7900 }]] : []));
    const own = props.sites[siteName].gossipRouter;
    const rendered = renderInfinispanObjects(this.topology, siteName, {
      namespace,
      credentialsSecret: infinispan.credentialsSecret,
      operatorCredentialsSecret: infinispan.operatorCredentialsSecret,
      hotRodTls: infinispan.hotRodTls,
      ...(infinispan.image !== undefined ? { image: infinispan.image } : {}),
      // The local router is reached inside the cluster; only the other sites' routers by their public names.
      gossipRouters: Object.fromEntries(Object.entries(routers).filter(([name]) => name !== siteName)),
      remoteRouterClientCidrs: own?.allowedClientCidrs ?? [],
      ...(own?.loadBalancer ? { routerLoadBalancer: own.loadBalancer } : {}),
      ...(props.monitoring ? { metricsNamespace: props.monitoring.prometheusNamespace } : {}),
    });
    return infinispanObjectList(rendered) as ApiObject[];
  }
}

/**
 * Where each site's resources go: its `provider` (and `awsProvider`) must belong to the site's stack,
 * and with `dns` a site in a stack of its own needs an AWS provider there for its own records.
 */
function validatePlacement(props: KeycloakOnKubernetesProps, constructStack: TerraformStack): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const [siteName, site] of Object.entries(props.sites ?? {})) {
    const stack = site?.stack ?? constructStack;
    for (const [key, provider] of [['provider', site?.provider], ['awsProvider', site?.awsProvider]] as const) {
      if (!provider || TerraformStack.of(provider) === stack) continue;
      diagnostics.push({
        code: 'site-provider-other-stack', severity: 'error', path: `sites.${siteName}.${key}`, value: TerraformStack.of(provider).node.id,
        message: `the provider belongs to stack '${TerraformStack.of(provider).node.id}', but site '${siteName}' lives in stack '${stack.node.id}'`,
        fix: `create the provider in the site's stack: new ${key === 'provider' ? 'KubernetesProvider' : 'AwsProvider'}(stack, ...)`,
      });
    }
    if (props.dns && site?.stack && !site.awsProvider && !hasProvider(site.stack, 'aws')) {
      diagnostics.push({
        code: 'site-stack-provider-missing', severity: 'error', path: `sites.${siteName}.awsProvider`, value: undefined,
        message: `site '${siteName}' lives in stack '${site.stack.node.id}', which has no AWS provider for the site's own Route 53 records`,
        fix: `create one in that stack, e.g. new AwsProvider(stack, 'aws', { region: '${site.region}' }), and pass it as sites.${siteName}.awsProvider`,
      });
    }
  }
  return diagnostics;
}

/** The AWS provider of a site's own records: its own, else the DNS provider when the site shares the construct's stack. */
function siteAwsProvider(props: KeycloakOnKubernetesProps, dns: KubernetesGeoDnsProps, siteName: string): TerraformProvider | undefined {
  const site = props.sites[siteName];
  return site.awsProvider ?? (site.stack ? undefined : dns.awsProvider);
}

function requireInfinispan(props: KeycloakOnKubernetesProps): NonNullable<KeycloakOnKubernetesProps['infinispan']> {
  // validateKubernetesDeployment() rejects several sites without it.
  if (!props.infinispan) throw new Error('KeycloakOnKubernetes: infinispan is missing (unreachable: validated)');
  return props.infinispan;
}

/**
 * Which sites' Gossip Router names this construct records in Route 53 (their host is inside the
 * GeoDNS hosted zone), and a warning for every other one: its name must be made to resolve to the
 * router's load balancer by you, or the bridge never forms and, with FAIL backups, logins fail in
 * both sites.
 */
function gossipRouterRecords(props: KeycloakOnKubernetesProps): { managed: string[]; unmanaged: Diagnostic[] } {
  const managed: string[] = [];
  const unmanaged: Diagnostic[] = [];
  if (Object.keys(props.sites).length < 2) return { managed, unmanaged };
  const zoneName = props.dns?.hostedZone.zoneName;
  for (const [name, site] of Object.entries(props.sites)) {
    const host = site.gossipRouter?.host;
    if (typeof host !== 'string') continue;
    if (zoneName !== undefined && !Token.isUnresolved(zoneName) && host.endsWith(`.${zoneName}`)) {
      managed.push(name);
    } else {
      unmanaged.push({
        code: 'gossip-router-dns-unmanaged', severity: 'warning', path: `sites.${name}.gossipRouter.host`, value: host,
        message: props.dns
          ? `is outside the hosted zone of dns (${zoneName}), so no record is created for it`
          : 'gets no DNS record from this construct (no dns.hostedZone)',
        fix: "point the name at the router Service's load balancer yourself, or give dns with a hosted zone that contains it",
      });
    }
  }
  return { managed, unmanaged };
}

/**
 * Terraform waits for a Deployment's or StatefulSet's rollout (the provider's default), at most as
 * long as a legitimate rollout can take: the pods one after another (maxSurge 1 / one at a time),
 * each within its budget. A Deployment's budget is its progress deadline; a stuck rollout is
 * reported by that deadline first (the provider stops at `ProgressDeadlineExceeded`, before its own
 * timeout would taint the resource). A StatefulSet's is its start-up probe's budget plus
 * `minReadySeconds`. Returns whether `resource` is such a workload. (The kind is tested first: the
 * StatefulSet class loads only for a deployment that has one.)
 */
function waitConsistently(resource: TerraformResource, object: ApiObject, hpaMaxReplicas: number | undefined): boolean {
  const minutes = (seconds: number) => `${Math.ceil(seconds / 60)}m`;
  if (object.kind === 'Deployment' && resource instanceof DeploymentV1) {
    const spec = (object as { spec?: { replicas?: number; progressDeadlineSeconds?: number } }).spec;
    const pods = spec?.replicas ?? hpaMaxReplicas ?? 1;
    // 600 s: Kubernetes' default progress deadline.
    const timeout = minutes(pods * (spec?.progressDeadlineSeconds ?? 600));
    resource.waitForRollout = true;
    resource.putTimeouts({ create: timeout, update: timeout });
    return true;
  } else if (object.kind === 'StatefulSet' && resource instanceof StatefulSetV1) {
    const spec = (object as { spec?: { replicas?: number; minReadySeconds?: number; template?: { spec?: { containers?: { startupProbe?: { periodSeconds?: number; failureThreshold?: number } }[] } } } }).spec;
    const probe = spec?.template?.spec?.containers?.[0]?.startupProbe;
    const perPod = (probe?.periodSeconds ?? 10) * (probe?.failureThreshold ?? 3) + (spec?.minReadySeconds ?? INFINISPAN_MIN_READY_SECONDS);
    const timeout = minutes((spec?.replicas ?? 1) * perPod);
    resource.waitForRollout = true;
    resource.putTimeouts({ create: timeout, update: timeout });
    return true;
  }
  return false;
}

/** The database hosts of the rendered Keycloak Deployment's JDBC URL (`KC_DB_URL`). */
function databaseHosts(objects: readonly ApiObject[]): string[] {
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata?.labels?.['app.kubernetes.io/name'] === 'keycloak') as
    { spec?: { template?: { spec?: { containers?: { env?: { name: string; value?: string }[] }[] } } } } | undefined;
  const url = deployment?.spec?.template?.spec?.containers?.[0]?.env?.find((e) => e.name === 'KC_DB_URL')?.value ?? '';
  const authority = /^jdbc:(?:aws-wrapper:)?postgresql:\/\/([^/]+)\//.exec(url)?.[1] ?? '';
  return authority.split(',').filter((host) => host !== '');
}

/**
 * Runs the Keycloak renderer, turning an invalid option into a coded diagnostic whose path names
 * the prop of these props (`database.*` is `databaseConnection.*`, `trustedProxyCidrs` is per site).
 */
function coded<T>(site: string, render: () => T): T {
  try {
    return render();
  } catch (error) {
    if (!(error instanceof KeycloakObjectsOptionError)) throw error;
    const path = error.option === 'trustedProxyCidrs' ? `sites.${site}.trustedProxyCidrs`
      : error.option.startsWith('database') ? error.option.replace(/^database/, 'databaseConnection') : error.option;
    throw new TopologyError([{ code: 'kubernetes-option-invalid', severity: 'error', path, value: error.value, message: error.problem, fix: error.fix }]);
  }
}
