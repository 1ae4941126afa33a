#!/usr/bin/env node
/**
 * Run after `npm install` changes package-lock.json. The registry this project is developed
 * against does not serve the platform builds of native packages for other systems (e.g.
 * `@swc/core-darwin-arm64` answers 404), so npm leaves them out of the lockfile, and `npm ci`
 * then refuses the lockfile as out of sync. This adds the missing entries as optional packages
 * (npm skips them on platforms they are not for). Where the registry serves everything, npm has
 * already written them and this script changes nothing.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const file = join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(file, 'utf8'));
let added = 0;
for (const meta of Object.values(lock.packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key]) continue;
    lock.packages[key] = { version, ...(meta.dev ? { dev: true } : {}), optional: true };
    added += 1;
  }
}
if (added > 0) {
  const [[rootKey, root], ...rest] = Object.entries(lock.packages);
  rest.sort(([a], [b]) => a.localeCompare(b, 'en'));
  lock.packages = Object.fromEntries([[rootKey, root], ...rest]);
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
}
console.log(`complete-lockfile: added ${added} optional platform entr${added === 1 ? 'y' : 'ies'}`);
