/**
 * Side-by-side benchmarks: our event store, projections and HTTP stack against raw SQLite, Emmett's SQLite
 * store and bare Fastify, measured in one run on one machine and reported as ratios. See README.md.
 *
 *   node bench/run.mjs [--quick] [--only append,batch,…] [--large N] [--rounds N] [--dir PATH] [--profile]
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import sqlite3 from 'sqlite3';
import { httpCases } from './cases/http.mjs';
import { appendToVisibleLag } from './cases/lag.mjs';
import { scaleCases } from './cases/scale.mjs';
import * as storage from './cases/storage.mjs';
import { emmettRetries } from './lib/emmett.mjs';
import { personalData, upcasting } from './lib/ours.mjs';
import { buildRows, renderTable } from './lib/report.mjs';
import { cpuSnapshot, fileSystemOf, fsyncLatency, hasTaskset, median, othersShare, pinSelf } from './lib/util.mjs';

const STORE_LAYERS = [upcasting && 'UpcastingEventStore', personalData && 'PersonalDataEventStore'].filter(Boolean);

const MODES = {
  quick: {
    rounds: 1,
    caseMs: 600,
    readFixture: { streams: 100, perStream: 50 },
    scaleSizes: [10_000, 50_000],
    queries: 300,
    http: { connections: 10, httpSec: 2, slices: 2, warmupSec: 0.5, experiments: 30, durableToo: false },
  },
  full: {
    rounds: 3,
    caseMs: 3000,
    readFixture: { streams: 200, perStream: 50 },
    scaleSizes: [10_000, 1_000_000],
    queries: 2000,
    http: { connections: 10, httpSec: 10, slices: 5, warmupSec: 2, experiments: 300, durableToo: true },
  },
};
const GROUP_ORDER = ['fs', 'append', 'batch', 'durable', 'reads', 'scale', 'http', 'lag'];

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    large: { type: 'string' },
    rounds: { type: 'string' },
    dir: { type: 'string' },
    profile: { type: 'boolean', default: false },
  },
});
const modeName = args.quick ? 'quick' : 'full';
const mode = structuredClone(MODES[modeName]);
if (args.rounds) mode.rounds = Number(args.rounds);
if (args.large) mode.scaleSizes[1] = Number(args.large);
const groups = args.only ? args.only.split(',').map((s) => s.trim()) : GROUP_ORDER;
for (const name of groups) if (!GROUP_ORDER.includes(name)) throw new Error(`Unknown group ${name}: use ${GROUP_ORDER.join(', ')}`);

const here = path.dirname(new URL(import.meta.url).pathname);
// Always a directory of our own inside --dir: it is deleted at the end.
const root = path.join(path.resolve(args.dir ?? os.tmpdir()), `tracker-bench-${process.pid}`);
fs.mkdirSync(root, { recursive: true });
process.once('SIGINT', () => {
  fs.rmSync(root, { recursive: true, force: true });
  process.exit(130);
});
const resultsDir = path.join(here, 'results');
fs.mkdirSync(resultsDir, { recursive: true });

const bounds = { maxOps: 1e9, maxMs: mode.caseMs };
const cpus = os.cpus().length;
const loadCpu = cpus >= 2 && hasTaskset() ? String(cpus - 1) : null;

/** Runs the cases `rounds` times, rotating their order, and keeps every run plus the median rate. */
async function rounds(cases) {
  const names = Object.keys(cases);
  const runs = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < mode.rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length];
      runs[name].push(await profiled(name, cases[name]));
    }
  }
  return Object.fromEntries(names.map((n) => [n, { rate: median(runs[n].map((x) => x.rate)), runs: runs[n] }]));
}

const GROUPS = {
  fs: async () => ({ fileSystem: fileSystemOf(root), fsync: fsyncLatency(root, { count: 500, maxMs: 2000 }) }),
  append: () =>
    rounds({
      A1: () => storage.rawAutocommit(root, 'NORMAL', bounds),
      'E1 append': () => storage.emmettAppend(root, 'NORMAL', bounds),
      'ours append': () => storage.oursAppend(root, 'normal', bounds),
    }),
  batch: () => rounds({ A2: () => storage.rawBatch(root, bounds), 'ours batch': () => storage.oursBatch(root, bounds) }),
  durable: () =>
    rounds({
      A3: () => storage.rawAutocommit(root, 'FULL', bounds),
      'ours serial': () => storage.oursAppend(root, 'full', bounds),
      'ours 32 writers': () => storage.oursConcurrentDurable(root, bounds),
    }),
  reads: () =>
    storage.withReadFixture(root, mode.readFixture, (fixture) =>
      rounds({
        'ours readStream': () => storage.oursReadStream(fixture, bounds),
        'E1 readStream': () => storage.emmettReadStream(fixture, bounds),
        'ours readAll': () => storage.oursReadAll(fixture, bounds),
        'E1 readAll': () => storage.emmettReadAll(fixture, bounds),
      }),
    ),
  scale: () =>
    profiled('scale', () =>
      scaleCases(root, mode.scaleSizes, { caseMs: mode.caseMs, queries: mode.queries, profileDir: args.profile ? resultsDir : undefined }),
    ),
  http: async () => {
    // Servers (this process) on CPU 0, load generator on the last CPU: they do not compete for a core.
    const pinned = loadCpu !== null && pinSelf('0');
    try {
      return { pinned, ...(await httpCases(root, { ...mode.http, loadCpu, around: args.profile ? profiled : undefined })) };
    } finally {
      if (pinned) pinSelf(`0-${cpus - 1}`);
    }
  },
  lag: () => profiled('lag', () => appendToVisibleLag(root, { caseMs: mode.caseMs })),
};

/** With --profile: a CPU profile of one case, written to results/profile-<case>.cpuprofile (last round wins). */
async function profiled(name, run) {
  if (!args.profile) return run();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    const file = path.join(resultsDir, `profile-${name.replaceAll(' ', '-')}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    log(`  profile written to ${path.relative(process.cwd(), file)}`);
  }
}

function log(line) {
  process.stderr.write(`${line}\n`);
}

function machine() {
  const probe = new Database(':memory:');
  const sqliteVersion = probe.prepare('SELECT sqlite_version()').pluck().get();
  probe.close();
  return {
    cpus,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    sqlite: { betterSqlite3: sqliteVersion, nodeSqlite3: sqlite3.VERSION },
    dataDir: root,
    fileSystem: fileSystemOf(root),
    loadGeneratorCpu: loadCpu,
  };
}

const started = new Date();
const t0 = performance.now();
log(`bench ${modeName}: ${groups.join(', ')}; data in ${root}; ${mode.rounds} round(s), ${mode.caseMs} ms per case`);
const results = {
  mode: modeName,
  settings: mode,
  startedAt: started.toISOString(),
  machine: machine(),
  ourStore: STORE_LAYERS.length > 0 ? `${STORE_LAYERS.join('(')}(SqliteEventStore${')'.repeat(STORE_LAYERS.length)}, as the app composes it` : 'SqliteEventStore',
  groups: {},
  background: {},
  errors: {},
};
for (const name of GROUP_ORDER.filter((n) => groups.includes(n))) {
  const groupStart = performance.now();
  const cpuBefore = cpuSnapshot();
  log(`- ${name}…`);
  try {
    results.groups[name] = await GROUPS[name]();
  } catch (error) {
    results.errors[name] = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`  ${name} failed: ${results.errors[name]}`);
  }
  results.background[name] = othersShare(cpuBefore, cpuSnapshot());
  log(`  ${((performance.now() - groupStart) / 1000).toFixed(1)} s`);
}
results.groups.emmettRetries = { ...emmettRetries };
results.rows = buildRows(results.groups);
results.durationSec = (performance.now() - t0) / 1000;
fs.rmSync(root, { recursive: true, force: true });

const background = Object.entries(results.background)
  .filter(([, share]) => share !== null)
  .map(([name, share]) => `${name} ${Math.round(share * 100)}%`)
  .join(', ');
const m = results.machine;
const out = [
  '',
  renderTable(results.rows),
  '',
  `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}, SQLite ${m.sqlite.betterSqlite3} (better-sqlite3) / ${m.sqlite.nodeSqlite3} (sqlite3, Emmett); data on ${m.fileSystem.type} (${m.fileSystem.device}).`,
  `Load generator ${loadCpu === null ? 'not pinned (taskset or a second CPU missing)' : `pinned to CPU ${loadCpu}, server to CPU 0`}. CPU used by other processes during each group: ${background || 'n/a'}.`,
  `Our store: ${results.ourStore}. Mode ${modeName}: ${mode.rounds} round(s) × ${mode.caseMs} ms per storage case (median), scale sizes ${mode.scaleSizes.join(' / ')}; ${results.durationSec.toFixed(0)} s in all.`,
  ...Object.keys(results.errors).map((name) => `Group ${name} FAILED: ${results.errors[name].split('\n')[0]}`),
  '',
];
process.stdout.write(out.join('\n'));
fs.writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
log(`results written to ${path.relative(process.cwd(), path.join(resultsDir, 'latest.json'))}`);
// Exit even if a failed case left a handle open (a server, a timer of the app under test).
process.exit(Object.keys(results.errors).length > 0 ? 1 : 0);
