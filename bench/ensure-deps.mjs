/**
 * Installs the bench's own dependencies (bench/package-lock.json) when they are missing or at other versions.
 * They are kept out of the root package so that CI's `npm ci` never compiles Emmett's sqlite3.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const { dependencies } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));

function installedVersion(name) {
  const file = join(here, 'node_modules', name, 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : null;
}

const stale = Object.entries(dependencies).filter(([name, version]) => installedVersion(name) !== version);
const sqliteBuilt = existsSync(join(here, 'node_modules/sqlite3/build/Release/node_sqlite3.node'));
if (stale.length > 0 || !sqliteBuilt) {
  const why = stale.length > 0 ? stale.map(([name, version]) => `${name}@${version}`).join(', ') : 'sqlite3 not built';
  process.stderr.write(`bench: installing bench dependencies (${why}); sqlite3 compiles from source, about 2 minutes\n`);
  // A clean environment: the npm variables of the calling `npm run` would point npm at the root package.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: here, env, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('bench: npm ci in bench/ failed\n');
    process.exit(result.status ?? 1);
  }
}
