/**
 * `npm run bench`: the library against hand-written cdktf programs with exactly the same resources
 * (generated from the library's own cdk.tf.json in the same run, see bench-handwritten.ts). Every
 * sample is a fresh `node` process; the programs of one comparison run in turn, round after round,
 * after one unmeasured warm-up each, so a round's samples share the machine's state. Reports per
 * program the median wall time and its noise (half of max − min), and per comparison the paired
 * ratio: the median over rounds of library ÷ baseline within the round, for wall and CPU time
 * (every thread of the process, from bench-probe.ts), with the range of the rounds' ratios. On a
 * shared machine whose speed drifts between rounds, the paired ratio is what stays put.
 * - loading: `require` of the library ÷ `require('cdktf')`;
 * - every example (`dist/examples/<name>/main.js`, review bundle included, as `cdktf synth` runs
 *   it) ÷ its typed and its overrides baseline;
 * - per extra deployment: (8 deployments − 1 deployment) ÷ 7, library ÷ baseline, per round.
 * BENCH_RUNS sets the rounds per comparison (default 11).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { blocksOf, generateHandwritten, HandwrittenStyle, readStacks, withoutMetadata } from './bench-handwritten';

const runs = Number(process.env.BENCH_RUNS ?? 11);
const root = join(__dirname, '..', '..');
const worker = join(__dirname, 'bench-worker.js');
const probe = join(__dirname, 'bench-probe.js');
const scratch = join(root, '.cache', 'bench');
mkdirSync(scratch, { recursive: true });

interface Sample { wallMs: number; cpuMs: number; maxRssKiB: number; loadMs?: number }

function run(args: string[], outdir?: string): Sample {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['-r', probe, ...args], {
    encoding: 'utf8', cwd: root, env: { ...process.env, ...(outdir ? { CDKTF_OUTDIR: outdir } : {}) },
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stderr}`);
  const probed = result.stderr.split('\n').find((line) => line.startsWith('bench-probe '));
  if (!probed) throw new Error(`${args.join(' ')}: no bench-probe line on stderr`);
  const last = result.stdout.trim().split('\n').pop() ?? '';
  const reported = last.startsWith('{') ? JSON.parse(last) as { loadMs?: number } : {};
  return { wallMs, ...JSON.parse(probed.slice('bench-probe '.length)) as { cpuMs: number; maxRssKiB: number }, ...(reported.loadMs === undefined ? {} : { loadMs: reported.loadMs }) };
}

/** Rounds of samples of several commands, each command once per round, after one unmeasured warm-up run of each. */
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
const cell = (samples: Sample[]) => `${s(median(samples.map((x) => x.wallMs)))} ± ${s(noise(samples.map((x) => x.wallMs)) / 2)}`;

/** Median and range over rounds of a per-round ratio. */
function paired(ratios: number[]): string {
  return `${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
}
const ratios = (lib: Sample[], base: Sample[], of: 'wallMs' | 'cpuMs') => lib.map((x, i) => x[of] / base[i][of]);

/** Keys (`<stack> <address>`) of the blocks, and `<stack> <section>` of the other sections, whose synthesis differs. */
function differences(expected: ReturnType<typeof readStacks>, actual: ReturnType<typeof readStacks>): string[] {
  const found: string[] = [];
  for (const id of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const [want, got] = [expected[id] ?? {}, actual[id] ?? {}];
    for (const section of new Set([...Object.keys(want), ...Object.keys(got)])) {
      if (section === '//' || section === 'resource' || section === 'data') continue;
      if (!isDeepStrictEqual(withoutMetadata(want[section]), withoutMetadata(got[section]))) found.push(`${id} ${section}`);
    }
    if (!isDeepStrictEqual(withoutMetadata(want.data?.terraform_remote_state), withoutMetadata(got.data?.terraform_remote_state))) {
      found.push(`${id} data.terraform_remote_state`);
    }
  }
  const [wantBlocks, gotBlocks] = [blocksOf(expected), blocksOf(actual)].map((blocks) => new Map(blocks.map((block) => [block.key, block.attributes])));
  for (const key of new Set([...wantBlocks.keys(), ...gotBlocks.keys()])) {
    if (!isDeepStrictEqual(wantBlocks.get(key), gotBlocks.get(key))) found.push(key);
  }
  return found;
}

/** Runs a generated program into a scratch folder and returns what it synthesized. */
function synthesizeProgram(file: string): ReturnType<typeof readStacks> {
  const check = mkdtempSync(join(scratch, 'check-'));
  try {
    run([file], check);
    return readStacks(check);
  } finally {
    rmSync(check, { recursive: true, force: true });
  }
}

/**
 * Writes the hand-written program (bench-handwritten.ts) of the app synthesized into `outdir` and
 * checks it synthesizes the same. In the typed style, blocks whose typed form differs are written
 * as overrides; `overridden` counts them.
 */
function handwrittenOf(name: string, outdir: string, style: HandwrittenStyle): { file: string; overridden: number; blocks: number } {
  const file = join(scratch, `${name}.${style}.js`);
  const expected = readStacks(outdir);
  writeFileSync(file, generateHandwritten(outdir, style));
  const blocks = blocksOf(expected).map((block) => block.key);
  let differing = differences(expected, synthesizeProgram(file));
  const overridden = new Set(style === 'typed' ? blocks.filter((key) => differing.includes(key)) : blocks);
  if (style === 'typed' && overridden.size > 0) {
    writeFileSync(file, generateHandwritten(outdir, style, overridden));
    differing = differences(expected, synthesizeProgram(file));
  }
  if (differing.length > 0) throw new Error(`bench: the ${style} program of ${name} does not synthesize what the library does: ${differing.slice(0, 5).join(', ')}`);
  return { file, overridden: overridden.size, blocks: blocks.length };
}

const out = () => mkdtempSync(join(scratch, 'out-'));
const cleanup = () => {
  for (const entry of readdirSync(scratch)) if (entry.startsWith('out-')) rmSync(join(scratch, entry), { recursive: true, force: true });
};

console.log(`${runs} rounds per comparison, each sample a fresh node process. Times: median wall ± half the spread (max − min).`);
console.log('Ratios: median over rounds of library ÷ baseline within a round (lowest–highest round), wall and CPU time.');
console.log();
const [library, cdktf] = compare([() => run([worker, 'require']), () => run([worker, 'require-cdktf'])]);
console.log('| load | process wall | require in process | peak RSS |');
console.log('| --- | ---: | ---: | ---: |');
for (const [label, samples] of [['library', library], ['cdktf', cdktf]] as const) {
  console.log(`| ${label} | ${cell(samples)} | ${s(median(samples.map((x) => x.loadMs ?? 0)))} | ${(median(samples.map((x) => x.maxRssKiB)) / 1024).toFixed(0)} MiB |`);
}
console.log(`require ratio (library ÷ cdktf): wall ${paired(ratios(library, cdktf, 'wallMs'))}, CPU ${paired(ratios(library, cdktf, 'cpuMs'))}`);
console.log();

console.log('Baselines (scripts/bench-handwritten.ts): typed, a program written with the provider classes\' typed configuration;');
console.log('overrides, every attribute an escape-hatch override on an empty block (a floor no typed program reaches).');
console.log();
console.log('| example | library | typed | overrides | ratio typed, wall | ratio typed, CPU | ratio overrides, wall | blocks typed |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const examples = readdirSync(join(root, 'dist', 'examples')).filter((name) => existsSync(join(root, 'dist', 'examples', name, 'main.js'))).sort();
for (const example of examples) {
  const main = join(root, 'dist', 'examples', example, 'main.js');
  const reference = out();
  run([main], reference);
  const typed = handwrittenOf(example, reference, 'typed');
  const floor = handwrittenOf(example, reference, 'overrides');
  const [lib, hand, bare] = compare([() => run([main], out()), () => run([typed.file], out()), () => run([floor.file], out())]);
  cleanup();
  console.log(`| ${example} | ${cell(lib)} | ${cell(hand)} | ${cell(bare)} | ${paired(ratios(lib, hand, 'wallMs'))} | ${paired(ratios(lib, hand, 'cpuMs'))} | ${paired(ratios(lib, bare, 'wallMs'))} | ${typed.blocks - typed.overridden} of ${typed.blocks} |`);
}
console.log();

// One and eight single-site deployments in one stack, all six programs in every round.
const programs: (() => Sample)[] = [];
for (const count of [1, 8]) {
  const reference = out();
  run([worker, 'synth', String(count), reference]);
  const typed = handwrittenOf(`deployments-${count}`, reference, 'typed');
  const floor = handwrittenOf(`deployments-${count}`, reference, 'overrides');
  programs.push(() => run([worker, 'synth', String(count)]), () => run([typed.file], out()), () => run([floor.file], out()));
}
const [lib1, typed1, bare1, lib8, typed8, bare8] = compare(programs);
cleanup();
console.log('| deployments (one stack) | library | typed | overrides |');
console.log('| ---: | ---: | ---: | ---: |');
console.log(`| 1 | ${cell(lib1)} | ${cell(typed1)} | ${cell(bare1)} |`);
console.log(`| 8 | ${cell(lib8)} | ${cell(typed8)} | ${cell(bare8)} |`);
/** Per round: what each extra deployment costs the library ÷ what it costs the baseline. */
const extraRatios = (base1: Sample[], base8: Sample[], of: 'wallMs' | 'cpuMs') =>
  lib1.map((_, i) => (lib8[i][of] - lib1[i][of]) / (base8[i][of] - base1[i][of]));
const extra = (one: Sample[], eight: Sample[]) => s((median(eight.map((x) => x.wallMs)) - median(one.map((x) => x.wallMs))) / 7);
console.log(`per extra deployment (medians): library ${extra(lib1, lib8)}, typed ${extra(typed1, typed8)}, overrides ${extra(bare1, bare8)}`);
console.log(`per extra deployment ratio: typed wall ${paired(extraRatios(typed1, typed8, 'wallMs'))}, CPU ${paired(extraRatios(typed1, typed8, 'cpuMs'))}; overrides wall ${paired(extraRatios(bare1, bare8, 'wallMs'))}`);
