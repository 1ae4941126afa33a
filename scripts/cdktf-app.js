#!/usr/bin/env node
/**
 * The `app` of cdktf.json: runs an example's compiled main.js, compiling first only when a source
 * under lib/ or examples/ (or the TypeScript configuration) is newer than the compiled example, so
 * `cdktf synth` does not pay for a build on every run. Usage: node scripts/cdktf-app.js <example>
 */
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const example = process.argv[2] ?? 'aws-multi-az';
const main = join(root, 'dist', 'examples', example, 'main.js');

/** The newest modification time of the .ts files below `dir`. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const sources = Math.max(newestSource(join(root, 'lib')), newestSource(join(root, 'examples')),
  ...['tsconfig.json', 'tsconfig.build.json'].map((file) => statSync(join(root, file)).mtimeMs));
if (!existsSync(main) || statSync(main).mtimeMs < sources) {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
require(main);
