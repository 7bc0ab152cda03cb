import type { EventToAppend, RecordedEvent } from './envelope.js';
import {
  EventStore,
  type AppendOptions,
  type AppendResult,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionBatch,
} from './event-store.port.js';

/**
 * Base of the {@link EventStore} decorators that change what is read: every read path (`readStream`, `readAll`,
 * `subscribe`) hands its batch of events to {@link mapRead}; appends, the head position and closing pass through
 * to {@link inner} unless a subclass overrides them. {@link storedEventsOf} unwraps any number of them to reach
 * the events as stored.
 */
export abstract class ReadMappingEventStore extends EventStore {
  constructor(
    /** The store beneath: the adapter, or another decorator. */
    readonly inner: EventStore,
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
    return this.mapRead(await this.inner.readStream(streamId, options));
  }

  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent[]> {
    return mapAsync(this.inner.readAll(options), (batch) => this.mapRead(batch));
  }

  subscribe(options?: SubscribeOptions): Subscription {
    const inner = this.inner.subscribe(options);
    const map = async (batch: SubscriptionBatch): Promise<SubscriptionBatch> => ({ ...batch, events: await this.mapRead(batch.events) });
    return {
      [Symbol.asyncIterator]: () => mapAsync(inner, map)[Symbol.asyncIterator](),
      close: () => inner.close(),
    };
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  /** Closes the store beneath. */
  close(): Promise<void> {
    return this.inner.close();
  }

  /** The events as this decorator lets readers see them (in the same order, one for one). */
  protected abstract mapRead(events: RecordedEvent[]): RecordedEvent[] | Promise<RecordedEvent[]>;
}

/** The events as the adapter stored them: unwraps every {@link ReadMappingEventStore} around it. */
export function storedEventsOf(store: EventStore): EventStore {
  let inner = store;
  while (inner instanceof ReadMappingEventStore) inner = inner.inner;
  return inner;
}

/** Maps every item of an async iterable; ending or breaking the result ends the source. */
async function* mapAsync<T, U>(source: AsyncIterable<T>, map: (item: T) => U | Promise<U>): AsyncGenerator<U> {
  for await (const item of source) yield await map(item);
}
