import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../envelope.js';
import { InvalidAppend } from '../errors.js';
import { InMemoryEventStore } from '../in-memory/in-memory-event-store.js';
import { verifyStreams } from '../integrity/chain-checker.js';
import { storedEventsOf } from '../read-mapping-event-store.js';
import { describeEventStoreContract } from '../testing/event-store.contract.js';
import { testEvent } from '../testing/test-event.js';
import { Upcasters } from '../upcasting/upcasters.js';
import { UpcastingEventStore } from '../upcasting/upcasting-event-store.js';
import { decryptField, encryptField, isEncryptedField } from './field-cipher.js';
import { InMemoryPersonalDataKeys } from './in-memory-personal-data-keys.js';
import { forgottenFieldsOf, PersonalDataEventStore, type PersonalFieldRules } from './personal-data-event-store.js';
import { DataSubjectForgotten, type PersonalDataKeys } from './personal-data-keys.js';
import { SqlitePersonalDataKeys } from './sqlite-personal-data-keys.js';

const RULES: PersonalFieldRules = {
  PersonRegistered: { subjectKind: 'person', subject: 'personId', fields: ['personal'] },
  MemberJoined: { subjectKind: 'person', subject: 'personId', fields: ['personId'] },
};

const PERSON = '0192f000-0000-7000-8000-00000000000a';
const NAME = 'Ingrid Kryptert';
const registered = (personId = PERSON, name = NAME) =>
  testEvent({ type: 'PersonRegistered', data: { personId, personal: { name, background: 'Planner in Bodø' } } });

async function readAllOf(store: { readAll(): AsyncIterable<RecordedEvent[]> }): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const batch of store.readAll()) events.push(...batch);
  return events;
}

describe('field cipher (AES-256-GCM)', () => {
  const key = randomBytes(32);
  const eventId = randomUUID();

  it('round-trips any JSON value and names the key, not the subject', () => {
    for (const value of [{ name: NAME, background: null }, 'text', 42, null, [1, 'two']]) {
      const field = encryptField(value, 'key-1', key, eventId, 'personal');
      expect(field).toEqual({ $enc: 'v1', key: 'key-1', iv: expect.any(String), tag: expect.any(String), data: expect.any(String) });
      expect(JSON.stringify(field)).not.toContain('Ingrid');
      expect(isEncryptedField(field)).toBe(true);
      expect(decryptField(field, key, eventId, 'personal')).toEqual(value);
    }
  });

  it('uses a fresh IV each time', () => {
    const a = encryptField(NAME, 'k', key, eventId, 'p');
    const b = encryptField(NAME, 'k', key, eventId, 'p');
    expect(a.iv).not.toBe(b.iv);
    expect(a.data).not.toBe(b.data);
  });

  it('yields undefined, never throws, for another key, event or field, a changed ciphertext or an unknown version', () => {
    const field = encryptField({ name: NAME }, 'k', key, eventId, 'personal');
    expect(decryptField(field, randomBytes(32), eventId, 'personal')).toBeUndefined();
    expect(decryptField(field, key, randomUUID(), 'personal')).toBeUndefined();
    expect(decryptField(field, key, eventId, 'personId')).toBeUndefined();
    const data = Buffer.from(field.data, 'base64');
    data[0] ^= 1;
    expect(decryptField({ ...field, data: data.toString('base64') }, key, eventId, 'personal')).toBeUndefined();
    expect(decryptField({ ...field, tag: 'AAAA' }, key, eventId, 'personal')).toBeUndefined();
    expect(decryptField({ ...field, $enc: 'v2' }, key, eventId, 'personal')).toBeUndefined();
    expect(decryptField({ $enc: 'v1' }, key, eventId, 'personal')).toBeUndefined();
    expect(decryptField(field, Buffer.alloc(3), eventId, 'personal')).toBeUndefined();
    expect(isEncryptedField({ name: NAME })).toBe(false);
    expect(isEncryptedField(null)).toBe(false);
  });
});

function describeKeyStore(name: string, open: () => { keys: PersonalDataKeys; reopen?: () => PersonalDataKeys; cleanup: () => void }) {
  describe(`${name} key store`, () => {
    let fixture: ReturnType<typeof open>;
    beforeEach(() => {
      fixture = open();
    });
    afterEach(async () => {
      await fixture.keys.close();
      fixture.cleanup();
    });

    it('issues one 256-bit key per subject, found by its id', async () => {
      const { keys } = fixture;
      const a = await keys.keyFor('person-a');
      expect(a.key).toHaveLength(32);
      expect(await keys.keyFor('person-a')).toEqual(a);
      const b = await keys.keyFor('person-b');
      expect(b.keyId).not.toBe(a.keyId);
      expect(b.key.equals(a.key)).toBe(false);
      expect(await keys.find(a.keyId)).toEqual(a.key);
      expect(await keys.find('unknown')).toBeNull();
    });

    it('forgets: the key is gone, never issued again, and forgetting again says so', async () => {
      const { keys } = fixture;
      const { keyId } = await keys.keyFor('person-a');
      await keys.keyFor('person-b');
      expect(await keys.forget('person-a')).toEqual({ destroyed: true, alreadyForgotten: false });
      expect(await keys.find(keyId)).toBeNull();
      expect(await keys.isForgotten('person-a')).toBe(true);
      expect(await keys.isForgotten('person-b')).toBe(false);
      await expect(keys.keyFor('person-a')).rejects.toThrow(DataSubjectForgotten);
      await expect(keys.keyFor('person-a')).rejects.toBeInstanceOf(InvalidAppend);
      expect(await keys.forget('person-a')).toEqual({ destroyed: false, alreadyForgotten: true });
      expect(await keys.forget('person-never-keyed')).toEqual({ destroyed: false, alreadyForgotten: false });
      await expect(keys.keyFor('person-never-keyed')).rejects.toThrow(DataSubjectForgotten);
    });

    if (name === 'SQLite') {
      it('is shared by every handle on the file, and keeps no trace of a destroyed key in it', async () => {
        const { keys } = fixture;
        const other = (fixture.reopen as () => PersonalDataKeys)();
        try {
          const first = await keys.keyFor('person-a');
          expect(await other.keyFor('person-a')).toEqual(first);
          expect(await other.find(first.keyId)).toEqual(first.key);
          const file = (keys as SqlitePersonalDataKeys).filename;
          expect(readFileSync(file).includes(first.key) || readFileSync(`${file}-wal`).includes(first.key)).toBe(true);
          await other.close();
          await keys.forget('person-a');
          const bytes = Buffer.concat([readFileSync(file), readFileSync(`${file}-wal`)]);
          expect(bytes.includes(first.key)).toBe(false);
          expect(bytes.includes(Buffer.from(first.keyId))).toBe(false);
        } finally {
          await other.close();
        }
      });

      it('refuses a key store written by a newer version', async () => {
        const file = (fixture.keys as SqlitePersonalDataKeys).filename;
        await fixture.keys.close();
        const Database = (await import('better-sqlite3')).default;
        const db = new Database(file);
        db.pragma('user_version = 99');
        db.close();
        expect(() => new SqlitePersonalDataKeys(file)).toThrow(/schema version 99/);
      });
    }
  });
}

describeKeyStore('in-memory', () => ({ keys: new InMemoryPersonalDataKeys(), cleanup: () => undefined }));
describeKeyStore('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tracker-keys-'));
  const file = join(dir, 'keys.db');
  return { keys: new SqlitePersonalDataKeys(file), reopen: () => new SqlitePersonalDataKeys(file), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
});

describe('PersonalDataEventStore', () => {
  let inner: InMemoryEventStore;
  let keys: InMemoryPersonalDataKeys;
  let store: PersonalDataEventStore;
  const stream = `person-${PERSON}`;

  beforeEach(() => {
    inner = new InMemoryEventStore();
    keys = new InMemoryPersonalDataKeys();
    store = new PersonalDataEventStore(inner, keys, RULES);
  });
  afterEach(async () => {
    await store.close();
  });

  it('stores personal fields encrypted (the hash chain covers the ciphertext) and reads them decrypted everywhere', async () => {
    const event = registered();
    await store.appendToStream(stream, [event]);
    const [stored] = await inner.readStream(stream);
    expect(JSON.stringify(stored)).not.toContain('Ingrid');
    expect(JSON.stringify(stored)).not.toContain('Bodø');
    expect(stored.data).toEqual({ personId: PERSON, personal: expect.objectContaining({ $enc: 'v1' }) });
    expect((await verifyStreams(store)).ok).toBe(true);

    const [read] = await store.readStream(stream);
    expect(read.data).toEqual(event.data);
    expect(read.integrity).toEqual(stored.integrity);
    expect((await readAllOf(store))[0].data).toEqual(event.data);
    const subscription = store.subscribe();
    const iterator = subscription[Symbol.asyncIterator]();
    const batch = await iterator.next();
    await subscription.close();
    expect(batch.value?.events[0].data).toEqual(event.data);
    expect(forgottenFieldsOf(read)).toEqual([]);
  });

  it('reads the placeholder once the subject is forgotten, and the chain still verifies', async () => {
    await store.appendToStream(stream, [registered()]);
    await store.appendToStream(`person-${randomUUID()}`, [registered(randomUUID(), 'Other Person')]);
    await store.appendToStream('network-n1', [testEvent({ type: 'MemberJoined', data: { networkId: 'n1', personId: PERSON } })]);
    await store.appendToStream(stream, [testEvent({ type: 'PersonForgotten', data: { personId: PERSON, reason: 'asked' } })]);
    await keys.forget(`person-${PERSON}`);

    const events = await readAllOf(store);
    expect(events.map((e) => e.data)).toEqual([
      { personId: PERSON, personal: null },
      expect.objectContaining({ personal: { name: 'Other Person', background: 'Planner in Bodø' } }),
      { networkId: 'n1', personId: null },
      { personId: PERSON, reason: 'asked' },
    ]);
    expect(forgottenFieldsOf(events[0])).toEqual(['personal']);
    expect(forgottenFieldsOf(events[2])).toEqual(['personId']);
    expect((await store.readStream(stream))[0].data).toEqual({ personId: PERSON, personal: null });
    expect(await verifyStreams(store)).toMatchObject({ ok: true, events: 4 });
  });

  it('encrypts a membership with the member as subject', async () => {
    await store.appendToStream('network-n1', [testEvent({ type: 'MemberJoined', data: { networkId: 'n1', personId: PERSON } })]);
    const [stored] = await inner.readStream('network-n1');
    expect(JSON.stringify(stored.data)).not.toContain(PERSON);
    expect((await store.readStream('network-n1'))[0].data).toEqual({ networkId: 'n1', personId: PERSON });
  });

  it('refuses to record personal data about a forgotten subject, appending nothing', async () => {
    await keys.forget(`person-${PERSON}`);
    await expect(
      store.appendToStream('network-n1', [
        testEvent({ type: 'NetworkFounded', data: { networkId: 'n1' } }),
        testEvent({ type: 'MemberJoined', data: { networkId: 'n1', personId: PERSON } }),
      ]),
    ).rejects.toThrow(DataSubjectForgotten);
    expect(await inner.headPosition()).toBe(0);
  });

  it('reads legacy plaintext as it is and leaves events without personal data untouched', async () => {
    const legacy = registered();
    await inner.appendToStream(stream, [legacy]);
    const other = testEvent({ type: 'OrganisationRegistered', data: { name: 'SoCentral' } });
    await store.appendToStream('organisation-o1', [other]);
    const [storedOther] = await inner.readStream('organisation-o1');
    expect(storedOther.data).toEqual(other.data);
    expect((await store.readStream(stream))[0].data).toEqual(legacy.data);
  });

  it('reads a ciphertext with a malformed or unknown envelope as forgotten, without throwing', async () => {
    await inner.appendToStream(stream, [
      testEvent({ type: 'PersonRegistered', data: { personId: PERSON, personal: { $enc: 'v9', key: 'x' } } }),
      testEvent({ type: 'PersonRegistered', data: { personId: PERSON, personal: { $enc: 'v1' } } }),
    ]);
    expect((await store.readStream(stream)).map((e) => e.data)).toEqual([
      { personId: PERSON, personal: null },
      { personId: PERSON, personal: null },
    ]);
  });

  it('sits beneath upcasting, which sees plaintext; integrity reads the adapter itself', async () => {
    const upcasters = new Upcasters([
      { type: 'PersonRegistered', fromVersion: 1, upcast: (data) => ({ ...(data as object), seen: (data as { personal: { name: string } }).personal.name }) },
    ]);
    const outer = new UpcastingEventStore(store, upcasters);
    await outer.appendToStream(stream, [registered()]);
    expect((await outer.readStream(stream))[0].data).toMatchObject({ seen: NAME });
    expect(storedEventsOf(outer)).toBe(inner);
  });
});

describeEventStoreContract('PersonalDataEventStore over InMemoryEventStore', async () => {
  const keys = new InMemoryPersonalDataKeys();
  return { store: new PersonalDataEventStore(new InMemoryEventStore(), keys, RULES), cleanup: async () => undefined };
});
