import { join } from 'node:path';
import { App } from 'cdktf';
import { KubernetesTwoSitesStack } from './stack';

const app = new App();
const stack = new KubernetesTwoSitesStack(app, 'keycloak-kubernetes-two-sites');
app.synth();
// The review bundle (topology, runbook, each site's objects as YAML and infinispan.xml) beside the stack.
stack.keycloak.writeReviewBundle(join(app.outdir, 'review', stack.node.id)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
