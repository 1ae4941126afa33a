const { mkdirSync } = require('node:fs');
const { join } = require('node:path');

// cdktf's Testing.app() makes its outdir with os.tmpdir(). Point TMPDIR at the repository's cache
// before jest starts its workers (they inherit it); teardown.js removes the folder after the run.
// One folder per run, so concurrent runs in one checkout do not delete each other's.
const tmp = join(__dirname, '.cache', 'tmp', String(process.pid));
mkdirSync(tmp, { recursive: true });
process.env.TMPDIR = tmp;

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // jest uses cores − 1 workers by default, which is one on a 2-core machine: use every core.
  maxWorkers: '100%',
  // Async tests that synthesize whole apps take 1-4 s alone; with both cores busy (CI also runs the
  // rehearsal's servers) jest's default 5 s failed one once. A hang still fails.
  testTimeout: 30_000,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['<rootDir>/test/setup/plain-token-traces.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
    // @hpcc-js/wasm-graphviz ships only ES modules; Node 20.19+ loads it with require(), jest needs it compiled.
    '^.+/@hpcc-js/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@hpcc-js/)'],
  // Keep jest's transform cache inside the repository instead of the system temp folder.
  cacheDirectory: '<rootDir>/.cache/jest',
  globalTeardown: '<rootDir>/test/teardown.js',
};
