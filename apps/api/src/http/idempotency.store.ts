import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

/** A stored first response, replayed for a repeated Idempotency-Key. */
export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export type Reservation =
  | { kind: 'reserved' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'in-flight' }
  | { kind: 'reused' };

/** An in-flight reservation older than this is taken over (its request died with its process). */
const STALE_AFTER_MS = 60_000;

/** JSON with object keys sorted, so equal bodies fingerprint equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function fingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body ?? null)).digest('hex');
}

/**
 * Idempotency records in the read-model database. Not a projection: rebuilds leave it alone. Event ids of keyed
 * commands are derived from the key too, so even without this record a replay cannot append twice.
 */
export class IdempotencyStore {
  private readonly select;
  private readonly insert;
  private readonly takeOver;
  private readonly complete;
  private readonly remove;
  private readonly reserveTx;

  constructor(db: Database.Database, private readonly clock: () => number = Date.now) {
    db.exec(`CREATE TABLE IF NOT EXISTS http_idempotency (
      scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, state TEXT NOT NULL,
      response TEXT, created_at INTEGER NOT NULL, PRIMARY KEY (scope, key))`);
    this.select = db.prepare<[string, string], { fingerprint: string; state: string; response: string | null; created_at: number }>(
      'SELECT fingerprint, state, response, created_at FROM http_idempotency WHERE scope = ? AND key = ?',
    );
    this.insert = db.prepare("INSERT INTO http_idempotency (scope, key, fingerprint, state, created_at) VALUES (?, ?, ?, 'in-flight', ?)");
    this.takeOver = db.prepare('UPDATE http_idempotency SET created_at = ? WHERE scope = ? AND key = ?');
    this.complete = db.prepare("UPDATE http_idempotency SET state = 'done', response = ? WHERE scope = ? AND key = ?");
    this.remove = db.prepare('DELETE FROM http_idempotency WHERE scope = ? AND key = ?');
    this.reserveTx = db.transaction((scope: string, key: string, print: string): Reservation => {
      const row = this.select.get(scope, key);
      const now = this.clock();
      if (!row) {
        this.insert.run(scope, key, print, now);
        return { kind: 'reserved' };
      }
      if (row.fingerprint !== print) return { kind: 'reused' };
      if (row.state === 'done' && row.response) return { kind: 'replay', response: JSON.parse(row.response) as StoredResponse };
      if (now - row.created_at > STALE_AFTER_MS) {
        this.takeOver.run(now, scope, key);
        return { kind: 'reserved' };
      }
      return { kind: 'in-flight' };
    });
  }

  reserve(scope: string, key: string, print: string): Reservation {
    return this.reserveTx.immediate(scope, key, print);
  }

  finish(scope: string, key: string, response: StoredResponse): void {
    this.complete.run(JSON.stringify(response), scope, key);
  }

  release(scope: string, key: string): void {
    this.remove.run(scope, key);
  }
}
