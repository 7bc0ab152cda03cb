import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { EventToAppend, RecordedEvent } from '../envelope.js';
import { DuplicateEventId, EventStoreError, EventStoreUnavailable, ExpectedVersionConflict, InvalidAppend } from '../errors.js';
import type {
  AppendResult,
  EventStore,
  ReadAllOptions,
  SubscribeOptions,
  Subscription,
  SubscriptionBatch,
} from '../event-store.port.js';
import type { ExpectedVersion } from '../expected-version.js';
import { eventHash, GENESIS_HASH, SHA256_HEX } from '../integrity/chain.js';
import { verifyStreams } from '../integrity/chain-checker.js';
import { testEvent, testEvents, testMetadata } from './test-event.js';

/** A fresh, empty store for one test, and how to dispose of it. */
export interface EventStoreContractFixture {
  store: EventStore;
  cleanup(): Promise<void>;
  /**
   * Opens another handle (connection, client) on the same storage, to act as a second writer that shares
   * nothing in memory with `store`. Handles it returns are closed by the suite. Defaults to `store` itself.
   */
  openSecondWriter?(): Promise<EventStore>;
}

/** What an adapter cannot do exactly like the reference semantics. */
export interface EventStoreContractCapabilities {
  /** Largest append the store accepts, in bytes of JSON. The large-payload test stays below it. */
  maxAppendBytes?: number;
  /** Re-appending is idempotent only with the expected version of the original append (not with 'any'). */
  reappendRequiresExactExpectedVersion?: boolean;
  /** Event ids are unique within a stream only (EventStoreDB): an id stored in another stream is not detected. */
  eventIdsUniquePerStreamOnly?: boolean;
}

const LIVE_TIMEOUT_MS = 5000;
const LARGE_PAYLOAD_BYTES = 2 * 1024 * 1024;

/**
 * The behaviour every EventStore adapter must show. Call it at the top level of an int spec:
 * `describeEventStoreContract('SqliteEventStore', async () => ({ store, cleanup }))`.
 */
export function describeEventStoreContract(
  name: string,
  factory: () => Promise<EventStoreContractFixture>,
  capabilities: EventStoreContractCapabilities = {},
): void {
  describe(`${name} (EventStore contract)`, () => {
    let fixture: EventStoreContractFixture;
    let store: EventStore;
    let extraHandles: EventStore[];
    let subscriptions: Subscription[];

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
      extraHandles = [];
      subscriptions = [];
    });

    afterEach(async () => {
      // Closed here too so that a broken adapter fails its test instead of keeping the test run alive.
      await Promise.allSettled(subscriptions.map((s) => s.close()));
      for (const handle of extraHandles) await handle.close();
      await fixture.cleanup();
    });

    function subscribe(options?: SubscribeOptions): Subscription {
      const subscription = store.subscribe(options);
      subscriptions.push(subscription);
      return subscription;
    }

    async function secondWriter(): Promise<EventStore> {
      if (!fixture.openSecondWriter) return store;
      const handle = await fixture.openSecondWriter();
      if (handle !== store) extraHandles.push(handle);
      return handle;
    }

    describe('appending and reading a stream', () => {
      it('numbers the first event 1 and returns the stream length as nextExpectedVersion', async () => {
        const stream = streamName();
        const first = await store.appendToStream(stream, [testEvent()], { expectedVersion: 'no_stream' });
        expect(first.nextExpectedVersion).toBe(1);
        const [e2, e3] = testEvents(2);
        const second = await store.appendToStream(stream, [e2, e3], { expectedVersion: 1 });
        expect(second.nextExpectedVersion).toBe(3);
        expect(second.position).toBeGreaterThan(first.position);

        const read = await store.readStream(stream);
        expect(read.map((e) => e.version)).toEqual([1, 2, 3]);
        expect(read.map((e) => e.streamId)).toEqual([stream, stream, stream]);
        expect(read.slice(1).map((e) => e.eventId)).toEqual([e2.eventId, e3.eventId]);
        expectStrictlyIncreasing(read.map((e) => e.position));
        expect(read[0].position).toBe(first.position);
        expect(read[2].position).toBe(second.position);
      });

      it('reads an absent stream as empty in every direction', async () => {
        await store.appendToStream(streamName(), [testEvent()]);
        const absent = streamName();
        expect(await store.readStream(absent)).toEqual([]);
        expect(await store.readStream(absent, { direction: 'backwards' })).toEqual([]);
        expect(await store.readStream(absent, { fromVersion: 1, maxCount: 10 })).toEqual([]);
      });

      it('round-trips the whole envelope', async () => {
        const stream = streamName();
        const event = testEvent({
          type: 'ExperimentStarted',
          data: { title: 'Bydelsmat', count: 3, ratio: -0.125, ok: true, none: null, list: [1, 'two', { three: 3 }], nested: { deep: { deeper: [] } }, empty: '' },
        });
        const { position } = await store.appendToStream(stream, [event], { expectedVersion: 'no_stream' });
        const [read] = await store.readStream(stream);
        expect(read).toStrictEqual({
          ...event,
          streamId: stream,
          version: 1,
          position,
          recordedAt: read.recordedAt,
          integrity: { previousHash: read.integrity.previousHash, hash: read.integrity.hash },
        });
        expectIsoUtc(read.recordedAt);
        for (const field of [read.integrity.previousHash, read.integrity.hash]) {
          expect(field === null || typeof field === 'string').toBe(true);
        }
      });

      it('reads forwards from a version, limited by maxCount', async () => {
        const stream = await streamOf(store, 10);
        const versions = async (fromVersion?: number, maxCount?: number) =>
          (await store.readStream(stream, { direction: 'forwards', fromVersion, maxCount })).map((e) => e.version);
        expect(await versions()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(await versions(4, 3)).toEqual([4, 5, 6]);
        expect(await versions(8)).toEqual([8, 9, 10]);
        expect(await versions(undefined, 2)).toEqual([1, 2]);
        expect(await versions(9, 100)).toEqual([9, 10]);
        expect(await versions(11)).toEqual([]);
      });

      it('reads backwards from a version, limited by maxCount', async () => {
        const stream = await streamOf(store, 10);
        const versions = async (fromVersion?: number, maxCount?: number) =>
          (await store.readStream(stream, { direction: 'backwards', fromVersion, maxCount })).map((e) => e.version);
        expect(await versions()).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
        expect(await versions(undefined, 3)).toEqual([10, 9, 8]);
        expect(await versions(5)).toEqual([5, 4, 3, 2, 1]);
        expect(await versions(5, 2)).toEqual([5, 4]);
        expect(await versions(1)).toEqual([1]);
      });

      it('keeps the versions of different streams independent', async () => {
        const a = streamName();
        const b = streamName();
        await store.appendToStream(a, testEvents(3), { expectedVersion: 'no_stream' });
        const resultB = await store.appendToStream(b, testEvents(2), { expectedVersion: 'no_stream' });
        const resultA = await store.appendToStream(a, [testEvent()], { expectedVersion: 3 });
        expect(resultB.nextExpectedVersion).toBe(2);
        expect(resultA.nextExpectedVersion).toBe(4);
        expect((await store.readStream(a)).map((e) => e.version)).toEqual([1, 2, 3, 4]);
        expect((await store.readStream(b)).map((e) => e.version)).toEqual([1, 2]);
      });

      it('appends a large batch as one contiguous block of the global log', async () => {
        const a = streamName();
        const b = streamName();
        await store.appendToStream(a, [testEvent()]);
        const batch = testEvents(300);
        const result = await store.appendToStream(b, batch, { expectedVersion: 'no_stream' });
        await store.appendToStream(a, [testEvent()]);
        expect(result.nextExpectedVersion).toBe(300);

        const all = await readAllEvents(store);
        expect(all.map((e) => e.streamId)).toEqual([a, ...batch.map(() => b), a]);
        expect(all.slice(1, 301).map((e) => e.eventId)).toEqual(batch.map((e) => e.eventId));
        expect(all.slice(1, 301).map((e) => e.version)).toEqual(batch.map((_, i) => i + 1));
        expect(all[300].position).toBe(result.position);
      });

      it('treats an empty append as a version check that writes nothing', async () => {
        const stream = streamName();
        expect((await store.appendToStream(stream, [], { expectedVersion: 'no_stream' })).nextExpectedVersion).toBe(0);
        await store.appendToStream(stream, testEvents(2));
        const head = await store.headPosition();
        expect((await store.appendToStream(stream, [], { expectedVersion: 2 })).nextExpectedVersion).toBe(2);
        await expect(store.appendToStream(stream, [], { expectedVersion: 3 })).rejects.toBeInstanceOf(ExpectedVersionConflict);
        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe('expected version', () => {
      it('a number: succeeds when it equals the events in the stream, conflicts otherwise', async () => {
        const stream = streamName();
        expect((await store.appendToStream(stream, [testEvent()], { expectedVersion: 0 })).nextExpectedVersion).toBe(1);
        expect((await store.appendToStream(stream, [testEvent()], { expectedVersion: 1 })).nextExpectedVersion).toBe(2);

        expect(await conflictOf(store.appendToStream(stream, [testEvent()], { expectedVersion: 1 }))).toMatchObject({
          streamId: stream,
          expected: 1,
          actual: 2,
        });
        expect(await conflictOf(store.appendToStream(stream, [testEvent()], { expectedVersion: 5 }))).toMatchObject({
          expected: 5,
          actual: 2,
        });
        expect(await conflictOf(store.appendToStream(streamName(), [testEvent()], { expectedVersion: 1 }))).toMatchObject({
          expected: 1,
          actual: 0,
        });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it("'no_stream': succeeds on an absent stream, conflicts on an existing one", async () => {
        const stream = streamName();
        expect((await store.appendToStream(stream, testEvents(2), { expectedVersion: 'no_stream' })).nextExpectedVersion).toBe(2);
        expect(await conflictOf(store.appendToStream(stream, [testEvent()], { expectedVersion: 'no_stream' }))).toMatchObject({
          streamId: stream,
          expected: 'no_stream',
          actual: 2,
        });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it("'stream_exists': conflicts on an absent stream, succeeds on an existing one", async () => {
        const stream = streamName();
        expect(await conflictOf(store.appendToStream(stream, [testEvent()], { expectedVersion: 'stream_exists' }))).toMatchObject({
          streamId: stream,
          expected: 'stream_exists',
          actual: 0,
        });
        expect(await store.readStream(stream)).toEqual([]);
        await store.appendToStream(stream, [testEvent()]);
        expect((await store.appendToStream(stream, [testEvent()], { expectedVersion: 'stream_exists' })).nextExpectedVersion).toBe(2);
      });

      it("'any' (the default): appends whatever the stream holds", async () => {
        const stream = streamName();
        expect((await store.appendToStream(stream, [testEvent()], { expectedVersion: 'any' })).nextExpectedVersion).toBe(1);
        expect((await store.appendToStream(stream, [testEvent()], { expectedVersion: 'any' })).nextExpectedVersion).toBe(2);
        expect((await store.appendToStream(stream, [testEvent()])).nextExpectedVersion).toBe(3);
        expect((await store.appendToStream(stream, [testEvent()], {})).nextExpectedVersion).toBe(4);
        expect((await store.readStream(stream)).map((e) => e.version)).toEqual([1, 2, 3, 4]);
      });

      it('a conflict is an ExpectedVersionConflict (an EventStoreError) and writes nothing', async () => {
        const stream = await streamOf(store, 1);
        const head = await store.headPosition();
        const error = await conflictOf(store.appendToStream(stream, testEvents(3), { expectedVersion: 0 }));
        expect(error).toBeInstanceOf(EventStoreError);
        expect(error.message).toContain(stream);
        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('rejects an invalid expected version', async () => {
        const stream = streamName();
        for (const expectedVersion of [-1, 1.5, Number.NaN, 'latest' as unknown as ExpectedVersion]) {
          await expect(store.appendToStream(stream, [testEvent()], { expectedVersion })).rejects.toBeInstanceOf(InvalidAppend);
        }
        expect(await store.readStream(stream)).toEqual([]);
      });
    });

    describe('concurrent writers', () => {
      it('of 20 writers with the same expected version exactly one wins each version', async () => {
        const other = await secondWriter();
        const stream = streamName();
        const winners: string[] = [];
        for (let round = 0; round < 5; round++) {
          const candidates = testEvents(20);
          const outcomes = await Promise.allSettled(
            candidates.map((event, i) =>
              (i % 2 === 0 ? store : other).appendToStream(stream, [event], { expectedVersion: round === 0 ? 'no_stream' : round }),
            ),
          );
          const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [{ result: o.value, event: candidates[i] }] : []));
          expect(won).toHaveLength(1);
          expect(won[0].result.nextExpectedVersion).toBe(round + 1);
          winners.push(won[0].event.eventId);
          for (const outcome of outcomes) {
            if (outcome.status === 'rejected') {
              expect(outcome.reason).toBeInstanceOf(ExpectedVersionConflict);
              expect(outcome.reason).toMatchObject({ streamId: stream, actual: round + 1 });
            }
          }
        }
        const read = await store.readStream(stream);
        expect(read.map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
        expect(read.map((e) => e.eventId)).toEqual(winners);
      });

      it('writers that re-read and retry on conflict lose nothing and leave no gaps', async () => {
        const other = await secondWriter();
        const stream = streamName();
        const writers = 20;
        const perWriter = 5;
        const written = await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            const handle = w % 2 === 0 ? store : other;
            const ids: string[] = [];
            for (let i = 0; i < perWriter; i++) {
              const event = testEvent({ data: { writer: w, i } });
              await appendWithRetry(handle, stream, event);
              ids.push(event.eventId);
            }
            return ids;
          }),
        );
        const read = await store.readStream(stream);
        expect(read.map((e) => e.version)).toEqual(range(1, writers * perWriter));
        expect(new Set(read.map((e) => e.eventId))).toEqual(new Set(written.flat()));
        expectStrictlyIncreasing(read.map((e) => e.position));
        for (const ids of written) {
          const order = ids.map((id) => read.findIndex((e) => e.eventId === id));
          expectStrictlyIncreasing(order);
        }
      });

      it("writers with 'any' never conflict and never share a version", async () => {
        const other = await secondWriter();
        const stream = streamName();
        const events = testEvents(20);
        const results = await Promise.all(
          events.map((event, i) => (i % 2 === 0 ? store : other).appendToStream(stream, [event], { expectedVersion: 'any' })),
        );
        expect(results.map((r) => r.nextExpectedVersion).sort((x, y) => x - y)).toEqual(range(1, 20));
        const read = await store.readStream(stream);
        expect(read.map((e) => e.version)).toEqual(range(1, 20));
        expect(new Set(read.map((e) => e.eventId))).toEqual(new Set(events.map((e) => e.eventId)));
      });
    });

    describe('idempotent re-append', () => {
      it('the same ids with the same expected version return the original result and store nothing new', async () => {
        const stream = streamName();
        const batch = testEvents(3);
        const original = await store.appendToStream(stream, batch, { expectedVersion: 'no_stream' });
        const later = [testEvent()];
        const second = await store.appendToStream(stream, later, { expectedVersion: 3 });
        const head = await store.headPosition();

        expect(await store.appendToStream(stream, batch, { expectedVersion: 'no_stream' })).toEqual(original);
        expect(await store.appendToStream(stream, later, { expectedVersion: 3 })).toEqual(second);
        expect(await store.appendToStream(stream, batch, { expectedVersion: 'no_stream' })).toEqual(original);

        expect(await store.headPosition()).toBe(head);
        const read = await store.readStream(stream);
        expect(read.map((e) => e.eventId)).toEqual([...batch, ...later].map((e) => e.eventId));
        expect(await readAllEvents(store)).toHaveLength(4);
      });

      it('a re-append through another handle is idempotent too', async () => {
        const other = await secondWriter();
        const stream = streamName();
        const batch = testEvents(2);
        const original = await store.appendToStream(stream, batch, { expectedVersion: 0 });
        expect(await other.appendToStream(stream, batch, { expectedVersion: 0 })).toEqual(original);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      if (!capabilities.reappendRequiresExactExpectedVersion) {
        it("the same ids with 'any' return the original result", async () => {
          const stream = streamName();
          const batch = testEvents(2);
          const original = await store.appendToStream(stream, batch, { expectedVersion: 'no_stream' });
          await store.appendToStream(stream, [testEvent()]);
          expect(await store.appendToStream(stream, batch, { expectedVersion: 'any' })).toEqual(original);
          expect(await store.readStream(stream)).toHaveLength(3);
        });
      }

      it('the same ids with another exact expected version conflict and store nothing', async () => {
        const stream = streamName();
        const batch = testEvents(2);
        await store.appendToStream(stream, batch, { expectedVersion: 0 });
        await store.appendToStream(stream, [testEvent()], { expectedVersion: 2 });
        await expect(store.appendToStream(stream, batch, { expectedVersion: 3 })).rejects.toBeInstanceOf(ExpectedVersionConflict);
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      const acrossStreams = capabilities.eventIdsUniquePerStreamOnly ? it.skip : it;
      acrossStreams('an id already stored in another stream is a DuplicateEventId and nothing of the append is stored', async () => {
        const a = streamName();
        const b = streamName();
        const taken = testEvent();
        await store.appendToStream(a, [taken]);
        const fresh = testEvent();
        const error = await store.appendToStream(b, [fresh, taken]).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(DuplicateEventId);
        expect(error).toMatchObject({ eventId: taken.eventId });
        expect(await store.readStream(b)).toEqual([]);
        expect((await readAllEvents(store)).map((e) => e.eventId)).toEqual([taken.eventId]);
      });

      it('stored ids appended in another order or grouping are a DuplicateEventId', async () => {
        const stream = streamName();
        const [x, y] = testEvents(2);
        await store.appendToStream(stream, [x, y]);
        await expect(store.appendToStream(stream, [y, x])).rejects.toBeInstanceOf(DuplicateEventId);
        await expect(store.appendToStream(stream, [x, testEvent()])).rejects.toBeInstanceOf(DuplicateEventId);
        expect((await store.readStream(stream)).map((e) => e.eventId)).toEqual([x.eventId, y.eventId]);
      });

      it('an append that repeats an id within itself is rejected whole', async () => {
        const stream = streamName();
        const event = testEvent();
        await expect(store.appendToStream(stream, [event, testEvent(), event])).rejects.toBeInstanceOf(InvalidAppend);
        expect(await store.readStream(stream)).toEqual([]);
        expect(await store.headPosition()).toBe(0);
      });
    });

    describe('global log', () => {
      it('is empty on a new store', async () => {
        expect(await store.headPosition()).toBe(0);
        expect(await readAllBatches(store)).toEqual([]);
      });

      it('reads every stream in position order, in batches no larger than asked', async () => {
        const { order } = await interleave(store, 3, 4);
        const batches = await readAllBatches(store, { batchSize: 5 });
        expect(batches.map((b) => b.length)).toEqual([5, 5, 2]);
        const all = batches.flat();
        expect(all.map((e) => e.eventId)).toEqual(order.map((e) => e.eventId));
        expectStrictlyIncreasing(all.map((e) => e.position));
        expect((await readAllEvents(store)).map((e) => e.eventId)).toEqual(order.map((e) => e.eventId));
      });

      it("'after' is exclusive and 'upTo' inclusive, in any batch size", async () => {
        await interleave(store, 3, 4);
        const all = await readAllEvents(store);
        const positions = all.map((e) => e.position);
        for (const batchSize of [1, 2, 3, 500]) {
          const read = async (options: ReadAllOptions) => (await readAllEvents(store, { ...options, batchSize })).map((e) => e.position);
          expect(await read({ after: positions[3] })).toEqual(positions.slice(4));
          expect(await read({ upTo: positions[7] })).toEqual(positions.slice(0, 8));
          expect(await read({ after: positions[2], upTo: positions[6] })).toEqual(positions.slice(3, 7));
          expect(await read({ after: positions[5], upTo: positions[5] })).toEqual([]);
          expect(await read({ after: positions[11] })).toEqual([]);
          expect(await read({ upTo: 0 })).toEqual([]);
          expect(await read({ after: 0 })).toEqual(positions);
        }
      });

      it('does not block writers while a reader holds a batch', async () => {
        await interleave(store, 2, 3);
        const before = (await readAllEvents(store)).map((e) => e.eventId);
        const seen: RecordedEvent[] = [];
        let appended: AppendResult | undefined;
        for await (const batch of store.readAll({ batchSize: 2 })) {
          seen.push(...batch);
          if (!appended) appended = await within(store.appendToStream(streamName(), [testEvent()]), LIVE_TIMEOUT_MS, 'append during readAll');
        }
        expect(seen.slice(0, before.length).map((e) => e.eventId)).toEqual(before);
        expectStrictlyIncreasing(seen.map((e) => e.position));
        expect(appended?.position).toBe(await store.headPosition());
      });

      it('headPosition is the position of the newest event and ignores rejected or repeated appends', async () => {
        const stream = streamName();
        const batch = testEvents(2);
        const first = await store.appendToStream(stream, batch);
        expect(await store.headPosition()).toBe(first.position);
        const second = await store.appendToStream(streamName(), [testEvent()]);
        expect(await store.headPosition()).toBe(second.position);
        await expect(store.appendToStream(stream, [testEvent()], { expectedVersion: 0 })).rejects.toBeInstanceOf(ExpectedVersionConflict);
        await store.appendToStream(stream, batch);
        expect(await store.headPosition()).toBe(second.position);
        const all = await readAllEvents(store);
        expect(all[all.length - 1].position).toBe(second.position);
      });
    });

    describe('subscriptions', () => {
      it('catch up, then deliver live appends from this and a second writer without gaps or duplicates', async () => {
        const other = await secondWriter();
        await interleave(store, 2, 3);
        const subscription = subscribe({ batchSize: 2 });
        const iterator = subscription[Symbol.asyncIterator]();
        try {
          const caughtUp = await take(iterator, 6);
          expect(caughtUp.batches.every((b) => b.events.length <= 2)).toBe(true);

          const a = streamName();
          await store.appendToStream(a, [testEvent()], { expectedVersion: 'no_stream' });
          await other.appendToStream(a, [testEvent()], { expectedVersion: 1 });
          const live1 = await take(iterator, 2);
          await other.appendToStream(a, testEvents(2), { expectedVersion: 2 });
          await store.appendToStream(streamName(), [testEvent()]);
          const live2 = await take(iterator, 3);

          const delivered = [...caughtUp.events, ...live1.events, ...live2.events];
          const batches = [...caughtUp.batches, ...live1.batches, ...live2.batches];
          for (const batch of batches.filter((b) => b.events.length > 0)) {
            expect(batch.checkpoint).toBe(batch.events[batch.events.length - 1].position);
          }
          const all = await readAllEvents(store);
          expect(all).toHaveLength(11);
          expect(delivered.map((e) => e.eventId)).toEqual(all.map((e) => e.eventId));
          expectStrictlyIncreasing(delivered.map((e) => e.position));
        } finally {
          await subscription.close();
        }
      });

      it("start after the given position", async () => {
        await interleave(store, 2, 3);
        const all = await readAllEvents(store);
        const subscription = subscribe({ after: all[2].position });
        try {
          const { events } = await take(subscription[Symbol.asyncIterator](), 3);
          expect(events.map((e) => e.eventId)).toEqual(all.slice(3).map((e) => e.eventId));
        } finally {
          await subscription.close();
        }
      });

      it('wake up for the first append to an empty store, from either writer', async () => {
        const other = await secondWriter();
        const subscription = subscribe();
        const iterator = subscription[Symbol.asyncIterator]();
        try {
          const pending = take(iterator, 1);
          await delay(50);
          const event = testEvent();
          await store.appendToStream(streamName(), [event]);
          expect((await pending).events.map((e) => e.eventId)).toEqual([event.eventId]);

          const pendingOther = take(iterator, 1);
          await delay(50);
          const fromOther = testEvent();
          await other.appendToStream(streamName(), [fromOther]);
          expect((await pendingOther).events.map((e) => e.eventId)).toEqual([fromOther.eventId]);
        } finally {
          await subscription.close();
        }
      });

      it('close() ends a pending iteration', async () => {
        await store.appendToStream(streamName(), [testEvent()]);
        const subscription = subscribe();
        const iterator = subscription[Symbol.asyncIterator]();
        expect((await take(iterator, 1)).events).toHaveLength(1);
        const pending = iterator.next();
        await delay(20);
        await subscription.close();
        expect(await within(pending, LIVE_TIMEOUT_MS, 'pending next() after close')).toMatchObject({ done: true });
        await store.appendToStream(streamName(), [testEvent()]);
        expect(await within(iterator.next(), LIVE_TIMEOUT_MS, 'next() after close')).toMatchObject({ done: true });
      });
    });

    describe('hash chain', () => {
      it('chains each stream from the genesis value at write time, over the content as it reads back', async () => {
        const stream = streamName();
        await store.appendToStream(stream, [testEvent({ data: { n: 1, nested: { b: [1, 2], a: 'æøå 🫐' } } })], { expectedVersion: 'no_stream' });
        await store.appendToStream(stream, testEvents(2), { expectedVersion: 1 });
        const read = await store.readStream(stream);
        expect(read[0].integrity.previousHash).toBe(GENESIS_HASH);
        for (const [i, event] of read.entries()) {
          expect(event.integrity.hash).toMatch(SHA256_HEX);
          if (i > 0) expect(event.integrity.previousHash).toBe(read[i - 1].integrity.hash);
          expect(eventHash(event.integrity.previousHash as string, event)).toBe(event.integrity.hash);
        }
        const [fromLog] = await readAllEvents(store);
        expect(fromLog.integrity).toEqual(read[0].integrity);
      });

      it('a re-append returns the original result without touching the stored hashes', async () => {
        const stream = streamName();
        const batch = testEvents(2);
        const original = await store.appendToStream(stream, batch, { expectedVersion: 'no_stream' });
        const before = (await store.readStream(stream)).map((e) => e.integrity);
        expect(await store.appendToStream(stream, batch, { expectedVersion: 'no_stream' })).toEqual(original);
        await store.appendToStream(stream, [testEvent()], { expectedVersion: 2 });
        const after = await store.readStream(stream);
        expect(after.slice(0, 2).map((e) => e.integrity)).toEqual(before);
        expect(after[2].integrity.previousHash).toBe(before[1].hash);
      });

      it('concurrent writers through two handles leave every chain unbroken', async () => {
        const other = await secondWriter();
        const [exact, any] = [streamName(), streamName()];
        await Promise.all(
          Array.from({ length: 10 }, (_, w) => appendWithRetry(w % 2 === 0 ? store : other, exact, testEvent({ data: { w } }))),
        );
        await Promise.all(
          testEvents(10).map((event, i) => (i % 2 === 0 ? store : other).appendToStream(any, [event], { expectedVersion: 'any' })),
        );
        expect(await verifyStreams(store)).toEqual({ ok: true, streams: 2, events: 20, unchained: 0 });
      });
    });

    describe('closing the store', () => {
      it('ends open subscriptions, is idempotent and makes every later operation fail as unavailable', async () => {
        const stream = await streamOf(store, 1);
        const subscription = subscribe();
        const iterator = subscription[Symbol.asyncIterator]();
        await take(iterator, 1);
        const pending = iterator.next();
        await delay(20);
        await store.close();
        expect(await within(pending, LIVE_TIMEOUT_MS, 'subscription after store.close()')).toMatchObject({ done: true });
        await store.close();

        await expect(store.appendToStream(stream, [testEvent()])).rejects.toBeInstanceOf(EventStoreUnavailable);
        await expect(store.readStream(stream)).rejects.toBeInstanceOf(EventStoreUnavailable);
        await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailable);
        await expect(readAllEvents(store)).rejects.toBeInstanceOf(EventStoreUnavailable);
      });
    });

    describe('payloads', () => {
      it('round-trip a large event', async () => {
        const budget = Math.min(LARGE_PAYLOAD_BYTES, (capabilities.maxAppendBytes ?? Infinity) - 16 * 1024);
        const chunk = 'Blåbærsyltetøy 🫐 ';
        const text = chunk.repeat(Math.floor(budget / Buffer.byteLength(chunk)));
        expect(Buffer.byteLength(text)).toBeGreaterThan(budget * 0.9);
        const stream = streamName();
        const event = testEvent({ type: 'AttachmentAdded', data: { text, tail: 'end' } });
        await store.appendToStream(stream, [event]);
        const [read] = await store.readStream(stream);
        expect(read.data).toEqual({ text, tail: 'end' });
        const [fromLog] = await readAllEvents(store);
        expect((fromLog.data as { text: string }).text.length).toBe(text.length);
      });

      it('round-trip unicode in data and metadata', async () => {
        const samples = {
          norwegian: 'Ærlig talt, Østfold og Åsgårdstrand: æøå ÆØÅ',
          emoji: '🚀 👩‍👩‍👧‍👦 🇳🇴 👍🏽',
          arabic: 'مرحبا بالعالم',
          hebrew: 'שלום עולם',
          mixed: 'abc אבג 123 ١٢٣',
          combining: 'e\u0301 n\u0303 A\u030a',
          cjk: '漢字かなカナ한국어',
          escapes: 'quote " backslash \\ tab \t newline \n',
          'nøkkel-æøå-🔑': 'keys too',
        };
        const stream = streamName();
        const event = testEvent({
          data: samples,
          metadata: { actor: { id: 'bjørn.ødegård@kommune.no', role: 'staff' }, source: 'web-ærø' },
        });
        await store.appendToStream(stream, [event]);
        const [read] = await store.readStream(stream);
        expect(read.data).toStrictEqual(samples);
        expect(read.metadata).toStrictEqual(event.metadata);
      });

      it('round-trip metadata exactly', async () => {
        const stream = streamName();
        const root = testEvent({
          metadata: {
            correlationId: randomUUID(),
            causationId: null,
            actor: { id: 'system', role: 'system' },
            occurredAt: '2019-01-01T00:00:00.000Z',
            schemaVersion: 2,
            source: 'demo',
          },
        });
        const caused = testEvent({
          metadata: testMetadata({
            correlationId: root.metadata.correlationId,
            causationId: root.eventId,
            actor: { id: randomUUID(), role: 'partner' },
            occurredAt: '2024-06-30T22:00:00.000Z',
            schemaVersion: 1,
            source: 'api',
          }),
        });
        await store.appendToStream(stream, [root, caused]);
        const read = await store.readStream(stream);
        expect(read.map((e) => e.metadata)).toStrictEqual([root.metadata, caused.metadata]);
        expect(read[0].metadata.causationId).toBeNull();
        for (const e of read) expectIsoUtc(e.recordedAt);
      });
    });
  });
}

function streamName(category = 'contract'): string {
  return `${category}-${randomUUID()}`;
}

async function streamOf(store: EventStore, count: number): Promise<string> {
  const stream = streamName();
  await store.appendToStream(stream, testEvents(count), { expectedVersion: 'no_stream' });
  return stream;
}

/** Appends `perStream` events to each of `streams` streams, round-robin, one event per append. */
async function interleave(store: EventStore, streams: number, perStream: number): Promise<{ order: EventToAppend[] }> {
  const names = Array.from({ length: streams }, () => streamName());
  const order: EventToAppend[] = [];
  for (let i = 0; i < perStream; i++) {
    for (const name of names) {
      const event = testEvent({ data: { i } });
      await store.appendToStream(name, [event], { expectedVersion: i });
      order.push(event);
    }
  }
  return { order };
}

async function appendWithRetry(store: EventStore, stream: string, event: EventToAppend): Promise<AppendResult> {
  for (let attempt = 1; ; attempt++) {
    const version = (await store.readStream(stream, { direction: 'backwards', maxCount: 1 }))[0]?.version ?? 0;
    try {
      return await store.appendToStream(stream, [event], { expectedVersion: version });
    } catch (error) {
      if (!(error instanceof ExpectedVersionConflict) || attempt >= 200) throw error;
    }
  }
}

/** Collects readAll; stops with an error at the first empty batch or position that does not move forwards. */
async function readAllBatches(store: EventStore, options: ReadAllOptions = {}): Promise<RecordedEvent[][]> {
  const batches: RecordedEvent[][] = [];
  let last = -Infinity;
  for await (const batch of store.readAll(options)) {
    if (batch.length === 0) throw new Error('readAll yielded an empty batch');
    for (const event of batch) {
      if (event.position <= last) throw new Error(`readAll went from position ${last} to ${event.position}`);
      last = event.position;
    }
    batches.push(batch);
  }
  return batches;
}

async function readAllEvents(store: EventStore, options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
  return (await readAllBatches(store, options)).flat();
}

/** Pulls batches until at least `count` events arrived; fails after a timeout instead of hanging. */
async function take(
  iterator: AsyncIterator<SubscriptionBatch>,
  count: number,
): Promise<{ events: RecordedEvent[]; batches: SubscriptionBatch[] }> {
  const events: RecordedEvent[] = [];
  const batches: SubscriptionBatch[] = [];
  while (events.length < count) {
    const next = await within(iterator.next(), LIVE_TIMEOUT_MS, `subscription event ${events.length + 1} of ${count}`);
    if (next.done) throw new Error(`Subscription ended after ${events.length} of ${count} events`);
    batches.push(next.value);
    events.push(...next.value.events);
  }
  return { events, batches };
}

async function conflictOf(append: Promise<AppendResult>): Promise<ExpectedVersionConflict> {
  const error = await append.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ExpectedVersionConflict)) {
    throw new Error(`Expected an ExpectedVersionConflict, got ${error === undefined ? 'success' : String(error)}`);
  }
  return error;
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function expectStrictlyIncreasing(values: readonly number[]): void {
  const violations = values.flatMap((v, i) => (i > 0 && v <= values[i - 1] ? [`${values[i - 1]} then ${v} at index ${i}`] : []));
  expect(violations).toEqual([]);
}

function expectIsoUtc(value: string): void {
  expect(value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/);
  expect(Number.isNaN(Date.parse(value))).toBe(false);
}
