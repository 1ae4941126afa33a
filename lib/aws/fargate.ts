import { Construct } from 'constructs';
import { CloudwatchLogGroup, DataAwsPartition, EcsCluster, EcsTaskDefinition, IamRole, IamRolePolicyAttachment } from '../private/aws-classes';
import type { EcsServiceConfig } from '@cdktf/provider-aws/lib/ecs-service';
import { jsonAttribute } from '../private/cdktf';
import { createServiceRole } from './service-role';
import { AwsSiteContext } from './site-context';

/**
 * What Keycloak's and Infinispan's ECS Fargate services share: their cluster, task definition,
 * execution role, logging and rolling-deployment settings. Construct IDs are given by the callers
 * (they are Terraform addresses).
 */

/**
 * The smallest `maximumPercent` that lets ECS run one task above `nodes` (ECS rounds the task
 * count down, so 133 % of 3 would allow none).
 */
export function oneExtraTaskPercent(nodes: number): number {
  return Math.ceil((100 * (nodes + 1)) / nodes);
}

/** An ECS cluster with Container Insights, whose task counts the alarms read. */
export function createEcsCluster(scope: Construct, context: AwsSiteContext, name: string): EcsCluster {
  return new EcsCluster(scope, 'Cluster', {
    provider: context.provider,
    name,
    setting: [{ name: 'containerInsights', value: 'enabled' }],
    tags: context.tags,
  });
}

/** A container variable from one key of a Secrets Manager secret's JSON document (`arn:key::`). */
export function secretVariable(name: string, secretArn: string, key: string): { name: string; valueFrom: string } {
  return { name, valueFrom: `${secretArn}:${key}::` };
}

/** `awslogs` in non-blocking mode: a slow log stream never stalls the process. */
export function awsLogsConfiguration(logGroup: CloudwatchLogGroup, region: string, streamPrefix: string): object {
  return {
    logDriver: 'awslogs',
    options: {
      'awslogs-group': logGroup.name,
      'awslogs-region': region,
      'awslogs-stream-prefix': streamPrefix,
      mode: 'non-blocking',
      'max-buffer-size': '25m',
    },
  };
}

/** Open-file limits of every container (Keycloak and Infinispan keep many sockets). */
export const CONTAINER_ULIMITS = [{ name: 'nofile', softLimit: 65536, hardLimit: 65536 }];

/**
 * One container of a task definition, as the task definition carries it (JSON keys of ECS's
 * `ContainerDefinition`); the fields the review bundle reads are typed, the rest passes through.
 */
export interface ContainerDefinition {
  readonly name: string;
  readonly image: string;
  readonly entryPoint?: readonly string[];
  readonly command?: readonly string[];
  /** Plain variables: values are literals or Terraform references, never secrets. */
  readonly environment: readonly { readonly name: string; readonly value: string }[];
  /** Variables ECS reads from Secrets Manager when a task starts (`valueFrom`: `<arn>:<json key>::`). */
  readonly secrets: readonly { readonly name: string; readonly valueFrom: string }[];
  readonly [field: string]: unknown;
}

export interface FargateTaskProps {
  readonly family: string;
  readonly vcpu: number;
  readonly memoryMiB: number;
  readonly executionRoleArn: string;
  /** The container that serves (essential). */
  readonly container: ContainerDefinition;
  /**
   * Containers that run to completion before `container` starts (non-essential; `container`
   * names them in its `dependsOn`). @default - none
   */
  readonly initContainers?: readonly ContainerDefinition[];
}

/** A Fargate task definition (awsvpc, x86_64 Linux): the serving container and its init containers. Construct ID `TaskDefinition`. */
export function createFargateTaskDefinition(scope: Construct, context: AwsSiteContext, props: FargateTaskProps): EcsTaskDefinition {
  return new EcsTaskDefinition(scope, 'TaskDefinition', {
    provider: context.provider,
    family: props.family,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: String(props.vcpu * 1024),
    memory: String(props.memoryMiB),
    executionRoleArn: props.executionRoleArn,
    runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
    containerDefinitions: jsonAttribute(scope, [props.container, ...(props.initContainers ?? [])]),
    tags: context.tags,
  });
}

/**
 * The settings of a service whose tasks hold state the others must take over: replace one task at
 * a time, starting the new one first (stopping several at once could take both owners of a cache
 * entry away), roll back a failing deployment, move tasks back into a zone that recovered, keep
 * tasks in private subnets.
 */
export function rollingFargateService(nodes: number, subnets: string[], securityGroupId: string): Pick<EcsServiceConfig,
  'desiredCount' | 'launchType' | 'platformVersion' | 'deploymentMinimumHealthyPercent' | 'deploymentMaximumPercent' |
  'deploymentCircuitBreaker' | 'availabilityZoneRebalancing' | 'networkConfiguration' | 'propagateTags' | 'enableEcsManagedTags'> {
  return {
    desiredCount: nodes,
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    deploymentMinimumHealthyPercent: 100,
    deploymentMaximumPercent: oneExtraTaskPercent(nodes),
    deploymentCircuitBreaker: { enable: true, rollback: true },
    availabilityZoneRebalancing: 'ENABLED',
    networkConfiguration: { subnets, securityGroups: [securityGroupId], assignPublicIp: false },
    propagateTags: 'SERVICE',
    enableEcsManagedTags: true,
  };
}

export interface ExecutionRoleProps {
  /** IAM role name. */
  readonly roleName: string;
  /** `Keycloak` or `Infinispan`: names the policy statements. */
  readonly label: string;
  /** Secrets the tasks receive through ECS `secrets`. */
  readonly secretArns: readonly string[];
  /** Keys those secrets are encrypted with. */
  readonly kmsKeyArns: readonly string[];
}

/**
 * The task execution role: read exactly the given secrets and decrypt them, plus AWS's managed
 * policy for image pulls and logs. Construct IDs `Partition`, `Execution`, `ExecutionManagedPolicy`.
 */
export function createExecutionRole(scope: Construct, context: AwsSiteContext, props: ExecutionRoleProps): IamRole {
  const { provider } = context;
  const partition = new DataAwsPartition(scope, 'Partition', { provider });
  const role = createServiceRole(scope, 'Execution', context, {
    service: 'ecs-tasks.amazonaws.com',
    roleName: props.roleName,
    statements: [
      { sid: `Read${props.label}Secrets`, actions: ['secretsmanager:GetSecretValue'], resources: [...props.secretArns] },
      { sid: `Decrypt${props.label}Secrets`, actions: ['kms:Decrypt'], resources: [...props.kmsKeyArns] },
    ],
  });
  new IamRolePolicyAttachment(scope, 'ExecutionManagedPolicy', {
    provider,
    role: role.name,
    policyArn: `arn:${partition.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy`,
  });
  return role;
}
