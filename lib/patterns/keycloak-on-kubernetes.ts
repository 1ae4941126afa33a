import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { DataAwsLbHostedZoneId } from '@cdktf/provider-aws/lib/data-aws-lb-hosted-zone-id';
import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { DnsRouting } from '../aws/dns-routing';
import { GeoDns, GeoDnsHealthCheckProps } from '../aws/geo-dns';
import { IHostedZone } from '../aws/references';
import { addKubernetesObject, KubernetesObject as ApiObject } from '../kubernetes/translate';
import { defineTopology, SiteInput, TopologyInput } from '../model/define';
import { Diagnostic, formatDiagnostic, TopologyError } from '../model/diagnostic';
import { Topology } from '../model/topology';
import { renderFailureTable } from '../model/failure-modes';
import { analyzeKubernetesFailures } from '../model/failure-modes-kubernetes';
import { errorsOf, validate } from '../model/validate';
import { Annotations, TerraformProvider } from '../private/cdktf';
import { renderCloudNativePgCluster } from '../render/kubernetes/database-objects';
import { infinispanObjectList, InfinispanObjectsOptions, renderInfinispanObjects } from '../render/kubernetes/infinispan-objects';
import { KeycloakObjectsOptions, renderKeycloakObjects } from '../render/kubernetes/keycloak-objects';
import {
  monitoringAlertSummaries, MonitoringObjectsOptions, monitoringObjectList, renderMonitoringObjects,
} from '../render/kubernetes/monitoring-objects';
import { toYaml } from '../render/kubernetes/yaml';
import { renderAlarmSection } from '../review/alarms';
import { writeReviewBundle, WriteReviewBundleOptions } from '../review/bundle';

/** A site on Kubernetes: the model's site plus its cluster. */
export interface KubernetesSiteInput extends SiteInput {
  /** The `kubernetes` provider (an alias per cluster) of this site's cluster. */
  readonly provider: TerraformProvider;
  /** Pod CIDR or addresses of this cluster's ingress controller: only they may set `X-Forwarded-*`. */
  readonly trustedProxyCidrs: readonly string[];
  /**
   * With several sites: the stable address other sites reach this site's Gossip Router at (a DNS
   * name you point at the router's LoadBalancer Service), and the other sites' egress networks
   * that may connect to it.
   */
  readonly gossipRouter?: { readonly host: string; readonly port?: number; readonly allowedClientCidrs: readonly string[] };
}

export interface KeycloakOnKubernetesProps extends TopologyInput {
  readonly sites: Readonly<Record<string, KubernetesSiteInput>>;
  /** @default 'keycloak' */
  readonly namespace?: string;
  /**
   * Where Keycloak's database is: an external one (`jdbcUrl`, e.g. Aurora from the AWS side) or a
   * CloudNativePG cluster (`cnpg`), created here when `createCloudNativePgCluster` is set (the
   * CloudNativePG operator must be installed first).
   */
  readonly databaseConnection: KeycloakObjectsOptions['database'] & { readonly createCloudNativePgCluster?: boolean };
  readonly bootstrapAdminSecret: KeycloakObjectsOptions['bootstrapAdminSecret'];
  readonly ingress: KeycloakObjectsOptions['ingress'];
  /** With several sites: Secrets of the external Infinispan (Hot Rod user, keystore and its password, the CA for Keycloak). */
  readonly infinispan?: {
    readonly credentialsSecret: { readonly name: string; readonly usernameKey: string; readonly passwordKey: string };
    readonly hotRodTls: InfinispanObjectsOptions['hotRodTls'];
    readonly caSecret: { readonly name: string; readonly key: string };
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
  private readonly namespace: string;
  private readonly monitoring?: KeycloakOnKubernetesProps['monitoring'];
  private readonly infinispanSecrets?: KeycloakOnKubernetesProps['infinispan'];
  private readonly cloudNativePgCluster?: string;

  constructor(scope: Construct, id: string, props: KeycloakOnKubernetesProps) {
    super(scope, id);
    this.topology = defineTopology(props);
    const diagnostics = validate(this.topology, { substrate: 'kubernetes' });
    const errors = errorsOf(diagnostics);
    if (errors.length > 0) throw new TopologyError(errors);
    this.warnings = diagnostics.filter((d) => d.severity === 'warning');
    for (const warning of this.warnings) Annotations.of(this).addWarning(formatDiagnostic(warning));

    const namespace = props.namespace ?? 'keycloak';
    this.namespace = namespace;
    this.monitoring = props.monitoring;
    this.infinispanSecrets = props.infinispan;
    this.cloudNativePgCluster = props.databaseConnection.cnpg?.clusterName;
    const multiSite = this.topology.mode !== 'single-site';
    const objects: Record<string, ApiObject[]> = {};
    const ingresses: Record<string, IngressV1> = {};
    for (const site of Object.values(this.topology.sites)) {
      const input = props.sites[site.name];
      const siteObjects: ApiObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }];
      if (props.databaseConnection.createCloudNativePgCluster && props.databaseConnection.cnpg) {
        siteObjects.push(renderCloudNativePgCluster(this.topology, { name: props.databaseConnection.cnpg.clusterName, namespace }) as unknown as ApiObject);
      }
      siteObjects.push(...renderKeycloakObjects(this.topology, site.name, {
        namespace,
        database: props.databaseConnection,
        bootstrapAdminSecret: props.bootstrapAdminSecret,
        ingress: props.ingress,
        trustedProxyCidrs: input.trustedProxyCidrs,
        ...(multiSite ? { infinispan: requireInfinispan(props) } : {}),
        ...(props.hpa ? { hpa: props.hpa } : {}),
        ...(props.monitoring ? { metricsNamespace: props.monitoring.prometheusNamespace } : {}),
      }));
      if (multiSite) siteObjects.push(...this.infinispanObjects(props, site.name, namespace));
      if (props.monitoring) {
        siteObjects.push(...monitoringObjectList(renderMonitoringObjects(this.topology, site.name, this.monitoringOptions())) as ApiObject[]);
      }
      const siteScope = new Construct(this, site.name);
      for (const object of siteObjects) {
        const resource = addKubernetesObject(siteScope, `${object.kind}-${object.metadata?.name ?? ''}`, object, input.provider);
        // Terraform waits for the ingress controller to publish the address DNS points at.
        if (resource instanceof IngressV1) {
          ingresses[site.name] = resource;
          if (props.dns) resource.waitForLoadBalancer = true;
        }
      }
      objects[site.name] = siteObjects;
    }
    this.objects = objects;
    if (props.dns) this.dns = this.geoDns(props, props.dns, ingresses);
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
      ...(failureTime ? { dns: { detectionSeconds: failureTime.detectionSeconds, ttlSeconds: failureTime.dnsPropagationSeconds } } : {}),
    });
    const sections = [
      `## Failure modes\n\n${renderFailureTable(failures)}`,
      ...(this.monitoring
        ? [renderAlarmSection(Object.fromEntries(Object.keys(this.topology.sites).map((site) =>
          [site, monitoringAlertSummaries(this.topology, site, this.monitoringOptions())])))]
        : []),
    ];
    const written = await writeReviewBundle(dir, this.topology, {
      deployment: 'keycloak', substrate: 'kubernetes', namespace: this.namespace, warnings: this.warnings, sections,
      ...(this.cloudNativePgCluster ? { cloudNativePgCluster: this.cloudNativePgCluster } : {}),
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

  private geoDns(props: KeycloakOnKubernetesProps, dns: KubernetesGeoDnsProps, ingresses: Record<string, IngressV1>): GeoDns {
    const sites = Object.fromEntries(Object.values(this.topology.sites).map((site) => {
      const zone = new DataAwsLbHostedZoneId(this, `LoadBalancerZone-${site.name}`, {
        provider: dns.awsProvider,
        region: site.region,
        loadBalancerType: dns.loadBalancerType ?? 'network',
      });
      const address = ingresses[site.name].status.get(0).loadBalancer.get(0).ingress.get(0).hostname;
      return [site.name, { region: site.region, loadBalancer: { dnsName: address, zoneId: zone.id } }];
    }));
    return new GeoDns(this, 'Dns', {
      hostname: props.hostname,
      zone: dns.hostedZone,
      sites,
      routing: dns.routing,
      ...(dns.awsProvider ? { globalProvider: dns.awsProvider } : {}),
      ...(dns.healthCheck ? { healthCheck: dns.healthCheck } : {}),
    });
  }

  private infinispanObjects(props: KeycloakOnKubernetesProps, siteName: string, namespace: string): ApiObject[] {
    const infinispan = requireInfinispan(props);
    const routers = Object.fromEntries(Object.entries(props.sites).map(([name, site]) => {
      if (!site.gossipRouter) {
        throw new Error(`KeycloakOnKubernetes: sites.${name}.gossipRouter is required with several sites; give the DNS name other sites reach its Gossip Router at`);
      }
      return [name, { host: site.gossipRouter.host, port: site.gossipRouter.port ?? 7900 }];
    }));
    const own = props.sites[siteName].gossipRouter;
    const rendered = renderInfinispanObjects(this.topology, siteName, {
      namespace,
      credentialsSecret: infinispan.credentialsSecret,
      hotRodTls: infinispan.hotRodTls,
      // The local router is reached inside the cluster; only the other sites' routers by their public names.
      gossipRouters: Object.fromEntries(Object.entries(routers).filter(([name]) => name !== siteName)),
      remoteRouterClientCidrs: own?.allowedClientCidrs ?? [],
      ...(props.monitoring ? { metricsNamespace: props.monitoring.prometheusNamespace } : {}),
    });
    return infinispanObjectList(rendered) as ApiObject[];
  }
}

function requireInfinispan(props: KeycloakOnKubernetesProps): NonNullable<KeycloakOnKubernetesProps['infinispan']> {
  if (!props.infinispan) {
    throw new Error('KeycloakOnKubernetes: infinispan is required with several sites; pass the Hot Rod user, keystore and CA Secrets');
  }
  return props.infinispan;
}
