/**
 * Which events hold personal data, whose it is and where: pure data, read by the event store's personal-data
 * decorator (which encrypts those fields per data subject before they are stored) and by the export of a
 * person's data. See README, "Personal data".
 */

/** Kinds of data subject: the stream category of their id. Each subject has a key of its own. */
export type DataSubjectKind = 'person' | 'user';

/** Where one event type keeps personal data. */
export interface PersonalDataSpec {
  /** Whose data it is. */
  readonly subjectKind: DataSubjectKind;
  /** Dotted path in the event's data to the data subject's id (e.g. `personId`). */
  readonly subject: string;
  /**
   * Dotted paths of the personal fields, each stored encrypted as a whole with the subject's key. A field may be
   * the subject path itself (a membership names the member): the subject is read before it is encrypted.
   */
  readonly fields: readonly string[];
}

/** Personal-data specs by event type. */
export type PersonalDataRegistry = Readonly<Record<string, PersonalDataSpec>>;

/**
 * How an event type is classified for retention:
 * - `personal`: holds personal data (encrypted with the subject's key, unreadable once they are forgotten);
 * - `person-reference`: names a person by id only (an experiment's lead); shown as "a forgotten person" then;
 * - `operational`: no personal data (organisations, experiments, collaborations… and the forgetting itself).
 */
export type DataClassification = 'personal' | 'person-reference' | 'operational';

/** The data subject of an event's personal data: `person-<id>` or `user-<id>` (the subject's stream name). */
export function dataSubjectName(kind: DataSubjectKind, id: string): string {
  return `${kind}-${id}`;
}

/** The value at a dotted path of event data, undefined when absent. */
export function valueAtPath(data: unknown, path: string): unknown {
  let value = data;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * A copy of `data` with the value at a dotted path replaced (the path's parent objects are copied, the rest is
 * shared). Returns `data` itself when the path does not exist.
 */
export function withValueAtPath<T>(data: T, path: string, value: unknown): T {
  const [key, ...rest] = path.split('.');
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !Object.hasOwn(data, key)) return data;
  const record = data as Record<string, unknown>;
  const next = rest.length === 0 ? value : withValueAtPath(record[key], rest.join('.'), value);
  return { ...record, [key]: next } as T;
}
