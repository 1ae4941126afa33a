import { join } from 'node:path';
import { App } from 'cdktf';
import { KubernetesTwoSitesStack } from './stack';

const app = new App();
const stack = new KubernetesTwoSitesStack(app, 'keycloak-kubernetes-two-sites');
app.synth();
// The rendered objects as YAML, and each site's infinispan.xml, beside the synthesized stack.
stack.keycloak.writeManifests(join(app.outdir, 'review', stack.node.id));
