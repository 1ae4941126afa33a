const { rmSync } = require('node:fs');
const { join, relative } = require('node:path');

/** Removes this run's outdirs of cdktf's Testing.app() (see jest.config.js), and nothing else. */
module.exports = async function teardown() {
  const tmp = process.env.TMPDIR;
  const root = join(__dirname, '..', '.cache', 'tmp');
  if (tmp && !relative(root, tmp).startsWith('..')) rmSync(tmp, { recursive: true, force: true });
};
