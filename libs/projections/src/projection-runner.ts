import type { EventStore, RecordedEvent, Subscription, SubscriptionBatch } from '#event-store';
import { CheckpointStore, type ParkedAt } from './checkpoint-store.js';
import { silentLogger, type ProjectionLogger } from './logger.js';
import { assertValidProjection, dropProjectionTables, type Projection } from './projection.js';
import type { ReadModelDb } from './read-model-db.js';

/** Options for {@link ProjectionRunner}. */
export interface ProjectionRunnerOptions {
  store: EventStore;
  db: ReadModelDb;
  projections: readonly Projection[];
  logger?: ProjectionLogger;
  /** Events per subscription batch (and per read-model transaction). Defaults to 500. */
  batchSize?: number;
  /** First delay before resubscribing after the subscription failed; doubles up to 30 s. Defaults to 1000 ms. */
  retryDelayMs?: number;
  /** Time source for `updated_at`. */
  clock?: () => Date;
}

/** `running`: following the log; `parked`: stopped at a poison event until resumed; `stopped`: runner not started. */
export type ProjectionState = 'running' | 'parked' | 'stopped';

/** What `status()` reports per projection. */
export interface ProjectionStatus {
  name: string;
  version: number;
  state: ProjectionState;
  checkpoint: number;
  /** Head position minus checkpoint; null when the store could not be asked. */
  lag: number | null;
  parked?: ParkedAt;
  /** Last subscription failure, until a batch arrives again. */
  lastError?: string;
}

/** Options for {@link ProjectionRunner.waitFor}. */
export interface WaitForOptions {
  /** Wait only for these projections (default: all). */
  projections?: readonly string[];
}

interface Worker {
  readonly projection: Projection;
  readonly handles: ReadonlySet<string>;
  checkpoint: number;
  parked: ParkedAt | null;
  lastError?: string;
  subscription?: Subscription;
  abort?: AbortController;
  loop?: Promise<void>;
}

interface Waiter {
  position: number;
  names: readonly string[] | null;
  resolve: (reached: boolean) => void;
  timer: NodeJS.Timeout;
}

const MAX_RETRY_DELAY_MS = 30_000;
const TRANSIENT_SQLITE = /^SQLITE_(BUSY|IOERR|FULL|NOMEM|CANTOPEN)/;

/**
 * Runs projections: one catch-up-then-live subscription per projection, from its own checkpoint. Each batch
 * is applied in one SQLite transaction together with the checkpoint, and events at or below the stored
 * checkpoint are skipped inside that transaction, so redelivery has no effect. An event whose `apply` throws
 * parks only its projection.
 */
export class ProjectionRunner {
  private readonly store: EventStore;
  private readonly db: ReadModelDb;
  private readonly checkpoints: CheckpointStore;
  private readonly logger: ProjectionLogger;
  private readonly batchSize: number;
  private readonly retryDelayMs: number;
  private readonly workers = new Map<string, Worker>();
  private readonly waiters = new Set<Waiter>();
  private running = false;

  constructor(options: ProjectionRunnerOptions) {
    this.store = options.store;
    this.db = options.db;
    this.checkpoints = new CheckpointStore(options.db, options.clock);
    this.logger = options.logger ?? silentLogger;
    this.batchSize = options.batchSize ?? 500;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    for (const projection of options.projections) {
      assertValidProjection(projection);
      if (this.workers.has(projection.name)) throw new Error(`Projection ${projection.name} is registered twice`);
      this.workers.set(projection.name, {
        projection,
        handles: new Set(projection.handles),
        checkpoint: 0,
        parked: null,
      });
    }
  }

  /**
   * Prepares every projection's tables and checkpoint (synchronously, so queries work once this is called),
   * resetting any whose version changed, then starts following the log. Resolves once the subscriptions are
   * launched, not when they have caught up: use `waitFor(await store.headPosition(), …)` for that.
   */
  async start(): Promise<void> {
    if (this.running) return;
    for (const worker of this.workers.values()) this.prepare(worker);
    this.running = true;
    for (const worker of this.workers.values()) {
      if (worker.parked) {
        this.logger.warn(
          { projection: worker.projection.name, parked: worker.parked },
          'projection is parked at a poison event; resume it after fixing the projection',
        );
      } else {
        this.launch(worker);
      }
    }
  }

  /** Closes the subscriptions and waits for in-flight batches; pending `waitFor` calls resolve false. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await Promise.all([...this.workers.values()].map((worker) => this.halt(worker)));
    for (const waiter of this.waiters) this.settle(waiter, false);
  }

  /** Per projection: state, checkpoint, lag behind the head of the log, and where it is parked. */
  async status(): Promise<ProjectionStatus[]> {
    let head: number | null = null;
    try {
      head = await this.store.headPosition();
    } catch (error) {
      this.logger.warn({ err: error }, 'projection status: could not read the head position');
    }
    return [...this.workers.values()].map((worker) => {
      const status: ProjectionStatus = {
        name: worker.projection.name,
        version: worker.projection.version,
        state: this.stateOf(worker),
        checkpoint: worker.checkpoint,
        lag: head === null ? null : Math.max(0, head - worker.checkpoint),
      };
      if (worker.parked) status.parked = { ...worker.parked };
      if (worker.lastError !== undefined) status.lastError = worker.lastError;
      return status;
    });
  }

  /**
   * Resolves true once every projection that is not parked has a checkpoint at or beyond `position` (used
   * for read-your-writes). With `options.projections`, only those count, and one of them being parked below
   * `position` resolves false. Resolves false after `timeoutMs`, on `stop()`, or at once when the runner is
   * not running and the position is not reached. Never rejects except for an unknown projection name.
   */
  waitFor(position: number, timeoutMs: number, options: WaitForOptions = {}): Promise<boolean> {
    const names = options.projections ?? null;
    const unknown = names?.find((name) => !this.workers.has(name));
    if (unknown !== undefined) return Promise.reject(new Error(`Unknown projection: ${unknown}`));
    const progress = this.progress(position, names);
    if (progress !== 'pending') return Promise.resolve(progress === 'reached');
    if (!this.running) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        position,
        names,
        resolve,
        timer: setTimeout(() => this.settle(waiter, false), Math.max(0, timeoutMs)),
      };
      this.waiters.add(waiter);
    });
  }

  /** Clears a park and retries from the checkpoint; parks again if the event still fails. */
  async resume(name: string): Promise<void> {
    const worker = this.worker(name);
    if (!worker.parked) return;
    this.checkpoints.unpark(name);
    this.logger.info({ projection: name, parked: worker.parked }, 'projection resumed');
    worker.parked = null;
    if (this.running) this.launch(worker);
  }

  /** Drops the projection's tables, sets its checkpoint to 0 and replays the whole log. */
  async rebuild(name: string): Promise<void> {
    const worker = this.worker(name);
    await this.halt(worker);
    this.db.transaction(() => this.reset(worker, 'rebuild requested')).immediate();
    if (this.running) this.launch(worker);
    this.notify();
  }

  private worker(name: string): Worker {
    const worker = this.workers.get(name);
    if (!worker) throw new Error(`Unknown projection: ${name}`);
    return worker;
  }

  private stateOf(worker: Worker): ProjectionState {
    if (worker.parked) return 'parked';
    return this.running && worker.loop ? 'running' : 'stopped';
  }

  /** Loads the checkpoint, resetting on a version change, and runs the (idempotent) setup. */
  private prepare(worker: Worker): void {
    const { name, version } = worker.projection;
    this.db
      .transaction(() => {
        const stored = this.checkpoints.get(name);
        if (!stored) {
          this.reset(worker, 'new projection');
        } else if (stored.version !== version) {
          this.reset(worker, `version changed from ${stored.version} to ${version}`);
        } else {
          worker.projection.setup(this.db);
          worker.checkpoint = stored.position;
          worker.parked = stored.parked;
        }
      })
      .immediate();
  }

  /** Inside a transaction: drop all the projection's tables, set up afresh, checkpoint 0. */
  private reset(worker: Worker, reason: string): void {
    const { name, version } = worker.projection;
    const dropped = dropProjectionTables(this.db, name);
    worker.projection.setup(this.db);
    this.checkpoints.reset(name, version);
    worker.checkpoint = 0;
    worker.parked = null;
    this.logger.info(
      { projection: name, version, reason, dropped },
      `projection ${name} reset: replaying from position 0 (${reason})`,
    );
  }

  private launch(worker: Worker): void {
    const abort = new AbortController();
    worker.abort = abort;
    const loop: Promise<void> = this.follow(worker, abort.signal)
      .catch((error: unknown) => {
        this.logger.error({ projection: worker.projection.name, err: error }, 'projection loop crashed');
      })
      .finally(() => {
        if (worker.loop === loop) worker.loop = undefined;
        this.notify();
      });
    worker.loop = loop;
    this.logger.info(
      { projection: worker.projection.name, version: worker.projection.version, checkpoint: worker.checkpoint },
      'projection following the log',
    );
  }

  /** Closes the worker's subscription and waits until its current batch is done. */
  private async halt(worker: Worker): Promise<void> {
    worker.abort?.abort();
    await worker.subscription?.close().catch(() => undefined);
    await worker.loop;
  }

  private async follow(worker: Worker, signal: AbortSignal): Promise<void> {
    const name = worker.projection.name;
    let failures = 0;
    while (!signal.aborted) {
      let subscription: Subscription | undefined;
      let retryInMs = 0;
      try {
        subscription = this.store.subscribe({ after: worker.checkpoint, batchSize: this.batchSize });
        worker.subscription = subscription;
        for await (const batch of subscription) {
          if (signal.aborted) break;
          if (!this.process(worker, batch)) return;
          failures = 0;
          worker.lastError = undefined;
        }
        if (signal.aborted) return;
        throw new Error('subscription ended unexpectedly');
      } catch (error) {
        if (signal.aborted) return;
        failures++;
        worker.lastError = messageOf(error);
        retryInMs = Math.min(this.retryDelayMs * 2 ** (failures - 1), MAX_RETRY_DELAY_MS);
        this.logger.warn(
          { projection: name, err: error, failures, retryInMs },
          'projection subscription failed; retrying',
        );
      } finally {
        if (subscription && worker.subscription === subscription) worker.subscription = undefined;
        await subscription?.close().catch(() => undefined);
      }
      await sleep(retryInMs, signal);
    }
  }

  /**
   * Applies one batch. Returns false when the projection got parked. Transient SQLite errors (busy, I/O)
   * are rethrown so the subscription is retried from the checkpoint instead of parking.
   */
  private process(worker: Worker, batch: SubscriptionBatch): boolean {
    try {
      this.commit(worker, batch.events, batch.checkpoint);
      return true;
    } catch (error) {
      if (isTransient(error)) throw error;
    }
    for (const event of batch.events) {
      if (event.position <= worker.checkpoint) continue;
      try {
        this.commit(worker, [event], event.position);
      } catch (error) {
        if (isTransient(error)) throw error;
        this.park(worker, event, error);
        return false;
      }
    }
    this.commit(worker, [], batch.checkpoint);
    return true;
  }

  /** One transaction: re-read the checkpoint, apply the newer handled events, advance the checkpoint. */
  private commit(worker: Worker, events: readonly RecordedEvent[], upTo: number): void {
    const { projection, handles } = worker;
    const position = this.db
      .transaction(() => {
        const stored = this.checkpoints.get(projection.name)?.position ?? 0;
        for (const event of events) {
          if (event.position > stored && handles.has(event.type)) projection.apply(this.db, event);
        }
        const next = Math.max(stored, upTo);
        if (next !== stored) this.checkpoints.advance(projection.name, next);
        return next;
      })
      .immediate();
    if (position !== worker.checkpoint) {
      worker.checkpoint = position;
      this.notify();
    }
  }

  private park(worker: Worker, event: RecordedEvent, error: unknown): void {
    const parked: ParkedAt = { eventId: event.eventId, position: event.position, error: messageOf(error) };
    this.db.transaction(() => this.checkpoints.park(worker.projection.name, parked)).immediate();
    worker.parked = parked;
    this.logger.error(
      {
        projection: worker.projection.name,
        eventId: event.eventId,
        position: event.position,
        type: event.type,
        err: error,
      },
      `projection ${worker.projection.name} parked at position ${event.position}: ${parked.error}`,
    );
    this.notify();
  }

  /** Parked projections are not waited for, unless named: then the position is unreachable. */
  private progress(position: number, names: readonly string[] | null): 'reached' | 'pending' | 'unreachable' {
    const workers = names ? names.map((name) => this.worker(name)) : [...this.workers.values()];
    let pending = false;
    for (const worker of workers) {
      if (worker.checkpoint >= position) continue;
      if (!worker.parked) pending = true;
      else if (names) return 'unreachable';
    }
    return pending ? 'pending' : 'reached';
  }

  private notify(): void {
    for (const waiter of this.waiters) {
      const progress = this.progress(waiter.position, waiter.names);
      if (progress !== 'pending') this.settle(waiter, progress === 'reached');
    }
  }

  private settle(waiter: Waiter, reached: boolean): void {
    if (!this.waiters.delete(waiter)) return;
    clearTimeout(waiter.timer);
    waiter.resolve(reached);
  }
}

function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_SQLITE.test(code);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
