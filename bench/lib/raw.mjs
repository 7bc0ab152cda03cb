import Database from 'better-sqlite3';
import { SQLITE_MIGRATIONS, SQLITE_SCHEMA_VERSION } from '../../dist/libs/event-store/src/sqlite/sqlite-schema.js';
import { experimentHistory, experimentStream, newId } from './events.mjs';

/**
 * Our schema and the row our store writes. Our store fills `previous_hash`/`hash` with a SHA-256 chain per
 * stream; the baselines write same-length placeholders, so the bytes written match and hashing counts as ours.
 */
const INSERT_EVENT = `INSERT INTO events (event_id, stream_id, version, type, data, metadata, recorded_at, previous_hash, hash)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const PLACEHOLDER_HASH = 'f'.repeat(64);
const SELECT_ALL =
  'SELECT position, event_id, stream_id, version, type, data, metadata, recorded_at, previous_hash, hash FROM events ORDER BY position';

/** A bare better-sqlite3 connection on our events schema (WAL, the given synchronous level). */
export function openRaw(file, synchronous) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  for (const migration of SQLITE_MIGRATIONS) db.exec(migration);
  db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  return db;
}

export const rowOf = (event, streamId, version, recordedAt = new Date().toISOString()) => [
  event.eventId,
  streamId,
  version,
  event.type,
  JSON.stringify(event.data),
  JSON.stringify(event.metadata),
  recordedAt,
  version === 1 ? null : PLACEHOLDER_HASH,
  PLACEHOLDER_HASH,
];

export const prepareInsert = (db) => db.prepare(INSERT_EVENT);

/** A4: iterate() over every row of the events table, in position order. */
export function iterateAll(db) {
  let rows = 0;
  for (const _row of db.prepare(SELECT_ALL).iterate()) rows++;
  return rows;
}

/**
 * Writes `total` events into a store file as our store lays them out (events + streams rows), `perStream`
 * events per experiment. Setup only: big transactions, synchronous=OFF (the caller syncs afterwards).
 */
export function fillStore(file, { total, perStream }) {
  const db = openRaw(file, 'OFF');
  const insert = prepareInsert(db);
  const upsertStream = db.prepare('INSERT INTO streams (stream_id, version, position) VALUES (?, ?, ?)');
  const experimentIds = [];
  const writeMany = db.transaction((count) => {
    for (let i = 0; i < count; i++) {
      const id = newId();
      const stream = experimentStream(id);
      const length = Math.min(perStream, total - experimentIds.length * perStream);
      let position = 0;
      experimentHistory(id, length).forEach((event, index) => {
        position = Number(insert.run(...rowOf(event, stream, index + 1)).lastInsertRowid);
      });
      upsertStream.run(stream, length, position);
      experimentIds.push(id);
    }
  });
  const streams = Math.ceil(total / perStream);
  for (let done = 0; done < streams; done += 100) writeMany(Math.min(100, streams - done));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { experimentIds, events: total, perStream };
}
