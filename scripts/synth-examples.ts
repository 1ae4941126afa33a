/**
 * Synthesizes every example into cdktf.out/<example>/ with plain node (no CLI), one process per
 * example, and prints the wall time of each; then renders each review bundle's topology.dot to
 * topology.svg (the examples write the bundle without the SVG, as `cdktf synth` runs them).
 * Exits non-zero when any example fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderSvg } from '../lib/review/bundle';

const root = resolve(__dirname, '..', '..');
const examplesDir = join(root, 'examples');
const outRoot = join(root, 'cdktf.out');
const examples = readdirSync(examplesDir).filter((name) => existsSync(join(examplesDir, name, 'main.ts'))).sort();

let failures = 0;
for (const example of examples) {
  const outdir = join(outRoot, example);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [join(root, 'dist', 'examples', example, 'main.js')], {
    cwd: root,
    env: { ...process.env, CDKTF_OUTDIR: outdir },
    stdio: 'inherit',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    failures += 1;
    console.error(`synth ${example}: FAILED (exit ${result.status ?? result.signal})`);
  } else {
    console.log(`synth ${example}: ${seconds.toFixed(2)} s -> ${outdir}`);
  }
}
/** Every review bundle's diagram as SVG, beside its topology.dot. */
async function renderDiagrams(): Promise<void> {
  for (const example of examples) {
    const review = join(outRoot, example, 'review');
    for (const stack of existsSync(review) ? readdirSync(review) : []) {
      const dot = join(review, stack, 'topology.dot');
      if (existsSync(dot)) writeFileSync(join(review, stack, 'topology.svg'), await renderSvg(readFileSync(dot, 'utf8')));
    }
  }
}

if (examples.length === 0) {
  console.error('synth: no examples found');
  process.exit(1);
}
renderDiagrams().then(() => process.exit(failures === 0 ? 0 : 1), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
