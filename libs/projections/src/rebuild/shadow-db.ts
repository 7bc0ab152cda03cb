import { rmSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import Database from 'better-sqlite3';
import { ensureCheckpointTable } from '../checkpoint-store.js';
import { assertValidProjection } from '../projection.js';
import type { ReadModelDb } from '../read-model-db.js';

/**
 * The shadow database a rebuild of `projection` writes, beside the live file:
 * `<dir>/read-models.rebuild-<name>.db` for `<dir>/read-models.db`.
 */
export function shadowDbPath(readModelsFile: string, projection: string): string {
  assertValidProjection({ name: projection, version: 1 });
  const extension = extname(readModelsFile);
  return join(dirname(readModelsFile), `${basename(readModelsFile, extension)}.rebuild-${projection}${extension || '.db'}`);
}

/**
 * Opens a fresh shadow database. It is disposable until the flip copies it, so it trades durability for
 * speed: rollback journal in memory, no fsync.
 */
export function openShadowDb(file: string): ReadModelDb {
  removeShadowDb(file);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = MEMORY');
    db.pragma('synchronous = OFF');
    db.pragma('temp_store = MEMORY');
    db.pragma('secure_delete = ON');
    ensureCheckpointTable(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Deletes a shadow database and its journal files, if present. */
export function removeShadowDb(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
}
