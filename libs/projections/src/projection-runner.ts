import type { EventStore, RecordedEvent, Subscription, SubscriptionBatch } from '#event-store';
import { CheckpointStore, type ParkedAt } from './checkpoint-store.js';
import { silentLogger, type ProjectionLogger } from './logger.js';
import { assertValidProjection, dropProjectionTables, type Projection } from './projection.js';
import type { ReadModelDb } from './read-model-db.js';
import { ProjectionLeases } from './rebuild/projection-lease.js';
import { errorMessage } from '#event-store';

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
  /** Time source for `updated_at` and lease expiry. */
  clock?: () => Date;
  /**
   * How often the runner re-reads its checkpoint and lease rows, so that another process (the CLI's `resume`
   * and `rebuild`) takes effect without a restart. Defaults to 1000 ms; 0 turns polling off.
   */
  pollIntervalMs?: number;
}

/**
 * `running`: following the log; `parked`: stopped at a poison event until resumed; `paused`: another process
 * (a CLI rebuild) holds the projection's lease; `stopped`: runner not started.
 */
export type ProjectionState = 'running' | 'parked' | 'paused' | 'stopped';

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
  /** Holder of the lease that pauses the projection (state `paused`). */
  leasedBy?: string;
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
  /** Holder of a foreign lease: the projection waits until it is released or expires. */
  pausedBy: string | null;
  /** The stored row changed version (or vanished) under us: prepare again before following. */
  stale: boolean;
  lastError?: string;
  subscription?: Subscription;
  abort?: AbortController;
  loop?: Promise<void>;
}

/** One worker's batch waiting for the next shared read-model transaction. */
interface CommitJob {
  worker: Worker;
  events: readonly RecordedEvent[];
  upTo: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Ends the shared transaction when an error inside it (an I/O error…) has already rolled it back. */
class TransactionLost extends Error {
  constructor(readonly at: number) {
    super('read-model transaction ended by an error');
  }
}

interface Waiter {
  position: number;
  names: readonly string[] | null;
  resolve: (reached: boolean) => void;
  timer: NodeJS.Timeout;
}

const MAX_RETRY_DELAY_MS = 30_000;
const DEFAULT_POLL_INTERVAL_MS = 1000;
const TRANSIENT_SQLITE = /^SQLITE_(BUSY|IOERR|FULL|NOMEM|CANTOPEN)/;

/** Raised inside a batch transaction when the stored rows say this runner must not write: rolls the batch back. */
class Interrupted extends Error {
  constructor(
    readonly reason: 'leased' | 'superseded' | 'rewound',
    readonly detail: { holder?: string; position?: number },
  ) {
    super(`batch interrupted: ${reason}`);
  }
}

/**
 * Runs projections: one catch-up-then-live subscription per projection, from its own checkpoint. Each batch
 * is applied in one SQLite transaction together with the checkpoint, and events at or below the stored
 * checkpoint are skipped inside that transaction, so redelivery has no effect. An event whose `apply` throws
 * parks only its projection.
 *
 * The batches that projections bring together (typically the same new events) share one read-model
 * transaction, each inside its own savepoint: a batch that fails is rolled back alone, the others commit. The
 * transaction runs once every following projection has queued a batch, or on the next turn of the event loop;
 * full batches (catching up) always wait for the next turn, so that the event loop is handed back between them.
 */
export class ProjectionRunner {
  private readonly store: EventStore;
  private readonly db: ReadModelDb;
  private readonly checkpoints: CheckpointStore;
  private readonly leases: ProjectionLeases;
  private readonly pollIntervalMs: number;
  private pollTimer: NodeJS.Timeout | undefined;
  private pollPending = false;
  /** Serialises resume, rebuild, stop and the poll so that no two of them halt or launch a worker at once. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly logger: ProjectionLogger;
  private readonly batchSize: number;
  private readonly retryDelayMs: number;
  private readonly workers = new Map<string, Worker>();
  private readonly waiters = new Set<Waiter>();
  private running = false;
  private commitQueue: CommitJob[] = [];
  private flushScheduled = false;
  private readonly savepoint: { run(): unknown };
  private readonly release: { run(): unknown };
  private readonly rollbackToSavepoint: { run(): unknown };

  constructor(options: ProjectionRunnerOptions) {
    this.store = options.store;
    this.db = options.db;
    this.checkpoints = new CheckpointStore(options.db, options.clock);
    const clock = options.clock;
    this.leases = new ProjectionLeases(options.db, clock ? () => clock().getTime() : Date.now);
    this.pollIntervalMs = Math.max(0, options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
    this.logger = options.logger ?? silentLogger;
    this.batchSize = options.batchSize ?? 500;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.savepoint = options.db.prepare('SAVEPOINT projection_batch');
    this.release = options.db.prepare('RELEASE projection_batch');
    this.rollbackToSavepoint = options.db.prepare('ROLLBACK TO projection_batch');
    for (const projection of options.projections) {
      assertValidProjection(projection);
      if (this.workers.has(projection.name)) throw new Error(`Projection ${projection.name} is registered twice`);
      this.workers.set(projection.name, {
        projection,
        handles: new Set(projection.handles),
        checkpoint: 0,
        parked: null,
        pausedBy: null,
        stale: false,
      });
    }
  }

  /**
   * Prepares every projection's tables and checkpoint (synchronously, so queries work once this is called),
   * resetting any whose version changed (the reset replays inline: until it has caught up, reads of that
   * projection are empty or partial), then starts following the log. Resolves once the subscriptions are
   * launched, not when they have caught up: use `waitFor(await store.headPosition(), …)` for that.
   * A projection leased by another process (a CLI rebuild) waits for the lease to go.
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
      } else if (worker.pausedBy !== null) {
        this.logger.info(
          { projection: worker.projection.name, holder: worker.pausedBy },
          'projection is leased by another process; waiting for the lease to be released',
        );
      } else {
        this.launch(worker);
      }
    }
    if (this.pollIntervalMs > 0) {
      this.pollTimer = setInterval(() => this.schedulePoll(), this.pollIntervalMs);
      this.pollTimer.unref();
    }
  }

  /** Closes the subscriptions and waits for in-flight batches; pending `waitFor` calls resolve false. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    await this.serial(async () => undefined);
    await Promise.all([...this.workers.values()].map((worker) => this.halt(worker)));
    for (const waiter of this.waiters) this.settle(waiter, false);
  }

  /**
   * Re-reads the stored checkpoint and lease rows once and acts on what other processes changed: pauses a
   * projection leased by someone else and resumes it after, follows a park cleared by the CLI, re-prepares
   * after a version change, and adopts a checkpoint moved ahead (a rebuild's flip) or back. Runs every
   * `pollIntervalMs`; exposed for tests.
   */
  poll(): Promise<void> {
    return this.serial(() => this.reconcileAll());
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
      if (worker.pausedBy !== null) status.leasedBy = worker.pausedBy;
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
    await this.serial(async () => {
      if (!worker.parked) return;
      await this.halt(worker);
      this.checkpoints.unpark(name);
      this.logger.info({ projection: name, parked: worker.parked }, 'projection resumed');
      worker.parked = null;
      if (this.running && worker.pausedBy === null) this.launch(worker);
    });
  }

  /**
   * Drops the projection's tables, sets its checkpoint to 0 and replays the whole log inline (reads are empty
   * or partial meanwhile; the CLI's `projections rebuild` rebuilds beside the live tables instead). Throws
   * when another process holds the projection's lease.
   */
  async rebuild(name: string): Promise<void> {
    const worker = this.worker(name);
    await this.serial(async () => {
      const lease = this.leases.live(name);
      if (lease) throw new Error(`Projection ${name} is leased by ${lease.holder}; try again when it is released`);
      await this.halt(worker);
      this.db.transaction(() => this.reset(worker, 'rebuild requested')).immediate();
      if (this.running) this.launch(worker);
      this.notify();
    });
  }

  private worker(name: string): Worker {
    const worker = this.workers.get(name);
    if (!worker) throw new Error(`Unknown projection: ${name}`);
    return worker;
  }

  private stateOf(worker: Worker): ProjectionState {
    if (worker.parked) return 'parked';
    if (worker.pausedBy !== null) return 'paused';
    return this.running && worker.loop ? 'running' : 'stopped';
  }

  /**
   * Loads the checkpoint, resetting on a version change, and runs the (idempotent) setup. Under someone
   * else's lease it only creates missing tables (so queries work) and leaves any reset until the lease goes.
   */
  private prepare(worker: Worker): void {
    const { name, version } = worker.projection;
    worker.stale = false;
    this.db
      .transaction(() => {
        const stored = this.checkpoints.get(name);
        const lease = this.leases.live(name);
        worker.pausedBy = lease?.holder ?? null;
        if (lease) {
          worker.projection.setup(this.db);
          worker.checkpoint = stored?.position ?? 0;
          worker.parked = stored?.parked ?? null;
        } else if (!stored) {
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
    if (worker.loop) return;
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
          if (!(await this.process(worker, batch))) return;
          failures = 0;
          worker.lastError = undefined;
        }
        if (signal.aborted) return;
        throw new Error('subscription ended unexpectedly');
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof Interrupted) {
          if (!this.interrupted(worker, error)) return;
          continue;
        }
        failures++;
        worker.lastError = errorMessage(error);
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
   * What the loop does after a batch was interrupted: true to resubscribe at once, false to end the loop and
   * leave the rest to the poll (which resumes after the lease, or prepares again after a version change).
   */
  private interrupted(worker: Worker, interruption: Interrupted): boolean {
    const name = worker.projection.name;
    switch (interruption.reason) {
      case 'leased':
        worker.pausedBy = interruption.detail.holder ?? 'unknown';
        this.logger.info({ projection: name, holder: worker.pausedBy }, 'projection paused: leased by another process');
        this.notify();
        return false;
      case 'superseded':
        worker.stale = true;
        this.logger.warn({ projection: name }, 'projection checkpoint changed version under the runner; preparing again');
        return false;
      case 'rewound':
        worker.checkpoint = interruption.detail.position ?? 0;
        this.logger.info({ projection: name, checkpoint: worker.checkpoint }, 'projection checkpoint moved back; resubscribing');
        return true;
    }
  }

  /**
   * Applies one batch. Returns false when the projection got parked. Transient SQLite errors (busy, I/O) and
   * interruptions are rethrown so the subscription is retried from the checkpoint instead of parking.
   */
  private async process(worker: Worker, batch: SubscriptionBatch): Promise<boolean> {
    try {
      await this.commit(worker, batch.events, batch.checkpoint);
      return true;
    } catch (error) {
      if (isTransient(error) || error instanceof Interrupted) throw error;
    }
    for (const event of batch.events) {
      if (event.position <= worker.checkpoint) continue;
      try {
        await this.commit(worker, [event], event.position);
      } catch (error) {
        if (isTransient(error) || error instanceof Interrupted) throw error;
        this.park(worker, event, error);
        return false;
      }
    }
    await this.commit(worker, [], batch.checkpoint);
    return true;
  }

  /**
   * Queues the batch for the next shared transaction; resolves once it is committed. A full batch (catching
   * up) waits for the next turn of the event loop, so that requests are served between batches; a live batch
   * is flushed as soon as every following projection has queued one, or on the next turn.
   */
  private commit(worker: Worker, events: readonly RecordedEvent[], upTo: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.commitQueue.push({ worker, events, upTo, resolve, reject });
      if (events.length < this.batchSize && this.commitQueue.length >= this.following()) {
        this.flush();
      } else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Projections whose loop is following the log (not parked, paused or stopped). */
  private following(): number {
    let count = 0;
    for (const worker of this.workers.values()) if (worker.loop && !worker.parked && worker.pausedBy === null) count++;
    return count;
  }

  /** Commits every queued batch: one transaction, a savepoint per batch. */
  private flush(): void {
    this.flushScheduled = false;
    let jobs = this.commitQueue.splice(0);
    while (jobs.length > 0) jobs = this.commitGroup(jobs);
  }

  /**
   * Runs the jobs in one transaction and settles them; returns the jobs to run again because an error of
   * another job ended the transaction (that job fails, the others are retried in a new transaction).
   */
  private commitGroup(jobs: readonly CommitJob[]): CommitJob[] {
    const outcomes: Array<{ position: number } | { error: unknown }> = [];
    try {
      this.db
        .transaction(() => {
          for (const [i, job] of jobs.entries()) {
            this.savepoint.run();
            try {
              const position = this.applyBatch(job.worker, job.events, job.upTo);
              this.release.run();
              outcomes.push({ position });
            } catch (error) {
              if (!this.db.inTransaction) {
                outcomes.push({ error });
                throw new TransactionLost(i);
              }
              this.rollbackToSavepoint.run();
              this.release.run();
              outcomes.push({ error });
            }
          }
        })
        .immediate();
    } catch (error) {
      if (error instanceof TransactionLost) {
        const failed = jobs[error.at];
        failed.reject((outcomes[error.at] as { error: unknown }).error);
        return jobs.filter((job) => job !== failed);
      }
      for (const job of jobs) job.reject(error);
      return [];
    }
    let moved = false;
    for (const [i, job] of jobs.entries()) {
      const outcome = outcomes[i];
      if ('error' in outcome) {
        job.reject(outcome.error);
      } else {
        job.worker.lastError = undefined;
        if (outcome.position !== job.worker.checkpoint) {
          job.worker.checkpoint = outcome.position;
          moved = true;
        }
        job.resolve();
      }
    }
    if (moved) this.notify();
    return [];
  }

  /**
   * Inside the shared transaction: check the lease, re-read the checkpoint, apply the newer handled events,
   * advance the checkpoint. Positions at or below the stored checkpoint are skipped, so a checkpoint moved
   * ahead by another process (a rebuild's flip) is never applied twice.
   */
  private applyBatch(worker: Worker, events: readonly RecordedEvent[], upTo: number): number {
    const { projection, handles } = worker;
    const lease = this.leases.live(projection.name);
    if (lease) throw new Interrupted('leased', { holder: lease.holder });
    const row = this.checkpoints.get(projection.name);
    if (!row || row.version !== projection.version) throw new Interrupted('superseded', {});
    const stored = row.position;
    if (stored < worker.checkpoint) throw new Interrupted('rewound', { position: stored });
    for (const event of events) {
      if (event.position > stored && handles.has(event.type)) projection.apply(this.db, event);
    }
    const next = Math.max(stored, upTo);
    if (next !== stored) this.checkpoints.advance(projection.name, next);
    return next;
  }

  private park(worker: Worker, event: RecordedEvent, error: unknown): void {
    const parked: ParkedAt = { eventId: event.eventId, position: event.position, error: errorMessage(error) };
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

  /**
   * Parked projections are not waited for, unless named: then the position is unreachable. Paused ones (a
   * rebuild elsewhere holds their lease) are not waited for unless named: then they are pending.
   */
  private progress(position: number, names: readonly string[] | null): 'reached' | 'pending' | 'unreachable' {
    const workers = names ? names.map((name) => this.worker(name)) : [...this.workers.values()];
    let pending = false;
    for (const worker of workers) {
      if (worker.checkpoint >= position) continue;
      if (worker.parked) {
        if (names) return 'unreachable';
      } else if (worker.pausedBy === null || names) {
        pending = true;
      }
    }
    return pending ? 'pending' : 'reached';
  }

  private serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private schedulePoll(): void {
    if (this.pollPending) return;
    this.pollPending = true;
    this.poll()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'projection poll failed'))
      .finally(() => (this.pollPending = false));
  }

  private async reconcileAll(): Promise<void> {
    for (const worker of this.workers.values()) {
      if (!this.running) return;
      await this.reconcile(worker);
    }
  }

  /** Brings one worker in line with its stored checkpoint and lease rows. */
  private async reconcile(worker: Worker): Promise<void> {
    const name = worker.projection.name;
    const lease = this.leases.live(name);
    if (lease) {
      if (worker.pausedBy === lease.holder) return;
      const wasPaused = worker.pausedBy !== null;
      worker.pausedBy = lease.holder;
      await this.halt(worker);
      if (!wasPaused) this.logger.info({ projection: name, holder: lease.holder }, 'projection paused: leased by another process');
      this.notify();
      return;
    }
    let stored = this.checkpoints.get(name);
    if (worker.pausedBy !== null || worker.stale || !stored || stored.version !== worker.projection.version) {
      const reason = worker.pausedBy !== null ? `lease of ${worker.pausedBy} released` : 'checkpoint row changed';
      await this.halt(worker);
      this.prepare(worker);
      this.logger.info({ projection: name, checkpoint: worker.checkpoint, reason }, `projection ${name} continues (${reason})`);
      if (this.running && !worker.parked && worker.pausedBy === null) this.launch(worker);
      this.notify();
      return;
    }
    if (worker.parked && stored.state === 'running') {
      this.logger.info({ projection: name, parked: worker.parked }, 'projection resumed by another process');
      await this.halt(worker);
      worker.parked = null;
      worker.checkpoint = stored.position;
      if (this.running) this.launch(worker);
      this.notify();
      return;
    }
    if (!worker.parked && stored.state === 'parked') {
      await this.halt(worker);
      stored = this.checkpoints.get(name) ?? stored;
      worker.parked = stored.parked;
      worker.checkpoint = stored.position;
      if (!worker.parked && this.running) this.launch(worker);
      this.notify();
      return;
    }
    if (stored.position < worker.checkpoint) {
      await this.halt(worker);
      worker.checkpoint = this.checkpoints.get(name)?.position ?? 0;
      if (this.running && !worker.parked) this.launch(worker);
      this.notify();
    } else if (stored.position > worker.checkpoint) {
      worker.checkpoint = stored.position;
      this.notify();
    }
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
