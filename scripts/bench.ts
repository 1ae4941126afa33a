/**
 * `npm run bench`: synthesizes 1, 2, 4 and 8 single-site deployments, each sample in a fresh
 * process, and loads the library alone; prints medians (wall time of the whole process, in-process
 * synth time, peak RSS, resources), the spread between the fastest and slowest run as the noise,
 * and each size's ratio to the first. BENCH_RUNS sets the runs per size (default 7).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const runs = Number(process.env.BENCH_RUNS ?? 7);
const worker = join(__dirname, 'bench-worker.js');
mkdirSync(join(__dirname, '..', '..', '.cache'), { recursive: true });

interface Sample { wallMs: number; loadMs: number; synthMs?: number; resources?: number; maxRssKiB: number }

function sample(args: string[]): Sample {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [worker, ...args], { encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`bench-worker ${args.join(' ')} failed:\n${result.stderr}`);
  return { wallMs, ...JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const spread = (values: number[]) => Math.max(...values) - Math.min(...values);
const ms = (value: number) => `${(value / 1000).toFixed(3)} s`;

function measure(args: string[]): Sample[] {
  sample(args); // warm the file cache; not counted
  return Array.from({ length: runs }, () => sample(args));
}

const load = measure(['require']);
console.log(`library load (require only), ${runs} runs: median ${ms(median(load.map((s) => s.loadMs)))} ` +
  `(process wall ${ms(median(load.map((s) => s.wallMs)))}, noise ±${ms(spread(load.map((s) => s.wallMs)) / 2)}), ` +
  `peak RSS ${(median(load.map((s) => s.maxRssKiB)) / 1024).toFixed(0)} MiB`);
console.log();
console.log('| deployments | resources | process wall (median) | noise (max−min) | synth in process | peak RSS | wall ÷ 1 |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
let baseWall = 0;
for (const count of [1, 2, 4, 8]) {
  const samples = measure(['synth', String(count)]);
  const wall = median(samples.map((s) => s.wallMs));
  if (count === 1) baseWall = wall;
  console.log(`| ${count} | ${samples[0].resources} | ${ms(wall)} | ${ms(spread(samples.map((s) => s.wallMs)))} | ` +
    `${ms(median(samples.map((s) => s.synthMs ?? 0)))} | ${(median(samples.map((s) => s.maxRssKiB)) / 1024).toFixed(0)} MiB | ` +
    `${(wall / baseWall).toFixed(2)} |`);
}
