/**
 * Synthesizes every example into cdktf.out/<example>/ with plain node (no CLI), one process per
 * example, and prints the wall time of each. Exits non-zero when any example fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

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
if (examples.length === 0) {
  console.error('synth: no examples found');
  process.exit(1);
}
process.exit(failures === 0 ? 0 : 1);
