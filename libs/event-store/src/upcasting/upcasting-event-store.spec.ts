import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { EventToAppend, RecordedEvent } from '../envelope.js';
import { InMemoryEventStore } from '../in-memory/in-memory-event-store.js';
import { describeEventStoreContract } from '../testing/event-store.contract.js';
import { testEvent } from '../testing/test-event.js';
import { EVENT_UPCASTERS } from './event-upcasters.js';
import { STEP_LOGGED_HISTORY } from './step-logged-history.testing.js';
import { storedSchemaVersion, Upcasters } from './upcasters.js';
import { UpcastingEventStore } from './upcasting-event-store.js';

const STREAM = 'experiment-0192f000-0000-7000-8000-000000000001';

function stepLoggedV1(n: number): EventToAppend {
  return testEvent({
    type: 'StepLogged',
    data: { experimentId: 'x', stepId: `s${n}`, description: `Step ${n}`, evidenceUrl: null },
    metadata: { schemaVersion: 1 },
  });
}

const V3_DATA = (n: number) => ({ experimentId: 'x', stepId: `s${n}`, text: `Step ${n}`, evidenceUrls: [] });

describe('UpcastingEventStore', () => {
  let inner: InMemoryEventStore;
  let store: UpcastingEventStore;

  beforeEach(async () => {
    inner = new InMemoryEventStore();
    store = new UpcastingEventStore(inner, new Upcasters(STEP_LOGGED_HISTORY));
    await store.appendToStream(STREAM, [stepLoggedV1(1), testEvent({ type: 'ExperimentStarted', data: { n: 2 } }), stepLoggedV1(3)]);
  });

  afterEach(async () => {
    await store.close();
  });

  function expectCurrent(events: readonly RecordedEvent[]): void {
    expect(events.map((e) => [e.type, e.metadata.schemaVersion, storedSchemaVersion(e)])).toEqual([
      ['StepLogged', 3, 1],
      ['ExperimentStarted', 1, 1],
      ['StepLogged', 3, 1],
    ]);
    expect([events[0].data, events[2].data]).toEqual([V3_DATA(1), V3_DATA(3)]);
  }

  it('stores appends unchanged, in the version they were written', async () => {
    const stored = await inner.readStream(STREAM);
    expect(stored.map((e) => [e.metadata.schemaVersion, e.data])).toEqual([
      [1, { experimentId: 'x', stepId: 's1', description: 'Step 1', evidenceUrl: null }],
      [1, { n: 2 }],
      [1, { experimentId: 'x', stepId: 's3', description: 'Step 3', evidenceUrl: null }],
    ]);
    const current = testEvent({ type: 'StepLogged', data: V3_DATA(4), metadata: { schemaVersion: 3 } });
    await store.appendToStream(STREAM, [current], { expectedVersion: 3 });
    const [read] = await store.readStream(STREAM, { fromVersion: 4 });
    expect(read.data).toEqual(V3_DATA(4));
    expect((await inner.readStream(STREAM, { fromVersion: 4 }))[0].metadata).toEqual(current.metadata);
  });

  it('upcasts readStream, in both directions', async () => {
    expectCurrent(await store.readStream(STREAM));
    expectCurrent((await store.readStream(STREAM, { direction: 'backwards' })).reverse());
  });

  it('upcasts every readAll batch', async () => {
    const batches: RecordedEvent[][] = [];
    for await (const batch of store.readAll({ batchSize: 2 })) batches.push(batch);
    expect(batches.map((b) => b.length)).toEqual([2, 1]);
    expectCurrent(batches.flat());
  });

  it('upcasts subscription batches, caught up and live, keeping the checkpoint', async () => {
    const subscription = store.subscribe({ batchSize: 3 });
    const iterator = subscription[Symbol.asyncIterator]();
    try {
      const first = await iterator.next();
      expect(first.done).toBe(false);
      expectCurrent(first.value.events);
      expect(first.value.checkpoint).toBe(3);
      await store.appendToStream(STREAM, [stepLoggedV1(4)]);
      const live = await iterator.next();
      expect(live.value.events.map((e: RecordedEvent) => e.data)).toEqual([V3_DATA(4)]);
      expect(live.value.checkpoint).toBe(4);
    } finally {
      await subscription.close();
    }
    expect(await iterator.next()).toMatchObject({ done: true });
  });

  it('delegates kind, head position and close', async () => {
    expect(store.kind).toBe('memory');
    expect(await store.headPosition()).toBe(3);
    await store.close();
    await expect(inner.headPosition()).rejects.toThrow(/closed/);
  });
});

describeEventStoreContract('UpcastingEventStore over InMemoryEventStore', async () => {
  const store = new UpcastingEventStore(new InMemoryEventStore(), new Upcasters(STEP_LOGGED_HISTORY));
  return { store, cleanup: () => store.close() };
});

describe('EVENT_UPCASTERS', () => {
  it('is empty while every domain event is at schema version 1', () => {
    expect(EVENT_UPCASTERS.types()).toEqual([]);
  });
});
