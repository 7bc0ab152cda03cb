import type { EventToAppend, RecordedEvent } from '../envelope.js';
import { ExpectedVersionConflict, InvalidAppend } from '../errors.js';
import {
  EventStore,
  type AppendOptions,
  type AppendResult,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port.js';
import { satisfiesExpectedVersion } from '../expected-version.js';
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

  constructor(private readonly clock: () => Date = () => new Date()) {
    super();
  }

  async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const expected = options.expectedVersion ?? 'any';
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

    const recordedAt = this.clock().toISOString();
    const recorded = events.map((event, i): RecordedEvent => ({
      ...structuredClone(event),
      streamId,
      version: current + i + 1,
      position: this.log.length + i + 1,
      recordedAt,
      integrity: { previousHash: null, hash: null },
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
    return pollingSubscription({
      after: options.after ?? 0,
      batchSize: options.batchSize ?? 500,
      readBatch: (after, limit) => this.after(after, limit),
      signal: this.signal,
      pollIntervalMs: 1000,
    });
  }

  async headPosition(): Promise<number> {
    return this.log.length;
  }

  async close(): Promise<void> {}

  private after(position: number, limit: number): RecordedEvent[] {
    // Positions are 1-based and dense in memory, so the array index is position - 1.
    return this.log.slice(position, position + limit).map((e) => structuredClone(e));
  }
}
