const { rmSync } = require('node:fs');
const { join } = require('node:path');

/** Removes the outdirs cdktf's Testing.app() created during the run (see jest.config.js). */
module.exports = async function teardown() {
  rmSync(join(__dirname, '..', '.cache', 'tmp'), { recursive: true, force: true });
};
