import { InvalidAppend } from '../errors.js';

/** A data subject's encryption key: AES-256 (32 bytes) and the id the ciphertexts name it by. */
export interface SubjectKey {
  keyId: string;
  key: Buffer;
}

/**
 * The data subject has been forgotten: their key is destroyed and no key is issued for them again, so nothing
 * personal about them can be recorded any more (an append naming them is refused, 422 `invalid-append`).
 */
export class DataSubjectForgotten extends InvalidAppend {
  constructor(readonly subject: string) {
    super(`${subject} has been forgotten: no personal data about them can be recorded`);
  }
}

/** What forgetting a subject did. */
export interface ForgetResult {
  /** True when a key existed and has now been destroyed; false when none existed or it was destroyed before. */
  destroyed: boolean;
  /** True when the subject had already been forgotten. */
  alreadyForgotten: boolean;
}

/**
 * The personal-data key store: one key per data subject (a person, a user), kept apart from the events so that
 * destroying it makes the subject's personal data in the (immutable) log unreadable: crypto-shredding.
 * Adapters: SQLite (`<data dir>/keys.db`, `TRACKER_KEYS_FILE`) and in-memory (tests). Instances that share an
 * event store must share the key store.
 */
export abstract class PersonalDataKeys {
  /**
   * The subject's key, created on first use (concurrent callers, also in other processes, get the same key).
   * Throws {@link DataSubjectForgotten} once the subject has been forgotten.
   */
  abstract keyFor(subject: string): Promise<SubjectKey>;

  /** The key with this id; null when it was destroyed (the subject forgotten) or never existed. */
  abstract find(keyId: string): Promise<Buffer | null>;

  /** True when the subject has been forgotten. */
  abstract isForgotten(subject: string): Promise<boolean>;

  /**
   * Destroys the subject's key and remembers (without any key id) that they are forgotten, so no key is issued
   * for them again. Idempotent.
   */
  abstract forget(subject: string): Promise<ForgetResult>;

  abstract close(): Promise<void>;
}
