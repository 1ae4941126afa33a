import { App } from 'cdktf';
import { MultiAzStack } from './stack';

const app = new App();
new MultiAzStack(app, 'keycloak-multi-az');
app.synth();
