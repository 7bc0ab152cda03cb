import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import Database from 'better-sqlite3';
import { errorMessage, EventStoreError } from '../errors.js';
import { SqliteEventStore } from '../sqlite/sqlite-event-store.js';
import { SQLITE_SCHEMA_VERSION } from '../sqlite/sqlite-schema.js';

/** A file is not a usable events database (not SQLite, no event store schema, newer schema, inconsistent). */
export class InvalidEventsFile extends EventStoreError {}

/** Another connection (a running API, another command) has the database open. */
export class DatabaseInUse extends EventStoreError {}

/** What an events database holds. */
export interface EventsFileInfo {
  file: string;
  /** `PRAGMA user_version`: the number of event store schema migrations applied. */
  schemaVersion: number;
  events: number;
  streams: number;
  /** Position of the newest event, 0 when empty. */
  headPosition: number;
  bytes: number;
}

/** What {@link backupEventsFile} wrote. */
export interface BackupResult extends EventsFileInfo {
  durationMs: number;
}

/** What {@link restoreEventsFile} did. */
export interface RestoreResult extends EventsFileInfo {
  /** Events the target held before (replaced with `force`). */
  replacedEvents: number;
  /** Read-model files deleted because they described the replaced events. */
  removed: string[];
}

const REQUIRED_COLUMNS: Record<string, readonly string[]> = {
  events: ['position', 'event_id', 'stream_id', 'version', 'type', 'data', 'metadata', 'recorded_at', 'previous_hash', 'hash'],
  streams: ['stream_id', 'version', 'position'],
};

/** Copies every remaining page in one step: one read transaction, so the copy is one consistent snapshot. */
const ALL_PAGES = 0x7fffffff;

/**
 * Checks that `file` is an events database this code can open: an SQLite file with the event store schema
 * (version 1..current), passing SQLite's quick check, with every stream's versions gap-free from 1 and the
 * stream index matching the events. Throws {@link InvalidEventsFile} naming the problem.
 */
export function inspectEventsFile(file: string): EventsFileInfo {
  if (!existsSync(file)) throw new InvalidEventsFile(`${file} does not exist`);
  if (!statSync(file).isFile()) throw new InvalidEventsFile(`${file} is not a file`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
  } catch (error) {
    throw new InvalidEventsFile(`${file} cannot be opened as an SQLite database: ${errorMessage(error)}`, { cause: error });
  }
  try {
    return inspectOpen(db, file);
  } catch (error) {
    if (error instanceof EventStoreError) throw error;
    throw new InvalidEventsFile(`${file} is not a usable events database: ${errorMessage(error)}`, { cause: error });
  } finally {
    db.close();
  }
}

function inspectOpen(db: Database.Database, file: string): EventsFileInfo {
  const schemaVersion = Number(db.pragma('user_version', { simple: true }));
  if (schemaVersion === 0) throw new InvalidEventsFile(`${file} is not an events database (it has no event store schema)`);
  if (schemaVersion > SQLITE_SCHEMA_VERSION) {
    throw new InvalidEventsFile(
      `${file} has event store schema version ${schemaVersion}, newer than this version of the tracker supports (${SQLITE_SCHEMA_VERSION})`,
    );
  }
  for (const [table, columns] of Object.entries(REQUIRED_COLUMNS)) {
    const present = new Set(db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all().map((c) => c.name));
    const missing = columns.filter((column) => !present.has(column));
    if (present.size === 0) throw new InvalidEventsFile(`${file} is not an events database (no ${table} table)`);
    if (missing.length > 0) throw new InvalidEventsFile(`${file}: table ${table} lacks ${missing.join(', ')}`);
  }
  const check = db.pragma('quick_check', { simple: true });
  if (check !== 'ok') throw new InvalidEventsFile(`${file} is damaged: ${String(check)}`);
  const inconsistent = db
    .prepare<[], { stream_id: string; n: number; lo: number; hi: number; indexed: number | null }>(
      `SELECT g.stream_id, g.n, g.lo, g.hi, s.version AS indexed
         FROM (SELECT stream_id, count(*) AS n, min(version) AS lo, max(version) AS hi, max(position) AS p FROM events GROUP BY stream_id) g
         LEFT JOIN streams s ON s.stream_id = g.stream_id
        WHERE g.lo != 1 OR g.hi != g.n OR s.version IS NULL OR s.version != g.n OR s.position != g.p
        LIMIT 1`,
    )
    .get();
  if (inconsistent) {
    throw new InvalidEventsFile(
      `${file} is inconsistent: stream ${inconsistent.stream_id} has ${inconsistent.n} events numbered ${inconsistent.lo}..${inconsistent.hi}` +
        ` (stream index: ${inconsistent.indexed ?? 'none'})`,
    );
  }
  const orphan = db
    .prepare<[], string>('SELECT stream_id FROM streams WHERE stream_id NOT IN (SELECT stream_id FROM events) LIMIT 1')
    .pluck()
    .get();
  if (orphan !== undefined) throw new InvalidEventsFile(`${file} is inconsistent: stream ${orphan} is indexed but has no events`);
  const totals = db
    .prepare<[], { events: number; streams: number; head: number }>(
      'SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM streams) AS streams, (SELECT COALESCE(max(position), 0) FROM events) AS head',
    )
    .get() ?? { events: 0, streams: 0, head: 0 };
  return { file, schemaVersion, events: totals.events, streams: totals.streams, headPosition: totals.head, bytes: statSync(file).size };
}

/**
 * Throws {@link DatabaseInUse} when another connection has `file` open: in WAL mode every open connection
 * holds a shared lock, so an exclusive lock is only granted when nobody else has it open.
 */
export function assertNotInUse(file: string, what = file): void {
  if (!existsSync(file)) return;
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 0 });
  } catch (error) {
    if (isBusy(error)) throw inUse(what, error);
    throw new EventStoreError(`Cannot open ${file}: ${errorMessage(error)}`, { cause: error });
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
  } catch (error) {
    if (isBusy(error)) throw inUse(what, error);
    // Not a database at all: nobody can be using it as one.
    if (!isNotADatabase(error)) throw new EventStoreError(`Cannot lock ${file}: ${errorMessage(error)}`, { cause: error });
  } finally {
    db.close();
  }
}

/** What {@link backupSqliteFile} wrote. */
export interface SqliteFileCopy {
  file: string;
  bytes: number;
  durationMs: number;
}

/** How {@link backupSqliteFile} copies one database. */
export interface SqliteBackupOptions<T> {
  /** Replace an existing `target`. */
  force?: boolean;
  now?: () => number;
  /** Inspects the finished copy before it replaces `target` (throws to reject it) and says what it holds. */
  check: (file: string) => T;
  /** What the source is, for messages (`the event store`). */
  what?: string;
  /** File mode of the copy, set before anything is written to it (0o600 for secrets). */
  mode?: number;
}

/**
 * Writes a consistent copy of the SQLite database `source` to `target` while other processes may be writing to
 * it (SQLite's online backup, one read transaction, WAL-safe). The copy is a single self-contained file
 * (rollback journal mode), checked with `check` before it replaces `target`; an existing `target` is only
 * replaced with `force`.
 */
export async function backupSqliteFile<T extends object>(source: string, target: string, options: SqliteBackupOptions<T>): Promise<T & SqliteFileCopy> {
  const now = options.now ?? Date.now;
  const what = options.what ?? 'the database';
  const started = now();
  if (!existsSync(source)) throw new EventStoreError(`There is no ${what.replace(/^the /, '')} at ${source}`);
  if (existsSync(target) && !options.force) throw new EventStoreError(`${target} already exists: pass --force to overwrite it`);
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  removeDatabaseFiles(partial);
  if (options.mode !== undefined) createEmpty(partial, options.mode);
  let db: Database.Database;
  try {
    db = new Database(source, { readonly: true, fileMustExist: true, timeout: 5000 });
  } catch (error) {
    throw new EventStoreError(`Cannot open ${what} ${source}: ${errorMessage(error)}`, { cause: error });
  }
  try {
    await db.backup(partial, { progress: () => ALL_PAGES });
    const copy = new Database(partial, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const info = options.check(partial);
    fsyncFile(partial);
    renameSync(partial, target);
    removeDatabaseFiles(target, ['-wal', '-shm', '-journal']);
    fsyncFile(dirname(target));
    return { ...info, file: target, bytes: statSync(target).size, durationMs: now() - started };
  } catch (error) {
    removeDatabaseFiles(partial);
    throw error instanceof EventStoreError ? error : new EventStoreError(`Backup of ${source} failed: ${errorMessage(error)}`, { cause: error });
  } finally {
    db.close();
  }
}

/**
 * Writes a consistent copy of the events database `source` to `target` while other processes may be
 * appending to it (SQLite's online backup, one read transaction, WAL-safe). The copy is a single
 * self-contained file (rollback journal mode), checked with {@link inspectEventsFile} before it replaces
 * `target`; an existing `target` is only replaced with `force`.
 */
export async function backupEventsFile(source: string, target: string, options: { force?: boolean; now?: () => number } = {}): Promise<BackupResult> {
  return backupSqliteFile(source, target, { ...options, check: inspectEventsFile, what: 'the event store' });
}

/**
 * Makes the SQLite file `backup` the database `target` (the caller has checked that nobody has it open): an
 * online copy into `<target>.restoring`, inspected with `check` (which may open and upgrade it), fsynced, then
 * renamed over `target` after `target`'s own journal files are deleted (they must not be applied to the copy).
 */
export async function installSqliteFile(
  backup: string,
  target: string,
  options: { check?: (file: string) => void; mode?: number } = {},
): Promise<void> {
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.restoring`;
  removeDatabaseFiles(partial);
  if (options.mode !== undefined) createEmpty(partial, options.mode);
  const source = new Database(backup, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    await source.backup(partial, { progress: () => ALL_PAGES });
    options.check?.(partial);
  } catch (error) {
    removeDatabaseFiles(partial);
    throw error instanceof EventStoreError ? error : new EventStoreError(`Cannot copy ${backup}: ${errorMessage(error)}`, { cause: error });
  } finally {
    source.close();
  }
  fsyncFile(partial);
  removeDatabaseFiles(target);
  renameSync(partial, target);
  fsyncFile(dirname(target));
}

/** What {@link assertRestorable} found. */
export interface RestoreCheck {
  backup: EventsFileInfo;
  /** Events the target holds (to be replaced with `force`). */
  replacedEvents: number;
}

/**
 * The checks {@link restoreEventsFile} makes before it writes anything: `backup` is an events database this code
 * can open, nobody has `target` or `readModels` open, and `target` holds no events unless `force`.
 */
export function assertRestorable(backup: string, target: string, options: { force?: boolean; readModels?: string } = {}): RestoreCheck {
  const info = inspectEventsFile(backup);
  assertNotInUse(target, `the event store ${target}`);
  if (options.readModels) assertNotInUse(options.readModels, `the read models ${options.readModels}`);
  const replacedEvents = existingEvents(target, Boolean(options.force));
  if (replacedEvents > 0 && !options.force) {
    throw new EventStoreError(`${target} already holds ${replacedEvents} events: pass --force to replace them with the backup`);
  }
  return { backup: info, replacedEvents };
}

/**
 * Replaces the events database `target` with the backup `backup`, after checking the backup
 * ({@link inspectEventsFile}) and that nobody has `target` or `readModels` open. A target that holds events
 * is only replaced with `force`. The read models describe the old events, so `readModels` and its rebuild
 * shadows are deleted: the API rebuilds them from the restored events at its next start.
 */
export async function restoreEventsFile(
  backup: string,
  target: string,
  options: { force?: boolean; readModels?: string } = {},
): Promise<RestoreResult> {
  const { backup: info, replacedEvents } = assertRestorable(backup, target, options);
  const readModels = options.readModels;
  await installSqliteFile(backup, target);
  // Opening migrates an older schema and switches to WAL, as the API would.
  await (await SqliteEventStore.open({ filename: target, durability: 'full' })).close();
  const removed: string[] = [];
  if (readModels) {
    for (const file of readModelFiles(readModels)) {
      if (existsSync(file)) {
        rmSync(file, { force: true });
        removed.push(file);
      }
    }
  }
  return { ...inspectEventsFile(target), schemaVersion: info.schemaVersion, replacedEvents, removed };
}

/** Events in `file` (0 when absent or empty); with `force`, a file that is no events database counts as empty. */
function existingEvents(file: string, force: boolean): number {
  if (!existsSync(file)) return 0;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
    try {
      const table = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'events'").pluck().get();
      return table === undefined ? 0 : (db.prepare<[], number>('SELECT count(*) FROM events').pluck().get() ?? 0);
    } finally {
      db.close();
    }
  } catch (error) {
    if (force) return 0;
    throw new EventStoreError(`${file} exists but cannot be read as an events database (${errorMessage(error)}): pass --force to replace it`, {
      cause: error,
    });
  }
}

/** The read-model database, its journal files and any rebuild shadows beside it (`read-models.rebuild-<name>.db`). */
function readModelFiles(readModels: string): string[] {
  const files = [readModels, `${readModels}-wal`, `${readModels}-shm`, `${readModels}-journal`];
  const dir = dirname(readModels);
  const stem = basename(readModels, extname(readModels));
  const names = existsSync(dir) ? readdirSync(dir) : [];
  for (const name of names) if (name.startsWith(`${stem}.rebuild-`)) files.push(join(dir, name));
  return files;
}

function removeDatabaseFiles(file: string, suffixes: readonly string[] = ['', '-wal', '-shm', '-journal']): void {
  for (const suffix of suffixes) rmSync(`${file}${suffix}`, { force: true });
}

/** An empty file (an empty SQLite database) with `mode`, whatever the umask. */
function createEmpty(file: string, mode: number): void {
  writeFileSync(file, '', { mode });
  chmodSync(file, mode);
}

function fsyncFile(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // Directories cannot be fsynced on every platform; the data itself was synced by SQLite.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

function isNotADatabase(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^SQLITE_NOTADB/.test(code);
}

function inUse(what: string, cause: unknown): DatabaseInUse {
  return new DatabaseInUse(`${what} is in use by another process (is the API running?): stop it first`, { cause });
}

