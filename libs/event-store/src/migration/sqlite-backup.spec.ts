import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RecordedEvent } from '../envelope.js';
import { SqliteEventStore } from '../sqlite/sqlite-event-store.js';
import { SQLITE_SCHEMA_VERSION } from '../sqlite/sqlite-schema.js';
import { testEvent, testEvents } from '../testing/test-event.js';
import {
  assertNotInUse,
  assertRestorable,
  backupEventsFile,
  backupSqliteFile,
  DatabaseInUse,
  inspectEventsFile,
  installSqliteFile,
  InvalidEventsFile,
  restoreEventsFile,
} from './sqlite-backup.js';

async function all(store: SqliteEventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const batch of store.readAll()) events.push(...batch);
  return events;
}

describe('SQLite backup and restore', () => {
  let dir: string;
  let source: SqliteEventStore;
  const file = (name: string) => join(dir, name);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tracker-backup-'));
    source = new SqliteEventStore({ filename: file('events.db'), durability: 'normal' });
    for (let i = 0; i < 20; i++) await source.appendToStream(`experiment-${i % 4}`, testEvents(3));
  });

  afterEach(async () => {
    await source.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up a store that another connection keeps appending to: a consistent, self-contained prefix', async () => {
    let writing = true;
    let appended = 0;
    const writer = (async () => {
      while (writing) {
        await source.appendToStream(`collaboration-${appended % 7}`, [testEvent(), testEvent()]);
        appended++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const results = [];
    try {
      for (let i = 0; i < 5; i++) results.push(await backupEventsFile(file('events.db'), file(`backup-${i}.db`)));
    } finally {
      writing = false;
      await writer;
    }
    expect(appended).toBeGreaterThan(0);
    const everything = await all(source);
    for (const [i, result] of results.entries()) {
      expect(existsSync(file(`backup-${i}.db-wal`))).toBe(false);
      expect(inspectEventsFile(file(`backup-${i}.db`))).toMatchObject({ events: result.events, headPosition: result.headPosition });
      expect(result.schemaVersion).toBe(SQLITE_SCHEMA_VERSION);
      const copy = new SqliteEventStore({ filename: file(`backup-${i}.db`), durability: 'normal' });
      try {
        expect(await all(copy)).toEqual(everything.filter((e) => e.position <= result.headPosition));
      } finally {
        await copy.close();
      }
    }
  });

  it('refuses to overwrite a backup unless forced, and refuses a store that does not exist', async () => {
    await backupEventsFile(file('events.db'), file('backup.db'));
    await expect(backupEventsFile(file('events.db'), file('backup.db'))).rejects.toThrow(/backup\.db already exists: pass --force to overwrite it/);
    await source.appendToStream('experiment-new', [testEvent()]);
    const forced = await backupEventsFile(file('events.db'), file('backup.db'), { force: true });
    expect(forced.events).toBe(61);
    await expect(backupEventsFile(file('missing.db'), file('other.db'))).rejects.toThrow(/There is no event store at .*missing\.db/);
    expect(existsSync(file('other.db'))).toBe(false);
  });

  it('recognises what is not an events database', () => {
    expect(() => inspectEventsFile(file('nothing.db'))).toThrow(/does not exist/);
    writeFileSync(file('text.db'), 'this is not a database, just some text that is long enough to have a header');
    expect(() => inspectEventsFile(file('text.db'))).toThrow(InvalidEventsFile);
    const plain = new Database(file('plain.db'));
    plain.exec('CREATE TABLE notes (x)');
    plain.close();
    expect(() => inspectEventsFile(file('plain.db'))).toThrow(/is not an events database \(it has no event store schema\)/);
    const newer = new Database(file('newer.db'));
    newer.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    newer.close();
    expect(() => inspectEventsFile(file('newer.db'))).toThrow(/newer than this version of the tracker supports/);
  });

  it('finds a stream with a gap', async () => {
    await backupEventsFile(file('events.db'), file('gap.db'));
    const db = new Database(file('gap.db'));
    db.prepare("DELETE FROM events WHERE stream_id = 'experiment-1' AND version = 4").run();
    db.close();
    expect(() => inspectEventsFile(file('gap.db'))).toThrow(/stream experiment-1 has 14 events numbered 1\.\.15/);
  });

  it('restores into an empty place, refuses a store with events unless forced, and removes the stale read models', async () => {
    await backupEventsFile(file('events.db'), file('backup.db'));
    const target = join(dir, 'restored', 'events.db');
    const readModels = join(dir, 'restored', 'read-models.db');
    const restored = await restoreEventsFile(file('backup.db'), target, { readModels });
    expect(restored).toMatchObject({ events: 60, streams: 4, headPosition: 60, replacedEvents: 0, removed: [] });

    const reopened = new SqliteEventStore({ filename: target, durability: 'normal' });
    try {
      expect(await all(reopened)).toEqual(await all(source));
      await reopened.appendToStream('experiment-0', [testEvent()]);
    } finally {
      await reopened.close();
    }
    for (const name of ['read-models.db', 'read-models.db-wal', 'read-models.rebuild-catalogue.db']) writeFileSync(join(dir, 'restored', name), '');

    await expect(restoreEventsFile(file('backup.db'), target, { readModels })).rejects.toThrow(
      /already holds 61 events: pass --force to replace them with the backup/,
    );
    const forced = await restoreEventsFile(file('backup.db'), target, { readModels, force: true });
    expect(forced).toMatchObject({ events: 60, replacedEvents: 61 });
    expect(forced.removed.map((f) => f.slice(dir.length + 1)).sort()).toEqual(
      ['restored/read-models.db', 'restored/read-models.db-wal', 'restored/read-models.rebuild-catalogue.db'].sort(),
    );
    expect(existsSync(`${target}.restoring`)).toBe(false);
  });

  it('refuses to restore a file that is no events database, or over a store that is open elsewhere', async () => {
    writeFileSync(file('junk.db'), 'junk');
    await expect(restoreEventsFile(file('junk.db'), file('restored.db'))).rejects.toThrow(InvalidEventsFile);
    expect(existsSync(file('restored.db'))).toBe(false);

    await backupEventsFile(file('events.db'), file('backup.db'));
    // `source` has events.db open, like a running API.
    expect(() => assertNotInUse(file('events.db'))).toThrow(DatabaseInUse);
    await expect(restoreEventsFile(file('backup.db'), file('events.db'), { force: true })).rejects.toThrow(
      /the event store .*events\.db is in use by another process \(is the API running\?\): stop it first/,
    );
    // Like the API's: in WAL mode, where every open connection holds a shared lock.
    const readModels = new Database(file('read-models.db'));
    readModels.pragma('journal_mode = WAL');
    readModels.exec('CREATE TABLE checkpoints (name TEXT)');
    try {
      await expect(restoreEventsFile(file('backup.db'), file('fresh.db'), { readModels: file('read-models.db') })).rejects.toThrow(
        /the read models .*read-models\.db is in use/,
      );
    } finally {
      readModels.close();
    }
    expect(() => assertNotInUse(file('read-models.db'))).not.toThrow();
  });

  it('copies any SQLite database online, checked before it is put in place, with the mode asked for', async () => {
    const secrets = new Database(file('secrets.db'));
    secrets.pragma('journal_mode = WAL');
    secrets.exec("CREATE TABLE secret (v TEXT); INSERT INTO secret VALUES ('a'), ('b')");
    const count = (f: string) => {
      const db = new Database(f, { readonly: true });
      try {
        return { rows: db.prepare<[], number>('SELECT count(*) FROM secret').pluck().get() };
      } finally {
        db.close();
      }
    };
    try {
      const copy = await backupSqliteFile(file('secrets.db'), file('secrets-backup.db'), { check: count, mode: 0o600, what: 'the secrets' });
      expect(copy).toMatchObject({ rows: 2, file: file('secrets-backup.db'), bytes: statSync(file('secrets-backup.db')).size });
      expect(statSync(file('secrets-backup.db')).mode & 0o777).toBe(0o600);
      await expect(
        backupSqliteFile(file('secrets.db'), file('rejected.db'), {
          check: () => {
            throw new InvalidEventsFile('not what was expected');
          },
        }),
      ).rejects.toThrow(/not what was expected/);
      expect(existsSync(file('rejected.db')) || existsSync(file('rejected.db.partial'))).toBe(false);
      await expect(backupSqliteFile(file('none.db'), file('x.db'), { check: count, what: 'the key store' })).rejects.toThrow(/There is no key store at .*none\.db/);
    } finally {
      secrets.close();
    }
    await installSqliteFile(file('secrets-backup.db'), file('installed/secrets.db'), { mode: 0o600, check: (f) => expect(count(f).rows).toBe(2) });
    expect(count(file('installed/secrets.db'))).toEqual({ rows: 2 });
    expect(statSync(file('installed/secrets.db')).mode & 0o777).toBe(0o600);
    expect(existsSync(file('installed/secrets.db.restoring'))).toBe(false);
  });

  it('checks a restore before writing anything', async () => {
    await backupEventsFile(file('events.db'), file('backup.db'));
    expect(assertRestorable(file('backup.db'), file('empty/events.db'))).toMatchObject({ backup: { events: 60 }, replacedEvents: 0 });
    await source.close();
    expect(() => assertRestorable(file('backup.db'), file('events.db'))).toThrow(/already holds 60 events/);
    expect(assertRestorable(file('backup.db'), file('events.db'), { force: true }).replacedEvents).toBe(60);
    expect(existsSync(file('empty'))).toBe(false);
  });
});
