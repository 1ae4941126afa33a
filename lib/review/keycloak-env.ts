import type { ContainerDefinition } from '../aws/fargate';

/**
 * A container of an ECS task definition (the task definition's own shape) as synthesized: every
 * string as it stands in cdk.tf.json, a Terraform reference written `${address.attribute}`, a
 * literal `${` escaped as `$${`.
 */
export type SynthesizedContainer = Pick<ContainerDefinition, 'name' | 'image' | 'entryPoint' | 'command' | 'environment' | 'secrets'>;

/**
 * A synthesized string as a reviewer reads it: a Terraform reference `${x}` becomes the named
 * placeholder `<x>` (the resource and attribute the value comes from at apply time); Terraform's
 * escapes `$${` and `%%{` read as the literal `${` and `%{` they stand for.
 */
export function showReferences(text: string): string {
  return text.replace(/\$\$\{|%%\{|\$\{([^}]+)\}/g, (match, reference: string | undefined) =>
    (match === '$${' ? '${' : match === '%%{' ? '%{' : `<${reference}>`));
}

/**
 * The environment of a task's container as an env file: every plain variable with its synthesized
 * value, then every secret variable with where ECS reads it (`<secret <arn>:<key>::>`), never a
 * value. References are named placeholders (`showReferences`). Nothing is derived here: the file
 * is a view of the container the task definition carries.
 */
export function renderContainerEnvironment(container: SynthesizedContainer, title: string): string {
  const secretSource = (valueFrom: string) => showReferences(valueFrom).replace(/<([^<>]+)>/g, '$1');
  const run = [...(container.entryPoint ?? []), ...(container.command ?? [])].map(showReferences);
  const lines = [
    `# ${title}`,
    `# Container ${container.name}, image ${showReferences(container.image)}, runs: ${run.join(' ').replace(/\n/g, ' ')}`,
    '# <address.attribute> is a Terraform reference, known at apply time.',
    ...container.environment.map(({ name, value }) => `${name}=${showReferences(value)}`),
    '# Secrets: ECS reads them from Secrets Manager when a task starts (secret ARN and JSON key shown, never the value).',
    ...container.secrets.map(({ name, valueFrom }) => `${name}=<secret ${secretSource(valueFrom)}>`),
  ];
  return `${lines.join('\n')}\n`;
}
