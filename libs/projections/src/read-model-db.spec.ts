import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointStore } from './checkpoint-store.js';
import { dropProjectionTables, projectionTable } from './projection.js';
import { openReadModelDb, readModelDbPath } from './read-model-db.js';

describe('read-model database', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('opens <data dir>/read-models.db in WAL with synchronous NORMAL, a busy timeout and the checkpoint table', () => {
    dir = mkdtempSync(join(tmpdir(), 'read-models-'));
    const file = readModelDbPath(join(dir, 'nested'));
    expect(file).toBe(join(dir, 'nested', 'read-models.db'));
    const db = openReadModelDb(file, { busyTimeoutMs: 1234 });
    try {
      expect(existsSync(file)).toBe(true);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
      const columns = db
        .prepare<[], { name: string }>('PRAGMA table_info(projection_checkpoints)')
        .all()
        .map((c) => c.name);
      expect(columns).toEqual([
        'name',
        'version',
        'position',
        'state',
        'parked_event_id',
        'parked_position',
        'error',
        'updated_at',
      ]);
    } finally {
      db.close();
    }
  });

  it('stores, parks and resets checkpoints', () => {
    const db = openReadModelDb(':memory:');
    const store = new CheckpointStore(db, () => new Date('2024-01-01T00:00:00Z'));
    store.reset('a', 1);
    store.advance('a', 7);
    store.park('a', { eventId: 'e', position: 8, error: 'boom' });
    expect(store.get('a')).toEqual({
      name: 'a',
      version: 1,
      position: 7,
      state: 'parked',
      parked: { eventId: 'e', position: 8, error: 'boom' },
      updatedAt: '2024-01-01T00:00:00.000Z',
    });
    store.unpark('a');
    expect(store.get('a')).toMatchObject({ state: 'running', parked: null, position: 7 });
    store.reset('a', 2);
    expect(store.all()).toEqual([expect.objectContaining({ name: 'a', version: 2, position: 0 })]);
    db.close();
  });

  it('names tables by projection and version, and drops all versions of one projection only', () => {
    const db = openReadModelDb(':memory:');
    expect(projectionTable({ name: 'experiment-timeline', version: 3 }, 'entries')).toBe(
      'experiment_timeline__v3__entries',
    );
    expect(() => projectionTable({ name: 'x', version: 1 }, 'a__b')).toThrow();
    for (const t of ['experiment__v1__a', 'experiment__v2__a', 'experiment_timeline__v1__entries', 'experiments']) {
      db.exec(`CREATE TABLE "${t}" (x)`);
    }
    expect(dropProjectionTables(db, 'experiment').sort()).toEqual(['experiment__v1__a', 'experiment__v2__a']);
    const left = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all();
    expect(left.map((r) => r.name)).toEqual([
      'experiment_timeline__v1__entries',
      'experiments',
      'projection_checkpoints',
      'projection_leases',
    ]);
    db.close();
  });
});
