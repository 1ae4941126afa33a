import { onlyResource, synthKeycloak } from '../helpers';

describe('CredentialRotation', () => {
  const out = synthKeycloak();

  test('the database password rotates in a fixed monthly window, not at a random time', () => {
    const rotation = onlyResource(out, 'aws_secretsmanager_secret_rotation');
    expect(rotation).toMatchObject({
      rotate_immediately: false,
      rotation_rules: { schedule_expression: 'cron(0 5 1 * ? *)', duration: '1h' },
    });
    expect(String(rotation.secret_id)).toMatch(/^\$\{aws_rds_cluster\.[^}]+\.master_user_secret\[0\]\.secret_arn\}$/);
  });

  test('after the window the service rolls, so every task gets the new password', () => {
    const schedule = onlyResource(out, 'aws_scheduler_schedule');
    expect(schedule).toMatchObject({ schedule_expression: 'cron(5 6 1 * ? *)', schedule_expression_timezone: 'UTC' });
    const target = schedule.target as { arn: string; input: string; role_arn: string };
    expect(target.arn).toBe('arn:aws:scheduler:::aws-sdk:ecs:updateService');
    expect(JSON.parse(target.input)).toEqual({
      Cluster: expect.stringMatching(/aws_ecs_cluster\..+\.arn/),
      Service: expect.stringMatching(/aws_ecs_service\..+\.name/),
      ForceNewDeployment: true,
    });
  });

  test('the scheduler may only update that one service', () => {
    const policy = Object.values(out.json.data?.aws_iam_policy_document ?? {}).find((d) => JSON.stringify(d).includes('ecs:UpdateService')) as
      { statement: { actions: string[]; resources: string[] }[] };
    expect(policy.statement).toEqual([{ actions: ['ecs:UpdateService'], resources: [expect.stringMatching(/^\$\{aws_ecs_service\.[^}]+\.id\}$/)] }]);
  });
});
