import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import {
  eventHash,
  EventStoreError,
  EventStoreUnavailable,
  GENESIS_HASH,
  SqliteEventStore,
  type SqliteDurability,
  type SqliteEventStoreOptions,
} from '#event-store';
import { describeEventStoreContract, testEvent, testEvents } from '#event-store/testing';

for (const durability of ['full', 'normal'] as const) {
  describeEventStoreContract(`SqliteEventStore, durability ${durability}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'event-store-contract-'));
    const filename = join(dir, 'events.db');
    const store = new SqliteEventStore({ filename, durability });
    const handles: SqliteEventStore[] = [store];
    return {
      store,
      openSecondWriter: async () => {
        const handle = new SqliteEventStore({ filename, durability });
        handles.push(handle);
        return handle;
      },
      cleanup: async () => {
        for (const handle of handles) await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
}

describe('SqliteEventStore specifics', () => {
  let dir: string;
  let filename: string;
  const open: Array<{ close(): unknown }> = [];

  function openStore(options: Partial<SqliteEventStoreOptions> = {}): SqliteEventStore {
    const store = new SqliteEventStore({ filename, durability: 'normal', ...options });
    open.push(store);
    return store;
  }

  function rawConnection(): Database.Database {
    const db = new Database(filename);
    open.push(db);
    return db;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'event-store-sqlite-'));
    filename = join(dir, 'nested', 'events.db');
  });

  afterEach(async () => {
    for (const handle of open.splice(0).reverse()) await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each<[SqliteDurability, string]>([
    ['full', 'full'],
    ['normal', 'normal'],
  ])('opens in WAL mode with durability %s as synchronous=%s and the busy timeout', (durability, synchronous) => {
    const store = openStore({ durability, busyTimeoutMs: 1234 });
    expect(store.kind).toBe('sqlite');
    expect(store.settings()).toEqual({ journalMode: 'wal', synchronous, busyTimeoutMs: 1234, schemaVersion: 1 });
  });

  it('defaults the busy timeout to 5 s', () => {
    expect(openStore().settings().busyTimeoutMs).toBe(5000);
  });

  it('creates the schema once and keeps the events across reopening', async () => {
    const first = openStore({ durability: 'full' });
    const stream = 'experiment-1';
    const { position } = await first.appendToStream(stream, testEvents(3), { expectedVersion: 'no_stream' });
    await first.close();

    const again = openStore({ durability: 'full' });
    const third = openStore({ durability: 'full' });
    expect(again.settings().schemaVersion).toBe(1);
    expect((await again.readStream(stream)).map((e) => e.version)).toEqual([1, 2, 3]);
    expect(await third.headPosition()).toBe(position);
    expect((await again.appendToStream(stream, [testEvent()], { expectedVersion: 3 })).nextExpectedVersion).toBe(4);
  });

  it('refuses a database written by a newer schema', async () => {
    await openStore().close();
    const raw = new Database(filename);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => new SqliteEventStore({ filename, durability: 'normal' })).toThrow(/schema version 99/);
    expect(() => new SqliteEventStore({ filename, durability: 'normal' })).toThrow(EventStoreError);
  });

  it('stamps recordedAt from the injected clock in UTC', async () => {
    const store = openStore({ clock: () => new Date('2026-03-01T12:34:56.789+01:00') });
    await store.appendToStream('experiment-1', testEvents(2));
    const read = await store.readStream('experiment-1');
    expect(read.map((e) => e.recordedAt)).toEqual(['2026-03-01T11:34:56.789Z', '2026-03-01T11:34:56.789Z']);
  });

  it('keeps the hash chain columns and returns them as integrity fields', async () => {
    const store = openStore();
    await store.appendToStream('experiment-1', [testEvent()]);
    const columns = rawConnection()
      .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('events')")
      .all()
      .map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(['position', 'event_id', 'stream_id', 'version', 'previous_hash', 'hash', 'recorded_at']));
    const [event] = await store.readStream('experiment-1');
    expect(event.integrity).toEqual({ previousHash: GENESIS_HASH, hash: eventHash(GENESIS_HASH, event) });
  });

  it('never reuses a position, even after the newest row is deleted', async () => {
    const store = openStore();
    const { position } = await store.appendToStream('experiment-1', testEvents(2));
    const raw = rawConnection();
    raw.prepare('DELETE FROM events WHERE position = ?').run(position);
    raw.prepare("UPDATE streams SET version = 1 WHERE stream_id = 'experiment-1'").run();
    const next = await store.appendToStream('experiment-2', [testEvent()]);
    expect(next.position).toBeGreaterThan(position);
  });

  it('reports a write lock held past the busy timeout as EventStoreUnavailable and writes nothing', async () => {
    const store = openStore({ busyTimeoutMs: 100 });
    await store.appendToStream('experiment-1', [testEvent()]);
    const other = rawConnection();
    other.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const error = await store.appendToStream('experiment-1', testEvents(2), { expectedVersion: 1 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EventStoreUnavailable);
      expect((error as Error).message).toMatch(/locked by another connection.*100 ms/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(90);
      expect(await store.readStream('experiment-1')).toHaveLength(1);
    } finally {
      other.exec('ROLLBACK');
    }
    expect((await store.appendToStream('experiment-1', testEvents(2), { expectedVersion: 1 })).nextExpectedVersion).toBe(3);
  });

  it('rolls back the whole append when one insert fails', async () => {
    const store = openStore();
    await store.appendToStream('experiment-1', [testEvent()]);
    rawConnection().exec(
      "CREATE TRIGGER boom BEFORE INSERT ON events WHEN NEW.type = 'Boom' BEGIN SELECT RAISE(ABORT, 'boom'); END",
    );
    const events = [testEvent(), testEvent(), testEvent({ type: 'Boom' })];
    await expect(store.appendToStream('experiment-1', events, { expectedVersion: 1 })).rejects.toThrow(/boom/);
    expect(await store.readStream('experiment-1')).toHaveLength(1);
    expect((await store.appendToStream('experiment-1', [testEvent()], { expectedVersion: 1 })).nextExpectedVersion).toBe(2);
  });

  it('treats odd maxCount values like the in-memory range selection', async () => {
    const store = openStore();
    await store.appendToStream('experiment-1', testEvents(5));
    const count = async (maxCount: number) => (await store.readStream('experiment-1', { maxCount })).length;
    expect([await count(2.7), await count(Infinity), await count(-1), await count(0)]).toEqual([2, 5, 0, 0]);
  });

  it('opens through the async factory, creating missing directories', async () => {
    filename = join(dir, 'a', 'b', 'events.db');
    const store = await SqliteEventStore.open({ filename, durability: 'full' });
    open.push(store);
    expect((await store.appendToStream('experiment-1', [testEvent()])).position).toBe(1);
    expect(existsSync(filename)).toBe(true);
  });

  it('rejects data that is not JSON before touching the database', async () => {
    const store = openStore();
    await expect(store.appendToStream('experiment-1', [testEvent({ data: { n: 1n } })])).rejects.toThrow(/not serialisable as JSON/);
    expect(await store.headPosition()).toBe(0);
  });

  it('picks up appends made through another connection by polling', async () => {
    const reader = openStore({ pollIntervalMs: 20 });
    const writer = openStore();
    const subscription = reader.subscribe();
    const iterator = subscription[Symbol.asyncIterator]();
    try {
      const next = iterator.next();
      const event = testEvent();
      await writer.appendToStream('experiment-1', [event]);
      const result = await next;
      if (result.done) throw new Error('The subscription ended instead of delivering');
      expect(result.value.events.map((e) => e.eventId)).toEqual([event.eventId]);
    } finally {
      await subscription.close();
    }
  });
});
