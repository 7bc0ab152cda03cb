import type { RecordedEvent } from './envelope.js';
import type { Subscription, SubscriptionBatch } from './event-store.port.js';

/** Wakes waiting subscriptions when new events are appended in this process. */
export class AppendSignal {
  private generation = 0;
  private waiters = new Set<() => void>();

  get current(): number {
    return this.generation;
  }

  notify(): void {
    this.generation++;
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  /** Resolves on the next append after `seen`, after `timeoutMs`, or when aborted. */
  wait(seen: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (seen !== this.generation || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }
}

export interface PollingSubscriptionOptions {
  after: number;
  batchSize: number;
  /** Events with position > after, in order, at most `limit`. */
  readBatch: (after: number, limit: number) => Promise<RecordedEvent[]> | RecordedEvent[];
  signal: AppendSignal;
  /** How often to look for appends made by other processes. */
  pollIntervalMs: number;
}

/** Catch-up then live subscription over a store that can read "everything after a position". */
export function pollingSubscription(options: PollingSubscriptionOptions): Subscription {
  const stop = new AbortController();
  async function* batches(): AsyncGenerator<SubscriptionBatch> {
    let checkpoint = options.after;
    while (!stop.signal.aborted) {
      const seen = options.signal.current;
      const events = await options.readBatch(checkpoint, options.batchSize);
      if (stop.signal.aborted) return;
      if (events.length > 0) {
        checkpoint = events[events.length - 1].position;
        yield { events, checkpoint };
        continue;
      }
      await options.signal.wait(seen, options.pollIntervalMs, stop.signal);
    }
  }
  const iterator = batches();
  return {
    [Symbol.asyncIterator]: () => iterator,
    async close() {
      stop.abort();
    },
  };
}
