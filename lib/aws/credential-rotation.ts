import { Construct } from 'constructs';
import { SchedulerSchedule, SecretsmanagerSecretRotation } from '../private/aws-classes';
import { jsonAttribute } from '../private/cdktf';
import { createServiceRole } from './service-role';
import { AwsSiteContext } from './site-context';

export interface CredentialRotationProps {
  /** The RDS-managed master secret. */
  readonly secretArn: string;
  /**
   * Schedule the secret's rotation here: true in the site whose cluster it belongs to; false in
   * the other sites of the region that share the cluster and only roll after the window.
   * @default true
   */
  readonly rotate?: boolean;
  readonly clusterArn: string;
  readonly serviceName: string;
  /** ARN of the ECS service, for the scheduler's permission. */
  readonly serviceArn: string;
}

/**
 * When RDS rotates the database password (weekly by default, at a random time), running tasks
 * keep their open connections but any reconnect (an Aurora failover, a recycled connection) uses
 * the password ECS injected at start and fails: every node at once. So the rotation happens in a
 * known window instead (the 1st of each month, 05:00–06:00 UTC, after the database maintenance
 * window), and right after it the service rolls, one node at a time, picking up the new password.
 */
export const ROTATION_SCHEDULE = {
  /** Secrets Manager rotation window start (UTC), with its length. */
  rotation: 'cron(0 5 1 * ? *)',
  rotationWindow: '1h',
  /** EventBridge Scheduler: force a new deployment after the window closed (UTC). */
  redeploy: 'cron(5 6 1 * ? *)',
} as const;

export class CredentialRotation extends Construct {
  constructor(scope: Construct, id: string, context: AwsSiteContext, props: CredentialRotationProps) {
    super(scope, id);
    const { provider, name } = context;
    if (props.rotate !== false) {
      new SecretsmanagerSecretRotation(this, 'Schedule', {
        provider,
        secretId: props.secretArn,
        rotateImmediately: false,
        rotationRules: { scheduleExpression: ROTATION_SCHEDULE.rotation, duration: ROTATION_SCHEDULE.rotationWindow },
      });
    }
    const role = createServiceRole(this, 'Scheduler', context, {
      service: 'scheduler.amazonaws.com',
      roleName: `${name}-redeploy`,
      statements: [{ actions: ['ecs:UpdateService'], resources: [props.serviceArn] }],
    });
    new SchedulerSchedule(this, 'Redeploy', {
      provider,
      name: `${name}-redeploy-after-rotation`,
      description: 'Roll Keycloak tasks after the monthly database password rotation',
      scheduleExpression: ROTATION_SCHEDULE.redeploy,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        // EventBridge Scheduler's universal target calls the ECS API directly; no function to run.
        arn: 'arn:aws:scheduler:::aws-sdk:ecs:updateService',
        roleArn: role.arn,
        input: jsonAttribute(this, { Cluster: props.clusterArn, Service: props.serviceName, ForceNewDeployment: true }),
        retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3600 },
      },
    });
  }
}
