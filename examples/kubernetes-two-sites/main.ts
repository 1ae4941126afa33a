import { join } from 'node:path';
import { App } from 'cdktf';
import { kubernetesTwoSitesStacks } from './stack';

const app = new App();
const { global, keycloak } = kubernetesTwoSitesStacks(app);
app.synth();
// The review bundle (topology, runbook, each site's objects as YAML and infinispan.xml) beside the stack.
keycloak.writeReviewBundle(join(app.outdir, 'review', global.node.id)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
