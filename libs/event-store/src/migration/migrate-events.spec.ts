import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RecordedEvent } from '../envelope.js';
import type { EventStore } from '../event-store.port.js';
import { InMemoryEventStore } from '../in-memory/in-memory-event-store.js';
import { SqliteEventStore } from '../sqlite/sqlite-event-store.js';
import { testEvent } from '../testing/test-event.js';
import {
  appendGroups,
  migrateEvents,
  MigrationError,
  MigrationInterrupted,
  RecordedAtClock,
  type MigrationCheckpoint,
  type MigrationCheckpointStore,
} from './migrate-events.js';
import { MigrationProgressFile } from './migration-progress-file.js';

/** A clock that moves one second per append, so every append of the source has its own recordedAt. */
function steppingClock(): () => Date {
  let t = Date.parse('2019-01-01T08:00:00.000Z');
  return () => new Date((t += 1000));
}

const streams = ['experiment-a', 'collaboration-b', 'network-c', 'person-d', 'experiment-e'];

/** 60 appends of one to three events over five streams, interleaved, with every metadata field set. */
async function fillSource(store: EventStore, appends = 60): Promise<void> {
  for (let i = 0; i < appends; i++) {
    const streamId = streams[(i * 7) % streams.length];
    const count = 1 + (i % 3);
    const events = Array.from({ length: count }, (_, j) =>
      testEvent({
        type: j === 0 ? 'ThingHappened' : 'OtherThingHappened',
        data: { i, j, text: `event ${i}.${j}`, nested: { list: [1, 2, { k: 'v' }] } },
        metadata: {
          correlationId: `corr-${i}`,
          causationId: j === 0 ? null : `cause-${i}`,
          actor: { id: `user-${i % 4}`, role: i % 2 === 0 ? 'staff' : 'lead' },
          occurredAt: `2018-0${1 + (i % 9)}-15T10:00:00.000Z`,
          schemaVersion: 1 + (i % 2),
          source: i % 5 === 0 ? 'demo' : 'api',
        },
      }),
    );
    await store.appendToStream(streamId, events);
  }
}

async function everything(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for await (const batch of store.readAll()) all.push(...batch);
  return all;
}

/** What a faithful copy keeps: everything but the global position. */
function essence(events: readonly RecordedEvent[]) {
  return events.map(({ position: _position, ...rest }) => rest);
}

class MemoryCheckpoints implements MigrationCheckpointStore {
  saved: MigrationCheckpoint | null = null;
  saves = 0;
  load(): MigrationCheckpoint | null {
    return this.saved;
  }
  save(checkpoint: MigrationCheckpoint): void {
    this.saves++;
    this.saved = structuredClone(checkpoint);
  }
}

describe('migrateEvents', () => {
  let dir: string;
  const open: EventStore[] = [];
  const track = <T extends EventStore>(store: T): T => {
    open.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracker-migrate-'));
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  const sqliteSource = async () => {
    const source = track(new SqliteEventStore({ filename: join(dir, 'source.db'), durability: 'normal', clock: steppingClock() }));
    await fillSource(source);
    return source;
  };
  const sqliteTarget = (name = 'target.db') => {
    const recordedAt = new RecordedAtClock();
    const store = track(new SqliteEventStore({ filename: join(dir, name), durability: 'normal', clock: recordedAt.clock }));
    return { store, recordedAt };
  };

  it('copies into SQLite with the same ids, types, data, metadata, versions, recordedAt, hashes and global order', async () => {
    const source = await sqliteSource();
    const target = sqliteTarget();
    const summary = await migrateEvents({ source, target: target.store, recordedAt: target.recordedAt, maxAppendEvents: 2 });

    const copied = await everything(target.store);
    const original = await everything(source);
    expect(original).toHaveLength(120);
    expect(essence(copied)).toEqual(essence(original));
    // An empty SQLite target numbers the copies exactly as the source did.
    expect(copied.map((e) => e.position)).toEqual(original.map((e) => e.position));
    expect(copied.every((e) => e.integrity.hash !== null)).toBe(true);
    expect(summary).toMatchObject({ copied: 120, skipped: 0, earlier: 0, streams: 5, hashesKept: 120, hashesChanged: 0, position: 120, head: 120 });
  });

  it('copies into memory, keeping recordedAt in the metadata when the target cannot keep it itself', async () => {
    const source = await sqliteSource();
    const target = track(new InMemoryEventStore(() => new Date('2030-01-01T00:00:00.000Z')));
    const summary = await migrateEvents({ source, target, recordedAt: 'metadata' });

    const original = await everything(source);
    const copied = await everything(target);
    expect(summary.copied).toBe(original.length);
    expect(copied.map((e) => [e.eventId, e.streamId, e.version, e.type, e.data])).toEqual(
      original.map((e) => [e.eventId, e.streamId, e.version, e.type, e.data]),
    );
    expect(copied.map((e) => e.metadata)).toEqual(original.map((e) => ({ ...e.metadata, recordedAt: e.recordedAt })));
    expect(new Set(copied.map((e) => e.recordedAt))).toEqual(new Set(['2030-01-01T00:00:00.000Z']));
    // The target chains the metadata it was given, which now holds recordedAt: the hashes differ, and it says so.
    expect(summary).toMatchObject({ hashesKept: 0, hashesChanged: original.length });
    expect(summary.firstHashChange).toContain(original[0].eventId);

    // Copied back with the clock, the carried recordedAt becomes the store's own again and leaves the metadata:
    // the copy of the copy is the original, hashes included.
    const back = sqliteTarget('back.db');
    await migrateEvents({ source: target, target: back.store, recordedAt: back.recordedAt });
    expect(essence(await everything(back.store))).toEqual(essence(original));
  });

  const targets: Array<[string, () => { store: EventStore; recordedAt: RecordedAtClock | 'metadata' }]> = [
    ['SQLite', () => sqliteTarget()],
    ['memory', () => ({ store: track(new InMemoryEventStore()), recordedAt: 'metadata' })],
  ];

  it.each(targets)('resumes after an interruption from the checkpoint, without duplicates (%s target)', async (_name, makeTarget) => {
    const source = await sqliteSource();
    const target = makeTarget();
    const checkpoints = new MemoryCheckpoints();
    const abort = new AbortController();
    const interrupted = await migrateEvents({
      source,
      target: target.store,
      recordedAt: target.recordedAt,
      checkpoints,
      readBatchSize: 10,
      onProgress: (p) => p.copied >= 45 && abort.abort(),
      signal: abort.signal,
    }).catch((error: unknown) => error);
    expect(interrupted).toBeInstanceOf(MigrationInterrupted);
    const partial = (interrupted as MigrationInterrupted).summary;
    expect(partial.copied).toBeGreaterThanOrEqual(45);
    expect(partial.copied).toBeLessThan(120);
    expect(checkpoints.saved).toMatchObject({ position: partial.position, copied: partial.copied, completed: false });
    expect(await target.store.headPosition()).toBe(partial.position);

    const resumed = await migrateEvents({ source, target: target.store, recordedAt: target.recordedAt, checkpoints, readBatchSize: 10 });
    expect(resumed).toMatchObject({ startPosition: partial.position, earlier: partial.copied, copied: 120 - partial.copied, skipped: 0 });
    expect(checkpoints.saved).toMatchObject({ position: 120, copied: 120, skipped: 0, completed: true });
    const copied = await everything(target.store);
    const original = await everything(source);
    expect(copied.map((e) => [e.eventId, e.streamId, e.version, e.type, e.data, e.position])).toEqual(
      original.map((e) => [e.eventId, e.streamId, e.version, e.type, e.data, e.position]),
    );

    const rerun = await migrateEvents({ source, target: target.store, recordedAt: target.recordedAt, checkpoints, restart: true });
    expect(rerun).toMatchObject({ copied: 0, skipped: 120 });
    expect(await target.store.headPosition()).toBe(120);
  });

  it('skips what a run copied after its last saved checkpoint (a crash between append and save)', async () => {
    const source = await sqliteSource();
    const target = sqliteTarget();
    const file = join(dir, 'migration-progress.json');
    const crashing: MigrationCheckpointStore = {
      load: () => null,
      save: () => {
        throw new Error('disk full');
      },
    };
    const failed = await migrateEvents({ source, target: target.store, recordedAt: target.recordedAt, checkpoints: crashing, readBatchSize: 25 }).catch(
      (error: unknown) => error,
    );
    expect((failed as Error).message).toBe('disk full');
    expect(await target.store.headPosition()).toBeGreaterThan(0);

    // The progress file of an earlier, shorter run: positions 1..10.
    const progress = new MigrationProgressFile(file, 'source', 'target');
    const first = (await everything(source)).filter((e) => e.position <= 10);
    const last = first[first.length - 1];
    progress.save({ position: 10, last: { streamId: last.streamId, version: last.version, eventId: last.eventId }, copied: 10, skipped: 0, completed: false });

    const resumed = await migrateEvents({ source, target: target.store, recordedAt: target.recordedAt, checkpoints: progress });
    expect(resumed.startPosition).toBe(10);
    expect(resumed.skipped).toBe(25 - 10);
    expect(resumed.copied).toBe(120 - 25);
    expect(essence(await everything(target.store))).toEqual(essence(await everything(source)));
  });

  it('is idempotent: a rerun from the start copies nothing, a rerun from a completed checkpoint copies only what is new', async () => {
    const source = await sqliteSource();
    const target = sqliteTarget();
    const checkpoints = new MemoryCheckpoints();
    await migrateEvents({ source, target: target.store, recordedAt: target.recordedAt, checkpoints });

    const rerun = await migrateEvents({ source, target: target.store, recordedAt: target.recordedAt, checkpoints, restart: true });
    expect(rerun).toMatchObject({ copied: 0, skipped: 120, streams: 0, startPosition: 0 });

    await source.appendToStream('experiment-a', [testEvent({ type: 'Late' })]);
    await source.appendToStream('network-z', [testEvent({ type: 'New' })]);
    const delta = await migrateEvents({ source, target: target.store, recordedAt: target.recordedAt, checkpoints });
    expect(delta).toMatchObject({ copied: 2, skipped: 0, earlier: 120, startPosition: 120, position: 122, streams: 2 });
    expect(essence(await everything(target.store))).toEqual(essence(await everything(source)));

    const nothing = await migrateEvents({ source, target: target.store, recordedAt: target.recordedAt, checkpoints });
    expect(nothing).toMatchObject({ copied: 0, skipped: 0, startPosition: 122, position: 122 });
  });

  it('refuses a target that is not a copy of the source', async () => {
    const source = await sqliteSource();

    const other = sqliteTarget('other.db');
    await other.store.appendToStream('experiment-a', [testEvent()]);
    await expect(migrateEvents({ source, target: other.store, recordedAt: other.recordedAt })).rejects.toThrow(
      /stream experiment-a holds event .* at version 1 where the source has/,
    );

    // A checkpoint whose last event the target does not hold: another target, or one that lost events.
    const empty = sqliteTarget('empty.db');
    const [first] = await everything(source);
    const checkpoints = new MemoryCheckpoints();
    checkpoints.saved = { position: 1, last: { streamId: first.streamId, version: 1, eventId: first.eventId }, copied: 1, skipped: 0, completed: false };
    await expect(migrateEvents({ source, target: empty.store, recordedAt: empty.recordedAt, checkpoints })).rejects.toThrow(MigrationError);
    await expect(migrateEvents({ source, target: empty.store, recordedAt: empty.recordedAt, checkpoints })).rejects.toThrow(
      /target lacks event .*Start over from the beginning/,
    );

    // Resuming past a stream's first events into a target that lacks them.
    checkpoints.saved = { position: 1, last: null, copied: 1, skipped: 0, completed: false };
    await expect(migrateEvents({ source, target: empty.store, recordedAt: empty.recordedAt, checkpoints })).rejects.toThrow(
      /stream experiment-a has 0 events, but the next event to copy .* is its event 2: the target lacks earlier events/,
    );
  });

  it('reports events whose stored hash differs from the hash the target computes (a broken chain in the source)', async () => {
    const source = await sqliteSource();
    await source.close();
    const raw = new Database(join(dir, 'source.db'));
    raw.prepare("UPDATE events SET data = json_set(data, '$.text', 'edited') WHERE position = 7").run();
    raw.close();
    const reopened = track(new SqliteEventStore({ filename: join(dir, 'source.db'), durability: 'normal' }));
    const target = sqliteTarget();
    const summary = await migrateEvents({ source: reopened, target: target.store, recordedAt: target.recordedAt });
    expect(summary.copied).toBe(120);
    expect(summary.hashesChanged).toBeGreaterThanOrEqual(1);
    expect(summary.hashesKept).toBe(120 - summary.hashesChanged);
    const seventh = (await everything(reopened))[6];
    expect(summary.firstHashChange).toContain(seventh.eventId);
  });
});

describe('appendGroups', () => {
  const event = (streamId: string, recordedAt: string, size = 1): RecordedEvent => ({
    ...testEvent({ data: { text: 'x'.repeat(size) } }),
    streamId,
    version: 1,
    position: 1,
    recordedAt,
    integrity: { previousHash: null, hash: null },
  });

  it('groups consecutive events of one stream recorded together, within the count and size limits', () => {
    const t1 = '2019-01-01T00:00:00.000Z';
    const t2 = '2019-01-01T00:00:01.000Z';
    const events = [event('a', t1), event('a', t1), event('a', t2), event('b', t2), event('a', t2), event('a', t2), event('a', t2)];
    expect(appendGroups(events, 2, 1_000_000).map((g) => g.map((e) => e.streamId).join(''))).toEqual(['aa', 'a', 'b', 'aa', 'a']);
    const big = [event('a', t1, 600), event('a', t1, 600), event('a', t1, 10_000)];
    expect(appendGroups(big, 100, 3000).map((g) => g.length)).toEqual([2, 1]);
  });
});

describe('MigrationProgressFile', () => {
  it('keeps the checkpoint of one source and target, and ignores any other file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracker-progress-'));
    try {
      const file = join(dir, 'nested', 'migration-progress.json');
      const progress = new MigrationProgressFile(file, 'sqlite:/a', 'esdb://b');
      expect(progress.load()).toBeNull();
      const checkpoint: MigrationCheckpoint = { position: 5, last: { streamId: 's', version: 2, eventId: 'e' }, copied: 4, skipped: 1, completed: false };
      progress.save(checkpoint);
      expect(new MigrationProgressFile(file, 'sqlite:/a', 'esdb://b').load()).toEqual(checkpoint);

      const other = new MigrationProgressFile(file, 'sqlite:/a', 'esdb://c');
      expect(other.load()).toBeNull();
      expect(other.ignored).toContain('from sqlite:/a to esdb://b');

      writeFileSync(file, '{"format": 1, "position": "x"}');
      const garbled = new MigrationProgressFile(file, 'sqlite:/a', 'esdb://b');
      expect(garbled.load()).toBeNull();
      expect(garbled.ignored).toContain('is not a migration progress file');
      progress.remove();
      expect(progress.load()).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
