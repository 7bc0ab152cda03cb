import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { EventToAppend, RecordedEvent } from '../envelope.js';
import { EventStoreError, EventStoreUnavailable, ExpectedVersionConflict, InvalidAppend } from '../errors.js';
import {
  EventStore,
  type AppendOptions,
  type AppendResult,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port.js';
import { isValidExpectedVersion, satisfiesExpectedVersion, type ExpectedVersion } from '../expected-version.js';
import { chainBatch, prepareContent, type PreparedContent } from '../integrity/chain.js';
import { resolveReappend, type StoredLocation } from '../reappend.js';
import { AppendSignal, pollingSubscription } from '../subscription.js';
import { SQLITE_MIGRATIONS, SQLITE_SCHEMA_VERSION } from './sqlite-schema.js';

/**
 * `full`: fsync on every commit, an acknowledged append survives power loss.
 * `normal`: WAL default, survives a process crash but the last commits may be lost on power loss.
 */
export type SqliteDurability = 'full' | 'normal';

/** Options of the SQLite adapter. */
export interface SqliteEventStoreOptions {
  /** Database file (created with its directory when absent), or `:memory:`. */
  filename: string;
  durability: SqliteDurability;
  /** Source of `recordedAt`. Defaults to the system clock. */
  clock?: () => Date;
  /** How often subscriptions look for appends made by other connections or processes. Defaults to 100 ms. */
  pollIntervalMs?: number;
  /** How long a write waits for another connection's lock before failing with EventStoreUnavailable. Defaults to 5000 ms. */
  busyTimeoutMs?: number;
}

/** Group commit counters of an open SqliteEventStore, since it was opened. */
export interface SqliteCommitStats {
  /** Write transactions committed (or attempted) for appends. */
  transactions: number;
  /** Appends those transactions carried, failed ones included. */
  appends: number;
}

/** Effective connection settings of an open SqliteEventStore. */
export interface SqliteStoreSettings {
  journalMode: string;
  synchronous: string;
  busyTimeoutMs: number;
  schemaVersion: number;
}

const SYNCHRONOUS_NAMES: Record<number, string> = { 0: 'off', 1: 'normal', 2: 'full', 3: 'extra' };

interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  version: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
  previous_hash: string | null;
  hash: string | null;
}

interface StreamRow {
  version: number;
  position: number;
}

/** An append waiting for the next group commit. */
interface PendingAppend {
  streamId: string;
  events: readonly SerializedEvent[];
  expected: ExpectedVersion;
  /** Store time of the append, taken when it was called. */
  recordedAt: string;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

interface SerializedEvent {
  eventId: string;
  type: string;
  data: string;
  metadata: string;
  /** Canonical form for the hash chain, computed before the write lock is taken. */
  content: PreparedContent;
}

const COLUMNS = 'position, event_id, stream_id, version, type, data, metadata, recorded_at, previous_hash, hash';
const NO_LIMIT = -1;
const DEFAULT_BATCH_SIZE = 500;
const MAX_LIMIT = 2 ** 31 - 1;
/** Most appends committed in one transaction; a longer queue is flushed in several. */
const MAX_GROUP = 1000;

/**
 * Event store in one SQLite file (WAL), safe to share between processes on the same machine.
 *
 * Group commit: appends called in the same turn of the event loop are queued and written together on the next
 * `setImmediate`, in one `BEGIN IMMEDIATE` transaction (one fsync at durability `full`). Each append runs inside
 * its own savepoint with its own expected-version check, so one that conflicts fails alone and the others
 * commit; appends to the same stream in one group see each other, in call order. Every caller is answered only
 * after COMMIT.
 */
export class SqliteEventStore extends EventStore {
  readonly kind = 'sqlite';
  readonly filename: string;
  private readonly db: Database.Database;
  private readonly clock: () => Date;
  private readonly pollIntervalMs: number;
  private readonly busyTimeoutMs: number;
  private readonly signal = new AppendSignal();
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  private readonly selectStream: Database.Statement<[string], StreamRow>;
  private readonly selectLocation: Database.Statement<[string], StoredLocation>;
  private readonly selectHash: Database.Statement<[string, number], string | null>;
  private readonly insertEvent: Database.Statement<[string, string, number, string, string, string, string, string, string]>;
  private readonly upsertStream: Database.Statement<[string, number, number]>;
  private readonly selectForwards: Database.Statement<[string, number, number], EventRow>;
  private readonly selectBackwards: Database.Statement<[string, number, number], EventRow>;
  private readonly selectAfter: Database.Statement<[number, number, number], EventRow>;
  private readonly selectHead: Database.Statement<[], number>;
  private readonly begin: Database.Statement<[]>;
  private readonly commit: Database.Statement<[]>;
  private readonly rollback: Database.Statement<[]>;
  private readonly savepoint: Database.Statement<[]>;
  private readonly release: Database.Statement<[]>;
  private readonly rollbackToSavepoint: Database.Statement<[]>;
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  private readonly counters: SqliteCommitStats = { transactions: 0, appends: 0 };
  /**
   * Rows read by subscriptions in this turn of the event loop, by `after:limit`: subscriptions at the same
   * checkpoint (one per projection) share one query. Cleared after each append commit, when another
   * connection has committed (`PRAGMA data_version`), and on the next turn.
   */
  private readonly liveReads = new Map<string, EventRow[]>();
  private liveReadsVersion = -1;
  private liveReadsClearScheduled = false;
  private readonly dataVersion: Database.Statement<[], number>;

  constructor(options: SqliteEventStoreOptions) {
    super();
    this.filename = options.filename;
    this.clock = options.clock ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    if (options.durability !== 'full' && options.durability !== 'normal') {
      throw new EventStoreError(`Unknown SQLite durability ${String(options.durability)}: use 'full' or 'normal'`);
    }
    this.db = this.openDatabase(options.durability);
    try {
      this.selectStream = this.db.prepare<[string], StreamRow>('SELECT version, position FROM streams WHERE stream_id = ?');
      this.selectLocation = this.db.prepare<[string], StoredLocation>(
        'SELECT event_id AS eventId, stream_id AS streamId, version, position FROM events WHERE event_id = ?',
      );
      this.selectHash = this.db
        .prepare<[string, number], string | null>('SELECT hash FROM events WHERE stream_id = ? AND version = ?')
        .pluck();
      this.insertEvent = this.db.prepare<[string, string, number, string, string, string, string, string, string]>(
        `INSERT INTO events (event_id, stream_id, version, type, data, metadata, recorded_at, previous_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      this.upsertStream = this.db.prepare<[string, number, number]>(
        `INSERT INTO streams (stream_id, version, position) VALUES (?, ?, ?)
         ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, position = excluded.position`,
      );
      this.selectForwards = this.db.prepare<[string, number, number], EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND version >= ? ORDER BY version ASC LIMIT ?`,
      );
      this.selectBackwards = this.db.prepare<[string, number, number], EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND version <= ? ORDER BY version DESC LIMIT ?`,
      );
      this.selectAfter = this.db.prepare<[number, number, number], EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position ASC LIMIT ?`,
      );
      this.selectHead = this.db.prepare<[], number>('SELECT COALESCE(MAX(position), 0) FROM events').pluck();
      this.dataVersion = this.db.prepare<[], number>('PRAGMA data_version').pluck();
      this.begin = this.db.prepare('BEGIN IMMEDIATE');
      this.commit = this.db.prepare('COMMIT');
      this.rollback = this.db.prepare('ROLLBACK');
      this.savepoint = this.db.prepare('SAVEPOINT append');
      this.release = this.db.prepare('RELEASE append');
      this.rollbackToSavepoint = this.db.prepare('ROLLBACK TO append');
    } catch (error) {
      this.db.close();
      throw this.translate(error, 'preparing statements');
    }
  }

  /** Opens (creating or migrating) the store. Equivalent to the constructor; async for symmetry with remote adapters. */
  static async open(options: SqliteEventStoreOptions): Promise<SqliteEventStore> {
    return new SqliteEventStore(options);
  }

  async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    this.assertOpen();
    const expected = options.expectedVersion ?? 'any';
    if (!isValidExpectedVersion(expected)) {
      throw new InvalidAppend(`Invalid expected version ${String(expected)}`);
    }
    if (typeof streamId !== 'string' || streamId.length === 0) throw new InvalidAppend('Stream id must be a non-empty string');
    if (new Set(events.map((e) => e.eventId)).size !== events.length) {
      throw new InvalidAppend('An append must not repeat an event id');
    }
    const serialized = events.map(serialize);
    const recordedAt = this.clock().toISOString();
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ streamId, events: serialized, expected, recordedAt, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = options.maxCount === undefined || Number.isNaN(options.maxCount) ? NO_LIMIT : clampLimit(options.maxCount, 0);
    try {
      const rows =
        options.direction === 'backwards'
          ? this.selectBackwards.all(streamId, options.fromVersion ?? Number.MAX_SAFE_INTEGER, limit)
          : this.selectForwards.all(streamId, options.fromVersion ?? 0, limit);
      return rows.map(toRecorded);
    } catch (error) {
      throw this.translate(error, `reading ${streamId}`);
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent[]> {
    const batchSize = batchSizeOf(options.batchSize);
    const upTo = options.upTo ?? Number.MAX_SAFE_INTEGER;
    let after = options.after ?? 0;
    for (;;) {
      // Each batch is its own statement: no read transaction stays open while the caller holds a batch.
      const batch = this.readAfter(after, upTo, batchSize);
      if (batch.length === 0) return;
      yield batch;
      after = batch[batch.length - 1].position;
    }
  }

  subscribe(options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const inner = pollingSubscription({
      after: options.after ?? 0,
      batchSize: batchSizeOf(options.batchSize),
      readBatch: (after, limit) => (this.closed ? [] : this.readLive(after, limit)),
      signal: this.signal,
      pollIntervalMs: this.pollIntervalMs,
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
    try {
      return this.selectHead.get() ?? 0;
    } catch (error) {
      throw this.translate(error, 'reading the head position');
    }
  }

  /** The connection's effective settings, for status output and tests. */
  settings(): SqliteStoreSettings {
    this.assertOpen();
    return {
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: SYNCHRONOUS_NAMES[Number(this.db.pragma('synchronous', { simple: true }))] ?? 'unknown',
      busyTimeoutMs: Number(this.db.pragma('busy_timeout', { simple: true })),
      schemaVersion: Number(this.db.pragma('user_version', { simple: true })),
    };
  }

  /** How many appends the group commit has carried in how many transactions. */
  commitStats(): SqliteCommitStats {
    return { ...this.counters };
  }

  /** Commits the appends already accepted, ends open subscriptions and closes the database. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    const open = [...this.subscriptions];
    this.subscriptions.clear();
    await Promise.all(open.map((s) => s.close()));
    this.db.close();
  }

  /** Writes every queued append, in groups of at most {@link MAX_GROUP}, and settles their callers. */
  private flush(): void {
    this.flushScheduled = false;
    while (this.pending.length > 0) this.commitGroup(this.pending.splice(0, MAX_GROUP));
  }

  /**
   * One transaction for the group, a savepoint per append: an append that fails (conflict, duplicate id, a
   * failing insert) is rolled back alone. If the transaction itself fails (lock timeout, I/O error, COMMIT),
   * nothing of the group is stored and every append of it fails with that error.
   */
  private commitGroup(group: readonly PendingAppend[]): void {
    const outcomes: Array<{ result: AppendResult } | { error: unknown }> = [];
    this.counters.transactions++;
    this.counters.appends += group.length;
    try {
      this.begin.run();
      try {
        for (const append of group) {
          this.savepoint.run();
          try {
            const result = this.appendLocked(append);
            this.release.run();
            outcomes.push({ result });
          } catch (error) {
            // An error that ended the transaction (SQLITE_FULL, IOERR…) fails the whole group below.
            if (!this.db.inTransaction) throw error;
            this.rollbackToSavepoint.run();
            this.release.run();
            outcomes.push({ error });
          }
        }
        this.commit.run();
      } catch (error) {
        if (this.db.inTransaction) this.rollback.run();
        throw error;
      }
    } catch (error) {
      for (const append of group) append.reject(this.translate(error, `appending to ${append.streamId}`));
      return;
    }
    let appended = false;
    for (const [i, append] of group.entries()) {
      const outcome = outcomes[i];
      if ('result' in outcome) {
        if (append.events.length > 0) appended = true;
        append.resolve(outcome.result);
      } else {
        append.reject(this.translate(outcome.error, `appending to ${append.streamId}`));
      }
    }
    if (appended) {
      this.liveReads.clear();
      this.signal.notify();
    }
  }

  /**
   * Runs inside BEGIN IMMEDIATE and the append's savepoint: this connection holds the write lock, so the
   * stream's last stored hash read here is the one the new events chain from (earlier appends of the same
   * group included). Stored event ids are looked up only when the version check fails or an insert hits the
   * unique event id: a re-append then returns the original result without hashing anything.
   */
  private appendLocked(append: PendingAppend): AppendResult {
    const { streamId, events, expected } = append;
    const stream = this.selectStream.get(streamId);
    const current = stream?.version ?? 0;
    if (events.length === 0) {
      if (!satisfiesExpectedVersion(expected, current)) throw new ExpectedVersionConflict(streamId, expected, current);
      return { nextExpectedVersion: current, position: stream?.position ?? 0 };
    }
    if (!satisfiesExpectedVersion(expected, current)) {
      const replay = this.reappend(streamId, events, expected, current);
      if (replay) return replay;
      throw new ExpectedVersionConflict(streamId, expected, current);
    }
    const lastHash = current === 0 ? null : (this.selectHash.get(streamId, current) ?? null);
    const chain = chainBatch(lastHash, events.map((e) => e.content), streamId, current + 1);
    let version = current;
    let position = 0;
    try {
      for (const [i, event] of events.entries()) {
        version++;
        const { previousHash, hash } = chain[i];
        const info = this.insertEvent.run(
          event.eventId, streamId, version, event.type, event.data, event.metadata, append.recordedAt, previousHash, hash,
        );
        position = Number(info.lastInsertRowid);
      }
    } catch (error) {
      if (!isDuplicateEventIdError(error) || !this.db.inTransaction) throw error;
      // Undo this append's inserts, then decide what the stored ids mean.
      this.rollbackToSavepoint.run();
      const replay = this.reappend(streamId, events, expected, current);
      if (replay) return replay;
      throw error;
    }
    this.upsertStream.run(streamId, version, position);
    return { nextExpectedVersion: version, position };
  }

  /** The original result when the events are already stored as this append; throws when stored otherwise; null when none is. */
  private reappend(streamId: string, events: readonly SerializedEvent[], expected: ExpectedVersion, current: number): AppendResult | null {
    const stored = events.map((e) => this.selectLocation.get(e.eventId));
    return resolveReappend(streamId, events, expected, current, stored);
  }

  /** A subscription's read: rows shared within the turn, events (mutable objects) of its own. */
  private readLive(after: number, limit: number): RecordedEvent[] {
    this.assertOpen();
    const key = `${after}:${limit}`;
    try {
      const version = this.dataVersion.get() ?? 0;
      if (version !== this.liveReadsVersion) {
        this.liveReads.clear();
        this.liveReadsVersion = version;
      }
      let rows = this.liveReads.get(key);
      if (!rows) {
        rows = this.selectAfter.all(after, Number.MAX_SAFE_INTEGER, limit);
        this.liveReads.set(key, rows);
        if (!this.liveReadsClearScheduled) {
          this.liveReadsClearScheduled = true;
          setImmediate(() => {
            this.liveReadsClearScheduled = false;
            this.liveReads.clear();
          });
        }
      }
      return rows.map(toRecorded);
    } catch (error) {
      throw this.translate(error, 'reading the global log');
    }
  }

  private readAfter(after: number, upTo: number, limit: number): RecordedEvent[] {
    this.assertOpen();
    try {
      return this.selectAfter.all(after, upTo, limit).map(toRecorded);
    } catch (error) {
      throw this.translate(error, 'reading the global log');
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailable(`SQLite event store ${this.filename} is closed`);
  }

  private openDatabase(durability: SqliteDurability): Database.Database {
    const memory = this.filename === ':memory:' || this.filename === '';
    if (!memory) {
      try {
        mkdirSync(dirname(this.filename), { recursive: true });
      } catch (error) {
        throw new EventStoreUnavailable(`Cannot create the directory of SQLite event store ${this.filename}`, { cause: error });
      }
    }
    // A second process may be creating the same file: switching to WAL can briefly fail while it holds the lock.
    const deadline = Date.now() + this.busyTimeoutMs;
    for (;;) {
      let db: Database.Database | undefined;
      try {
        db = new Database(this.filename, { timeout: this.busyTimeoutMs });
        const mode = db.pragma('journal_mode = WAL', { simple: true });
        if (!memory && mode !== 'wal') throw new EventStoreError(`SQLite event store ${this.filename} cannot use WAL (got ${String(mode)})`);
        db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
        migrate(db, this.filename);
        return db;
      } catch (error) {
        db?.close();
        if (isTransientOpenError(error) && Date.now() < deadline) {
          sleepSync(25);
          continue;
        }
        throw this.translate(error, 'opening');
      }
    }
  }

  private translate(error: unknown, action: string): unknown {
    if (error instanceof EventStoreError) return error;
    const sqlite = asSqliteError(error);
    if (sqlite) {
      if (/^SQLITE_(BUSY|LOCKED)/.test(sqlite.code)) {
        return new EventStoreUnavailable(
          `SQLite event store ${this.filename} is locked by another connection (still busy after ${this.busyTimeoutMs} ms) while ${action}`,
          { cause: error },
        );
      }
      const message = `SQLite event store ${this.filename} failed while ${action}: ${sqlite.code} ${sqlite.message}`;
      if (/^SQLITE_(IOERR|FULL|CANTOPEN|READONLY|NOTADB|CORRUPT|PERM)/.test(sqlite.code)) {
        return new EventStoreUnavailable(message, { cause: error });
      }
      return new EventStoreError(message, { cause: error });
    }
    if (error instanceof TypeError && /connection is not open/.test(error.message)) {
      return new EventStoreUnavailable(`SQLite event store ${this.filename} is closed`, { cause: error });
    }
    return error;
  }
}

function migrate(db: Database.Database, filename: string): void {
  // Up to date: no need to take the write lock (another process may be writing right now).
  if (Number(db.pragma('user_version', { simple: true })) === SQLITE_SCHEMA_VERSION) return;
  const run = db.transaction(() => {
    const current = Number(db.pragma('user_version', { simple: true }));
    if (current > SQLITE_SCHEMA_VERSION) {
      throw new EventStoreError(
        `SQLite event store ${filename} has schema version ${current}, newer than this code supports (${SQLITE_SCHEMA_VERSION})`,
      );
    }
    for (let v = current; v < SQLITE_SCHEMA_VERSION; v++) db.exec(SQLITE_MIGRATIONS[v]);
    if (current !== SQLITE_SCHEMA_VERSION) db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  });
  run.immediate();
}

function serialize(event: EventToAppend, index: number): SerializedEvent {
  if (typeof event.eventId !== 'string' || event.eventId.length === 0) {
    throw new InvalidAppend(`Event ${index}: eventId must be a non-empty string`);
  }
  if (typeof event.type !== 'string' || event.type.length === 0) {
    throw new InvalidAppend(`Event ${event.eventId}: type must be a non-empty string`);
  }
  const data = toJson(event, 'data');
  const metadata = toJson(event, 'metadata');
  return { eventId: event.eventId, type: event.type, data, metadata, content: prepareContent(event) };
}

function toJson(event: EventToAppend, field: 'data' | 'metadata'): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(event[field]);
  } catch (error) {
    throw new InvalidAppend(`Event ${event.eventId}: ${field} is not serialisable as JSON`, { cause: error });
  }
  if (json === undefined) throw new InvalidAppend(`Event ${event.eventId}: ${field} is not serialisable as JSON`);
  return json;
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as RecordedEvent['metadata'],
    streamId: row.stream_id,
    version: row.version,
    position: row.position,
    recordedAt: row.recorded_at,
    integrity: { previousHash: row.previous_hash, hash: row.hash },
  };
}

function batchSizeOf(requested: number | undefined): number {
  return requested === undefined || Number.isNaN(requested) ? DEFAULT_BATCH_SIZE : clampLimit(requested, 1);
}

function clampLimit(value: number, min: number): number {
  return Math.max(min, Math.min(Math.floor(value), MAX_LIMIT));
}

/**
 * Recognises better-sqlite3's errors by shape. The native addon keeps the error class of the first copy of the
 * module that loaded it, so `instanceof` fails wherever modules are loaded more than once (test runners' realms).
 */
function asSqliteError(error: unknown): { code: string; message: string } | null {
  if (typeof error !== 'object' || error === null) return null;
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  return name === 'SqliteError' && typeof code === 'string' && typeof message === 'string' ? { code, message } : null;
}

/** A UNIQUE violation of `events.event_id`: one of the ids is already stored. */
function isDuplicateEventIdError(error: unknown): boolean {
  const sqlite = asSqliteError(error);
  return sqlite !== null && sqlite.code.startsWith('SQLITE_CONSTRAINT') && sqlite.message.includes('events.event_id');
}

function isTransientOpenError(error: unknown): boolean {
  const sqlite = asSqliteError(error);
  return sqlite !== null && (/^SQLITE_(BUSY|LOCKED)/.test(sqlite.code) || /wal mode/i.test(sqlite.message));
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
