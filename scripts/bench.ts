/**
 * `npm run bench`: the library against a hand-written cdktf program with exactly the same
 * resources (generated from the library's own cdk.tf.json in the same run, see
 * bench-handwritten.ts), each sample a fresh `node` process, library and baseline samples
 * interleaved so that both see the same machine load. Prints medians, the noise (max − min of
 * the runs) and the ratios:
 * - loading: `require` of the library ÷ `require('cdktf')`;
 * - every example (`dist/examples/<name>/main.js`, review bundle included, as `cdktf synth` runs
 *   it) ÷ its hand-written equivalent;
 * - per extra deployment: (8 deployments − 1 deployment) ÷ 7, library ÷ hand-written.
 * BENCH_RUNS sets the runs per measurement (default 7).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { generateHandwritten, readStacks, withoutMetadata } from './bench-handwritten';

const runs = Number(process.env.BENCH_RUNS ?? 7);
const root = join(__dirname, '..', '..');
const worker = join(__dirname, 'bench-worker.js');
const scratch = join(root, '.cache', 'bench');
mkdirSync(scratch, { recursive: true });

interface Sample { wallMs: number; maxRssKiB?: number; loadMs?: number }

function run(args: string[], outdir?: string): Sample {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    encoding: 'utf8', cwd: root, env: { ...process.env, ...(outdir ? { CDKTF_OUTDIR: outdir } : {}) },
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stderr}`);
  const last = result.stdout.trim().split('\n').pop() ?? '';
  return { wallMs, ...(last.startsWith('{') ? JSON.parse(last) as Sample : {}) };
}

/** Interleaved samples of several commands, after one unmeasured warm-up run of each. */
function compare(commands: readonly (() => Sample)[]): Sample[][] {
  for (const command of commands) command();
  const samples: Sample[][] = commands.map(() => []);
  for (let i = 0; i < runs; i += 1) commands.forEach((command, c) => samples[c].push(command()));
  return samples;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const noise = (values: number[]) => Math.max(...values) - Math.min(...values);
const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
const wall = (samples: Sample[]) => median(samples.map((x) => x.wallMs));
const cell = (samples: Sample[]) => `${s(wall(samples))} ± ${s(noise(samples.map((x) => x.wallMs)) / 2)}`;

/** Writes the hand-written program of the app synthesized into `outdir`, and checks it synthesizes the same. */
function handwrittenOf(name: string, outdir: string): string {
  const file = join(scratch, `${name}.handwritten.js`);
  writeFileSync(file, generateHandwritten(outdir));
  const check = mkdtempSync(join(scratch, 'check-'));
  try {
    run([file], check);
    const [expected, actual] = [readStacks(outdir), readStacks(check)];
    const same = isDeepStrictEqual(Object.keys(expected), Object.keys(actual)) && Object.keys(expected).every((id) =>
      isDeepStrictEqual(withoutMetadata({ ...expected[id], '//': null }), withoutMetadata({ ...actual[id], '//': null })));
    if (!same) throw new Error(`bench: the hand-written program of ${name} does not synthesize what the library does`);
  } finally {
    rmSync(check, { recursive: true, force: true });
  }
  return file;
}

const out = () => mkdtempSync(join(scratch, 'out-'));
const cleanup = () => {
  for (const entry of readdirSync(scratch)) if (entry.startsWith('out-')) rmSync(join(scratch, entry), { recursive: true, force: true });
};

console.log(`${runs} runs per measurement, each a fresh node process; median ± half the spread (max − min)`);
console.log();
const [library, cdktf] = compare([() => run([worker, 'require']), () => run([worker, 'require-cdktf'])]);
console.log('| load | process wall | require in process | peak RSS |');
console.log('| --- | ---: | ---: | ---: |');
for (const [label, samples] of [['library', library], ['cdktf', cdktf]] as const) {
  console.log(`| ${label} | ${cell(samples)} | ${s(median(samples.map((x) => x.loadMs ?? 0)))} | ${(median(samples.map((x) => x.maxRssKiB ?? 0)) / 1024).toFixed(0)} MiB |`);
}
console.log(`require ratio (library ÷ cdktf, process wall): ${(wall(library) / wall(cdktf)).toFixed(2)}`);
console.log();

console.log('| example | library | hand-written | ratio |');
console.log('| --- | ---: | ---: | ---: |');
const examples = readdirSync(join(root, 'dist', 'examples')).filter((name) => existsSync(join(root, 'dist', 'examples', name, 'main.js'))).sort();
for (const example of examples) {
  const main = join(root, 'dist', 'examples', example, 'main.js');
  const reference = out();
  run([main], reference);
  const handwritten = handwrittenOf(example, reference);
  const [lib, hand] = compare([() => run([main], out()), () => run([handwritten], out())]);
  cleanup();
  console.log(`| ${example} | ${cell(lib)} | ${cell(hand)} | ${(wall(lib) / wall(hand)).toFixed(2)} |`);
}
console.log();

console.log('| deployments (one stack) | library | hand-written | ratio |');
console.log('| ---: | ---: | ---: | ---: |');
const perSize: Record<number, [Sample[], Sample[]]> = {};
for (const count of [1, 8]) {
  const reference = out();
  run([worker, 'synth', String(count), reference]);
  const handwritten = handwrittenOf(`deployments-${count}`, reference);
  const [lib, hand] = compare([() => run([worker, 'synth', String(count)]), () => run([handwritten], out())]);
  cleanup();
  perSize[count] = [lib, hand];
  console.log(`| ${count} | ${cell(lib)} | ${cell(hand)} | ${(wall(lib) / wall(hand)).toFixed(2)} |`);
}
const extra = (i: 0 | 1) => (wall(perSize[8][i]) - wall(perSize[1][i])) / 7;
console.log(`per extra deployment: library ${s(extra(0))}, hand-written ${s(extra(1))}, ratio ${(extra(0) / extra(1)).toFixed(2)}`);
