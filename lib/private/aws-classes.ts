/**
 * The AWS provider classes the constructs create, each loaded from its deep path
 * (`@cdktf/provider-aws/lib/<resource>`) the first time it is used: loading all of them costs about
 * as much as loading cdktf itself, and most programs use a part (a Kubernetes deployment none, one
 * site no peering, Aurora Global Database or Global Accelerator). Import these classes from here in
 * lib/; types that are not classes (`...Config`, structs) come from the deep path with `import type`.
 */
import { defineLazyExports } from './lazy-exports';
import type * as acmCertificate from '@cdktf/provider-aws/lib/acm-certificate';
import type * as acmCertificateValidation from '@cdktf/provider-aws/lib/acm-certificate-validation';
import type * as cloudwatchDashboard from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import type * as cloudwatchLogGroup from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type * as cloudwatchMetricAlarm from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type * as dataAwsAvailabilityZones from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import type * as dataAwsCallerIdentity from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import type * as dataAwsIamPolicyDocument from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type * as dataAwsLbHostedZoneId from '@cdktf/provider-aws/lib/data-aws-lb-hosted-zone-id';
import type * as dataAwsPartition from '@cdktf/provider-aws/lib/data-aws-partition';
import type * as dataAwsRdsGlobalCluster from '@cdktf/provider-aws/lib/data-aws-rds-global-cluster';
import type * as dataAwsRegion from '@cdktf/provider-aws/lib/data-aws-region';
import type * as dataAwsSecretsmanagerRandomPassword from '@cdktf/provider-aws/lib/data-aws-secretsmanager-random-password';
import type * as dataAwsSecretsmanagerSecret from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret';
import type * as dbSubnetGroup from '@cdktf/provider-aws/lib/db-subnet-group';
import type * as defaultSecurityGroup from '@cdktf/provider-aws/lib/default-security-group';
import type * as ecsCluster from '@cdktf/provider-aws/lib/ecs-cluster';
import type * as ecsService from '@cdktf/provider-aws/lib/ecs-service';
import type * as ecsTaskDefinition from '@cdktf/provider-aws/lib/ecs-task-definition';
import type * as eip from '@cdktf/provider-aws/lib/eip';
import type * as flowLog from '@cdktf/provider-aws/lib/flow-log';
import type * as globalacceleratorAccelerator from '@cdktf/provider-aws/lib/globalaccelerator-accelerator';
import type * as globalacceleratorEndpointGroup from '@cdktf/provider-aws/lib/globalaccelerator-endpoint-group';
import type * as globalacceleratorListener from '@cdktf/provider-aws/lib/globalaccelerator-listener';
import type * as iamRole from '@cdktf/provider-aws/lib/iam-role';
import type * as iamRolePolicy from '@cdktf/provider-aws/lib/iam-role-policy';
import type * as iamRolePolicyAttachment from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type * as internetGateway from '@cdktf/provider-aws/lib/internet-gateway';
import type * as kmsAlias from '@cdktf/provider-aws/lib/kms-alias';
import type * as kmsKey from '@cdktf/provider-aws/lib/kms-key';
import type * as lb from '@cdktf/provider-aws/lib/lb';
import type * as lbListener from '@cdktf/provider-aws/lib/lb-listener';
import type * as lbListenerRule from '@cdktf/provider-aws/lib/lb-listener-rule';
import type * as lbTargetGroup from '@cdktf/provider-aws/lib/lb-target-group';
import type * as natGateway from '@cdktf/provider-aws/lib/nat-gateway';
import type * as provider from '@cdktf/provider-aws/lib/provider';
import type * as rdsCluster from '@cdktf/provider-aws/lib/rds-cluster';
import type * as rdsClusterInstance from '@cdktf/provider-aws/lib/rds-cluster-instance';
import type * as rdsClusterParameterGroup from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import type * as rdsGlobalCluster from '@cdktf/provider-aws/lib/rds-global-cluster';
import type * as route from '@cdktf/provider-aws/lib/route';
import type * as routeTable from '@cdktf/provider-aws/lib/route-table';
import type * as routeTableAssociation from '@cdktf/provider-aws/lib/route-table-association';
import type * as route53HealthCheck from '@cdktf/provider-aws/lib/route53-health-check';
import type * as route53Record from '@cdktf/provider-aws/lib/route53-record';
import type * as route53ZoneAssociation from '@cdktf/provider-aws/lib/route53-zone-association';
import type * as schedulerSchedule from '@cdktf/provider-aws/lib/scheduler-schedule';
import type * as secretsmanagerSecret from '@cdktf/provider-aws/lib/secretsmanager-secret';
import type * as secretsmanagerSecretRotation from '@cdktf/provider-aws/lib/secretsmanager-secret-rotation';
import type * as secretsmanagerSecretVersion from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import type * as securityGroup from '@cdktf/provider-aws/lib/security-group';
import type * as serviceDiscoveryPrivateDnsNamespace from '@cdktf/provider-aws/lib/service-discovery-private-dns-namespace';
import type * as serviceDiscoveryService from '@cdktf/provider-aws/lib/service-discovery-service';
import type * as snsTopic from '@cdktf/provider-aws/lib/sns-topic';
import type * as snsTopicPolicy from '@cdktf/provider-aws/lib/sns-topic-policy';
import type * as snsTopicSubscription from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type * as subnet from '@cdktf/provider-aws/lib/subnet';
import type * as vpc from '@cdktf/provider-aws/lib/vpc';
import type * as vpcEndpoint from '@cdktf/provider-aws/lib/vpc-endpoint';
import type * as vpcPeeringConnection from '@cdktf/provider-aws/lib/vpc-peering-connection';
import type * as vpcPeeringConnectionAccepter from '@cdktf/provider-aws/lib/vpc-peering-connection-accepter';
import type * as vpcSecurityGroupEgressRule from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import type * as vpcSecurityGroupIngressRule from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';

export declare const AcmCertificate: typeof acmCertificate.AcmCertificate;
export type AcmCertificate = acmCertificate.AcmCertificate;
export declare const AcmCertificateValidation: typeof acmCertificateValidation.AcmCertificateValidation;
export type AcmCertificateValidation = acmCertificateValidation.AcmCertificateValidation;
export declare const CloudwatchDashboard: typeof cloudwatchDashboard.CloudwatchDashboard;
export type CloudwatchDashboard = cloudwatchDashboard.CloudwatchDashboard;
export declare const CloudwatchLogGroup: typeof cloudwatchLogGroup.CloudwatchLogGroup;
export type CloudwatchLogGroup = cloudwatchLogGroup.CloudwatchLogGroup;
export declare const CloudwatchMetricAlarm: typeof cloudwatchMetricAlarm.CloudwatchMetricAlarm;
export type CloudwatchMetricAlarm = cloudwatchMetricAlarm.CloudwatchMetricAlarm;
export declare const DataAwsAvailabilityZones: typeof dataAwsAvailabilityZones.DataAwsAvailabilityZones;
export type DataAwsAvailabilityZones = dataAwsAvailabilityZones.DataAwsAvailabilityZones;
export declare const DataAwsCallerIdentity: typeof dataAwsCallerIdentity.DataAwsCallerIdentity;
export type DataAwsCallerIdentity = dataAwsCallerIdentity.DataAwsCallerIdentity;
export declare const DataAwsIamPolicyDocument: typeof dataAwsIamPolicyDocument.DataAwsIamPolicyDocument;
export type DataAwsIamPolicyDocument = dataAwsIamPolicyDocument.DataAwsIamPolicyDocument;
export declare const DataAwsLbHostedZoneId: typeof dataAwsLbHostedZoneId.DataAwsLbHostedZoneId;
export type DataAwsLbHostedZoneId = dataAwsLbHostedZoneId.DataAwsLbHostedZoneId;
export declare const DataAwsPartition: typeof dataAwsPartition.DataAwsPartition;
export type DataAwsPartition = dataAwsPartition.DataAwsPartition;
export declare const DataAwsRdsGlobalCluster: typeof dataAwsRdsGlobalCluster.DataAwsRdsGlobalCluster;
export type DataAwsRdsGlobalCluster = dataAwsRdsGlobalCluster.DataAwsRdsGlobalCluster;
export declare const DataAwsRegion: typeof dataAwsRegion.DataAwsRegion;
export type DataAwsRegion = dataAwsRegion.DataAwsRegion;
export declare const DataAwsSecretsmanagerRandomPassword: typeof dataAwsSecretsmanagerRandomPassword.DataAwsSecretsmanagerRandomPassword;
export type DataAwsSecretsmanagerRandomPassword = dataAwsSecretsmanagerRandomPassword.DataAwsSecretsmanagerRandomPassword;
export declare const DataAwsSecretsmanagerSecret: typeof dataAwsSecretsmanagerSecret.DataAwsSecretsmanagerSecret;
export type DataAwsSecretsmanagerSecret = dataAwsSecretsmanagerSecret.DataAwsSecretsmanagerSecret;
export declare const DbSubnetGroup: typeof dbSubnetGroup.DbSubnetGroup;
export type DbSubnetGroup = dbSubnetGroup.DbSubnetGroup;
export declare const DefaultSecurityGroup: typeof defaultSecurityGroup.DefaultSecurityGroup;
export type DefaultSecurityGroup = defaultSecurityGroup.DefaultSecurityGroup;
export declare const EcsCluster: typeof ecsCluster.EcsCluster;
export type EcsCluster = ecsCluster.EcsCluster;
export declare const EcsService: typeof ecsService.EcsService;
export type EcsService = ecsService.EcsService;
export declare const EcsTaskDefinition: typeof ecsTaskDefinition.EcsTaskDefinition;
export type EcsTaskDefinition = ecsTaskDefinition.EcsTaskDefinition;
export declare const Eip: typeof eip.Eip;
export type Eip = eip.Eip;
export declare const FlowLog: typeof flowLog.FlowLog;
export type FlowLog = flowLog.FlowLog;
export declare const GlobalacceleratorAccelerator: typeof globalacceleratorAccelerator.GlobalacceleratorAccelerator;
export type GlobalacceleratorAccelerator = globalacceleratorAccelerator.GlobalacceleratorAccelerator;
export declare const GlobalacceleratorEndpointGroup: typeof globalacceleratorEndpointGroup.GlobalacceleratorEndpointGroup;
export type GlobalacceleratorEndpointGroup = globalacceleratorEndpointGroup.GlobalacceleratorEndpointGroup;
export declare const GlobalacceleratorListener: typeof globalacceleratorListener.GlobalacceleratorListener;
export type GlobalacceleratorListener = globalacceleratorListener.GlobalacceleratorListener;
export declare const IamRole: typeof iamRole.IamRole;
export type IamRole = iamRole.IamRole;
export declare const IamRolePolicy: typeof iamRolePolicy.IamRolePolicy;
export type IamRolePolicy = iamRolePolicy.IamRolePolicy;
export declare const IamRolePolicyAttachment: typeof iamRolePolicyAttachment.IamRolePolicyAttachment;
export type IamRolePolicyAttachment = iamRolePolicyAttachment.IamRolePolicyAttachment;
export declare const InternetGateway: typeof internetGateway.InternetGateway;
export type InternetGateway = internetGateway.InternetGateway;
export declare const KmsAlias: typeof kmsAlias.KmsAlias;
export type KmsAlias = kmsAlias.KmsAlias;
export declare const KmsKey: typeof kmsKey.KmsKey;
export type KmsKey = kmsKey.KmsKey;
export declare const Lb: typeof lb.Lb;
export type Lb = lb.Lb;
export declare const LbListener: typeof lbListener.LbListener;
export type LbListener = lbListener.LbListener;
export declare const LbListenerRule: typeof lbListenerRule.LbListenerRule;
export type LbListenerRule = lbListenerRule.LbListenerRule;
export declare const LbTargetGroup: typeof lbTargetGroup.LbTargetGroup;
export type LbTargetGroup = lbTargetGroup.LbTargetGroup;
export declare const NatGateway: typeof natGateway.NatGateway;
export type NatGateway = natGateway.NatGateway;
export declare const AwsProvider: typeof provider.AwsProvider;
export type AwsProvider = provider.AwsProvider;
export declare const RdsCluster: typeof rdsCluster.RdsCluster;
export type RdsCluster = rdsCluster.RdsCluster;
export declare const RdsClusterInstance: typeof rdsClusterInstance.RdsClusterInstance;
export type RdsClusterInstance = rdsClusterInstance.RdsClusterInstance;
export declare const RdsClusterParameterGroup: typeof rdsClusterParameterGroup.RdsClusterParameterGroup;
export type RdsClusterParameterGroup = rdsClusterParameterGroup.RdsClusterParameterGroup;
export declare const RdsGlobalCluster: typeof rdsGlobalCluster.RdsGlobalCluster;
export type RdsGlobalCluster = rdsGlobalCluster.RdsGlobalCluster;
export declare const Route: typeof route.Route;
export type Route = route.Route;
export declare const RouteTable: typeof routeTable.RouteTable;
export type RouteTable = routeTable.RouteTable;
export declare const RouteTableAssociation: typeof routeTableAssociation.RouteTableAssociation;
export type RouteTableAssociation = routeTableAssociation.RouteTableAssociation;
export declare const Route53HealthCheck: typeof route53HealthCheck.Route53HealthCheck;
export type Route53HealthCheck = route53HealthCheck.Route53HealthCheck;
export declare const Route53Record: typeof route53Record.Route53Record;
export type Route53Record = route53Record.Route53Record;
export declare const Route53ZoneAssociation: typeof route53ZoneAssociation.Route53ZoneAssociation;
export type Route53ZoneAssociation = route53ZoneAssociation.Route53ZoneAssociation;
export declare const SchedulerSchedule: typeof schedulerSchedule.SchedulerSchedule;
export type SchedulerSchedule = schedulerSchedule.SchedulerSchedule;
export declare const SecretsmanagerSecret: typeof secretsmanagerSecret.SecretsmanagerSecret;
export type SecretsmanagerSecret = secretsmanagerSecret.SecretsmanagerSecret;
export declare const SecretsmanagerSecretRotation: typeof secretsmanagerSecretRotation.SecretsmanagerSecretRotation;
export type SecretsmanagerSecretRotation = secretsmanagerSecretRotation.SecretsmanagerSecretRotation;
export declare const SecretsmanagerSecretVersion: typeof secretsmanagerSecretVersion.SecretsmanagerSecretVersion;
export type SecretsmanagerSecretVersion = secretsmanagerSecretVersion.SecretsmanagerSecretVersion;
export declare const SecurityGroup: typeof securityGroup.SecurityGroup;
export type SecurityGroup = securityGroup.SecurityGroup;
export declare const ServiceDiscoveryPrivateDnsNamespace: typeof serviceDiscoveryPrivateDnsNamespace.ServiceDiscoveryPrivateDnsNamespace;
export type ServiceDiscoveryPrivateDnsNamespace = serviceDiscoveryPrivateDnsNamespace.ServiceDiscoveryPrivateDnsNamespace;
export declare const ServiceDiscoveryService: typeof serviceDiscoveryService.ServiceDiscoveryService;
export type ServiceDiscoveryService = serviceDiscoveryService.ServiceDiscoveryService;
export declare const SnsTopic: typeof snsTopic.SnsTopic;
export type SnsTopic = snsTopic.SnsTopic;
export declare const SnsTopicPolicy: typeof snsTopicPolicy.SnsTopicPolicy;
export type SnsTopicPolicy = snsTopicPolicy.SnsTopicPolicy;
export declare const SnsTopicSubscription: typeof snsTopicSubscription.SnsTopicSubscription;
export type SnsTopicSubscription = snsTopicSubscription.SnsTopicSubscription;
export declare const Subnet: typeof subnet.Subnet;
export type Subnet = subnet.Subnet;
export declare const Vpc: typeof vpc.Vpc;
export type Vpc = vpc.Vpc;
export declare const VpcEndpoint: typeof vpcEndpoint.VpcEndpoint;
export type VpcEndpoint = vpcEndpoint.VpcEndpoint;
export declare const VpcPeeringConnection: typeof vpcPeeringConnection.VpcPeeringConnection;
export type VpcPeeringConnection = vpcPeeringConnection.VpcPeeringConnection;
export declare const VpcPeeringConnectionAccepterA: typeof vpcPeeringConnectionAccepter.VpcPeeringConnectionAccepterA;
export type VpcPeeringConnectionAccepterA = vpcPeeringConnectionAccepter.VpcPeeringConnectionAccepterA;
export declare const VpcSecurityGroupEgressRule: typeof vpcSecurityGroupEgressRule.VpcSecurityGroupEgressRule;
export type VpcSecurityGroupEgressRule = vpcSecurityGroupEgressRule.VpcSecurityGroupEgressRule;
export declare const VpcSecurityGroupIngressRule: typeof vpcSecurityGroupIngressRule.VpcSecurityGroupIngressRule;
export type VpcSecurityGroupIngressRule = vpcSecurityGroupIngressRule.VpcSecurityGroupIngressRule;

/** Deep path → the classes it exports; every class declared above is listed here once. */
const CLASSES: Readonly<Record<string, readonly string[]>> = {
  '@cdktf/provider-aws/lib/acm-certificate': ['AcmCertificate'],
  '@cdktf/provider-aws/lib/acm-certificate-validation': ['AcmCertificateValidation'],
  '@cdktf/provider-aws/lib/cloudwatch-dashboard': ['CloudwatchDashboard'],
  '@cdktf/provider-aws/lib/cloudwatch-log-group': ['CloudwatchLogGroup'],
  '@cdktf/provider-aws/lib/cloudwatch-metric-alarm': ['CloudwatchMetricAlarm'],
  '@cdktf/provider-aws/lib/data-aws-availability-zones': ['DataAwsAvailabilityZones'],
  '@cdktf/provider-aws/lib/data-aws-caller-identity': ['DataAwsCallerIdentity'],
  '@cdktf/provider-aws/lib/data-aws-iam-policy-document': ['DataAwsIamPolicyDocument'],
  '@cdktf/provider-aws/lib/data-aws-lb-hosted-zone-id': ['DataAwsLbHostedZoneId'],
  '@cdktf/provider-aws/lib/data-aws-partition': ['DataAwsPartition'],
  '@cdktf/provider-aws/lib/data-aws-rds-global-cluster': ['DataAwsRdsGlobalCluster'],
  '@cdktf/provider-aws/lib/data-aws-region': ['DataAwsRegion'],
  '@cdktf/provider-aws/lib/data-aws-secretsmanager-random-password': ['DataAwsSecretsmanagerRandomPassword'],
  '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret': ['DataAwsSecretsmanagerSecret'],
  '@cdktf/provider-aws/lib/db-subnet-group': ['DbSubnetGroup'],
  '@cdktf/provider-aws/lib/default-security-group': ['DefaultSecurityGroup'],
  '@cdktf/provider-aws/lib/ecs-cluster': ['EcsCluster'],
  '@cdktf/provider-aws/lib/ecs-service': ['EcsService'],
  '@cdktf/provider-aws/lib/ecs-task-definition': ['EcsTaskDefinition'],
  '@cdktf/provider-aws/lib/eip': ['Eip'],
  '@cdktf/provider-aws/lib/flow-log': ['FlowLog'],
  '@cdktf/provider-aws/lib/globalaccelerator-accelerator': ['GlobalacceleratorAccelerator'],
  '@cdktf/provider-aws/lib/globalaccelerator-endpoint-group': ['GlobalacceleratorEndpointGroup'],
  '@cdktf/provider-aws/lib/globalaccelerator-listener': ['GlobalacceleratorListener'],
  '@cdktf/provider-aws/lib/iam-role': ['IamRole'],
  '@cdktf/provider-aws/lib/iam-role-policy': ['IamRolePolicy'],
  '@cdktf/provider-aws/lib/iam-role-policy-attachment': ['IamRolePolicyAttachment'],
  '@cdktf/provider-aws/lib/internet-gateway': ['InternetGateway'],
  '@cdktf/provider-aws/lib/kms-alias': ['KmsAlias'],
  '@cdktf/provider-aws/lib/kms-key': ['KmsKey'],
  '@cdktf/provider-aws/lib/lb': ['Lb'],
  '@cdktf/provider-aws/lib/lb-listener': ['LbListener'],
  '@cdktf/provider-aws/lib/lb-listener-rule': ['LbListenerRule'],
  '@cdktf/provider-aws/lib/lb-target-group': ['LbTargetGroup'],
  '@cdktf/provider-aws/lib/nat-gateway': ['NatGateway'],
  '@cdktf/provider-aws/lib/provider': ['AwsProvider'],
  '@cdktf/provider-aws/lib/rds-cluster': ['RdsCluster'],
  '@cdktf/provider-aws/lib/rds-cluster-instance': ['RdsClusterInstance'],
  '@cdktf/provider-aws/lib/rds-cluster-parameter-group': ['RdsClusterParameterGroup'],
  '@cdktf/provider-aws/lib/rds-global-cluster': ['RdsGlobalCluster'],
  '@cdktf/provider-aws/lib/route': ['Route'],
  '@cdktf/provider-aws/lib/route-table': ['RouteTable'],
  '@cdktf/provider-aws/lib/route-table-association': ['RouteTableAssociation'],
  '@cdktf/provider-aws/lib/route53-health-check': ['Route53HealthCheck'],
  '@cdktf/provider-aws/lib/route53-record': ['Route53Record'],
  '@cdktf/provider-aws/lib/route53-zone-association': ['Route53ZoneAssociation'],
  '@cdktf/provider-aws/lib/scheduler-schedule': ['SchedulerSchedule'],
  '@cdktf/provider-aws/lib/secretsmanager-secret': ['SecretsmanagerSecret'],
  '@cdktf/provider-aws/lib/secretsmanager-secret-rotation': ['SecretsmanagerSecretRotation'],
  '@cdktf/provider-aws/lib/secretsmanager-secret-version': ['SecretsmanagerSecretVersion'],
  '@cdktf/provider-aws/lib/security-group': ['SecurityGroup'],
  '@cdktf/provider-aws/lib/service-discovery-private-dns-namespace': ['ServiceDiscoveryPrivateDnsNamespace'],
  '@cdktf/provider-aws/lib/service-discovery-service': ['ServiceDiscoveryService'],
  '@cdktf/provider-aws/lib/sns-topic': ['SnsTopic'],
  '@cdktf/provider-aws/lib/sns-topic-policy': ['SnsTopicPolicy'],
  '@cdktf/provider-aws/lib/sns-topic-subscription': ['SnsTopicSubscription'],
  '@cdktf/provider-aws/lib/subnet': ['Subnet'],
  '@cdktf/provider-aws/lib/vpc': ['Vpc'],
  '@cdktf/provider-aws/lib/vpc-endpoint': ['VpcEndpoint'],
  '@cdktf/provider-aws/lib/vpc-peering-connection': ['VpcPeeringConnection'],
  '@cdktf/provider-aws/lib/vpc-peering-connection-accepter': ['VpcPeeringConnectionAccepterA'],
  '@cdktf/provider-aws/lib/vpc-security-group-egress-rule': ['VpcSecurityGroupEgressRule'],
  '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule': ['VpcSecurityGroupIngressRule'],
};

defineLazyExports(exports, CLASSES);
