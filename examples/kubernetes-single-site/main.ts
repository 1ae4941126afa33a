import { join } from 'node:path';
import { App } from 'cdktf';
import { KubernetesSingleSiteStack } from './stack';

const app = new App();
const stack = new KubernetesSingleSiteStack(app, 'keycloak-kubernetes-single-site');
app.synth();
// The review bundle (topology, runbook, the objects as YAML) beside the stack.
stack.keycloak.writeReviewBundle(join(app.outdir, 'review', stack.node.id)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
