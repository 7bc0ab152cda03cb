import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { experimentStream, stepLogged } from '../lib/events.mjs';
import { experimentTimeline, openOurStore, openReadModelDb } from '../lib/ours.mjs';
import { fillStore, iterateAll } from '../lib/raw.mjs';
import { cleanDir, freshDir, latencySummary, loopAsync, loopSync, now, syncDisk } from '../lib/util.mjs';

const PER_STREAM = 50;
const SLICES = 10;
const QUERY_WARMUP = 50;

function runChild(script, args, nodeOptions = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeOptions, new URL(script, import.meta.url).pathname, JSON.stringify(args)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)));
    });
  });
}

/** Same-noise comparison: `op(store, i)` on each store in turn, in SLICES alternating slices of the time budget. */
async function interleaved(stores, op, caseMs) {
  const totals = stores.map(() => ({ events: 0, ms: 0 }));
  for (let slice = 0; slice < SLICES; slice++) {
    for (const [k, store] of stores.entries()) {
      const start = now();
      let events = 0;
      await loopAsync(async (i) => (events += await op(store, slice * 1e6 + i)), { maxOps: 1e9, maxMs: caseMs / SLICES });
      totals[k].events += events;
      totals[k].ms += now() - start;
    }
  }
  return totals.map((t) => ({ ...t, rate: (t.events * 1000) / t.ms }));
}

/**
 * Stores of each size (experiments of 50 events). Per size: A4 raw iterate and our timeline rebuild (child
 * process: rate, peak RSS, event-loop stall; with `profileDir`, a CPU profile of it). Then, interleaved between the sizes so that both see the same
 * machine: timeline query latency, readStream and single-event append rates.
 */
export async function scaleCases(root, sizes, { caseMs, queries, profileDir }) {
  const dirs = sizes.map((size) => freshDir(root, `scale-${size}`));
  try {
    const stores = [];
    for (const [k, size] of sizes.entries()) {
      const eventsFile = join(dirs[k], 'events.db');
      const { experimentIds } = fillStore(eventsFile, { total: size, perStream: PER_STREAM });
      syncDisk();
      const raw = new Database(eventsFile, { readonly: true });
      iterateAll(raw); // warm the page cache for both readers
      const a4 = loopSync(() => iterateAll(raw), { maxOps: 1e9, maxMs: caseMs, perOp: size });
      raw.close();
      const readModelFile = join(dirs[k], 'read-models.db');
      const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=profile-rebuild-${size}.cpuprofile`] : [];
      const rebuild = await runChild('./rebuild-child.mjs', { eventsFile, readModelFile }, profile);
      syncDisk();
      stores.push({
        size,
        a4,
        rebuild,
        ids: experimentIds,
        versions: new Map(),
        store: openOurStore(eventsFile, 'normal'),
        readModels: openReadModelDb(readModelFile),
      });
    }

    const pick = (s, i) => s.ids[(i * 7919) % s.ids.length];
    const samples = stores.map(() => []);
    for (let i = 0; i < QUERY_WARMUP + queries; i++) {
      for (const [k, s] of stores.entries()) {
        const t0 = now();
        const entries = experimentTimeline(s.readModels, pick(s, i), { lang: 'en' });
        if (i >= QUERY_WARMUP) samples[k].push(now() - t0);
        if (entries.length === 0) throw new Error(`empty timeline at size ${s.size}`);
      }
    }
    const readStream = await interleaved(stores, async (s, i) => (await s.store.readStream(experimentStream(pick(s, i)))).length, caseMs);
    const append = await interleaved(
      stores,
      async (s, i) => {
        const id = pick(s, i);
        const version = s.versions.get(id) ?? PER_STREAM;
        await s.store.appendToStream(experimentStream(id), [stepLogged(id, version + 1)], { expectedVersion: version });
        s.versions.set(id, version + 1);
        return 1;
      },
      caseMs,
    );
    for (const s of stores) {
      await s.store.close();
      s.readModels.close();
    }
    return stores.map((s, k) => ({
      size: s.size,
      a4: s.a4,
      rebuild: s.rebuild,
      query: latencySummary(samples[k]),
      readStream: readStream[k],
      append: append[k],
    }));
  } finally {
    for (const dir of dirs) cleanDir(dir);
  }
}
