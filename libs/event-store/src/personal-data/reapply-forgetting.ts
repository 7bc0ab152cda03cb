import type { EventStore } from '../event-store.port.js';
import { valueAt } from './data-path.js';
import type { PersonalDataKeys } from './personal-data-keys.js';

/** Where an event type records that a data subject was forgotten. */
export interface ForgettingRule {
  /** The subject's kind: with the subject's id it names the key (`person-<id>`), as in the personal-data rules. */
  subjectKind: string;
  /** Dotted path in the data to the forgotten subject's id. */
  subject: string;
}

/** Forgetting events by type (the domain's: `PersonForgotten` forgets `person-<personId>`). */
export type ForgettingRules = Readonly<Record<string, ForgettingRule>>;

/** What {@link reapplyForgetting} found and did. */
export interface ReapplyForgettingResult {
  /** Events read. */
  events: number;
  /** Position of the last event read, 0 for an empty log. */
  headPosition: number;
  /** Forgetting events found in the log. */
  forgettings: number;
  /** Distinct subjects they forget. */
  subjects: number;
  /** Subjects whose key the key store still held and which is now destroyed (they would have been readable again). */
  keysDestroyed: number;
  /** Subjects the key store had no key for, now marked forgotten so that none is issued for them. */
  markedForgotten: number;
  /** Subjects the key store had already forgotten (nothing changed). */
  alreadyForgotten: number;
}

/**
 * Re-applies to `keys` every forgetting recorded in `store`'s log: reads the whole log for the events named in
 * `rules` and forgets each of their subjects in the key store (destroys the key, remembers the subject as
 * forgotten). Run after restoring a key store from a backup taken before some of those forgettings, so that no
 * old key makes a forgotten subject readable again. Idempotent, and safe beside a running API (forgetting is
 * one transaction per subject; the key store only ever loses keys).
 */
export async function reapplyForgetting(
  store: Pick<EventStore, 'readAll'>,
  keys: Pick<PersonalDataKeys, 'forget'>,
  rules: ForgettingRules,
  options: { batchSize?: number } = {},
): Promise<ReapplyForgettingResult> {
  const subjects = new Set<string>();
  let events = 0;
  let headPosition = 0;
  let forgettings = 0;
  for await (const batch of store.readAll({ batchSize: options.batchSize ?? 1000 })) {
    for (const event of batch) {
      events++;
      headPosition = event.position;
      const rule = Object.hasOwn(rules, event.type) ? rules[event.type] : undefined;
      if (!rule) continue;
      const id = valueAt(event.data, rule.subject);
      if (typeof id !== 'string' || id === '') continue;
      forgettings++;
      subjects.add(`${rule.subjectKind}-${id}`);
    }
  }
  const result: ReapplyForgettingResult = { events, headPosition, forgettings, subjects: subjects.size, keysDestroyed: 0, markedForgotten: 0, alreadyForgotten: 0 };
  for (const subject of subjects) {
    const outcome = await keys.forget(subject);
    if (outcome.alreadyForgotten) result.alreadyForgotten++;
    else if (outcome.destroyed) result.keysDestroyed++;
    else result.markedForgotten++;
  }
  return result;
}
