import { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { HostedZone, KeycloakImage, KeycloakOnAws, KeycloakVersion } from '../../lib';

/**
 * Keycloak in one region that survives the loss of any node or any one availability zone:
 * three zones, three Keycloak nodes (one per zone), an Aurora writer and two readers.
 */
export class MultiAzStack extends TerraformStack {
  readonly keycloak: KeycloakOnAws;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });

    this.keycloak = new KeycloakOnAws(this, 'Keycloak', {
      hostname: 'auth.example.com',
      version: KeycloakVersion.V26_7_0,
      hostedZone: HostedZone.fromAttributes({ zoneId: 'Z04213802QEXAMPLE1234', zoneName: 'example.com' }),
      sites: {
        'eu-west': { region: 'eu-west-1', cidr: '10.20.0.0/16', zones: 3, nodes: 3 },
      },
      keycloak: {
        // Built from ./Dockerfile and pushed to ECR: it carries the AWS Advanced JDBC Wrapper.
        image: KeycloakImage.fromRegistry('123456789012.dkr.ecr.eu-west-1.amazonaws.com/keycloak:26.7.0-aws-jdbc', {
          bundlesAwsJdbcWrapper: true,
          rdsCaBundlePath: '/opt/keycloak/conf/rds-global-bundle.pem',
        }),
        vcpu: 2,
        memoryMiB: 4096,
      },
      database: { instances: 3, instanceClass: 'db.r7g.large' },
      // The admin console and admin API answer only from the administrators' VPN.
      traffic: { adminAllowedCidrs: ['198.51.100.0/24'] },
      alarms: { emails: ['iam-oncall@example.com'] },
      tags: { environment: 'production', owner: 'iam-platform' },
    });
  }
}
