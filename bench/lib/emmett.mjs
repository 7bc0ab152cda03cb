import { getSQLiteEventStore, readMessagesBatch, sqliteConnection } from '@event-driven-io/emmett-sqlite';
import { toEmmett } from './events.mjs';
import { sleep } from './util.mjs';

const TRANSIENT = /SQLITE_BUSY|database is locked|cannot change into wal mode/i;
const MAX_ATTEMPTS = 10;

/** Emmett's sporadic lock errors, retried and counted over the whole run. */
export const emmettRetries = { busy: 0, walMode: 0 };

async function withRetry(fn) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const message = String(error?.message ?? error);
      if (!TRANSIENT.test(message) || attempt >= MAX_ATTEMPTS) throw error;
      if (/wal mode/i.test(message)) emmettRetries.walMode++;
      else emmettRetries.busy++;
      await sleep(2 * attempt);
    }
  }
}

/**
 * E1: Emmett's SQLite event store on one shared connection (singleton, as fair as our single connection),
 * WAL with the same synchronous level as the case it is compared with. Calls must not overlap: Emmett's
 * connection nests transactions with a counter, so concurrent appends would share one transaction.
 */
export async function openEmmett(file, synchronous) {
  const connection = sqliteConnection({ fileName: file });
  await withRetry(() => connection.command('PRAGMA journal_mode = WAL'));
  await withRetry(() => connection.command(`PRAGMA synchronous = ${synchronous}`));
  const store = getSQLiteEventStore({ fileName: file, connectionOptions: { singleton: true, connection } });
  await withRetry(() => store.schema.migrate());
  return {
    append: (stream, events, expectedVersion) =>
      withRetry(() => store.appendToStream(stream, events.map(toEmmett), { expectedStreamVersion: BigInt(expectedVersion) })),
    readStream: async (stream) => (await withRetry(() => store.readStream(stream))).events,
    /** The global log in batches, as Emmett's own consumers read it; returns the number of events. */
    async readAll(batchSize) {
      let after = 0n;
      let count = 0;
      for (;;) {
        const batch = await withRetry(() => readMessagesBatch(connection, { after, batchSize }));
        count += batch.messages.length;
        if (!batch.areEventsLeft) return count;
        after = batch.currentGlobalPosition;
      }
    },
    async close() {
      connection.close(); // Emmett's close does not report completion: give node-sqlite3 a moment to finish
      await sleep(50);
    },
  };
}
