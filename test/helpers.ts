// Brings cdktf's jest matcher types (toHaveResourceWithProperties, ...) into the test program.
import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { Certificate } from '../lib/aws/references';
import { KeycloakOnAws, KeycloakOnAwsProps } from '../lib/patterns/keycloak-on-aws';

// cdktf's matchers for the test files that use them (they import this file); test files that do not
// synthesize then do not load cdktf at all.
Testing.setupJest();

/** A synthesized stack, parsed. */
export interface Synthesized {
  readonly text: string;
  readonly json: {
    resource: Record<string, Record<string, Record<string, unknown>>>;
    data?: Record<string, Record<string, Record<string, unknown>>>;
    output?: Record<string, { value: unknown }>;
  };
}

/** Synthesizes whatever `build` adds to a stack that has a default AWS provider. */
export function synth(build: (scope: Construct) => void): Synthesized {
  const text = Testing.synthScope((scope) => {
    new AwsProvider(scope, 'aws', { region: 'eu-west-1' });
    build(scope);
  });
  return { text, json: JSON.parse(text) };
}

/** Props of a valid single-site deployment; tests override what they exercise. */
export function awsProps(overrides: Partial<KeycloakOnAwsProps> = {}): KeycloakOnAwsProps {
  return {
    hostname: 'auth.example.com',
    certificate: Certificate.fromArn('arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab'),
    sites: { 'eu-west': { region: 'eu-west-1' } },
    ...overrides,
  };
}

/** Synthesizes one KeycloakOnAws with `awsProps(overrides)`. */
export function synthKeycloak(overrides: Partial<KeycloakOnAwsProps> = {}): Synthesized {
  return synth((scope) => new KeycloakOnAws(scope, 'Keycloak', awsProps(overrides)));
}

/** Bodies of every resource of a type, in address order. */
export function resourcesOf(synthesized: Synthesized, type: string): Record<string, unknown>[] {
  const byName = synthesized.json.resource[type] ?? {};
  return Object.keys(byName).sort().map((name) => byName[name]);
}

/** The one resource of a type; fails when there are none or several. */
export function onlyResource(synthesized: Synthesized, type: string): Record<string, unknown> {
  const all = resourcesOf(synthesized, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** The Keycloak container definition of the (only) task definition. */
export function keycloakContainer(synthesized: Synthesized): {
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  portMappings: { containerPort: number }[];
  image: string;
  command: string[];
} {
  const taskDefinition = onlyResource(synthesized, 'aws_ecs_task_definition');
  return JSON.parse(taskDefinition.container_definitions as string)[0];
}

/** The container environment as a map. */
export function keycloakEnvironment(synthesized: Synthesized): Record<string, string> {
  return Object.fromEntries(keycloakContainer(synthesized).environment.map(({ name, value }) => [name, value]));
}
