import { join } from 'node:path';
import { openEmmett } from '../lib/emmett.mjs';
import { experimentHistory, experimentStream, newId, stepLogged } from '../lib/events.mjs';
import { openOurStore } from '../lib/ours.mjs';
import { openRaw, prepareInsert, rowOf } from '../lib/raw.mjs';
import { cleanDir, freshDir, loopAsync, loopSync, now } from '../lib/util.mjs';

const STREAMS = 100;
const BATCH = 100;
const WRITERS = 32;

/** `STREAMS` experiment streams written round-robin, the same way by every case. */
function streamSet(count = STREAMS) {
  const ids = Array.from({ length: count }, newId);
  return { ids, names: ids.map(experimentStream), versions: new Array(count).fill(0) };
}

/** Runs `body(dir)` in a fresh directory, then deletes it and syncs. */
async function inFreshDir(root, name, body) {
  const dir = freshDir(root, name);
  try {
    return await body(dir);
  } finally {
    cleanDir(dir);
  }
}

// ---- baselines: raw better-sqlite3 on our schema ----

/** A1 (NORMAL) and A3 (FULL): one autocommit INSERT per event. */
export const rawAutocommit = (root, synchronous, bounds) =>
  inFreshDir(root, `raw-${synchronous}`, (dir) => {
    const db = openRaw(join(dir, 'events.db'), synchronous);
    const insert = prepareInsert(db);
    const s = streamSet();
    const result = loopSync((i) => {
      const k = i % STREAMS;
      const version = ++s.versions[k];
      insert.run(...rowOf(stepLogged(s.ids[k], version), s.names[k], version));
    }, bounds);
    db.close();
    return result;
  });

/** A2: 100 INSERTs per transaction. */
export const rawBatch = (root, bounds) =>
  inFreshDir(root, 'raw-batch', (dir) => {
    const db = openRaw(join(dir, 'events.db'), 'NORMAL');
    const insert = prepareInsert(db);
    const s = streamSet();
    const writeBatch = db.transaction((k) => {
      for (let n = 0; n < BATCH; n++) {
        const version = ++s.versions[k];
        insert.run(...rowOf(stepLogged(s.ids[k], version), s.names[k], version));
      }
    });
    const result = loopSync((i) => writeBatch(i % STREAMS), { ...bounds, perOp: BATCH });
    db.close();
    return result;
  });

// ---- ours ----

const openOurs = (dir, durability) => openOurStore(join(dir, 'events.db'), durability);

/** Single-event appends with an exact expected version (optimistic concurrency). */
export const oursAppend = (root, durability, bounds) =>
  inFreshDir(root, `ours-${durability}`, async (dir) => {
    const store = openOurs(dir, durability);
    const s = streamSet();
    const result = await loopAsync(async (i) => {
      const k = i % STREAMS;
      const version = s.versions[k];
      await store.appendToStream(s.names[k], [stepLogged(s.ids[k], version + 1)], { expectedVersion: version });
      s.versions[k] = version + 1;
    }, bounds);
    await store.close();
    return result;
  });

/** 100 events per append, exact expected version. */
export const oursBatch = (root, bounds) =>
  inFreshDir(root, 'ours-batch', async (dir) => {
    const store = openOurs(dir, 'normal');
    const s = streamSet();
    const result = await loopAsync(
      async (i) => {
        const k = i % STREAMS;
        const version = s.versions[k];
        const events = Array.from({ length: BATCH }, (_, n) => stepLogged(s.ids[k], version + n + 1));
        await store.appendToStream(s.names[k], events, { expectedVersion: version });
        s.versions[k] = version + BATCH;
      },
      { ...bounds, perOp: BATCH },
    );
    await store.close();
    return result;
  });

/** 32 concurrent writers, each appending single events to its own stream, durability full. */
export const oursConcurrentDurable = (root, bounds) =>
  inFreshDir(root, 'ours-32', async (dir) => {
    const store = openOurs(dir, 'full');
    const s = streamSet(WRITERS);
    const start = now();
    const end = start + bounds.maxMs;
    let ops = 0;
    await Promise.all(
      s.ids.map(async (id, k) => {
        while (ops < bounds.maxOps && now() < end) {
          ops++;
          const version = s.versions[k];
          await store.appendToStream(s.names[k], [stepLogged(id, version + 1)], { expectedVersion: version });
          s.versions[k] = version + 1;
        }
      }),
    );
    const ms = now() - start;
    await store.close();
    return { ops, events: ops, ms, rate: (ops * 1000) / ms, writers: WRITERS };
  });

// ---- Emmett ----

/** E1 append: single events, exact expected version, one shared connection. */
export const emmettAppend = (root, synchronous, bounds) =>
  inFreshDir(root, 'emmett-append', async (dir) => {
    const store = await openEmmett(join(dir, 'emmett.db'), synchronous);
    const s = streamSet();
    const result = await loopAsync(async (i) => {
      const k = i % STREAMS;
      const version = s.versions[k];
      await store.append(s.names[k], [stepLogged(s.ids[k], version + 1)], version);
      s.versions[k] = version + 1;
    }, bounds);
    await store.close();
    return result;
  });

// ---- reads: both stores hold the same events ----

/**
 * Fills our store and Emmett's with the same `streams × perStream` events, then runs `body` with both.
 * The fixture is setup, not measured.
 */
export const withReadFixture = (root, { streams, perStream }, body) =>
  inFreshDir(root, 'reads', async (dir) => {
    const ours = openOurs(dir, 'normal');
    const emmett = await openEmmett(join(dir, 'emmett.db'), 'NORMAL');
    const names = [];
    for (let k = 0; k < streams; k++) {
      const id = newId();
      const history = experimentHistory(id, perStream);
      names.push(experimentStream(id));
      await ours.appendToStream(names[k], history, { expectedVersion: 0 });
      await emmett.append(names[k], history, 0);
    }
    try {
      return await body({ ours, emmett, names, total: streams * perStream, perStream });
    } finally {
      await ours.close();
      await emmett.close();
    }
  });

/** The k-th stream to read: the same pseudo-random order for both stores. */
const pick = (names, i) => names[(i * 7919) % names.length];

export async function readStreamRate(read, fixture, bounds) {
  let events = 0;
  const result = await loopAsync(async (i) => {
    events += (await read(pick(fixture.names, i))).length;
  }, bounds);
  return { ...result, events, rate: (events * 1000) / result.ms };
}

export const oursReadStream = (fixture, bounds) => readStreamRate((name) => fixture.ours.readStream(name), fixture, bounds);
export const emmettReadStream = (fixture, bounds) => readStreamRate((name) => fixture.emmett.readStream(name), fixture, bounds);

/** Whole passes over the global log, in batches of 500 for both stores (their defaults differ). */
export async function oursReadAll(fixture, bounds) {
  let events = 0;
  const result = await loopAsync(async () => {
    for await (const batch of fixture.ours.readAll({ batchSize: 500 })) events += batch.length;
  }, bounds);
  return { ...result, events, rate: (events * 1000) / result.ms };
}

export async function emmettReadAll(fixture, bounds) {
  let events = 0;
  const result = await loopAsync(async () => {
    events += await fixture.emmett.readAll(500);
  }, bounds);
  return { ...result, events, rate: (events * 1000) / result.ms };
}
