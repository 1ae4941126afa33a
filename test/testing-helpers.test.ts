import { summarizeStack } from '../lib/testing/summary';
import { synthKeycloak } from './helpers';

describe('summarizeStack (for users\' snapshot tests)', () => {
  const summary = summarizeStack(synthKeycloak().text);

  test('lists every resource with the properties a reviewer checks, without construct hashes in references', () => {
    expect(summary).toMatch(/^ {2}aws_ecs_service\.Keycloak_eu-west_Keycloak_Service_[0-9A-F]{8} {2}desired_count=3 deployment_minimum_healthy_percent=100 deployment_maximum_percent=134$/m);
    expect(summary).toContain('availability_zone="data.aws_availability_zones.Keycloak_eu-west_Network_AvailableZones.names.0"');
    expect(summary).toContain('  KC_DB_PASSWORD <- aws_rds_cluster.Keycloak_eu-west_Database_Cluster.master_user_secret[0].secret_arn:password::');
    expect(summary).toMatch(/ingress aws_security_group\.Keycloak_eu-west_Keycloak_SecurityGroup\.id tcp\/7800 from aws_security_group\.Keycloak_eu-west_Keycloak_SecurityGroup\.id/);
  });

  test('is stable and moves with the topology', () => {
    expect(summarizeStack(synthKeycloak().text)).toBe(summary);
    expect(summarizeStack(synthKeycloak({ sites: { 'eu-west': { region: 'eu-west-1', nodes: 6 } } }).text)).toContain('desired_count=6');
  });
});
