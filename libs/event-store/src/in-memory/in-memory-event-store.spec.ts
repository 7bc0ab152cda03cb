import { describe, expect, it } from '@jest/globals';
import { ExpectedVersionConflict } from '../errors.js';
import { InMemoryEventStore } from './in-memory-event-store.js';

const event = (eventId: string) => ({
  eventId,
  type: 'Smoke',
  data: { n: 1 },
  metadata: {
    correlationId: 'c',
    causationId: null,
    actor: { id: 'system', role: 'system' as const },
    occurredAt: '2019-01-01T00:00:00.000Z',
    schemaVersion: 1,
    source: 'test',
  },
});

describe('InMemoryEventStore smoke', () => {
  it('appends and rejects a stale expected version', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('s-1', [event('a')], { expectedVersion: 'no_stream' });
    await expect(store.appendToStream('s-1', [event('b')], { expectedVersion: 0 })).rejects.toBeInstanceOf(
      ExpectedVersionConflict,
    );
    expect((await store.readStream('s-1')).map((e) => e.version)).toEqual([1]);
  });
});
