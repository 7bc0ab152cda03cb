import type { Position } from '@eventstore/db-client';
import type { RecordedEvent } from '../envelope.js';
import { EventStoreUnavailable } from '../errors.js';
import type { Subscription, SubscriptionBatch } from '../event-store.port.js';
import { comparePositions, toPortPosition } from './esdb-mapping.js';

/** Receives what one server subscription delivers, in log order. */
export interface SourceSink {
  /** The server accepted the subscription. */
  confirmed(): void;
  event(event: RecordedEvent, position: Position): void;
  /** Everything up to `position` has been looked at (also used for events filtered out on our side). */
  checkpoint(position: Position): void;
  failed(error: unknown): void;
  /** The server ended the subscription without an error. */
  ended(): void;
}

/** One server subscription, as the catch-up subscription controls it. */
export interface SourceHandle {
  pause(): void;
  resume(): void;
  /** Stops delivery; must not throw or wait for the server. */
  close(): void;
}

/** Opens a server subscription delivering what comes strictly after `from` (undefined: from the start). */
export type OpenSource = (from: Position | undefined, sink: SourceSink) => SourceHandle;

/** How to resubscribe after the connection drops. */
export interface ResubscribePolicy {
  /** First delay; doubles per consecutive failure. Defaults to 100 ms. */
  initialDelayMs?: number;
  /** Defaults to 5000 ms. */
  maxDelayMs?: number;
  /** Consecutive failed attempts before the iterator throws. Defaults to 20. */
  maxAttempts?: number;
}

export interface CatchUpSubscriptionOptions {
  /** Deliver events with a position strictly greater than this. */
  after: Position | undefined;
  batchSize: number;
  /** Yield `{events: [], checkpoint}` when the server reports progress past events we do not deliver. */
  checkpointBatches: boolean;
  open: OpenSource;
  resubscribe?: ResubscribePolicy;
  /** Whether a failure is worth resubscribing for (connection lost, timeout). */
  isRetryable(error: unknown): boolean;
  /** The error the iterator throws when giving up. */
  toError(error: unknown): Error;
}

type Item = { kind: 'event'; event: RecordedEvent } | { kind: 'checkpoint'; position: Position };

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A catch-up-then-live subscription over a server subscription that may drop. Delivery is strictly in
 * position order, without gaps or duplicates: on a drop it resubscribes, with backoff, from the last position
 * it received (an event or a server checkpoint), and ignores anything at or before that position.
 * Batches with events carry the position of their last event as checkpoint; a checkpoint-only batch is
 * yielded only when nothing else is queued behind the server's checkpoint.
 */
export class CatchUpSubscription implements Subscription {
  private readonly queue: Item[] = [];
  private readonly waiters: Array<() => void> = [];
  private readonly highWater: number;
  private lastReceived: Position | undefined;
  private delivered: number;
  private handle: SourceHandle | undefined;
  private generation = 0;
  private attempts = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private failure: Error | undefined;
  private started = false;
  private closed = false;
  private paused = false;

  constructor(private readonly options: CatchUpSubscriptionOptions) {
    this.lastReceived = options.after;
    this.delivered = options.after ? toPortPosition(options.after) : 0;
    this.highWater = Math.max(1000, options.batchSize * 4);
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionBatch> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return DONE;
      },
    };
  }

  /** Stops the server subscription and ends pending and later iterations. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.generation++;
    this.handle?.close();
    this.handle = undefined;
    this.queue.length = 0;
    this.wake();
  }

  private async next(): Promise<IteratorResult<SubscriptionBatch>> {
    if (!this.started && !this.closed) {
      this.started = true;
      this.connect();
    }
    for (;;) {
      if (this.closed) return DONE;
      const batch = this.takeBatch();
      if (batch) return { done: false, value: batch };
      if (this.failure) {
        const failure = this.failure;
        await this.close();
        throw failure;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private takeBatch(): SubscriptionBatch | null {
    while (this.queue.length > 0 && this.queue[0].kind === 'checkpoint') {
      let last = 0;
      while (last + 1 < this.queue.length && this.queue[last + 1].kind === 'checkpoint') last++;
      const [checkpoint] = this.queue.splice(0, last + 1).slice(-1) as Array<Extract<Item, { kind: 'checkpoint' }>>;
      // Events queued behind it move the checkpoint further anyway.
      if (this.queue.length > 0) continue;
      this.resumeIfDrained();
      const position = toPortPosition(checkpoint.position);
      if (!this.options.checkpointBatches || position <= this.delivered) return null;
      this.delivered = position;
      return { events: [], checkpoint: position };
    }
    if (this.queue.length === 0) return null;
    const events: RecordedEvent[] = [];
    while (events.length < this.options.batchSize && this.queue.length > 0 && this.queue[0].kind === 'event') {
      events.push((this.queue.shift() as Extract<Item, { kind: 'event' }>).event);
    }
    this.delivered = events[events.length - 1].position;
    this.resumeIfDrained();
    return { events, checkpoint: this.delivered };
  }

  private resumeIfDrained(): void {
    if (this.paused && this.queue.length <= this.highWater / 2) {
      this.paused = false;
      this.handle?.resume();
    }
  }

  private connect(): void {
    const generation = ++this.generation;
    const current = () => generation === this.generation && !this.closed;
    const sink: SourceSink = {
      confirmed: () => {
        if (current()) this.attempts = 0;
      },
      event: (event, position) => {
        if (current()) this.receive({ kind: 'event', event }, position);
      },
      checkpoint: (position) => {
        if (current()) this.receive({ kind: 'checkpoint', position }, position);
      },
      failed: (error) => {
        if (current()) this.dropped(error);
      },
      ended: () => {
        if (current()) this.dropped(new EventStoreUnavailable('the server ended the subscription'), true);
      },
    };
    try {
      this.paused = false;
      this.handle = this.options.open(this.lastReceived, sink);
    } catch (error) {
      this.dropped(error);
    }
  }

  private receive(item: Item, position: Position): void {
    if (this.lastReceived && comparePositions(position, this.lastReceived) <= 0) return;
    this.lastReceived = position;
    this.queue.push(item);
    if (!this.paused && this.queue.length >= this.highWater) {
      this.paused = true;
      this.handle?.pause();
    }
    this.wake();
  }

  private dropped(error: unknown, retryable = this.options.isRetryable(error)): void {
    this.generation++;
    this.handle?.close();
    this.handle = undefined;
    const policy = this.options.resubscribe ?? {};
    const maxAttempts = policy.maxAttempts ?? 20;
    if (!retryable || this.attempts >= maxAttempts) {
      this.failure = this.options.toError(error);
      this.wake();
      return;
    }
    this.attempts++;
    const delay = Math.min((policy.initialDelayMs ?? 100) * 2 ** (this.attempts - 1), policy.maxDelayMs ?? 5000);
    this.retryTimer = setTimeout(() => {
      if (!this.closed) this.connect();
    }, delay);
  }

  private wake(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
