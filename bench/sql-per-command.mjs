/**
 * Where an HTTP command's time goes inside SQLite: every better-sqlite3 statement run while the real app
 * (createApp) handles `POST /api/experiments/:id/steps` sequentially (Fastify inject, no network; as a staff
 * user with an API token when the app has accounts), counted and timed per command.
 *
 *   node bench/sql-per-command.mjs [normal|full] [commands]
 */
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadApp, provisionStaffToken } from './lib/ours.mjs';
import { cleanDir, freshDir } from './lib/util.mjs';

const durability = process.argv[2] ?? 'normal';
const commands = Number(process.argv[3] ?? 500);
const EXPERIMENTS = 50;
const TEST_CARD = {
  title: 'Green living made easy',
  hypothesis: 'We believe that residents will take initiative if the first step is small',
  test: 'To verify that, we will run a street-level pop-up for two weeks',
  metric: 'Households that sign up',
  successCriteria: 'At least 30 households sign up',
};

const Statement = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1'));
const stats = new Map();
let counting = false;
for (const method of ['run', 'all', 'get', 'iterate']) {
  const original = Statement[method];
  Statement[method] = function timed(...args) {
    if (!counting) return original.apply(this, args);
    const start = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      const sql = this.source.replace(/\s+/g, ' ').trim().replace(/^SELECT (.{40,}?) FROM/, 'SELECT … FROM');
      const key = `${method} ${sql.slice(0, 100)}`;
      const entry = stats.get(key) ?? { calls: 0, ms: 0 };
      entry.calls++;
      entry.ms += performance.now() - start;
      stats.set(key, entry);
    }
  };
}

const dir = freshDir(path.join(os.tmpdir(), `tracker-sql-${process.pid}`), 'data');
const { createApp, AppConfig } = await loadApp();
const config = AppConfig.fromEnvironment({ TRACKER_DATA_DIR: dir, TRACKER_DEMO: '0', TRACKER_DURABILITY: durability, LOG_LEVEL: 'silent', NODE_ENV: 'production' });
const token = await provisionStaffToken(config);
const headers = { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) };
const app = await createApp(config, { docsUi: false });
const post = async (url, body) => {
  const response = await app.inject({ method: 'POST', url, headers, payload: JSON.stringify(body) });
  if (response.statusCode >= 300) throw new Error(`POST ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
};
try {
  const ids = [];
  for (let i = 0; i < EXPERIMENTS; i++) {
    const { id } = await post('/api/experiments', TEST_CARD);
    await post(`/api/experiments/${id}/start`, {});
    ids.push(id);
  }
  for (let i = 0; i < 200; i++) await post(`/api/experiments/${ids[i % EXPERIMENTS]}/steps`, { description: 'Warm-up step' });

  counting = true;
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < commands; i++) await post(`/api/experiments/${ids[i % EXPERIMENTS]}/steps`, { description: 'Interviewed 12 residents' });
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  counting = false;

  const entries = [...stats].sort((a, b) => b[1].ms - a[1].ms);
  const calls = entries.reduce((sum, [, e]) => sum + e.calls, 0);
  const sqliteMs = entries.reduce((sum, [, e]) => sum + e.ms, 0);
  console.log(`durability ${durability}, ${commands} commands; per command:`);
  console.log(`  wall ${(wall / commands).toFixed(3)} ms, CPU ${((used.user + used.system) / 1000 / commands).toFixed(3)} ms`);
  console.log(`  ${(calls / commands).toFixed(1)} SQLite statements taking ${(sqliteMs / commands).toFixed(3)} ms\n`);
  console.log(' calls/cmd  µs/call  statement');
  for (const [key, e] of entries.slice(0, 25)) {
    console.log(`${(e.calls / commands).toFixed(2).padStart(10)} ${((e.ms / e.calls) * 1000).toFixed(0).padStart(8)}  ${key}`);
  }
} finally {
  await app.close();
  cleanDir(path.dirname(dir));
}
