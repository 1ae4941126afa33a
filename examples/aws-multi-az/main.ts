import { join } from 'node:path';
import { App } from 'cdktf';
import { MultiAzStack } from './stack';

const app = new App();
const stack = new MultiAzStack(app, 'keycloak-multi-az');
app.synth();
// The review bundle goes beside the synthesized stacks: cdktf.out/review/<stack>/.
stack.keycloak.writeReviewBundle(join(app.outdir, 'review', stack.node.id)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
