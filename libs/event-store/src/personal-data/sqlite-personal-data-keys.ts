import { chmodSync, mkdirSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { EventStoreError } from '../errors.js';
import { DataSubjectForgotten, PersonalDataKeys, type ForgetResult, type SubjectKey } from './personal-data-keys.js';

/** `PRAGMA user_version` of the key store schema this code writes (and the newest it reads). */
export const KEY_STORE_SCHEMA_VERSION = 1;

interface KeyRow {
  key_id: string | null;
  key: Buffer | null;
  forgotten_at: string | null;
}

/**
 * The key store in its own SQLite file (`<data dir>/keys.db`), never in the event store: one row per data
 * subject with a random AES-256 key and key id; forgetting sets both to NULL and keeps only the subject and when.
 * `secure_delete` overwrites the freed bytes and a WAL checkpoint follows each forgetting, so a destroyed key does
 * not linger in the file. Commits are fsynced (a lost key makes events unreadable). Several processes on one host
 * may share the file (API instances, the CLI). Created with mode 0600.
 */
export class SqlitePersonalDataKeys extends PersonalDataKeys {
  private readonly db: Database.Database;
  private readonly select: Database.Statement<[string], KeyRow>;
  private readonly selectById: Database.Statement<[string], { key: Buffer }>;
  private readonly insert: Database.Statement<[string, string, Buffer, string]>;
  private readonly tombstone: Database.Statement<[string, string, string]>;
  private readonly issue: (subject: string) => SubjectKey;
  private readonly destroy: (subject: string) => ForgetResult;

  constructor(readonly filename: string) {
    super();
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    this.db = new Database(filename);
    try {
      if (filename !== ':memory:') chmodSync(filename, 0o600);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('secure_delete = ON');
      this.db.pragma('busy_timeout = 5000');
      const version = Number(this.db.pragma('user_version', { simple: true }));
      if (version > KEY_STORE_SCHEMA_VERSION) {
        throw new EventStoreError(`${filename} has key store schema version ${version}; this version reads up to ${KEY_STORE_SCHEMA_VERSION}`);
      }
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS subject_keys (
          subject TEXT PRIMARY KEY,
          key_id TEXT UNIQUE,
          key BLOB,
          created_at TEXT NOT NULL,
          forgotten_at TEXT
        );
      `);
      this.db.pragma(`user_version = ${KEY_STORE_SCHEMA_VERSION}`);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.select = this.db.prepare('SELECT key_id, key, forgotten_at FROM subject_keys WHERE subject = ?');
    this.selectById = this.db.prepare('SELECT key FROM subject_keys WHERE key_id = ? AND key IS NOT NULL');
    this.insert = this.db.prepare('INSERT INTO subject_keys (subject, key_id, key, created_at) VALUES (?, ?, ?, ?)');
    this.tombstone = this.db.prepare(
      `INSERT INTO subject_keys (subject, key_id, key, created_at, forgotten_at) VALUES (?, NULL, NULL, ?, ?)
       ON CONFLICT (subject) DO UPDATE SET key_id = NULL, key = NULL, forgotten_at = coalesce(forgotten_at, excluded.forgotten_at)`,
    );
    const issue = this.db.transaction((subject: string): SubjectKey => {
      const row = this.select.get(subject);
      if (row?.forgotten_at) throw new DataSubjectForgotten(subject);
      if (row?.key_id && row.key) return { keyId: row.key_id, key: row.key };
      const created = { keyId: randomUUID(), key: randomBytes(32) };
      this.insert.run(subject, created.keyId, created.key, new Date().toISOString());
      return created;
    });
    this.issue = (subject) => issue.immediate(subject);
    const destroy = this.db.transaction((subject: string): ForgetResult => {
      const before = this.select.get(subject);
      const now = new Date().toISOString();
      this.tombstone.run(subject, now, now);
      return { destroyed: Boolean(before?.key), alreadyForgotten: Boolean(before?.forgotten_at) };
    });
    this.destroy = (subject) => destroy.immediate(subject);
  }

  async keyFor(subject: string): Promise<SubjectKey> {
    const row = this.select.get(subject);
    if (row?.forgotten_at) throw new DataSubjectForgotten(subject);
    if (row?.key_id && row.key) return { keyId: row.key_id, key: row.key };
    return this.issue(subject);
  }

  async find(keyId: string): Promise<Buffer | null> {
    return this.selectById.get(keyId)?.key ?? null;
  }

  async isForgotten(subject: string): Promise<boolean> {
    return Boolean(this.select.get(subject)?.forgotten_at);
  }

  async forget(subject: string): Promise<ForgetResult> {
    const result = this.destroy(subject);
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return result;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
