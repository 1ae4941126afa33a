import { join } from 'node:path';
import { App } from 'cdktf';
import { multiRegionStacks } from './stack';

const app = new App();
const { global, keycloak } = multiRegionStacks(app);
app.synth();
keycloak.writeReviewBundle(join(app.outdir, 'review', global.node.id)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
