/**
 * Preloaded (`node -r`) into every process the benchmark measures: at exit it writes the process's
 * own CPU time (user + system, every thread, so JIT and GC threads count) and peak RSS to stderr,
 * one line marked `bench-probe`, which bench.ts reads. It loads nothing else.
 */
process.on('exit', () => {
  const usage = process.resourceUsage();
  process.stderr.write(`bench-probe ${JSON.stringify({ cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKiB: usage.maxRSS })}\n`);
});
