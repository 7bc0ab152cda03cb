import { afterEach, describe, expect, it } from '@jest/globals';
import { InMemoryEventStore } from '#event-store';
import { CheckpointStore } from '../checkpoint-store.js';
import { openReadModelDb, type ReadModelDb } from '../read-model-db.js';
import { event, recordingProjection } from '../testing/fixtures.js';
import { leaseHolderId, ProjectionLeases } from './projection-lease.js';
import { readStoredStatus } from './stored-status.js';

describe('projection leases', () => {
  let db: ReadModelDb | undefined;
  afterEach(() => {
    db?.close();
  });

  it('gives a free lease, refuses a live one held by another, and hands over a lapsed one', () => {
    db = openReadModelDb(':memory:');
    let now = 1_000_000;
    const leases = new ProjectionLeases(db, () => now);
    expect(leases.acquire('p', 'a', 10_000)).toEqual({ name: 'p', holder: 'a', expiresAt: 1_010_000 });
    expect(leases.acquire('p', 'b', 10_000)).toEqual({ name: 'p', holder: 'a', expiresAt: 1_010_000 });
    expect(leases.holds('p', 'a')).toBe(true);
    expect(leases.holds('p', 'b')).toBe(false);
    now += 5_000;
    expect(leases.renew('p', 'a', 10_000)).toBe(true);
    expect(leases.live('p')?.expiresAt).toBe(1_015_000);
    expect(leases.renew('p', 'b', 10_000)).toBe(false);
    now += 10_000;
    expect(leases.live('p')).toBeUndefined();
    expect(leases.renew('p', 'a', 10_000)).toBe(false);
    expect(leases.acquire('p', 'b', 10_000).holder).toBe('b');
    leases.release('p', 'a');
    expect(leases.get('p')?.holder).toBe('b');
    leases.release('p', 'b');
    expect(leases.all()).toEqual([]);
    expect(leaseHolderId('cli')).toMatch(new RegExp(`^cli:.+:${process.pid}$`));
  });

  it('status from the stored rows: running, parked, rebuilding, new and outdated, with the lag', async () => {
    db = openReadModelDb(':memory:');
    const store = new InMemoryEventStore();
    await store.appendToStream('t-1', [event('Tick'), event('Tick'), event('Tick')]);
    const checkpoints = new CheckpointStore(db);
    checkpoints.set('running', 1, 3);
    checkpoints.set('parked', 1, 1);
    checkpoints.park('parked', { eventId: 'e-2', position: 2, error: 'boom' });
    checkpoints.set('leased', 1, 2);
    checkpoints.set('outdated', 1, 3);
    new ProjectionLeases(db).acquire('leased', 'cli:x', 60_000);
    const projections = [
      recordingProjection('running'),
      recordingProjection('parked'),
      recordingProjection('leased'),
      recordingProjection('fresh'),
      recordingProjection('outdated', 2),
    ];
    const rows = await readStoredStatus(db, store, projections);
    expect(rows.map((r) => [r.name, r.state, r.checkpoint, r.lag])).toEqual([
      ['running', 'running', 3, 0],
      ['parked', 'parked', 1, 2],
      ['leased', 'rebuilding', 2, 1],
      ['fresh', 'new', 0, 3],
      ['outdated', 'outdated', 3, 0],
    ]);
    expect(rows[1].parked).toEqual({ eventId: 'e-2', position: 2, error: 'boom' });
    expect(rows[2].lease).toMatchObject({ holder: 'cli:x' });
    expect(rows[4]).toMatchObject({ version: 2, storedVersion: 1 });
    await store.close();
    expect((await readStoredStatus(db, store, projections))[0].lag).toBeNull();
  });
});
