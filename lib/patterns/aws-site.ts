import { Construct } from 'constructs';
import { AuroraDatabase } from '../aws/aurora-database';
import { CredentialRotation } from '../aws/credential-rotation';
import { HostnameAlias, HostnameCertificate } from '../aws/hostname-dns';
import { KeycloakService } from '../aws/keycloak-service';
import { KeycloakAlarmThresholds, KeycloakObservability } from '../aws/observability';
import { KeycloakLoadBalancer } from '../aws/load-balancer';
import { ICertificate, IHostedZone } from '../aws/references';
import { AwsSiteContext } from '../aws/site-context';
import { SiteKey } from '../aws/site-key';
import { SiteNetwork } from '../aws/site-network';

export interface AwsSiteProps {
  /** The hostname's DNS name (no scheme, no path). */
  readonly host: string;
  readonly certificate?: ICertificate;
  readonly hostedZone?: IHostedZone;
  readonly alarmEmails?: readonly string[];
  readonly alarmThresholds?: KeycloakAlarmThresholds;
}

/**
 * Everything of one AWS site, in dependency order; `KeycloakOnAws` makes one per site. Its parts
 * are exposed so users can attach more (listener rules, alarms, extra ingress). Construct IDs
 * here are part of the Terraform addresses: changing one replaces resources.
 */
export class AwsSite extends Construct {
  readonly key: SiteKey;
  readonly network: SiteNetwork;
  readonly database: AuroraDatabase;
  readonly loadBalancer: KeycloakLoadBalancer;
  readonly keycloak: KeycloakService;
  readonly observability: KeycloakObservability;

  constructor(scope: Construct, id: string, context: AwsSiteContext, props: AwsSiteProps) {
    super(scope, id);
    this.key = new SiteKey(this, 'Key', context);
    const kmsKeyArn = this.key.arn;
    this.network = new SiteNetwork(this, 'Network', context, { kmsKeyArn });
    this.database = new AuroraDatabase(this, 'Database', context, { network: this.network, kmsKeyArn });
    const certificateArn = props.certificate?.certificateArn ??
      new HostnameCertificate(this, 'Certificate', context, { host: props.host, zone: requireZone(props) }).certificateArn;
    this.loadBalancer = new KeycloakLoadBalancer(this, 'LoadBalancer', context, { network: this.network, certificateArn });
    this.keycloak = new KeycloakService(this, 'Keycloak', context, {
      network: this.network,
      database: this.database,
      loadBalancer: this.loadBalancer,
      kmsKeyArn,
    });
    this.observability = new KeycloakObservability(this, 'Observability', context, {
      keycloak: this.keycloak,
      loadBalancer: this.loadBalancer,
      database: this.database,
      kmsKeyArn,
      ...(props.alarmEmails ? { alarmEmails: props.alarmEmails } : {}),
      ...(props.alarmThresholds ? { thresholds: props.alarmThresholds } : {}),
    });
    new CredentialRotation(this, 'CredentialRotation', context, {
      secretArn: this.database.credentialsSecretArn,
      clusterArn: this.keycloak.cluster.arn,
      serviceName: this.keycloak.service.name,
      serviceArn: this.keycloak.service.id,
    });
    if (props.hostedZone) {
      new HostnameAlias(this, 'Hostname', context, {
        host: props.host,
        zone: props.hostedZone,
        loadBalancerDnsName: this.loadBalancer.loadBalancer.dnsName,
        loadBalancerZoneId: this.loadBalancer.loadBalancer.zoneId,
      });
    }
  }
}

function requireZone(props: AwsSiteProps): IHostedZone {
  // validateAwsProps() rejects a topology with neither a certificate nor a hosted zone.
  if (!props.hostedZone) throw new Error('AwsSite: a certificate or a hosted zone is required');
  return props.hostedZone;
}
