import { App } from 'cdktf';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MultiAzStack } from '../../examples/aws-multi-az/stack';
import { multiRegionStacks } from '../../examples/aws-multi-region/stack';
import { multiSiteStacks } from '../../examples/aws-multi-site/stack';
import { kubernetesTwoSitesStacks } from '../../examples/kubernetes-two-sites/stack';
import { withScratchFolder } from '../conformance';

export type Block = Record<string, unknown>;
export interface SynthesizedStack {
  readonly resource?: Record<string, Record<string, Block>>;
  readonly output?: Record<string, { value: unknown }>;
}

/** Every example, built as its main.ts builds it. */
export const EXAMPLES: Readonly<Record<string, (app: App) => void>> = {
  'aws-multi-az': (app) => new MultiAzStack(app, 'keycloak-multi-az'),
  'aws-multi-site': (app) => multiSiteStacks(app),
  'aws-multi-region': (app) => multiRegionStacks(app),
  'kubernetes-two-sites': (app) => kubernetesTwoSitesStacks(app),
};

/** Every stack of an example, synthesized as `cdktf synth` writes them, keyed by stack name. */
export function synthExample(example: string): Record<string, SynthesizedStack> {
  return withScratchFolder('example-', (outdir) => {
    const app = new App({ outdir });
    EXAMPLES[example](app);
    app.synth();
    return Object.fromEntries(readdirSync(join(outdir, 'stacks')).map((id) =>
      [id, JSON.parse(readFileSync(join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8')) as SynthesizedStack]));
  });
}

/** Resources of one type across the stacks, as [name, body]. */
export const resourcesOf = (stacks: Record<string, SynthesizedStack>, type: string): [string, Block][] =>
  Object.values(stacks).flatMap((stack) => Object.entries(stack.resource?.[type] ?? {}));

/**
 * Every Infinispan configuration the stacks deploy, wherever it sits: a ConfigMap's data, or the
 * environment of an ECS container (container definitions are a JSON document inside a string).
 */
export function infinispanXmlOf(stack: SynthesizedStack): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
    else if (typeof value === 'string') {
      if (value.startsWith('<?xml') && value.includes('<infinispan')) found.push(value);
      else if (/^[[{]/.test(value)) {
        try {
          walk(JSON.parse(value));
        } catch {
          // Not JSON: a plain string.
        }
      }
    }
  };
  walk(stack.resource);
  return found;
}
