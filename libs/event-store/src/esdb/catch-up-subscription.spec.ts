import { afterEach, describe, expect, it } from '@jest/globals';
import type { Position } from '@eventstore/db-client';
import type { RecordedEvent } from '../envelope.js';
import { EventStoreUnavailable } from '../errors.js';
import type { SubscriptionBatch } from '../event-store.port.js';
import { testEvent } from '../testing/test-event.js';
import { CatchUpSubscription, type CatchUpSubscriptionOptions, type SourceSink } from './catch-up-subscription.js';

const at = (n: number): Position => ({ commit: BigInt(n), prepare: BigInt(n) });

function recorded(position: number): RecordedEvent {
  return { ...testEvent(), streamId: 'test-1', version: position, position, recordedAt: '2024-01-01T00:00:00.000Z', integrity: { previousHash: null, hash: null } };
}

class Dropped extends Error {
  readonly retryable = true;
}

/** A scripted server: records every open and lets the test push what the server would send. */
class FakeServer {
  readonly opens: Array<Position | undefined> = [];
  sink: SourceSink | undefined;
  closed = 0;
  paused = false;

  readonly open = (from: Position | undefined, sink: SourceSink) => {
    this.opens.push(from);
    this.sink = sink;
    return {
      pause: () => (this.paused = true),
      resume: () => (this.paused = false),
      close: () => this.closed++,
    };
  };

  events(...positions: number[]): void {
    for (const p of positions) this.sink?.event(recorded(p), at(p));
  }

  checkpoint(position: Position): void {
    this.sink?.checkpoint(position);
  }
}

const subscriptions: CatchUpSubscription[] = [];
afterEach(async () => {
  await Promise.all(subscriptions.splice(0).map((s) => s.close()));
});

function subscription(server: FakeServer, options: Partial<CatchUpSubscriptionOptions> = {}): CatchUpSubscription {
  const created = new CatchUpSubscription({
    after: undefined,
    batchSize: 3,
    checkpointBatches: true,
    open: server.open,
    resubscribe: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 },
    isRetryable: (error) => error instanceof Dropped,
    toError: (error) => new EventStoreUnavailable(`gave up: ${String(error)}`),
    ...options,
  });
  subscriptions.push(created);
  return created;
}

function within<T>(promise: Promise<T>, ms = 2000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function nextBatch(iterator: AsyncIterator<SubscriptionBatch>): Promise<SubscriptionBatch> {
  const result = await within(iterator.next());
  if (result.done) throw new Error('subscription ended');
  return result.value;
}

const positions = (batch: SubscriptionBatch) => batch.events.map((e) => e.position);

describe('CatchUpSubscription', () => {
  it('opens lazily from the start and delivers batches whose checkpoint is their last event', async () => {
    const server = new FakeServer();
    const iterator = subscription(server)[Symbol.asyncIterator]();
    expect(server.opens).toEqual([]);
    const pending = iterator.next();
    expect(server.opens).toEqual([undefined]);
    server.sink?.confirmed();
    server.events(10, 20, 30, 40);
    const first = await within(pending);
    expect(first.done).toBe(false);
    expect(first.value).toMatchObject({ checkpoint: 30 });
    expect(positions(first.value as SubscriptionBatch)).toEqual([10, 20, 30]);
    const second = await nextBatch(iterator);
    expect(positions(second)).toEqual([40]);
    expect(second.checkpoint).toBe(40);
  });

  it("starts strictly after 'after'", async () => {
    const server = new FakeServer();
    const iterator = subscription(server, { after: at(20) })[Symbol.asyncIterator]();
    const pending = iterator.next();
    expect(server.opens).toEqual([at(20)]);
    server.events(20, 30);
    expect(positions((await within(pending)).value as SubscriptionBatch)).toEqual([30]);
  });

  it('yields a checkpoint-only batch for progress past filtered events, and only when nothing follows it', async () => {
    const server = new FakeServer();
    const iterator = subscription(server)[Symbol.asyncIterator]();
    const pending = iterator.next();
    server.events(10);
    server.checkpoint({ commit: 500n, prepare: 0n });
    server.events(600);
    expect(positions((await within(pending)).value as SubscriptionBatch)).toEqual([10]);
    expect(positions(await nextBatch(iterator))).toEqual([600]);

    const gap = iterator.next();
    server.checkpoint(at(700));
    server.checkpoint({ commit: 900n, prepare: 0n });
    expect((await within(gap)).value).toEqual({ events: [], checkpoint: 900 });

    const stale = iterator.next();
    server.checkpoint({ commit: 800n, prepare: 0n });
    server.events(950);
    expect(positions((await within(stale)).value as SubscriptionBatch)).toEqual([950]);
  });

  it('leaves checkpoint-only batches out when asked to', async () => {
    const server = new FakeServer();
    const iterator = subscription(server, { checkpointBatches: false })[Symbol.asyncIterator]();
    const pending = iterator.next();
    server.checkpoint(at(100));
    await new Promise((r) => setTimeout(r, 20));
    server.events(200);
    expect((await within(pending)).value).toMatchObject({ checkpoint: 200 });
  });

  it('resubscribes with backoff from the last received position, without gaps or duplicates', async () => {
    const server = new FakeServer();
    const iterator = subscription(server)[Symbol.asyncIterator]();
    const pending = iterator.next();
    server.sink?.confirmed();
    server.events(10, 20);
    expect(positions((await within(pending)).value as SubscriptionBatch)).toEqual([10, 20]);

    server.checkpoint({ commit: 25n, prepare: 0n });
    server.sink?.failed(new Dropped('connection lost'));
    expect(server.closed).toBe(1);
    const afterDrop = iterator.next();
    await new Promise((r) => setTimeout(r, 30));
    expect(server.opens).toEqual([undefined, { commit: 25n, prepare: 0n }]);
    // The new server subscription overlaps what was already received: nothing is delivered twice.
    server.sink?.confirmed();
    server.events(20, 30, 40);
    expect((await within(afterDrop)).value).toEqual({ events: [], checkpoint: 25 });
    expect(positions(await nextBatch(iterator))).toEqual([30, 40]);

    server.sink?.ended();
    await new Promise((r) => setTimeout(r, 30));
    expect(server.opens).toEqual([undefined, { commit: 25n, prepare: 0n }, at(40)]);
  });

  it('ignores a dropped server subscription that keeps talking', async () => {
    const server = new FakeServer();
    const iterator = subscription(server)[Symbol.asyncIterator]();
    const pending = iterator.next();
    const old = server.sink as SourceSink;
    old.failed(new Dropped('lost'));
    await new Promise((r) => setTimeout(r, 30));
    old.event(recorded(5), at(5));
    server.events(7);
    expect(positions((await within(pending)).value as SubscriptionBatch)).toEqual([7]);
  });

  it('gives up after the configured attempts, after delivering what it holds', async () => {
    const server = new FakeServer();
    const iterator = subscription(server)[Symbol.asyncIterator]();
    const pending = iterator.next();
    server.events(10);
    expect(positions((await within(pending)).value as SubscriptionBatch)).toEqual([10]);
    server.events(20);
    for (let i = 0; i < 4; i++) {
      server.sink?.failed(new Dropped(`lost ${i}`));
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(server.opens).toHaveLength(4);
    expect(positions(await nextBatch(iterator))).toEqual([20]);
    await expect(within(iterator.next())).rejects.toThrow('gave up: Error: lost 3');
    expect(await within(iterator.next())).toEqual({ done: true, value: undefined });
  });

  it('fails at once on an error that resubscribing cannot fix', async () => {
    const server = new FakeServer();
    const iterator = subscription(server)[Symbol.asyncIterator]();
    const pending = iterator.next();
    server.sink?.failed(new Error('access denied'));
    await expect(within(pending)).rejects.toBeInstanceOf(EventStoreUnavailable);
    expect(server.opens).toHaveLength(1);
  });

  it('close() ends a pending iteration and stops the server subscription', async () => {
    const server = new FakeServer();
    const sub = subscription(server);
    const iterator = sub[Symbol.asyncIterator]();
    const pending = iterator.next();
    await sub.close();
    expect(await within(pending)).toEqual({ done: true, value: undefined });
    expect(server.closed).toBe(1);
    server.events(10);
    expect(await within(iterator.next())).toEqual({ done: true, value: undefined });
  });

  it('pauses the server subscription while the consumer lags, and resumes it', async () => {
    const server = new FakeServer();
    const iterator = subscription(server, { batchSize: 500 })[Symbol.asyncIterator]();
    const first = iterator.next();
    server.events(...Array.from({ length: 2500 }, (_, i) => i + 1));
    expect(server.paused).toBe(true);
    let received = ((await within(first)).value as SubscriptionBatch).events.length;
    while (received < 2500) received += (await nextBatch(iterator)).events.length;
    expect(server.paused).toBe(false);
  });
});
