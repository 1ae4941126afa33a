/**
 * One benchmark sample, run in a fresh process by bench.ts: `require` (load the library only),
 * `require-cdktf` (load cdktf only, the yardstick) or `synth N [outdir]` (synthesize N single-site
 * deployments into one stack; the output is kept when `outdir` is given). Prints one JSON line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const started = process.hrtime.bigint();
const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6;
const [mode, countText, keepDir] = process.argv.slice(2);

/* eslint-disable @typescript-eslint/no-require-imports -- loading time is what is measured */
if (mode === 'require') {
  require('../lib');
  report({ loadMs: elapsedMs() });
} else if (mode === 'require-cdktf') {
  require('cdktf');
  report({ loadMs: elapsedMs() });
} else if (mode === 'synth') {
  const { App, TerraformStack } = require('cdktf') as typeof import('cdktf');
  const { AwsProvider } = require('@cdktf/provider-aws/lib/provider') as typeof import('@cdktf/provider-aws/lib/provider');
  const lib = require('../lib') as typeof import('../lib');
  const loadMs = elapsedMs();
  const count = Number(countText);
  const outdir = keepDir ?? mkdtempSync(join(__dirname, '..', '..', '.cache', 'bench-'));
  try {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'bench');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    for (let i = 0; i < count; i += 1) {
      new lib.KeycloakOnAws(stack, `Keycloak${i}`, {
        name: `kc${i}`,
        hostname: 'auth.example.com',
        certificate: lib.Certificate.fromArn('arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab'),
        sites: { [`site-${i}`]: { region: 'eu-west-1', cidr: `10.${i}.0.0/16` } },
      });
    }
    app.synth();
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', 'bench', 'cdk.tf.json'), 'utf8'));
    const resources = Object.values(json.resource as Record<string, object>).reduce((n, byName) => n + Object.keys(byName).length, 0);
    report({ loadMs, synthMs: elapsedMs() - loadMs, resources });
  } finally {
    if (!keepDir) rmSync(outdir, { recursive: true, force: true });
  }
} else {
  throw new Error(`bench-worker: unknown mode '${mode}' (use 'require', 'require-cdktf' or 'synth N [outdir]')`);
}

function report(sample: Record<string, number>): void {
  console.log(JSON.stringify({ ...sample, maxRssKiB: process.resourceUsage().maxRSS }));
}
