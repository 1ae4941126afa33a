/**
 * `npm run rehearse -- <example>`: builds the example's stacks, rehearses its deployment with the
 * real server software (see lib/rehearsal) and writes REHEARSAL.md beside its review bundle in
 * cdktf.out/<example>/review/<stack>/. Prints one line per drill and a closing
 * "rehearsal: N passed, N failed"; exits 1 when a drill failed, 2 on bad input or a missing prerequisite.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import { KeycloakOnAws } from '../lib';
import { rehearse, RehearsalError } from '../lib/rehearsal';
import { MultiAzStack } from '../examples/aws-multi-az/stack';
import { multiSiteStacks } from '../examples/aws-multi-site/stack';
import { multiRegionStacks } from '../examples/aws-multi-region/stack';

const root = resolve(__dirname, '..', '..');

/** Each AWS example's deployment, under the stack id its main.ts uses (the review bundle's folder). */
const EXAMPLES: Record<string, (app: App) => { stackId: string; keycloak: KeycloakOnAws }> = {
  'aws-multi-az': (app) => {
    const stack = new MultiAzStack(app, 'keycloak-multi-az');
    return { stackId: stack.node.id, keycloak: stack.keycloak };
  },
  'aws-multi-site': (app) => {
    const { global, keycloak } = multiSiteStacks(app);
    return { stackId: global.node.id, keycloak };
  },
  'aws-multi-region': (app) => {
    const { global, keycloak } = multiRegionStacks(app);
    return { stackId: global.node.id, keycloak };
  },
};

async function main(): Promise<number> {
  const example = process.argv[2];
  const known = readdirSync(join(root, 'examples')).filter((name) => existsSync(join(root, 'examples', name, 'main.ts'))).sort();
  if (!example || !known.includes(example)) {
    console.error(`rehearse: ${example ? `no example '${example}'` : 'name an example'}; the examples are: ${known.join(', ')}. Usage: npm run rehearse -- aws-multi-az`);
    return 2;
  }
  const build = EXAMPLES[example];
  if (!build) {
    console.error(`rehearse: '${example}' runs on Kubernetes; the rehearsal runs AWS topologies (${Object.keys(EXAMPLES).join(', ')}) for now`);
    return 2;
  }
  const app = new App({ outdir: join(root, 'cdktf.out', example) });
  const { stackId, keycloak } = build(app);
  try {
    const outcome = await rehearse(keycloak, {
      workDir: join(root, '.cache', 'rehearsal', example),
      reportDir: join(root, 'cdktf.out', example, 'review', stackId),
    });
    for (const drill of outcome.drills) console.log(`${drill.passed ? 'PASS' : 'FAIL'} ${drill.title}: ${drill.measured}`);
    console.log(`report: ${outcome.reportFile}`);
    console.log(`rehearsal: ${outcome.passed} passed, ${outcome.failed} failed`);
    return outcome.failed === 0 ? 0 : 1;
  } catch (error) {
    if (error instanceof RehearsalError) {
      console.error(`rehearse ${example}: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
