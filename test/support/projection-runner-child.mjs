// A projection runner over <dataDir>/events.db and <dataDir>/read-models.db, as a separate process that the
// projection-crash e2e test kills. Usage: node test/support/projection-runner-child.mjs <dataDir> [stallAtPosition|-1] [paceEvery]
// Two counting projections record one row per application (no unique key, so a double apply shows as a
// duplicate). At `stallAtPosition` the apply announces "STALL <position>" and blocks inside the open batch
// transaction, so the parent can SIGKILL it mid-batch. With `paceEvery` > 0 it pauses 1 ms after every that many
// applies (so the parent can kill it part-way however fast the runner is). Prints "DONE <reached>" once caught
// up, then exits.
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '../../dist/libs/event-store/src/index.js';
import { openReadModelDb, ProjectionRunner, projectionTable } from '../../dist/libs/projections/src/index.js';

const [dataDir, stallArg, paceArg] = process.argv.slice(2);
const stallAt = stallArg ? Number(stallArg) : -1;
const paceEvery = paceArg ? Number(paceArg) : 0;
let applied = 0;
const pause = new Int32Array(new SharedArrayBuffer(4));

function countingProjection(name, handles) {
  const table = projectionTable({ name, version: 1 }, 'applied');
  const inserts = new WeakMap();
  return {
    name,
    version: 1,
    handles,
    setup(db) {
      db.exec(`CREATE TABLE IF NOT EXISTS "${table}" (id INTEGER PRIMARY KEY AUTOINCREMENT, position INTEGER NOT NULL, pid INTEGER NOT NULL)`);
    },
    apply(db, event) {
      let insert = inserts.get(db);
      if (!insert) inserts.set(db, (insert = db.prepare(`INSERT INTO "${table}" (position, pid) VALUES (?, ?)`)));
      insert.run(event.position, process.pid);
      if (event.position === stallAt) {
        writeSync(1, `STALL ${event.position}\n`);
        Atomics.wait(pause, 0, 0, 60_000);
      }
      if (paceEvery > 0 && ++applied % paceEvery === 0) Atomics.wait(pause, 0, 0, 1);
    },
  };
}

const store = new SqliteEventStore({ filename: join(dataDir, 'events.db'), durability: 'normal' });
const db = openReadModelDb(join(dataDir, 'read-models.db'));
const runner = new ProjectionRunner({
  store,
  db,
  projections: [countingProjection('crash-all', ['Tick', 'Tock']), countingProjection('crash-ticks', ['Tick'])],
  batchSize: 500,
});
await runner.start();
const reached = await runner.waitFor(await store.headPosition(), 60_000);
writeSync(1, `DONE ${reached}\n`);
await runner.stop();
await store.close();
db.close();
