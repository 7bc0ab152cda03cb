import type { EventToAppend, RecordedEvent } from '../envelope.js';
import type { AppendOptions, AppendResult, EventStore } from '../event-store.port.js';
import { ReadMappingEventStore } from '../read-mapping-event-store.js';
import { valueAt, withValueAt } from './data-path.js';
import { decryptField, encryptField, isEncryptedField } from './field-cipher.js';
import type { PersonalDataKeys } from './personal-data-keys.js';

/** Where one event type keeps personal data (the domain's `PersonalDataSpec`). */
export interface PersonalFieldRule {
  /** The subject's kind: with the subject's id it names the key (`person-<id>`). */
  subjectKind: string;
  /** Dotted path in the data to the subject's id. */
  subject: string;
  /** Dotted paths of the personal fields. */
  fields: readonly string[];
}

/** Rules by event type (the domain's `PERSONAL_DATA`). */
export type PersonalFieldRules = Readonly<Record<string, PersonalFieldRule>>;

/** What a personal field reads as once its subject has been forgotten (its key is gone). */
export const FORGOTTEN_PLACEHOLDER = null;

/** Events read back with at least one personal field that could not be decrypted, and which fields. */
const shredded = new WeakMap<RecordedEvent, readonly string[]>();

/** The personal fields of `event` that read as {@link FORGOTTEN_PLACEHOLDER} because their key is gone. */
export function forgottenFieldsOf(event: RecordedEvent): readonly string[] {
  return shredded.get(event) ?? [];
}

/**
 * An {@link EventStore} decorator for personal data (crypto-shredding). On append, every personal field (by the
 * rules of its event type) is encrypted with its data subject's key before the adapter sees the event, so the
 * stored data, the hash chain and everything copied from the store (backups, `migrate`, audit bundles) hold
 * ciphertext only. On every read (`readStream`, `readAll`, `subscribe`) the fields are decrypted; a field whose
 * key has been destroyed (the subject forgotten) reads as {@link FORGOTTEN_PLACEHOLDER}, never as an error.
 * Plaintext fields (events stored before encryption existed) read as they are.
 *
 * Sits beneath the upcasting decorator, so upcasters see plaintext: `Upcasting(PersonalData(adapter))`.
 */
export class PersonalDataEventStore extends ReadMappingEventStore {
  constructor(
    inner: EventStore,
    readonly keys: PersonalDataKeys,
    readonly rules: PersonalFieldRules,
  ) {
    super(inner);
  }

  override async appendToStream(streamId: string, events: readonly EventToAppend[], options?: AppendOptions): Promise<AppendResult> {
    const encrypted: EventToAppend[] = [];
    for (const event of events) encrypted.push(await this.encrypt(event));
    return this.inner.appendToStream(streamId, encrypted, options);
  }

  protected mapRead(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    return this.decryptAll(events);
  }

  /** The event with its personal fields encrypted (the same object when it has none). */
  private async encrypt(event: EventToAppend): Promise<EventToAppend> {
    const rule = Object.hasOwn(this.rules, event.type) ? this.rules[event.type] : undefined;
    if (!rule) return event;
    const subjectId = valueAt(event.data, rule.subject);
    if (typeof subjectId !== 'string' || subjectId === '') return event;
    let data = event.data;
    let key: Awaited<ReturnType<PersonalDataKeys['keyFor']>> | undefined;
    for (const path of rule.fields) {
      const value = valueAt(data, path);
      if (value === undefined || isEncryptedField(value)) continue;
      key ??= await this.keys.keyFor(`${rule.subjectKind}-${subjectId}`);
      data = withValueAt(data, path, encryptField(value, key.keyId, key.key, event.eventId, path));
    }
    return data === event.data ? event : { ...event, data };
  }

  private async decryptAll(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    const keys = new Map<string, Buffer | null>();
    const out: RecordedEvent[] = [];
    for (const event of events) out.push(await this.decrypt(event, keys));
    return out;
  }

  /** The event with its personal fields decrypted, or the placeholder where the key is gone. */
  private async decrypt(event: RecordedEvent, keys: Map<string, Buffer | null>): Promise<RecordedEvent> {
    const rule = Object.hasOwn(this.rules, event.type) ? this.rules[event.type] : undefined;
    if (!rule) return event;
    let data = event.data;
    const forgotten: string[] = [];
    for (const path of rule.fields) {
      const field = valueAt(data, path);
      if (!isEncryptedField(field)) continue;
      const keyId = typeof field.key === 'string' ? field.key : '';
      let key = keys.get(keyId);
      if (key === undefined) keys.set(keyId, (key = keyId === '' ? null : await this.keys.find(keyId)));
      const value = key === null ? undefined : decryptField(field, key, event.eventId, path);
      if (value === undefined) forgotten.push(path);
      data = withValueAt(data, path, value === undefined ? FORGOTTEN_PLACEHOLDER : value);
    }
    if (data === event.data) return event;
    const decrypted = { ...event, data };
    if (forgotten.length > 0) shredded.set(decrypted, forgotten);
    return decrypted;
  }
}
