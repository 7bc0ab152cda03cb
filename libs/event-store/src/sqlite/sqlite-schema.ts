/**
 * Schema migrations of the SQLite event store, applied in order; `PRAGMA user_version` holds how many have run.
 * Never edit a released migration: append a new one.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE IF NOT EXISTS events (
    position      INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id      TEXT    NOT NULL UNIQUE,
    stream_id     TEXT    NOT NULL,
    version       INTEGER NOT NULL CHECK (version >= 1),
    type          TEXT    NOT NULL,
    data          TEXT    NOT NULL,
    metadata      TEXT    NOT NULL,
    recorded_at   TEXT    NOT NULL,
    previous_hash TEXT,
    hash          TEXT,
    UNIQUE (stream_id, version)
  );
  CREATE TABLE IF NOT EXISTS streams (
    stream_id TEXT    NOT NULL PRIMARY KEY,
    version   INTEGER NOT NULL,
    position  INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
];

/** Schema version this code writes. */
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.length;
