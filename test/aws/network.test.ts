import { KeycloakOnAws } from '../../lib';
import { awsProps, resourcesOf, synth, synthKeycloak } from '../helpers';

describe('SiteNetwork', () => {
  test('GIVEN three zones THEN each zone has a public, a private and a database subnet', () => {
    const out = synthKeycloak({ sites: { main: { region: 'eu-west-1', cidr: '10.20.0.0/16' } } });
    const subnets = resourcesOf(out, 'aws_subnet');
    expect(subnets.map((s) => s.cidr_block).sort()).toEqual([
      '10.20.0.0/19', '10.20.192.0/23', '10.20.194.0/23', '10.20.196.0/23',
      '10.20.224.0/23', '10.20.226.0/23', '10.20.228.0/23', '10.20.32.0/19', '10.20.64.0/19',
    ]);
    // Counted zones come from the region's available zones, by position.
    const zones = new Set(subnets.map((s) => s.availability_zone));
    expect(zones.size).toBe(3);
    // By index, which fails when the region has fewer zones (element() would wrap around)...
    expect([...zones].sort()).toEqual([0, 1, 2].map((i) => expect.stringMatching(new RegExp(`^\\$\\{data\\.aws_availability_zones\\.[^.]+\\.names\\.${i}\\}$`))));
    // ...and the plan stops with a message naming the prop when it has fewer.
    const [available] = Object.values(out.json.data?.aws_availability_zones ?? {});
    expect(available.lifecycle).toEqual({
      postcondition: [{
        condition: '${length(self.names) >= 3}',
        error_message: 'site main asks for 3 availability zones, but eu-west-1 offers fewer; lower sites.main.zones',
      }],
    });
    expect(resourcesOf(out, 'aws_vpc')[0]).toMatchObject({ cidr_block: '10.20.0.0/16', enable_dns_hostnames: true });
  });

  test('GIVEN named zones THEN subnets use those names', () => {
    const out = synthKeycloak({ sites: { main: { region: 'eu-west-1', zones: ['eu-west-1a', 'eu-west-1c'], nodes: 2 } } });
    expect(new Set(resourcesOf(out, 'aws_subnet').map((s) => s.availability_zone))).toEqual(new Set(['eu-west-1a', 'eu-west-1c']));
    expect(out.json.data?.aws_availability_zones).toBeUndefined();
  });

  test('by default every zone leaves through its own NAT gateway', () => {
    const out = synthKeycloak();
    expect(resourcesOf(out, 'aws_nat_gateway')).toHaveLength(3);
    const privateDefaults = resourcesOf(out, 'aws_route').filter((r) => r.nat_gateway_id);
    expect(new Set(privateDefaults.map((r) => r.nat_gateway_id)).size).toBe(3);
  });

  test("natGateways 'single' shares one gateway, and says so", () => {
    let warnings: readonly { code: string }[] = [];
    const out = synth((scope) => {
      warnings = new KeycloakOnAws(scope, 'Keycloak', awsProps({ sites: { main: { region: 'eu-west-1', natGateways: 'single' } } })).warnings;
    });
    expect(resourcesOf(out, 'aws_nat_gateway')).toHaveLength(1);
    expect(warnings.map((w) => w.code)).toContain('nat-single-zone');
  });

  test('database subnets have no route out; public ones reach the internet gateway', () => {
    const out = synthKeycloak();
    const routes = resourcesOf(out, 'aws_route');
    expect(routes.filter((r) => r.gateway_id)).toHaveLength(1);
    const databaseTables = Object.entries(out.json.resource.aws_route_table).filter(([name]) => name.includes('DatabaseRoutes'));
    expect(databaseTables).toHaveLength(1);
    const tableRef = `aws_route_table.${databaseTables[0][0]}.id`;
    expect(routes.some((r) => String(r.route_table_id).includes(tableRef))).toBe(false);
  });

  test('the default security group is emptied and public subnets give no public IPs', () => {
    const out = synthKeycloak();
    const defaultGroup = resourcesOf(out, 'aws_default_security_group')[0];
    expect(defaultGroup.ingress).toBeUndefined();
    expect(defaultGroup.egress).toBeUndefined();
    expect(resourcesOf(out, 'aws_subnet').every((s) => s.map_public_ip_on_launch !== true)).toBe(true);
  });

  test('flow logs are off by default and, when on, go to an encrypted log group with retention', () => {
    expect(resourcesOf(synthKeycloak(), 'aws_flow_log')).toHaveLength(0);
    const out = synthKeycloak({ sites: { main: { region: 'eu-west-1', flowLogs: true } } });
    expect(resourcesOf(out, 'aws_flow_log')[0]).toMatchObject({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
    const flowGroup = resourcesOf(out, 'aws_cloudwatch_log_group').find((g) => String(g.name).endsWith('vpc-flow-logs'));
    expect(flowGroup).toMatchObject({ retention_in_days: 90 });
    expect(String(flowGroup?.kms_key_id)).toContain('aws_kms_key.');
  });
});
