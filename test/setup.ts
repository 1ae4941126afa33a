import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';

// cdktf's Testing.app() makes its outdir with os.tmpdir(); point that at the repository's cache
// (removed by teardown.js) so test runs leave nothing in the system temp folder.
const tmp = join(__dirname, '..', '.cache', 'tmp', String(process.pid));
mkdirSync(tmp, { recursive: true });
process.env.TMPDIR = tmp;

Testing.setupJest();
