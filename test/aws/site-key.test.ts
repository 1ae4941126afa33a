import { onlyResource, synthKeycloak } from '../helpers';

describe('SiteKey', () => {
  const out = synthKeycloak();

  test('a rotated customer key with a 30-day deletion window, aliased by deployment and site', () => {
    expect(onlyResource(out, 'aws_kms_key')).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(onlyResource(out, 'aws_kms_alias').name).toBe('alias/keycloak-eu-west');
  });

  test('its policy lets the account administer it and CloudWatch Logs use it for this account only', () => {
    const policy = Object.values(out.json.data?.aws_iam_policy_document ?? {}).find((d) => JSON.stringify(d).includes('CloudWatchLogsEncrypts')) as
      { statement: { sid: string; principals: { type: string; identifiers: string[] }[]; condition?: { test: string; variable: string; values: string[] }[] }[] };
    const [admin, logs] = policy.statement;
    expect(admin.sid).toBe('AccountAdministers');
    expect(admin.principals[0].identifiers[0]).toMatch(/^arn:\$\{data\.aws_partition\.[^}]+\.partition\}:iam::\$\{data\.aws_caller_identity\.[^}]+\.account_id\}:root$/);
    expect(logs.principals[0]).toEqual({ type: 'Service', identifiers: [expect.stringMatching(/^logs\.\$\{data\.aws_region\.[^}]+\.region\}\.amazonaws\.com$/)] });
    expect(logs.condition?.[0]).toMatchObject({ test: 'ArnLike', variable: 'kms:EncryptionContext:aws:logs:arn' });
    expect(logs.condition?.[0].values[0]).toMatch(/:log-group:\*$/);
  });
});
