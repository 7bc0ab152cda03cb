import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EventStore,
  InMemoryEventStore,
  type AppendOptions,
  type EventToAppend,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionBatch,
} from '#event-store';
import { CheckpointStore } from './checkpoint-store.js';
import type { ProjectionLogger } from './logger.js';
import { ProjectionRunner } from './projection-runner.js';
import { openReadModelDb, readModelDbPath, type ReadModelDb } from './read-model-db.js';
import { ProjectionLeases } from './rebuild/projection-lease.js';
import { event, recordingProjection } from './testing/fixtures.js';

const ticks = (n: number) => Array.from({ length: n }, (_, i) => event('Tick', { i }));

/** Delegates to an in-memory store; subclasses change how subscriptions behave. */
class DelegatingStore extends EventStore {
  readonly kind: string = 'delegating';
  constructor(readonly inner: InMemoryEventStore) {
    super();
  }
  appendToStream(streamId: string, events: readonly EventToAppend[], options?: AppendOptions) {
    return this.inner.appendToStream(streamId, events, options);
  }
  readStream(streamId: string, options?: ReadStreamOptions) {
    return this.inner.readStream(streamId, options);
  }
  readAll(options?: ReadAllOptions) {
    return this.inner.readAll(options);
  }
  headPosition() {
    return this.inner.headPosition();
  }
  close() {
    return this.inner.close();
  }
  subscribe(options?: SubscribeOptions): Subscription {
    return this.inner.subscribe(options);
  }
}

/** Ignores `after` (always from 0) and delivers every batch twice: the runner must apply each event once. */
class RedeliveringStore extends DelegatingStore {
  override subscribe(options: SubscribeOptions = {}): Subscription {
    const inner = this.inner.subscribe({ ...options, after: 0 });
    async function* twice(): AsyncGenerator<SubscriptionBatch> {
      for await (const batch of inner) {
        yield batch;
        yield { events: batch.events.map((e) => structuredClone(e)), checkpoint: batch.checkpoint };
      }
    }
    const iterator = twice();
    return { [Symbol.asyncIterator]: () => iterator, close: () => inner.close() };
  }
}

function capturingLogger() {
  const lines: string[] = [];
  const log = (objOrMsg: object | string, msg?: string) => {
    lines.push(typeof objOrMsg === 'string' ? objOrMsg : (msg ?? JSON.stringify(objOrMsg)));
  };
  const logger: ProjectionLogger = { info: jest.fn(log), warn: jest.fn(log), error: jest.fn(log) };
  return { logger, lines };
}

describe('ProjectionRunner', () => {
  let dir: string;
  let file: string;
  const open: ReadModelDb[] = [];
  const runners: ProjectionRunner[] = [];
  const openDb = () => {
    const db = openReadModelDb(file);
    open.push(db);
    return db;
  };
  const track = (runner: ProjectionRunner) => {
    runners.push(runner);
    return runner;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'projections-'));
    file = readModelDbPath(dir);
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    for (const db of open.splice(0)) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('checkpoints', () => {
    it('persists the checkpoint, and a new runner resumes after it without applying anything twice', async () => {
      const store = new InMemoryEventStore();
      await store.appendToStream('t-1', [...ticks(3), event('Other'), ...ticks(2), event('Other')]);
      const db1 = openDb();
      const first = recordingProjection('counter');
      const runner1 = track(new ProjectionRunner({ store, db: db1, projections: [first] }));
      await runner1.start();
      expect(await runner1.waitFor(7, 2000)).toBe(true);
      expect(first.rows(db1).map((r) => r.position)).toEqual([1, 2, 3, 5, 6]);
      expect(new CheckpointStore(db1).get('counter')).toMatchObject({ version: 1, position: 7, state: 'running' });
      await runner1.stop();
      db1.close();

      await store.appendToStream('t-1', ticks(3));
      const db2 = openDb();
      const second = recordingProjection('counter');
      const runner2 = track(new ProjectionRunner({ store, db: db2, projections: [second] }));
      await runner2.start();
      expect(await runner2.waitFor(10, 2000)).toBe(true);
      expect(second.rows(db2).map((r) => r.position)).toEqual([1, 2, 3, 5, 6, 8, 9, 10]);
      expect((await runner2.status())[0]).toMatchObject({ name: 'counter', state: 'running', checkpoint: 10, lag: 0 });
    });

    it('skips a redelivered batch, and events at or below the checkpoint, inside the transaction', async () => {
      const inner = new InMemoryEventStore();
      const store = new RedeliveringStore(inner);
      await inner.appendToStream('t-1', ticks(4));
      const db = openDb();
      const projection = recordingProjection('counter');
      const runner = track(new ProjectionRunner({ store, db, projections: [projection], batchSize: 2 }));
      await runner.start();
      expect(await runner.waitFor(4, 2000)).toBe(true);
      await runner.stop();

      await inner.appendToStream('t-1', ticks(1));
      const again = track(new ProjectionRunner({ store, db, projections: [projection], batchSize: 2 }));
      await again.start();
      expect(await again.waitFor(5, 2000)).toBe(true);
      expect(projection.rows(db).map((r) => r.position)).toEqual([1, 2, 3, 4, 5]);
    });
  });

  describe('following the log', () => {
    it('applies events appended after start, visible once waitFor resolves', async () => {
      const store = new InMemoryEventStore();
      const db = openDb();
      const projection = recordingProjection('counter');
      const runner = track(new ProjectionRunner({ store, db, projections: [projection] }));
      await runner.start();
      const { position } = await store.appendToStream('t-1', ticks(2));
      expect(await runner.waitFor(position, 2000)).toBe(true);
      expect(projection.rows(db)).toHaveLength(2);
      const next = await store.appendToStream('t-2', ticks(1));
      expect(await runner.waitFor(next.position, 2000)).toBe(true);
      expect(projection.rows(db).map((r) => r.position)).toEqual([1, 2, 3]);
    });

    it('waitFor resolves false on timeout, on stop, and at once when not running', async () => {
      const store = new InMemoryEventStore();
      await store.appendToStream('t-1', ticks(1));
      const db = openDb();
      const runner = track(new ProjectionRunner({ store, db, projections: [recordingProjection('counter')] }));
      expect(await runner.waitFor(1, 5000)).toBe(false);
      await runner.start();
      const started = Date.now();
      expect(await runner.waitFor(99, 50)).toBe(false);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(await runner.waitFor(1, 2000)).toBe(true);
      const pending = runner.waitFor(99, 60_000);
      await runner.stop();
      expect(await pending).toBe(false);
      await expect(runner.waitFor(1, 10, { projections: ['nope'] })).rejects.toThrow('Unknown projection: nope');
    });

    it('stop closes the subscriptions: later appends are not applied until started again', async () => {
      const store = new InMemoryEventStore();
      const db = openDb();
      const projection = recordingProjection('counter');
      const runner = track(new ProjectionRunner({ store, db, projections: [projection] }));
      await runner.start();
      await store.appendToStream('t-1', ticks(1));
      expect(await runner.waitFor(1, 2000)).toBe(true);
      await runner.stop();
      await store.appendToStream('t-1', ticks(1));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await runner.status()).toEqual([{ name: 'counter', version: 1, state: 'stopped', checkpoint: 1, lag: 1 }]);
      await runner.start();
      expect(await runner.waitFor(2, 2000)).toBe(true);
      expect(projection.rows(db)).toHaveLength(2);
    });
  });

  describe('shared transactions', () => {
    it('applies the batches every projection brings for the same events in one read-model transaction', async () => {
      const store = new InMemoryEventStore();
      const db = openDb();
      const projections = ['first', 'second', 'third'].map((name) => recordingProjection(name));
      const runner = track(new ProjectionRunner({ store, db, projections, pollIntervalMs: 0 }));
      await runner.start();
      const transactions = jest.spyOn(db, 'transaction');
      const { position } = await store.appendToStream('t-1', ticks(2));
      expect(await runner.waitFor(position, 2000)).toBe(true);
      expect(transactions).toHaveBeenCalledTimes(1);
      for (const projection of projections) expect(projection.rows(db).map((r) => r.position)).toEqual([1, 2]);
      expect(new CheckpointStore(db).all().map((c) => [c.name, c.position])).toEqual([
        ['first', 2],
        ['second', 2],
        ['third', 2],
      ]);
    });

    it('keeps a failing batch out of the shared transaction: the others commit, the failing one is parked alone', async () => {
      const store = new InMemoryEventStore();
      const db = openDb();
      const fragile = recordingProjection('fragile');
      const steady = recordingProjection('steady');
      const runner = track(new ProjectionRunner({ store, db, projections: [fragile, steady], pollIntervalMs: 0 }));
      await runner.start();
      fragile.failWith = (type) => (type === 'Poison' ? new Error('cannot apply Poison') : undefined);
      const { position } = await store.appendToStream('t-1', [event('Tick'), event('Poison'), event('Tick')]);
      expect(await runner.waitFor(position, 2000)).toBe(true);
      expect(steady.rows(db).map((r) => r.position)).toEqual([1, 2, 3]);
      expect(fragile.rows(db).map((r) => r.position)).toEqual([1]);
      expect(new CheckpointStore(db).get('fragile')).toMatchObject({ state: 'parked', position: 1, parked: { position: 2 } });
      expect(new CheckpointStore(db).get('steady')).toMatchObject({ state: 'running', position: 3 });
    });

    it('hands the event loop back between batches while catching up', async () => {
      const store = new InMemoryEventStore();
      await store.appendToStream('t-1', ticks(1000));
      const db = openDb();
      const projection = recordingProjection('counter');
      const runner = track(new ProjectionRunner({ store, db, projections: [projection], batchSize: 100, pollIntervalMs: 0 }));
      await runner.start();
      const appliedWhenTheLoopTurned = await new Promise<number>((resolve) => setImmediate(() => resolve(projection.rows(db).length)));
      expect(appliedWhenTheLoopTurned).toBeLessThan(1000);
      expect(await runner.waitFor(1000, 5000)).toBe(true);
      expect(projection.rows(db)).toHaveLength(1000);
    });
  });

  describe('poison events', () => {
    it('parks only the failing projection at the culprit, keeps the others going, and resumes after the fix', async () => {
      const store = new InMemoryEventStore();
      const poison = event('Poison');
      await store.appendToStream('t-1', [...ticks(2), poison, ...ticks(1)]);
      const db = openDb();
      const fragile = recordingProjection('fragile');
      fragile.failWith = (type) => (type === 'Poison' ? new Error('cannot apply Poison') : undefined);
      const steady = recordingProjection('steady');
      const { logger, lines } = capturingLogger();
      const runner = track(new ProjectionRunner({ store, db, projections: [fragile, steady], logger }));
      await runner.start();

      expect(await runner.waitFor(4, 2000)).toBe(true);
      expect(fragile.rows(db).map((r) => r.position)).toEqual([1, 2]);
      expect(steady.rows(db).map((r) => r.position)).toEqual([1, 2, 3, 4]);
      const [fragileStatus, steadyStatus] = await runner.status();
      expect(fragileStatus).toEqual({
        name: 'fragile',
        version: 1,
        state: 'parked',
        checkpoint: 2,
        lag: 2,
        parked: { eventId: poison.eventId, position: 3, error: 'cannot apply Poison' },
      });
      expect(steadyStatus).toMatchObject({ state: 'running', checkpoint: 4 });
      expect(new CheckpointStore(db).get('fragile')).toMatchObject({ state: 'parked', position: 2 });
      expect(lines.some((l) => l.includes('fragile parked at position 3'))).toBe(true);

      await store.appendToStream('t-1', ticks(1));
      expect(await runner.waitFor(5, 2000)).toBe(true);
      expect(steady.rows(db)).toHaveLength(5);
      await runner.stop();

      const restarted = track(new ProjectionRunner({ store, db, projections: [fragile, steady] }));
      await restarted.start();
      expect((await restarted.status())[0]).toMatchObject({ state: 'parked', checkpoint: 2 });

      await restarted.resume('fragile');
      const before = Date.now();
      expect(await restarted.waitFor(5, 5000, { projections: ['fragile'] })).toBe(false);
      expect(Date.now() - before).toBeLessThan(1000);
      expect((await restarted.status())[0]).toMatchObject({ state: 'parked', parked: { position: 3 } });
      expect(await restarted.waitFor(5, 2000)).toBe(true);

      fragile.failWith = () => undefined;
      await restarted.resume('fragile');
      expect(await restarted.waitFor(5, 2000, { projections: ['fragile'] })).toBe(true);
      expect(fragile.rows(db).map((r) => r.position)).toEqual([1, 2, 3, 4, 5]);
      const status = (await restarted.status())[0];
      expect(status).toMatchObject({ state: 'running', checkpoint: 5 });
      expect(status.parked).toBeUndefined();
      expect(new CheckpointStore(db).get('fragile')).toMatchObject({ state: 'running', parked: null, position: 5 });
    });

    it('retries a transient SQLite error instead of parking', async () => {
      const store = new InMemoryEventStore();
      await store.appendToStream('t-1', ticks(3));
      const db = openDb();
      const projection = recordingProjection('counter');
      let failures = 0;
      projection.failWith = () =>
        failures++ < 2 ? Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }) : undefined;
      const runner = track(new ProjectionRunner({ store, db, projections: [projection], retryDelayMs: 5 }));
      await runner.start();
      expect(await runner.waitFor(3, 2000)).toBe(true);
      expect(projection.rows(db)).toHaveLength(3);
      expect((await runner.status())[0].state).toBe('running');
    });
  });

  it('resubscribes from the checkpoint after the subscription fails', async () => {
    const inner = new InMemoryEventStore();
    let calls = 0;
    const store = new (class extends DelegatingStore {
      override subscribe(options?: SubscribeOptions): Subscription {
        calls++;
        if (calls === 1) throw new Error('store unreachable');
        if (calls === 2) {
          const failing: Subscription = {
            [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('connection dropped')) }),
            close: async () => undefined,
          };
          return failing;
        }
        return super.subscribe(options);
      }
    })(inner);
    await inner.appendToStream('t-1', ticks(2));
    const db = openDb();
    const projection = recordingProjection('counter');
    const { logger, lines } = capturingLogger();
    const runner = track(new ProjectionRunner({ store, db, projections: [projection], logger, retryDelayMs: 5 }));
    await runner.start();
    expect(await runner.waitFor(2, 2000)).toBe(true);
    expect(projection.rows(db)).toHaveLength(2);
    expect(calls).toBe(3);
    expect(lines.filter((l) => l === 'projection subscription failed; retrying')).toHaveLength(2);
    expect((await runner.status())[0]).toEqual({
      name: 'counter',
      version: 1,
      state: 'running',
      checkpoint: 2,
      lag: 0,
    });
  });

  describe('versions and rebuilds', () => {
    it('drops the tables and replays when the version changes', async () => {
      const store = new InMemoryEventStore();
      await store.appendToStream('t-1', [...ticks(2), event('Other'), ...ticks(1)]);
      const db = openDb();
      const v1 = recordingProjection('counter', 1);
      const runner1 = track(new ProjectionRunner({ store, db, projections: [v1] }));
      await runner1.start();
      expect(await runner1.waitFor(4, 2000)).toBe(true);
      await runner1.stop();

      const v2 = recordingProjection('counter', 2, ['Tick', 'Other']);
      const { logger, lines } = capturingLogger();
      const runner2 = track(new ProjectionRunner({ store, db, projections: [v2], logger }));
      await runner2.start();
      expect(await runner2.waitFor(4, 2000)).toBe(true);
      const tables = db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'counter%'")
        .all()
        .map((r) => r.name);
      expect(tables).toEqual(['counter__v2__rows']);
      expect(v2.rows(db).map((r) => r.type)).toEqual(['Tick', 'Tick', 'Other', 'Tick']);
      expect(new CheckpointStore(db).get('counter')).toMatchObject({ version: 2, position: 4 });
      expect(lines.some((l) => l.includes('version changed from 1 to 2'))).toBe(true);
    });

    it('rebuild replays from position 0 without doubling rows', async () => {
      const store = new InMemoryEventStore();
      await store.appendToStream('t-1', ticks(3));
      const db = openDb();
      const projection = recordingProjection('counter');
      const runner = track(new ProjectionRunner({ store, db, projections: [projection] }));
      await runner.start();
      expect(await runner.waitFor(3, 2000)).toBe(true);
      await runner.rebuild('counter');
      expect(await runner.waitFor(3, 2000)).toBe(true);
      expect(projection.rows(db).map((r) => r.position)).toEqual([1, 2, 3]);
    });
  });

  describe('changes made by other processes (CLI), seen by polling the stored rows', () => {
    const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 2000) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error('condition not met in time');
        await new Promise((r) => setTimeout(r, 5));
      }
    };

    it('follows a park cleared in another connection (projections resume) without a restart', async () => {
      const store = new InMemoryEventStore();
      await store.appendToStream('t-1', [...ticks(1), event('Poison'), ...ticks(1)]);
      const db = openDb();
      const fragile = recordingProjection('fragile');
      fragile.failWith = (type) => (type === 'Poison' ? new Error('cannot apply Poison') : undefined);
      const runner = track(new ProjectionRunner({ store, db, projections: [fragile], pollIntervalMs: 10 }));
      await runner.start();
      await until(async () => (await runner.status())[0].state === 'parked');

      fragile.failWith = () => undefined;
      new CheckpointStore(openDb()).unpark('fragile');
      await until(async () => (await runner.status())[0].state === 'running');
      expect(await runner.waitFor(3, 2000, { projections: ['fragile'] })).toBe(true);
      expect(fragile.rows(db).map((r) => r.position)).toEqual([1, 2, 3]);
      expect((await runner.status())[0]).toMatchObject({ state: 'running', checkpoint: 3 });
    });

    it('pauses a projection leased by someone else, without holding up waitFor, and resumes after the release', async () => {
      const store = new InMemoryEventStore();
      const db = openDb();
      const leased = recordingProjection('leased');
      const free = recordingProjection('free');
      const { logger, lines } = capturingLogger();
      const runner = track(new ProjectionRunner({ store, db, projections: [leased, free], pollIntervalMs: 10, logger }));
      await runner.start();
      const cli = new ProjectionLeases(openDb());
      cli.acquire('leased', 'cli:test', 60_000);

      const { position } = await store.appendToStream('t-1', ticks(2));
      expect(await runner.waitFor(position, 2000)).toBe(true);
      await until(async () => (await runner.status())[0].state === 'paused');
      expect(leased.rows(db)).toEqual([]);
      expect(free.rows(db)).toHaveLength(2);
      expect((await runner.status())[0]).toMatchObject({ state: 'paused', leasedBy: 'cli:test', checkpoint: 0 });
      expect(await runner.waitFor(position, 50, { projections: ['leased'] })).toBe(false);

      cli.release('leased', 'cli:test');
      expect(await runner.waitFor(position, 2000, { projections: ['leased'] })).toBe(true);
      expect(leased.rows(db).map((r) => r.position)).toEqual([1, 2]);
      expect(lines).toContain('projection paused: leased by another process');
    });

    it('waits at start for a lease held by another process, then prepares and follows', async () => {
      const store = new InMemoryEventStore();
      await store.appendToStream('t-1', ticks(2));
      const db = openDb();
      const leases = new ProjectionLeases(openDb());
      leases.acquire('counter', 'cli:test', 60_000);
      const projection = recordingProjection('counter');
      const runner = track(new ProjectionRunner({ store, db, projections: [projection], pollIntervalMs: 10 }));
      await runner.start();
      expect((await runner.status())[0]).toMatchObject({ state: 'paused', leasedBy: 'cli:test' });
      expect(projection.rows(db)).toEqual([]);
      leases.release('counter', 'cli:test');
      expect(await runner.waitFor(2, 2000, { projections: ['counter'] })).toBe(true);
      expect(projection.rows(db)).toHaveLength(2);
    });

    it('adopts a checkpoint moved ahead elsewhere and never applies events at or below it', async () => {
      const store = new InMemoryEventStore();
      await store.appendToStream('t-1', ticks(2));
      const db = openDb();
      const projection = recordingProjection('counter');
      const runner = track(new ProjectionRunner({ store, db, projections: [projection], pollIntervalMs: 10 }));
      await runner.start();
      expect(await runner.waitFor(2, 2000)).toBe(true);

      const other = openDb();
      const leases = new ProjectionLeases(other);
      leases.acquire('counter', 'cli:test', 60_000);
      await store.appendToStream('t-1', ticks(3));
      await until(async () => (await runner.status())[0].state === 'paused');
      new CheckpointStore(other).set('counter', 1, 4);
      leases.release('counter', 'cli:test');
      expect(await runner.waitFor(5, 2000, { projections: ['counter'] })).toBe(true);
      expect(projection.rows(db).map((r) => r.position)).toEqual([1, 2, 5]);
    });

    it('resubscribes from a checkpoint moved back, and prepares again after a version change', async () => {
      const store = new InMemoryEventStore();
      await store.appendToStream('t-1', ticks(3));
      const db = openDb();
      const projection = recordingProjection('counter');
      const runner = track(new ProjectionRunner({ store, db, projections: [projection], pollIntervalMs: 10 }));
      await runner.start();
      expect(await runner.waitFor(3, 2000)).toBe(true);

      const other = openDb();
      other.exec(`DELETE FROM "${projection.table}" WHERE position > 1`);
      new CheckpointStore(other).set('counter', 1, 1);
      await runner.poll();
      expect(await runner.waitFor(3, 2000)).toBe(true);
      expect(projection.rows(db).map((r) => r.position)).toEqual([1, 2, 3]);

      new CheckpointStore(other).set('counter', 7, 3);
      await runner.poll();
      expect(await runner.waitFor(3, 2000)).toBe(true);
      expect(new CheckpointStore(db).get('counter')).toMatchObject({ version: 1, position: 3 });
      expect(projection.rows(db).map((r) => r.position)).toEqual([1, 2, 3]);
    });
  });

  it('rejects invalid and duplicate projection names', () => {
    const store = new InMemoryEventStore();
    const db = openDb();
    const bad = { ...recordingProjection('ok'), name: 'Bad_Name' };
    expect(() => new ProjectionRunner({ store, db, projections: [bad] })).toThrow('kebab-case');
    expect(
      () =>
        new ProjectionRunner({ store, db, projections: [recordingProjection('twice'), recordingProjection('twice')] }),
    ).toThrow('registered twice');
  });
});
