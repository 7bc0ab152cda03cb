import { randomBytes, randomUUID } from 'node:crypto';
import { DataSubjectForgotten, PersonalDataKeys, type ForgetResult, type SubjectKey } from './personal-data-keys.js';

/** Keys held in process memory: for tests and throwaway runs. */
export class InMemoryPersonalDataKeys extends PersonalDataKeys {
  private readonly bySubject = new Map<string, SubjectKey | 'forgotten'>();
  private readonly byId = new Map<string, Buffer>();

  async keyFor(subject: string): Promise<SubjectKey> {
    const held = this.bySubject.get(subject);
    if (held === 'forgotten') throw new DataSubjectForgotten(subject);
    if (held) return held;
    const created = { keyId: randomUUID(), key: randomBytes(32) };
    this.bySubject.set(subject, created);
    this.byId.set(created.keyId, created.key);
    return created;
  }

  async find(keyId: string): Promise<Buffer | null> {
    return this.byId.get(keyId) ?? null;
  }

  async isForgotten(subject: string): Promise<boolean> {
    return this.bySubject.get(subject) === 'forgotten';
  }

  async forget(subject: string): Promise<ForgetResult> {
    const held = this.bySubject.get(subject);
    if (held === 'forgotten') return { destroyed: false, alreadyForgotten: true };
    if (held) {
      held.key.fill(0);
      this.byId.delete(held.keyId);
    }
    this.bySubject.set(subject, 'forgotten');
    return { destroyed: held !== undefined, alreadyForgotten: false };
  }

  async close(): Promise<void> {}
}
