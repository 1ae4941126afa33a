import { KeycloakOnAwsProps, KeycloakVersion, replacementRisks } from '../lib';
import { awsProps, synthKeycloak } from './helpers';

const base = awsProps({ version: KeycloakVersion.of('26.7.0'), sites: { 'eu-west': { region: 'eu-west-1', zones: 3, nodes: 3 } } });
const site = (overrides: object): Partial<KeycloakOnAwsProps> => ({ sites: { 'eu-west': { region: 'eu-west-1', zones: 3, nodes: 3, ...overrides } } });
const before = synthKeycloak(base).json;

describe('routine changes replace no stateful resource', () => {
  const routine: [string, Partial<KeycloakOnAwsProps>][] = [
    ['more nodes', site({ nodes: 6 })],
    ['a fourth zone', site({ zones: 4, nodes: 4 })],
    ['bigger Keycloak tasks', { keycloak: { vcpu: 4, memoryMiB: 8192 } }],
    ['a bigger database instance class', { database: { instanceClass: 'db.r7g.xlarge' } }],
    ['another database reader', { database: { instances: 3 } }],
    ['more cache owners', { keycloak: { cacheOwners: 3 } }],
    ['a Keycloak patch upgrade', { version: KeycloakVersion.of('26.7.1') }],
    ['a longer log retention', { traffic: { logRetentionDays: 365 } }],
    ['administrator networks', { traffic: { adminAllowedCidrs: ['198.51.100.0/24'] } }],
    ['single NAT gateway', site({ natGateways: 'single' })],
  ];

  test.each(routine)('%s', (_, change) => {
    const after = synthKeycloak({ ...base, ...change }).json;
    expect(replacementRisks(before, after)).toEqual([]);
  });
});

describe('replacementRisks', () => {
  test('GIVEN a renamed site THEN every stateful resource is reported as removed', () => {
    const after = synthKeycloak({ ...base, sites: { 'eu-central': { region: 'eu-west-1', zones: 3, nodes: 3 } } }).json;
    const risks = replacementRisks(before, after);
    expect(risks.some((r) => r.address.startsWith('aws_rds_cluster.') && r.reason === 'removed')).toBe(true);
    expect(risks.some((r) => r.address.startsWith('aws_kms_key.') && r.reason === 'removed')).toBe(true);
  });

  test('GIVEN a new site CIDR THEN the VPC and subnets are reported with the attribute that changes', () => {
    const after = synthKeycloak({ ...base, ...site({ cidr: '10.9.0.0/16' }) }).json;
    expect(replacementRisks(before, after)).toEqual(expect.arrayContaining([
      expect.objectContaining({ address: expect.stringMatching(/^aws_vpc\./), reason: 'cidr_block changes from "10.0.0.0/16" to "10.9.0.0/16"' }),
    ]));
  });

  test('GIVEN a new database name THEN the cluster is reported', () => {
    const after = synthKeycloak({ ...base, database: { databaseName: 'iam' } }).json;
    expect(replacementRisks(before, after)).toEqual([
      expect.objectContaining({ address: expect.stringMatching(/^aws_rds_cluster\./), reason: 'database_name changes from "keycloak" to "iam"' }),
    ]);
  });
});
