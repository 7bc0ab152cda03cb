import type { EventToAppend, RecordedEvent } from '../envelope.js';
import { EventStoreUnavailable, ExpectedVersionConflict, InvalidAppend } from '../errors.js';
import {
  EventStore,
  type AppendOptions,
  type AppendResult,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port.js';
import { isValidExpectedVersion, satisfiesExpectedVersion } from '../expected-version.js';
import { chainBatch, prepareContent, type PreparedContent } from '../integrity/chain.js';
import { resolveReappend, type StoredLocation } from '../reappend.js';
import { selectStreamRange } from '../stream-range.js';
import { AppendSignal, pollingSubscription } from '../subscription.js';

/** Event store held in process memory: for unit tests and throwaway runs. */
export class InMemoryEventStore extends EventStore {
  readonly kind = 'memory';
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly byId = new Map<string, StoredLocation>();
  private readonly signal = new AppendSignal();
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  constructor(private readonly clock: () => Date = () => new Date()) {
    super();
  }

  async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    this.assertOpen();
    const expected = options.expectedVersion ?? 'any';
    if (!isValidExpectedVersion(expected)) throw new InvalidAppend(`Invalid expected version ${String(expected)}`);
    const stream = this.streams.get(streamId) ?? [];
    const current = stream.length;
    if (events.length === 0) {
      if (!satisfiesExpectedVersion(expected, current)) throw new ExpectedVersionConflict(streamId, expected, current);
      return { nextExpectedVersion: current, position: stream.at(-1)?.position ?? 0 };
    }
    const ids = new Set(events.map((e) => e.eventId));
    if (ids.size !== events.length) throw new InvalidAppend('An append must not repeat an event id');
    const replay = resolveReappend(streamId, events, expected, current, events.map((e) => this.byId.get(e.eventId)));
    if (replay) return replay;
    if (!satisfiesExpectedVersion(expected, current)) throw new ExpectedVersionConflict(streamId, expected, current);

    const chain = chainBatch(stream.at(-1)?.integrity.hash ?? null, events.map(preparedOrInvalid), streamId, current + 1);
    const recordedAt = this.clock().toISOString();
    const recorded = events.map((event, i): RecordedEvent => ({
      ...structuredClone(event),
      streamId,
      version: current + i + 1,
      position: this.log.length + i + 1,
      recordedAt,
      integrity: chain[i],
    }));
    for (const r of recorded) {
      this.log.push(r);
      stream.push(r);
      this.byId.set(r.eventId, { eventId: r.eventId, streamId, version: r.version, position: r.position });
    }
    this.streams.set(streamId, stream);
    this.signal.notify();
    const last = recorded[recorded.length - 1];
    return { nextExpectedVersion: last.version, position: last.position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return selectStreamRange(this.streams.get(streamId) ?? [], options).map((e) => structuredClone(e));
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent[]> {
    const batchSize = options.batchSize ?? 500;
    let after = options.after ?? 0;
    for (;;) {
      const batch = this.after(after, batchSize).filter((e) => options.upTo === undefined || e.position <= options.upTo);
      if (batch.length === 0) return;
      yield batch;
      after = batch[batch.length - 1].position;
    }
  }

  subscribe(options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const inner = pollingSubscription({
      after: options.after ?? 0,
      batchSize: Math.max(1, options.batchSize ?? 500),
      readBatch: (after, limit) => (this.closed ? [] : this.after(after, limit)),
      signal: this.signal,
      pollIntervalMs: 1000,
    });
    this.subscriptions.add(inner);
    return {
      [Symbol.asyncIterator]: () => inner[Symbol.asyncIterator](),
      close: async () => {
        this.subscriptions.delete(inner);
        await inner.close();
      },
    };
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.log.length;
  }

  /** Ends open subscriptions; afterwards every operation throws EventStoreUnavailable. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    const open = [...this.subscriptions];
    this.subscriptions.clear();
    await Promise.all(open.map((s) => s.close()));
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailable('In-memory event store is closed');
  }

  private after(position: number, limit: number): RecordedEvent[] {
    this.assertOpen();
    // Positions are 1-based and dense in memory, so the array index is position - 1.
    return this.log.slice(position, position + limit).map((e) => structuredClone(e));
  }
}

/** The event's canonical content for the hash chain; an InvalidAppend when it has no JSON form. */
function preparedOrInvalid(event: EventToAppend): PreparedContent {
  try {
    return prepareContent(event);
  } catch (error) {
    throw new InvalidAppend(`Event ${event.eventId}: data and metadata must be serialisable as JSON`, { cause: error });
  }
}
