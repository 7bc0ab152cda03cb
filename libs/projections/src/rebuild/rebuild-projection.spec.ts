import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryEventStore } from '#event-store';
import { CheckpointStore } from '../checkpoint-store.js';
import type { ProjectionLogger } from '../logger.js';
import { ProjectionRunner } from '../projection-runner.js';
import { openReadModelDb, readModelDbPath, type ReadModelDb } from '../read-model-db.js';
import { event, recordingProjection } from '../testing/fixtures.js';
import { LeaseUnavailable, ProjectionLeases } from './projection-lease.js';
import { RebuildFailed, rebuildProjection, type RebuildProgress } from './rebuild-projection.js';
import { shadowDbPath } from './shadow-db.js';

const ticks = (n: number) => Array.from({ length: n }, (_, i) => event('Tick', { i }));
const tables = (db: ReadModelDb, like: string) =>
  db
    .prepare<[string], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ORDER BY name")
    .all(like)
    .map((r) => r.name);

function recordingLogger() {
  const lines: string[] = [];
  const log = (objOrMsg: object | string, msg?: string) => {
    lines.push(typeof objOrMsg === 'string' ? objOrMsg : (msg ?? ''));
  };
  const logger: ProjectionLogger = { info: log, warn: log, error: log };
  return { logger, lines };
}

describe('rebuildProjection (blue/green)', () => {
  let dir: string;
  let file: string;
  const open: ReadModelDb[] = [];
  const runners: ProjectionRunner[] = [];
  const connect = () => {
    const db = openReadModelDb(file);
    open.push(db);
    return db;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rebuild-'));
    file = readModelDbPath(dir);
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    for (const db of open.splice(0)) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function liveBuild(store: InMemoryEventStore, projections = [recordingProjection('counter')]) {
    const db = connect();
    const runner = new ProjectionRunner({ store, db, projections, pollIntervalMs: 20 });
    runners.push(runner);
    await runner.start();
    expect(await runner.waitFor(await store.headPosition(), 2000)).toBe(true);
    return { db, runner, projection: projections[0] };
  }

  it('replays into a shadow file, swaps it in with the checkpoint at the head, and cleans up', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('t-1', [...ticks(5), event('Other'), ...ticks(6)]);
    const { db, runner, projection } = await liveBuild(store, [recordingProjection('counter'), recordingProjection('other')]);
    const before = projection.rows(db);
    await runner.stop();

    const cli = connect();
    const progress: RebuildProgress[] = [];
    const result = await rebuildProjection({
      store,
      db: cli,
      projection: recordingProjection('counter'),
      batchSize: 4,
      onProgress: (p) => progress.push(p),
    });

    expect(result).toMatchObject({ projection: 'counter', version: 1, checkpoint: 12, events: 12, tailEvents: 0 });
    expect(result.tables).toEqual({ counter__v1__rows: 11 });
    expect(projection.rows(db)).toEqual(before);
    expect(new CheckpointStore(db).get('counter')).toMatchObject({ version: 1, position: 12, state: 'running' });
    expect(new ProjectionLeases(db).all()).toEqual([]);
    expect(existsSync(shadowDbPath(file, 'counter'))).toBe(false);
    expect(tables(db, 'other%')).toEqual(['other__v1__rows']);
    expect(progress.map((p) => p.phase)).toEqual(['replay', 'replay', 'replay', 'replay', 'flip', 'done']);
    expect(progress.at(-2)).toMatchObject({ position: 12, head: 12, events: 12 });
  });

  it('replays again what arrived during the first pass, and applies what arrived during the last as the tail, inside the flip', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('t-1', ticks(6));
    const { db, runner, projection } = await liveBuild(store);
    await runner.stop();

    const heads = new Set<number>();
    const result = await rebuildProjection({
      store,
      db: connect(),
      projection,
      batchSize: 2,
      maxTailEvents: 100,
      onProgress: (p) => {
        if (p.phase !== 'replay' || heads.has(p.head)) return;
        heads.add(p.head);
        if (heads.size === 1) void store.appendToStream('t-2', ticks(3));
        if (heads.size === 2) void store.appendToStream('t-3', ticks(2));
      },
    });
    expect([...heads]).toEqual([6, 9]);
    expect(result).toMatchObject({ checkpoint: 11, events: 9, tailEvents: 2 });
    expect(projection.rows(db).map((r) => r.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('runs beside a live runner: the runner pauses under the lease and resumes after, nothing applied twice or skipped', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('t-1', ticks(40));
    const { logger, lines } = recordingLogger();
    const db = connect();
    const projection = recordingProjection('counter');
    const runner = new ProjectionRunner({ store, db, projections: [projection], pollIntervalMs: 10, logger });
    runners.push(runner);
    await runner.start();
    expect(await runner.waitFor(40, 2000)).toBe(true);

    let writes = 0;
    const writer = (async () => {
      while (writes < 30) {
        await store.appendToStream('t-2', ticks(1));
        writes++;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const slow = recordingProjection('counter');
    const apply = slow.apply.bind(slow);
    slow.apply = (d, e) => {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      apply(d, e);
    };
    const result = await rebuildProjection({ store, db: connect(), projection: slow, batchSize: 5, maxTailEvents: 3 });
    await writer;
    const head = await store.headPosition();
    expect(await runner.waitFor(head, 3000, { projections: ['counter'] })).toBe(true);

    expect(result.checkpoint).toBeGreaterThan(40);
    expect(lines).toContain('projection paused: leased by another process');
    expect(projection.rows(db).map((r) => r.position)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect((await runner.status())[0]).toMatchObject({ state: 'running', checkpoint: head });
  });

  it('refuses while another holder has the lease, and leaves everything as it was', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('t-1', ticks(3));
    const { db, runner, projection } = await liveBuild(store);
    await runner.stop();
    new ProjectionLeases(db).acquire('counter', 'someone-else', 60_000);

    await expect(rebuildProjection({ store, db: connect(), projection })).rejects.toBeInstanceOf(LeaseUnavailable);
    expect(new ProjectionLeases(db).live('counter')).toMatchObject({ holder: 'someone-else' });
    expect(projection.rows(db)).toHaveLength(3);
  });

  it('stops at an event the projection cannot apply: live tables, checkpoint and lease untouched, shadow removed', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('t-1', [...ticks(2), event('Poison'), ...ticks(1)]);
    const { db, runner, projection } = await liveBuild(store);
    await runner.stop();
    const broken = recordingProjection('counter');
    broken.failWith = (type) => (type === 'Poison' ? new Error('cannot apply Poison') : undefined);

    const failure = rebuildProjection({ store, db: connect(), projection: broken });
    await expect(failure).rejects.toBeInstanceOf(RebuildFailed);
    await expect(failure).rejects.toThrow(/position 3 \(Poison .*cannot apply Poison\. The live read model is unchanged/);
    expect(projection.rows(db).map((r) => r.position)).toEqual([1, 2, 3, 4]);
    expect(new CheckpointStore(db).get('counter')).toMatchObject({ position: 4 });
    expect(new ProjectionLeases(db).all()).toEqual([]);
    expect(existsSync(shadowDbPath(file, 'counter'))).toBe(false);
  });

  it('gives up before the flip when its lease lapsed', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('t-1', ticks(6));
    const { db, runner, projection } = await liveBuild(store);
    await runner.stop();
    let now = Date.now();
    const result = rebuildProjection({
      store,
      db: connect(),
      projection,
      batchSize: 2,
      leaseTtlMs: 5000,
      clock: () => new Date(now),
      onProgress: () => (now += 6000),
    });
    await expect(result).rejects.toThrow('lost its lease');
    expect(projection.rows(db)).toHaveLength(6);
  });

  it('replaces a shadow file left behind by a crashed rebuild, and every older version of the tables', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('t-1', ticks(3));
    const { db, runner } = await liveBuild(store);
    await runner.stop();
    writeFileSync(shadowDbPath(file, 'counter'), 'not a database');

    const v2 = recordingProjection('counter', 2, ['Tick']);
    const result = await rebuildProjection({ store, db: connect(), projection: v2 });
    expect(result).toMatchObject({ version: 2, checkpoint: 3 });
    expect(tables(db, 'counter%')).toEqual(['counter__v2__rows']);
    expect(v2.rows(db)).toHaveLength(3);
    expect(new CheckpointStore(db).get('counter')).toMatchObject({ version: 2, position: 3 });
  });

  it('copies full-text (FTS5) tables through the module, keeping rowids, and rowid tables with their rowids', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('t-1', [event('Tick', { text: 'green roofs' }), event('Tick', { text: 'blue bikes' })]);
    const search = {
      ...recordingProjection('search'),
      setup(d: ReadModelDb) {
        d.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS search__v1__fts USING fts5(body, tokenize = 'unicode61');
          CREATE TABLE IF NOT EXISTS search__v1__plain (body TEXT)`);
      },
      apply(d: ReadModelDb, e: { position: number; data: unknown }) {
        const body = (e.data as { text: string }).text;
        d.prepare('INSERT INTO search__v1__fts (rowid, body) VALUES (?, ?)').run(e.position * 10, body);
        d.prepare('INSERT INTO search__v1__plain (rowid, body) VALUES (?, ?)').run(e.position * 7, body);
      },
    };
    const db = connect();
    search.setup(db);
    search.apply(db, { position: 99, data: { text: 'stale row' } });
    await rebuildProjection({ store, db, projection: search });
    expect(db.prepare("SELECT rowid, body FROM search__v1__fts WHERE search__v1__fts MATCH 'bikes'").all()).toEqual([
      { rowid: 20, body: 'blue bikes' },
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM search__v1__fts').get()).toEqual({ n: 2 });
    expect(db.prepare('SELECT rowid, body FROM search__v1__plain ORDER BY rowid').all()).toEqual([
      { rowid: 7, body: 'green roofs' },
      { rowid: 14, body: 'blue bikes' },
    ]);
  });

  it('copies tables that apply creates lazily, with their indexes', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('t-1', ticks(2));
    const lazy = recordingProjection('lazy');
    const apply = lazy.apply.bind(lazy);
    lazy.apply = (d, e) => {
      d.exec('CREATE TABLE IF NOT EXISTS lazy__v1__extra (position INTEGER); CREATE INDEX IF NOT EXISTS lazy__v1__extra_p ON lazy__v1__extra (position)');
      d.prepare('INSERT INTO lazy__v1__extra (position) VALUES (?)').run(e.position);
      apply(d, e);
    };
    const db = connect();
    await rebuildProjection({ store, db, projection: lazy });
    expect(db.prepare('SELECT count(*) AS n FROM lazy__v1__extra').get()).toEqual({ n: 2 });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'lazy__v1__extra_p'").get()).toBeDefined();
  });
});
