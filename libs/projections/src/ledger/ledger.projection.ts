import type Database from 'better-sqlite3';
import { GENESIS_HASH, ledgerHead, type RecordedEvent } from '#event-store';
import { ALL_EVENT_TYPES } from '#domain';
import { projectionTable, type Projection } from '../projection.js';
import type { ReadModelDb } from '../read-model-db.js';

/** The ledger's projection identity: its table is `ledger__v1__entries`. */
export const LEDGER = { name: 'ledger', version: 1 } as const;

/** One row per witnessed event, keyed by global position. */
export const LEDGER_ENTRIES_TABLE = projectionTable(LEDGER, 'entries');

/**
 * The event types the ledger witnesses: every type of every aggregate, user accounts included (the runner hands
 * a projection only the types it lists). Verification reports an event of any other type as not witnessed, so a
 * new aggregate's types must be added here, with a new {@link LEDGER} version (the ledger then replays).
 */
export const LEDGERED_EVENT_TYPES: readonly string[] = ALL_EVENT_TYPES;

/** What the ledger witnessed of one event, and the running head after it. */
export interface LedgerEntry {
  position: number;
  /** 1 for the first witnessed event, then consecutive: signed checkpoints fall on multiples of their interval. */
  ordinal: number;
  eventId: string;
  streamId: string;
  version: number;
  /** The event's hash from the store; null for an unchained legacy event. */
  hash: string | null;
  /** Ledger head after this event. */
  head: string;
  recordedAt: string;
}

interface EntryRow {
  position: number;
  ordinal: number;
  event_id: string;
  stream_id: string;
  version: number;
  hash: string | null;
  head: string;
  recorded_at: string;
}

const COLUMNS = 'position, ordinal, event_id, stream_id, version, hash, head, recorded_at';

interface Statements {
  last: Database.Statement<[], EntryRow>;
  byStreamVersion: Database.Statement<[string, number], EntryRow>;
  atOrBefore: Database.Statement<[number], EntryRow>;
  after: Database.Statement<[number, number, number], EntryRow>;
  insert: Database.Statement<[EntryRow]>;
}

const statements = new WeakMap<ReadModelDb, Statements>();

function prepared(db: ReadModelDb): Statements {
  let found = statements.get(db);
  if (!found) {
    ledgerProjection.setup(db);
    const table = `"${LEDGER_ENTRIES_TABLE}"`;
    found = {
      last: db.prepare(`SELECT ${COLUMNS} FROM ${table} ORDER BY position DESC LIMIT 1`),
      byStreamVersion: db.prepare(`SELECT ${COLUMNS} FROM ${table} WHERE stream_id = ? AND version = ?`),
      atOrBefore: db.prepare(`SELECT ${COLUMNS} FROM ${table} WHERE position <= ? ORDER BY position DESC LIMIT 1`),
      after: db.prepare(`SELECT ${COLUMNS} FROM ${table} WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`),
      insert: db.prepare(
        `INSERT INTO ${table} (${COLUMNS}) VALUES (@position, @ordinal, @event_id, @stream_id, @version, @hash, @head, @recorded_at)`,
      ),
    };
    statements.set(db, found);
  }
  return found;
}

function toEntry(row: EntryRow | undefined): LedgerEntry | undefined {
  return (
    row && {
      position: row.position,
      ordinal: row.ordinal,
      eventId: row.event_id,
      streamId: row.stream_id,
      version: row.version,
      hash: row.hash,
      head: row.head,
      recordedAt: row.recorded_at,
    }
  );
}

/** An event whose chain fields do not link to what the ledger witnessed of its stream: the ledger parks on it. */
export class LedgerRefusal extends Error {
  constructor(event: RecordedEvent, reason: string) {
    super(`The ledger refuses to witness ${event.eventId} (${event.streamId} version ${event.version}): ${reason}`);
    this.name = 'LedgerRefusal';
  }
}

/**
 * The global ledger: walks the log in position order and keeps a running head,
 * `head = SHA-256(canonicalJson([previousHead, position, eventId, hash]))` from the genesis value, one row per
 * event. Deterministic: every instance following the same log computes the same heads, so they can be compared
 * and signed anywhere (see {@link sealLedger}). It refuses (parks on) an event whose previousHash does not link
 * to the hash it witnessed for the stream's previous version. It reads only envelope fields, so upcasting on
 * read does not matter.
 */
export const ledgerProjection: Projection = {
  name: LEDGER.name,
  version: LEDGER.version,
  handles: LEDGERED_EVENT_TYPES,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS "${LEDGER_ENTRIES_TABLE}" (
        position INTEGER PRIMARY KEY,
        ordinal INTEGER NOT NULL UNIQUE,
        event_id TEXT NOT NULL,
        stream_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        hash TEXT,
        head TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS "${LEDGER_ENTRIES_TABLE}_by_stream" ON "${LEDGER_ENTRIES_TABLE}" (stream_id, version);
    `);
  },
  apply(db, event) {
    const sql = prepared(db);
    const { previousHash, hash } = event.integrity;
    if (previousHash !== null || hash !== null) {
      const before = event.version > 1 ? sql.byStreamVersion.get(event.streamId, event.version - 1) : undefined;
      const expected = event.version === 1 ? GENESIS_HASH : before ? (before.hash ?? GENESIS_HASH) : previousHash;
      if (hash === null || previousHash !== expected) throw new LedgerRefusal(event, `previousHash ${String(previousHash)}, expected ${expected}`);
    }
    const last = sql.last.get();
    sql.insert.run({
      position: event.position,
      ordinal: (last?.ordinal ?? 0) + 1,
      event_id: event.eventId,
      stream_id: event.streamId,
      version: event.version,
      hash,
      head: ledgerHead(last?.head ?? GENESIS_HASH, event.position, event.eventId, hash),
      recorded_at: event.recordedAt,
    });
  },
};

/** The newest entry of the ledger, if any. */
export function latestLedgerEntry(db: ReadModelDb): LedgerEntry | undefined {
  return toEntry(prepared(db).last.get());
}

/** The entry at or before `position`: its head covers every witnessed event up to `position`. */
export function ledgerEntryAtOrBefore(db: ReadModelDb, position: number): LedgerEntry | undefined {
  return toEntry(prepared(db).atOrBefore.get(position));
}

/** Where the ledger witnessed version `version` of `streamId`. */
export function ledgerEntryOf(db: ReadModelDb, streamId: string, version: number): LedgerEntry | undefined {
  return toEntry(prepared(db).byStreamVersion.get(streamId, version));
}

/** Up to `limit` entries after `after` and at or before `upTo`, in position order. */
export function ledgerEntriesAfter(db: ReadModelDb, after: number, upTo: number, limit: number): LedgerEntry[] {
  return prepared(db)
    .after.all(after, upTo, limit)
    .map((row) => toEntry(row) as LedgerEntry);
}
