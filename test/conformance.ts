import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The shared conformance tool, beside the repository as developers and CI have it. */
export const CONFORMANCE = resolve(__dirname, '..', '..', 'shared', 'tools', 'conformance');
/** Scratch folders of the schema tests live in the repository's cache, never in the system temp folder. */
export const CACHE_ROOT = resolve(__dirname, '..', '.cache');

/**
 * Why the conformance tool cannot run here (tool, xmllint or python modules missing), or
 * undefined when it can. Tests use it to skip visibly instead of passing without checking.
 */
export function conformanceUnavailable(): string | undefined {
  if (!existsSync(CONFORMANCE)) return `${CONFORMANCE} does not exist`;
  return withScratchFolder('conformance-probe-', (probe) => {
    const run = spawnSync(CONFORMANCE, ['--allow-empty', probe], { encoding: 'utf8' });
    if (run.error) return run.error.message;
    return run.status === 0 ? undefined : (run.stderr || run.stdout).trim();
  });
}

/** Runs `fn` with a fresh folder under `.cache/`, removed afterwards. */
export function withScratchFolder<T>(prefix: string, fn: (folder: string) => T): T {
  mkdirSync(CACHE_ROOT, { recursive: true });
  const folder = mkdtempSync(join(CACHE_ROOT, prefix));
  try {
    return fn(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** `withScratchFolder` for asynchronous work. */
export async function withScratchFolderAsync(prefix: string, fn: (folder: string) => Promise<void>): Promise<void> {
  mkdirSync(CACHE_ROOT, { recursive: true });
  const folder = mkdtempSync(join(CACHE_ROOT, prefix));
  try {
    await fn(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Runs the tool over a folder: its exit status, output, and the counts of its closing line. */
export function runConformance(folder: string): { status: number | null; stdout: string; stderr: string; passed: number; failed: number } {
  const run = spawnSync(CONFORMANCE, [folder], { encoding: 'utf8' });
  const summary = /conformance: (\d+) passed, (\d+) failed/.exec(run.stdout);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, passed: Number(summary?.[1] ?? 0), failed: Number(summary?.[2] ?? 0) };
}
