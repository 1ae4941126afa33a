import { Construct } from 'constructs';
import { AcmCertificate, AcmCertificateValidation, Route53Record } from '../private/aws-classes';
import { Fn, TerraformProvider } from '../private/cdktf';
import { IHostedZone } from './references';
import { AwsSiteContext } from './site-context';

export interface HostnameCertificateProps {
  readonly host: string;
  readonly zone: IHostedZone;
  /**
   * Create the validation record. ACM gives every certificate of one name in one account the same
   * validation record, whatever the region, so with a certificate per site exactly one site must
   * own it (the primary): two stacks writing one record would each delete it on destroy and break
   * the other's renewals. The others wait for the same record.
   * @default true
   */
  readonly ownsValidationRecord?: boolean;
}

/**
 * An ACM certificate for the hostname, validated through DNS records in the hosted zone, so the
 * HTTPS listener waits for a certificate that is actually issued.
 */
export class HostnameCertificate extends Construct {
  /** ARN of the validated certificate; using it makes a resource wait for validation. */
  readonly certificateArn: string;
  /** The validation record, on the site that owns it. */
  readonly validationRecord?: Route53Record;

  constructor(scope: Construct, id: string, context: AwsSiteContext, props: HostnameCertificateProps) {
    super(scope, id);
    const { provider, tags } = context;
    const certificate = new AcmCertificate(this, 'Resource', {
      provider,
      domainName: props.host,
      validationMethod: 'DNS',
      lifecycle: { createBeforeDestroy: true },
      tags,
    });
    // A single-name certificate has exactly one validation record.
    const option = certificate.domainValidationOptions.get(0);
    this.validationRecord = props.ownsValidationRecord ?? true ? new Route53Record(this, 'ValidationRecord', {
      provider,
      zoneId: props.zone.zoneId,
      name: option.resourceRecordName,
      type: option.resourceRecordType,
      records: [option.resourceRecordValue],
      ttl: 300,
      // Adopts a record left by an earlier owner instead of failing on it.
      allowOverwrite: true,
    }) : undefined;
    const validation = new AcmCertificateValidation(this, 'Validation', {
      provider,
      certificateArn: certificate.arn,
      validationRecordFqdns: [Fn.trimsuffix(this.validationRecord?.fqdn ?? option.resourceRecordName, '.')],
    });
    this.certificateArn = validation.certificateArn;
  }
}

export interface HostnameAliasProps {
  readonly provider?: TerraformProvider;
  /** The record's name: the hostname (one site), or the site's own name (`siteRecordName`). */
  readonly name: string;
  readonly zone: IHostedZone;
  readonly loadBalancerDnsName: string;
  readonly loadBalancerZoneId: string;
}

/** A name as an alias of a load balancer, answering only while its targets are healthy. */
export class HostnameAlias extends Construct {
  readonly record: Route53Record;

  constructor(scope: Construct, id: string, props: HostnameAliasProps) {
    super(scope, id);
    this.record = new Route53Record(this, 'Resource', {
      provider: props.provider,
      zoneId: props.zone.zoneId,
      name: props.name,
      type: 'A',
      alias: { name: props.loadBalancerDnsName, zoneId: props.loadBalancerZoneId, evaluateTargetHealth: true },
    });
  }
}
