import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { errorMessage, EventStoreError } from '../errors.js';
import { KEY_STORE_SCHEMA_VERSION } from './sqlite-personal-data-keys.js';

/** A file is not a usable key store (not SQLite, no key store schema, a newer schema, damaged). */
export class InvalidKeysFile extends EventStoreError {}

/** What a key store file (`keys.db`) holds. */
export interface KeysFileInfo {
  file: string;
  /** Data subjects with a row: a key, or the mark that they were forgotten. */
  subjects: number;
  /** Keys still held. */
  keys: number;
  /** Subjects forgotten (key destroyed). */
  forgotten: number;
  bytes: number;
}

const COLUMNS = ['subject', 'key_id', 'key', 'forgotten_at'];

/** Opens `file` read-only as a key store, or throws {@link InvalidKeysFile} naming the problem. */
function openKeysFile(file: string): Database.Database {
  if (!existsSync(file)) throw new InvalidKeysFile(`${file} does not exist`);
  if (!statSync(file).isFile()) throw new InvalidKeysFile(`${file} is not a file`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
  } catch (error) {
    throw new InvalidKeysFile(`${file} cannot be opened as an SQLite database: ${errorMessage(error)}`, { cause: error });
  }
  try {
    const version = Number(db.pragma('user_version', { simple: true }));
    const present = new Set(db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('subject_keys')").all().map((c) => c.name));
    if (version === 0 || present.size === 0) throw new InvalidKeysFile(`${file} is not a key store (it has no subject_keys table)`);
    if (version > KEY_STORE_SCHEMA_VERSION) {
      throw new InvalidKeysFile(`${file} has key store schema version ${version}, newer than this version of the tracker supports (${KEY_STORE_SCHEMA_VERSION})`);
    }
    const missing = COLUMNS.filter((column) => !present.has(column));
    if (missing.length > 0) throw new InvalidKeysFile(`${file}: table subject_keys lacks ${missing.join(', ')}`);
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new InvalidKeysFile(`${file} is damaged: ${String(check)}`);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof EventStoreError) throw error;
    throw new InvalidKeysFile(`${file} is not a usable key store: ${errorMessage(error)}`, { cause: error });
  }
}

/**
 * Checks that `file` is a key store this code can open (an SQLite file with the key store schema, version
 * 1..current, passing SQLite's quick check) and counts what it holds. Read-only; throws {@link InvalidKeysFile}.
 */
export function inspectKeysFile(file: string): KeysFileInfo {
  const db = openKeysFile(file);
  try {
    const counts = db
      .prepare<[], { subjects: number; keys: number; forgotten: number }>(
        `SELECT count(*) AS subjects, count(key) AS keys, count(forgotten_at) AS forgotten FROM subject_keys`,
      )
      .get() ?? { subjects: 0, keys: 0, forgotten: 0 };
    return { file, ...counts, bytes: statSync(file).size };
  } finally {
    db.close();
  }
}

/** The subjects a key store file has forgotten (read-only), in the order they were forgotten. */
export function forgottenSubjectsIn(file: string): string[] {
  const db = openKeysFile(file);
  try {
    return db.prepare<[], string>('SELECT subject FROM subject_keys WHERE forgotten_at IS NOT NULL ORDER BY forgotten_at, subject').pluck().all();
  } finally {
    db.close();
  }
}

