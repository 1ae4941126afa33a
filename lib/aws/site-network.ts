import { Construct } from 'constructs';
import { CloudwatchLogGroup, DataAwsAvailabilityZones, DefaultSecurityGroup, Eip, FlowLog, InternetGateway, NatGateway, Route, RouteTable, RouteTableAssociation, Subnet, Vpc, VpcEndpoint } from '../private/aws-classes';
import { planSiteNetwork, SiteNetworkPlan } from '../model/network-plan';
import { createServiceRole } from './service-role';
import { AwsSiteContext } from './site-context';

export interface SiteNetworkProps {
  /** Encrypts the flow log group when flow logs are on. */
  readonly kmsKeyArn: string;
}

/**
 * A site's VPC: per zone a public subnet (load balancer, NAT gateway), a private subnet (Keycloak
 * tasks, outbound through the zone's own NAT gateway) and a database subnet with no route out.
 * The default security group is emptied so nothing lands in it by accident.
 */
export class SiteNetwork extends Construct {
  readonly vpc: Vpc;
  readonly plan: SiteNetworkPlan;
  readonly publicSubnetIds: string[];
  readonly privateSubnetIds: string[];
  /** With several sites: the Infinispan tasks' subnets (`cache` of the plan), on the private route tables. */
  readonly cacheSubnetIds: string[];
  readonly databaseSubnetIds: string[];
  /** Route tables of the private subnets, one per zone (for routes to peered sites). */
  readonly privateRouteTableIds: string[];
  /** The route table of the database subnets (no route out; peered sites may be added). */
  readonly databaseRouteTableId: string;
  /** Name of the zone at a position of the plan (a Terraform expression when zones are counted). */
  readonly zoneName: (index: number) => string;

  constructor(scope: Construct, id: string, context: AwsSiteContext, props: SiteNetworkProps) {
    super(scope, id);
    const { site, provider, tags, name } = context;
    this.plan = planSiteNetwork(site);
    const named = (suffix: string) => ({ ...tags, Name: `${name}-${suffix}` });

    this.vpc = new Vpc(this, 'Resource', {
      provider,
      cidrBlock: this.plan.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: named('vpc'),
    });
    new DefaultSecurityGroup(this, 'DefaultSecurityGroup', { provider, vpcId: this.vpc.id, tags: named('default-unused') });

    const zoneName = this.zoneNames(context);
    this.zoneName = zoneName;
    const internetGateway = new InternetGateway(this, 'InternetGateway', { provider, vpcId: this.vpc.id, tags: named('igw') });
    const publicRoutes = new RouteTable(this, 'PublicRoutes', { provider, vpcId: this.vpc.id, tags: named('public') });
    new Route(this, 'PublicDefaultRoute', {
      provider,
      routeTableId: publicRoutes.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: internetGateway.id,
    });
    const databaseRoutes = new RouteTable(this, 'DatabaseRoutes', { provider, vpcId: this.vpc.id, tags: named('database') });
    this.databaseRouteTableId = databaseRoutes.id;

    const natCount = site.natGateways === 'per-zone' ? this.plan.zones.length : 1;
    const natGateways: NatGateway[] = [];
    const privateRouteTables: RouteTable[] = [];
    this.publicSubnetIds = [];
    this.privateSubnetIds = [];
    this.cacheSubnetIds = [];
    this.databaseSubnetIds = [];
    const cacheSubnets = context.topology.mode !== 'single-site';

    for (const zone of this.plan.zones) {
      const z = `Zone${zone.index + 1}`;
      const availabilityZone = zoneName(zone.index);
      // The zone's subnet of one kind; its construct ID (`Zone<n><Kind>`) is its Terraform address.
      const zoneSubnet = (kind: 'Public' | 'Private' | 'Cache' | 'Database', cidrBlock: string, extra: { mapPublicIpOnLaunch?: boolean } = {}) =>
        new Subnet(this, `${z}${kind}`, {
          provider, vpcId: this.vpc.id, cidrBlock, availabilityZone, ...extra, tags: named(`${kind.toLowerCase()}-${zone.index + 1}`),
        });
      const publicSubnet = zoneSubnet('Public', zone.public, { mapPublicIpOnLaunch: false });
      new RouteTableAssociation(this, `${z}PublicRoutes`, { provider, subnetId: publicSubnet.id, routeTableId: publicRoutes.id });
      this.publicSubnetIds.push(publicSubnet.id);

      if (zone.index < natCount) {
        const ip = new Eip(this, `${z}NatAddress`, { provider, domain: 'vpc', tags: named(`nat-${zone.index + 1}`) });
        natGateways.push(new NatGateway(this, `${z}Nat`, {
          provider,
          allocationId: ip.allocationId,
          subnetId: publicSubnet.id,
          tags: named(`nat-${zone.index + 1}`),
          dependsOn: [internetGateway],
        }));
      }
      const privateSubnet = zoneSubnet('Private', zone.private);
      const privateRoutes = new RouteTable(this, `${z}PrivateRoutes`, {
        provider,
        vpcId: this.vpc.id,
        tags: named(`private-${zone.index + 1}`),
      });
      new Route(this, `${z}PrivateDefaultRoute`, {
        provider,
        routeTableId: privateRoutes.id,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: natGateways[Math.min(zone.index, natGateways.length - 1)].id,
      });
      new RouteTableAssociation(this, `${z}PrivateRoutesAssociation`, {
        provider,
        subnetId: privateSubnet.id,
        routeTableId: privateRoutes.id,
      });
      privateRouteTables.push(privateRoutes);
      this.privateSubnetIds.push(privateSubnet.id);
      if (cacheSubnets) {
        const cacheSubnet = zoneSubnet('Cache', zone.cache);
        new RouteTableAssociation(this, `${z}CacheRoutesAssociation`, { provider, subnetId: cacheSubnet.id, routeTableId: privateRoutes.id });
        this.cacheSubnetIds.push(cacheSubnet.id);
      }

      const databaseSubnet = zoneSubnet('Database', zone.database);
      new RouteTableAssociation(this, `${z}DatabaseRoutes`, { provider, subnetId: databaseSubnet.id, routeTableId: databaseRoutes.id });
      this.databaseSubnetIds.push(databaseSubnet.id);
    }

    this.privateRouteTableIds = privateRouteTables.map((table) => table.id);

    // Image layers come from S3: a gateway endpoint is free and keeps that traffic off the NAT gateways.
    new VpcEndpoint(this, 'S3Endpoint', {
      provider,
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${site.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: privateRouteTables.map((table) => table.id),
      tags: named('s3'),
    });

    if (site.flowLogs) this.addFlowLogs(context, props.kmsKeyArn);
  }

  /** Explicit names when the site lists them, else the region's available zones in order. */
  private zoneNames(context: AwsSiteContext): (index: number) => string {
    const names = context.site.zoneNames;
    if (names) return (index) => names[index];
    const count = context.site.zoneCount;
    const available = new DataAwsAvailabilityZones(this, 'AvailableZones', {
      provider: context.provider,
      state: 'available',
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
      // element() would wrap around and put two subnets in one zone; fail the plan instead.
      lifecycle: {
        postcondition: [{
          condition: `\${length(self.names) >= ${count}}`,
          errorMessage: `site ${context.site.name} asks for ${count} availability zones, but ${context.site.region} offers fewer; lower sites.${context.site.name}.zones`,
        }],
      },
    });
    // `names.<index>` read directly: the same expression lookupNested writes, without a function token to resolve.
    return (index) => available.getStringAttribute(`names.${index}`);
  }

  private addFlowLogs(context: AwsSiteContext, kmsKeyArn: string): void {
    const { provider, tags, name } = context;
    const logGroup = new CloudwatchLogGroup(this, 'FlowLogGroup', {
      provider,
      name: `/keycloak/${name}/vpc-flow-logs`,
      retentionInDays: context.topology.traffic.logRetentionDays,
      kmsKeyId: kmsKeyArn,
      tags,
    });
    const role = createServiceRole(this, 'FlowLog', context, {
      service: 'vpc-flow-logs.amazonaws.com',
      roleName: `${name}-flow-logs`,
      statements: [{
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [`${logGroup.arn}:*`],
      }],
    });
    new FlowLog(this, 'FlowLog', {
      provider,
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags,
    });
  }
}
