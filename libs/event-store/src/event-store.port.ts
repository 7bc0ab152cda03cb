import type { EventToAppend, RecordedEvent } from './envelope.js';
import type { ExpectedVersion } from './expected-version.js';

export interface AppendOptions {
  /** Defaults to 'any'. */
  expectedVersion?: ExpectedVersion;
}

export interface AppendResult {
  /** Events in the stream after the append: pass it as the next expected version. */
  nextExpectedVersion: number;
  /** Global position of the last appended event. */
  position: number;
}

export interface ReadStreamOptions {
  /** Defaults to 'forwards'. */
  direction?: 'forwards' | 'backwards';
  /** First version to return (inclusive). Defaults to the start (forwards) or the end (backwards). */
  fromVersion?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Return events with a position strictly greater than this (a checkpoint). Defaults to 0: everything. */
  after?: number;
  /** Stop after this position (inclusive). */
  upTo?: number;
  /** Events per yielded batch. */
  batchSize?: number;
}

export interface SubscribeOptions {
  /** Deliver events with a position strictly greater than this. Defaults to 0. */
  after?: number;
  batchSize?: number;
}

/** A batch delivered by a subscription: everything up to `checkpoint` has now been delivered. */
export interface SubscriptionBatch {
  events: RecordedEvent[];
  checkpoint: number;
}

/** Catch-up then live subscription to the global log. Iterate it; close it to stop. */
export interface Subscription extends AsyncIterable<SubscriptionBatch> {
  close(): Promise<void>;
}

/**
 * The event store port. Adapters: in-memory (tests), embedded SQLite (default), EventStoreDB.
 * Used as the Nest injection token.
 */
export abstract class EventStore {
  /** `memory`, `sqlite` or `esdb`. */
  abstract readonly kind: string;

  /**
   * Appends atomically. Throws ExpectedVersionConflict when the stream does not match.
   * Re-appending event ids that are already stored as the same append returns the original result.
   */
  abstract appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options?: AppendOptions,
  ): Promise<AppendResult>;

  /** Reads one stream; an absent stream reads as empty. */
  abstract readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** Reads the global log in position order, in batches. */
  abstract readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent[]>;

  /** Catch-up from `after`, then live, without gaps or duplicates. */
  abstract subscribe(options?: SubscribeOptions): Subscription;

  /** Position of the newest event in the global log, 0 when empty. */
  abstract headPosition(): Promise<number>;

  abstract close(): Promise<void>;
}
