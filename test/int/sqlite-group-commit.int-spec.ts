import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import {
  DuplicateEventId,
  eventHash,
  ExpectedVersionConflict,
  GENESIS_HASH,
  SqliteEventStore,
  type AppendResult,
  type SqliteDurability,
} from '#event-store';
import { testEvent, testEvents } from '#event-store/testing';

/** Settles every append, started in the same turn of the event loop (so they form one group). */
function together(appends: Array<() => Promise<AppendResult>>): Promise<Array<PromiseSettledResult<AppendResult>>> {
  return Promise.allSettled(appends.map((append) => append()));
}

function valueOf(outcome: PromiseSettledResult<AppendResult> | undefined): AppendResult {
  if (outcome?.status !== 'fulfilled') throw new Error(`Expected a fulfilled append, got ${String(outcome?.status)}: ${String((outcome as PromiseRejectedResult | undefined)?.reason)}`);
  return outcome.value;
}

function reasonOf(outcome: PromiseSettledResult<AppendResult> | undefined): unknown {
  if (outcome?.status !== 'rejected') throw new Error(`Expected a rejected append, got ${String(outcome?.status)}`);
  return outcome.reason;
}

describe.each<SqliteDurability>(['normal', 'full'])('SqliteEventStore group commit (durability %s)', (durability) => {
  let dir: string;
  let filename: string;
  let store: SqliteEventStore;
  const extra: Array<{ close(): unknown }> = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'event-store-group-'));
    filename = join(dir, 'events.db');
    store = new SqliteEventStore({ filename, durability });
  });

  afterEach(async () => {
    for (const handle of extra.splice(0).reverse()) await handle.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits appends called in the same turn in one transaction, in call order', async () => {
    const before = store.commitStats();
    const streams = ['experiment-a', 'experiment-b', 'experiment-c', 'experiment-d'];
    const outcomes = await together(streams.map((stream) => () => store.appendToStream(stream, testEvents(2), { expectedVersion: 'no_stream' })));
    const after = store.commitStats();
    expect({ transactions: after.transactions - before.transactions, appends: after.appends - before.appends }).toEqual({ transactions: 1, appends: 4 });

    const positions = outcomes.map((o) => valueOf(o).position);
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
    const all: string[] = [];
    for await (const batch of store.readAll()) all.push(...batch.map((e) => e.streamId));
    expect(all).toEqual(streams.flatMap((s) => [s, s]));
  });

  it('fails only the conflicting append of a group; the others commit', async () => {
    await store.appendToStream('experiment-b', [testEvent()], { expectedVersion: 'no_stream' });
    const before = store.commitStats().transactions;
    const [a, b, c] = await together([
      () => store.appendToStream('experiment-a', [testEvent()], { expectedVersion: 'no_stream' }),
      () => store.appendToStream('experiment-b', testEvents(3), { expectedVersion: 0 }),
      () => store.appendToStream('experiment-c', [testEvent()], { expectedVersion: 0 }),
    ]);
    expect(store.commitStats().transactions - before).toBe(1);
    expect(valueOf(a).nextExpectedVersion).toBe(1);
    expect(reasonOf(b)).toBeInstanceOf(ExpectedVersionConflict);
    expect(reasonOf(b)).toMatchObject({ streamId: 'experiment-b', expected: 0, actual: 1 });
    expect(valueOf(c).nextExpectedVersion).toBe(1);
    expect(await store.readStream('experiment-a')).toHaveLength(1);
    expect(await store.readStream('experiment-b')).toHaveLength(1);
    expect(await store.readStream('experiment-c')).toHaveLength(1);
    expect(await store.headPosition()).toBe(valueOf(c).position);
  });

  it('fails only the append whose insert fails, undoing its earlier inserts', async () => {
    const raw = new Database(filename);
    extra.push(raw);
    raw.exec("CREATE TRIGGER boom BEFORE INSERT ON events WHEN NEW.type = 'Boom' BEGIN SELECT RAISE(ABORT, 'boom'); END");
    const [a, b, c] = await together([
      () => store.appendToStream('experiment-a', [testEvent()]),
      () => store.appendToStream('experiment-b', [testEvent(), testEvent(), testEvent({ type: 'Boom' })]),
      () => store.appendToStream('experiment-c', [testEvent()]),
    ]);
    expect(valueOf(a).nextExpectedVersion).toBe(1);
    expect(String(reasonOf(b))).toMatch(/boom/);
    expect(valueOf(c).nextExpectedVersion).toBe(1);
    expect(await store.readStream('experiment-b')).toEqual([]);
    expect(valueOf(c).position).toBe(valueOf(a).position + 1);
  });

  it('lets a second append to the same stream in a group see the first: versions, conflicts and the hash chain', async () => {
    const [first, second, stale, any] = await together([
      () => store.appendToStream('experiment-a', testEvents(2), { expectedVersion: 'no_stream' }),
      () => store.appendToStream('experiment-a', [testEvent()], { expectedVersion: 2 }),
      () => store.appendToStream('experiment-a', [testEvent()], { expectedVersion: 2 }),
      () => store.appendToStream('experiment-a', testEvents(2), { expectedVersion: 'any' }),
    ]);
    expect(valueOf(first).nextExpectedVersion).toBe(2);
    expect(valueOf(second).nextExpectedVersion).toBe(3);
    expect(reasonOf(stale)).toMatchObject({ streamId: 'experiment-a', expected: 2, actual: 3 });
    expect(valueOf(any).nextExpectedVersion).toBe(5);
    const read = await store.readStream('experiment-a');
    expect(read.map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
    expect(read[0].integrity.previousHash).toBe(GENESIS_HASH);
    for (const [i, event] of read.entries()) {
      if (i > 0) expect(event.integrity.previousHash).toBe(read[i - 1].integrity.hash);
      expect(eventHash(event.integrity.previousHash as string, event)).toBe(event.integrity.hash);
    }
  });

  it('treats a repeated append of the same ids in one group as idempotent, and a regrouping as a duplicate', async () => {
    const batch = testEvents(2);
    const [original, again, regrouped] = await together([
      () => store.appendToStream('experiment-a', batch, { expectedVersion: 'no_stream' }),
      () => store.appendToStream('experiment-a', batch, { expectedVersion: 'no_stream' }),
      () => store.appendToStream('experiment-b', [batch[1]]),
    ]);
    expect(valueOf(again)).toEqual(valueOf(original));
    expect(reasonOf(regrouped)).toBeInstanceOf(DuplicateEventId);
    expect(await store.readStream('experiment-a')).toHaveLength(2);
    expect(await store.readStream('experiment-b')).toEqual([]);
  });

  it('acknowledges an append only once another connection can read it', async () => {
    const raw = new Database(filename, { readonly: true });
    extra.push(raw);
    const count = raw.prepare<[string], number>('SELECT COUNT(*) FROM events WHERE stream_id = ?').pluck();
    const seenAtAck = await Promise.all(
      ['experiment-a', 'experiment-b', 'experiment-c'].map((stream) => store.appendToStream(stream, testEvents(2)).then(() => count.get(stream))),
    );
    expect(seenAtAck).toEqual([2, 2, 2]);
  });

  it('commits appends still queued when the store is closed', async () => {
    const pending = store.appendToStream('experiment-a', testEvents(3), { expectedVersion: 'no_stream' });
    await store.close();
    expect((await pending).nextExpectedVersion).toBe(3);
    store = new SqliteEventStore({ filename, durability });
    expect((await store.readStream('experiment-a')).map((e) => e.version)).toEqual([1, 2, 3]);
  });
});

describe('SqliteEventStore shared subscription reads', () => {
  let dir: string;
  let filename: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'event-store-reads-'));
    filename = join(dir, 'events.db');
    store = new SqliteEventStore({ filename, durability: 'normal' });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function firstBatch(after = 0) {
    const subscription = store.subscribe({ after });
    try {
      const next = await subscription[Symbol.asyncIterator]().next();
      if (next.done) throw new Error('The subscription ended');
      return next.value.events;
    } finally {
      await subscription.close();
    }
  }

  it('give each subscription events of its own', async () => {
    await store.appendToStream('experiment-a', [testEvent({ data: { n: 1 } })]);
    const [one] = await firstBatch();
    (one.data as { n: number }).n = 99;
    const [two] = await firstBatch();
    expect(two.data).toEqual({ n: 1 });
    expect(two).not.toBe(one);
  });

  it('see what another connection committed since, even within one turn of the event loop', async () => {
    await store.appendToStream('experiment-a', [testEvent({ data: { n: 1 } })]);
    expect((await firstBatch())[0].data).toEqual({ n: 1 });
    const raw = new Database(filename);
    try {
      raw.prepare(`UPDATE events SET data = '{"n":2}' WHERE position = 1`).run();
    } finally {
      raw.close();
    }
    expect((await firstBatch())[0].data).toEqual({ n: 2 });
  });

  it('see their own appends at once', async () => {
    await store.appendToStream('experiment-a', [testEvent()]);
    expect(await firstBatch()).toHaveLength(1);
    await store.appendToStream('experiment-a', [testEvent()]);
    expect(await firstBatch()).toHaveLength(2);
  });
});
