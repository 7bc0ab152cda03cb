import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import type { RecordedEvent } from '../envelope.js';
import { InMemoryEventStore } from '../in-memory/in-memory-event-store.js';
import { testEvent } from '../testing/test-event.js';
import { InMemoryPersonalDataKeys } from './in-memory-personal-data-keys.js';
import { forgottenSubjectsIn, inspectKeysFile, InvalidKeysFile } from './key-store-file.js';
import { PersonalDataEventStore, type PersonalFieldRules } from './personal-data-event-store.js';
import { reapplyForgetting, type ForgettingRules } from './reapply-forgetting.js';
import { SqlitePersonalDataKeys } from './sqlite-personal-data-keys.js';

const RULES: PersonalFieldRules = {
  PersonRegistered: { subjectKind: 'person', subject: 'personId', fields: ['personal'] },
};
const FORGETTING: ForgettingRules = { PersonForgotten: { subjectKind: 'person', subject: 'personId' } };

const registered = (personId: string, name: string) =>
  testEvent({ type: 'PersonRegistered', data: { personId, personal: { name, background: 'Planner in Tromsø' } } });
const forgotten = (personId: string) => testEvent({ type: 'PersonForgotten', data: { personId, reason: 'asked to be forgotten' } });

async function names(store: PersonalDataEventStore): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for await (const batch of store.readAll()) {
    for (const event of batch as RecordedEvent[]) {
      if (event.type === 'PersonRegistered') out[(event.data as { personId: string }).personId] = (event.data as { personal: unknown }).personal;
    }
  }
  return out;
}

describe('reapplyForgetting', () => {
  let dir: string;
  let inner: InMemoryEventStore;
  const [kept, gone, goneEarlier] = [randomUUID(), randomUUID(), randomUUID()];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracker-reforget-'));
    inner = new InMemoryEventStore();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('destroys the keys that an older copy of the key store still holds for subjects the log says were forgotten', async () => {
    const keysFile = join(dir, 'keys.db');
    const live = new SqlitePersonalDataKeys(keysFile);
    const store = new PersonalDataEventStore(inner, live, RULES);
    await store.appendToStream(`person-${kept}`, [registered(kept, 'Kari Beholdt')]);
    await store.appendToStream(`person-${gone}`, [registered(gone, 'Ola Glemt')]);
    await store.appendToStream(`person-${goneEarlier}`, [registered(goneEarlier, 'Per Tidligere')]);
    await store.appendToStream(`person-${goneEarlier}`, [forgotten(goneEarlier)]);
    await live.forget(`person-${goneEarlier}`);
    // The key store is backed up here: it still holds the key of the person forgotten next.
    await live.close();
    copyFileSync(keysFile, join(dir, 'keys-backup.db'));
    const reopened = new SqlitePersonalDataKeys(keysFile);
    await new PersonalDataEventStore(inner, reopened, RULES).appendToStream(`person-${gone}`, [forgotten(gone)]);
    await reopened.forget(`person-${gone}`);
    await reopened.close();

    const restored = new SqlitePersonalDataKeys(join(dir, 'keys-backup.db'));
    try {
      const before = new PersonalDataEventStore(inner, restored, RULES);
      expect(await names(before)).toEqual({
        [kept]: { name: 'Kari Beholdt', background: 'Planner in Tromsø' },
        [gone]: { name: 'Ola Glemt', background: 'Planner in Tromsø' },
        [goneEarlier]: null,
      });

      const result = await reapplyForgetting(inner, restored, FORGETTING, { batchSize: 2 });
      expect(result).toEqual({
        events: 5,
        headPosition: 5,
        forgettings: 2,
        subjects: 2,
        keysDestroyed: 1,
        markedForgotten: 0,
        alreadyForgotten: 1,
      });
      expect(await names(new PersonalDataEventStore(inner, restored, RULES))).toEqual({
        [kept]: { name: 'Kari Beholdt', background: 'Planner in Tromsø' },
        [gone]: null,
        [goneEarlier]: null,
      });
      expect(await restored.isForgotten(`person-${gone}`)).toBe(true);
      expect(await restored.isForgotten(`person-${kept}`)).toBe(false);

      // Idempotent: a second run changes nothing.
      expect(await reapplyForgetting(inner, restored, FORGETTING)).toMatchObject({ subjects: 2, keysDestroyed: 0, markedForgotten: 0, alreadyForgotten: 2 });
    } finally {
      await restored.close();
    }
    expect(forgottenSubjectsIn(join(dir, 'keys-backup.db')).sort()).toEqual([`person-${gone}`, `person-${goneEarlier}`].sort());
  });

  it('marks as forgotten a subject the key store never held a key for, so no key is issued for them later', async () => {
    const keys = new InMemoryPersonalDataKeys();
    await inner.appendToStream(`person-${gone}`, [forgotten(gone), testEvent({ type: 'PersonForgotten', data: { reason: 'no id' } })]);
    await inner.appendToStream('experiment-1', [testEvent({ type: 'ExperimentDesigned', data: { personId: kept } })]);
    const result = await reapplyForgetting(inner, keys, FORGETTING);
    expect(result).toEqual({ events: 3, headPosition: 3, forgettings: 1, subjects: 1, keysDestroyed: 0, markedForgotten: 1, alreadyForgotten: 0 });
    expect(await keys.isForgotten(`person-${gone}`)).toBe(true);
    expect(await keys.isForgotten(`person-${kept}`)).toBe(false);
  });

  it('follows the rules it is given: nested subject paths, several event types, an empty log', async () => {
    const keys = new InMemoryPersonalDataKeys();
    expect(await reapplyForgetting(inner, keys, FORGETTING)).toEqual({
      events: 0,
      headPosition: 0,
      forgettings: 0,
      subjects: 0,
      keysDestroyed: 0,
      markedForgotten: 0,
      alreadyForgotten: 0,
    });
    await keys.keyFor('user-u1');
    await keys.keyFor('person-p1');
    await inner.appendToStream('user-u1', [testEvent({ type: 'UserErased', data: { user: { id: 'u1' } } })]);
    await inner.appendToStream('person-p1', [forgotten('p1'), forgotten('p1')]);
    const rules: ForgettingRules = { ...FORGETTING, UserErased: { subjectKind: 'user', subject: 'user.id' } };
    expect(await reapplyForgetting(inner, keys, rules)).toMatchObject({ forgettings: 3, subjects: 2, keysDestroyed: 2 });
    expect(await keys.isForgotten('user-u1')).toBe(true);
    expect(await keys.isForgotten('person-p1')).toBe(true);
  });
});

describe('key store files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracker-keys-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts keys and forgotten subjects without writing to the file', async () => {
    const file = join(dir, 'keys.db');
    const keys = new SqlitePersonalDataKeys(file);
    await keys.keyFor('person-a');
    await keys.keyFor('person-b');
    await keys.forget('person-b');
    await keys.forget('person-c');
    await keys.close();
    expect(inspectKeysFile(file)).toEqual({ file, subjects: 3, keys: 1, forgotten: 2, bytes: expect.any(Number) });
    expect(forgottenSubjectsIn(file)).toHaveLength(2);
  });

  it('recognises what is not a key store', () => {
    expect(() => inspectKeysFile(join(dir, 'missing.db'))).toThrow(/does not exist/);
    writeFileSync(join(dir, 'text.db'), 'not a database, only some text that is long enough to have a header');
    expect(() => inspectKeysFile(join(dir, 'text.db'))).toThrow(InvalidKeysFile);
    const events = new Database(join(dir, 'events.db'));
    events.exec('CREATE TABLE events (position INTEGER)');
    events.pragma('user_version = 1');
    events.close();
    expect(() => inspectKeysFile(join(dir, 'events.db'))).toThrow(/is not a key store \(it has no subject_keys table\)/);
    const newer = new Database(join(dir, 'newer.db'));
    newer.exec('CREATE TABLE subject_keys (subject TEXT, key_id TEXT, key BLOB, forgotten_at TEXT)');
    newer.pragma('user_version = 7');
    newer.close();
    expect(() => inspectKeysFile(join(dir, 'newer.db'))).toThrow(/schema version 7, newer than this version/);
  });
});
