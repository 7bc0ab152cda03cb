import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { ensureCheckpointTable } from './checkpoint-store.js';
import { ensureLeaseTable } from './rebuild/projection-lease.js';

/** The read-model database: a better-sqlite3 connection to `<data dir>/read-models.db`. */
export type ReadModelDb = Database.Database;

/** Options for {@link openReadModelDb}. */
export interface ReadModelDbOptions {
  /** How long a statement waits for a lock held by another connection. Defaults to 5000 ms. */
  busyTimeoutMs?: number;
}

/** File name of the read-model database inside the data directory. */
export const READ_MODEL_DB_FILE = 'read-models.db';

/** `<dataDir>/read-models.db`. */
export function readModelDbPath(dataDir: string): string {
  return join(dataDir, READ_MODEL_DB_FILE);
}

/**
 * Opens (creating if needed) the read-model database at `file` (a path, or `:memory:` in tests).
 * WAL with synchronous=NORMAL: read models are disposable and rebuilt from the events, so a lost last commit
 * after a power cut only means replaying a few events. `secure_delete` overwrites deleted and replaced content
 * (a forgotten person's name scrubbed from a read model leaves no bytes behind). Creates the `projection_checkpoints` and
 * `projection_leases` tables.
 */
export function openReadModelDb(file: string, options: ReadModelDbOptions = {}): ReadModelDb {
  if (file !== ':memory:' && !file.startsWith('file:')) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('secure_delete = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    ensureCheckpointTable(db);
    ensureLeaseTable(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
