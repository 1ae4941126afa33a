import { TopologyError } from '../model/diagnostic';
import { Token } from '../private/cdktf';

/** An ACM certificate for the Keycloak hostname, in the region of the load balancer. */
export interface ICertificate {
  readonly certificateArn: string;
}

/** A Route 53 public hosted zone that holds (or will hold) the Keycloak hostname. */
export interface IHostedZone {
  readonly zoneId: string;
  /** e.g. `example.com`, without a trailing dot. */
  readonly zoneName: string;
}

const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;

/** Importers for certificates that exist outside this deployment. */
export class Certificate {
  /**
   * @throws a `TopologyError` (code `certificate-arn-invalid`) when `certificateArn` is not an ACM certificate ARN (a Terraform reference is accepted as is).
   */
  static fromArn(certificateArn: string): ICertificate {
    if (!Token.isUnresolved(certificateArn) && !CERTIFICATE_ARN.test(certificateArn)) {
      invalid('certificate-arn-invalid', 'certificate', certificateArn, 'Certificate.fromArn takes an ACM certificate ARN',
        "pass 'arn:aws:acm:<region>:<account>:certificate/<id>'");
    }
    return { certificateArn };
  }
}

/** Importers for hosted zones that exist outside this deployment. */
export class HostedZone {
  /**
   * @throws a `TopologyError` (`hosted-zone-id-invalid`, `hosted-zone-name-invalid`) when `zoneId` is not a
   *   Route 53 zone id or `zoneName` is not a domain name.
   */
  static fromAttributes(attributes: IHostedZone): IHostedZone {
    const { zoneId, zoneName } = attributes;
    if (!Token.isUnresolved(zoneId) && !/^Z[A-Z0-9]{1,31}$/.test(zoneId)) {
      invalid('hosted-zone-id-invalid', 'hostedZone.zoneId', zoneId, 'HostedZone.fromAttributes takes a Route 53 zone id', "pass e.g. 'Z0123456789ABCDEFGHIJ'");
    }
    if (!Token.isUnresolved(zoneName) && (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(zoneName) || !zoneName.includes('.'))) {
      invalid('hosted-zone-name-invalid', 'hostedZone.zoneName', zoneName, 'HostedZone.fromAttributes takes a domain name', "pass e.g. 'example.com' (no trailing dot)");
    }
    return { zoneId, zoneName };
  }
}

/** A factory's bad argument: thrown at once, coded like a `validate()` finding. */
function invalid(code: string, path: string, value: unknown, message: string, fix: string): never {
  throw new TopologyError([{ code, severity: 'error', path, value, message, fix }]);
}
