import type { EventToAppend, RecordedEvent } from '../envelope.js';
import {
  EventStore,
  type AppendOptions,
  type AppendResult,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionBatch,
} from '../event-store.port.js';
import type { Upcasters } from './upcasters.js';

/**
 * An {@link EventStore} decorator that upcasts every event it reads (`readStream`, `readAll`, `subscribe`) to
 * the current schema version of its type, so deciders, projections and views only ever see today's shapes.
 * Appends pass through unchanged: events are stored as written, with the version they were written in.
 */
export class UpcastingEventStore extends EventStore {
  constructor(
    /** The adapter that stores the events. */
    readonly inner: EventStore,
    readonly upcasters: Upcasters,
  ) {
    super();
  }

  get kind(): string {
    return this.inner.kind;
  }

  appendToStream(streamId: string, events: readonly EventToAppend[], options?: AppendOptions): Promise<AppendResult> {
    return this.inner.appendToStream(streamId, events, options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.upcastAll(await this.inner.readStream(streamId, options));
  }

  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent[]> {
    return mapAsync(this.inner.readAll(options), (batch) => this.upcastAll(batch));
  }

  subscribe(options?: SubscribeOptions): Subscription {
    const inner = this.inner.subscribe(options);
    const upcast = (batch: SubscriptionBatch): SubscriptionBatch => ({ ...batch, events: this.upcastAll(batch.events) });
    return {
      [Symbol.asyncIterator]: () => mapAsync(inner, upcast)[Symbol.asyncIterator](),
      close: () => inner.close(),
    };
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private upcastAll(events: RecordedEvent[]): RecordedEvent[] {
    return events.map((event) => this.upcasters.upcast(event));
  }
}

/** Maps every item of an async iterable; ending or breaking the result ends the source. */
async function* mapAsync<T, U>(source: AsyncIterable<T>, map: (item: T) => U): AsyncGenerator<U> {
  for await (const item of source) yield map(item);
}
