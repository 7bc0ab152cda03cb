/** A list cursor that is not one this service issued for that list (malformed, tampered, or from another list). */
export class InvalidCursor extends Error {
  constructor(detail = 'the cursor is not valid for this list') {
    super(detail);
    this.name = 'InvalidCursor';
  }
}

/** Turns one list's page keys into opaque tokens and back. */
export interface CursorCodec<Key> {
  /** The token of `key`: base64url of `{"v":1,<list field>:<list>,...fields}`. */
  encode(key: Key): string;
  /** The key of a token from {@link CursorCodec.encode}; throws {@link InvalidCursor} for anything else. */
  decode(token: string): Key;
}

/** How one list's cursors carry its sort key. */
export interface CursorFormat<Key> {
  /** The payload field naming the list, and the list's name: no other list takes the cursor. */
  list: readonly [field: string, name: string];
  /** The payload fields of `key` (short names, in token order). */
  write(key: Key): Readonly<Record<string, string | number>>;
  /** The key in a payload's fields, or null when they do not make one. */
  read(fields: Readonly<Record<string, unknown>>): Key | null;
  /** Where a token comes from, for the message refusing a malformed one; `a previous page` by default. */
  from?: string;
}

const VERSION = 1;
const TOKEN = /^[A-Za-z0-9_-]{1,512}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** True for an instant as the read models store it, `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export const isInstant = (value: unknown): value is string => typeof value === 'string' && INSTANT.test(value);

/** True for a global position (a positive safe integer). */
export const isPosition = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;

/** Business time, then global position: the sort key of learnings and timelines. */
export interface OccurrenceKey {
  /** `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  occurredAt: string;
  position: number;
}

/** The payload fields `o` (occurredAt) and `p` (position) of an {@link OccurrenceKey}. */
export const OCCURRENCE_FIELDS: Pick<CursorFormat<OccurrenceKey>, 'write' | 'read'> = {
  write: (key) => ({ o: key.occurredAt, p: key.position }),
  read: ({ o, p }) => (isInstant(o) && isPosition(p) ? { occurredAt: o, position: p } : null),
};

/**
 * The cursor codec of one list. Decoding is strict: the token must be the exact encoding of a current-version
 * payload of this list with valid fields, so a malformed, tampered, outdated or foreign token is an {@link InvalidCursor}.
 */
export function cursorCodec<Key>(format: CursorFormat<Key>): CursorCodec<Key> {
  const [listField, list] = format.list;
  const malformed = () => new InvalidCursor(`the cursor is not a token from ${format.from ?? 'a previous page'}`);
  const encode = (key: Key): string =>
    Buffer.from(JSON.stringify({ v: VERSION, [listField]: list, ...format.write(key) }), 'utf8').toString('base64url');
  const decode = (token: string): Key => {
    const bytes = TOKEN.test(token) ? Buffer.from(token, 'base64url') : null;
    if (!bytes || bytes.toString('base64url') !== token) throw malformed();
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw malformed();
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidCursor();
    const fields = value as Record<string, unknown>;
    const key = fields.v === VERSION ? format.read(fields) : null;
    if (key === null) throw new InvalidCursor();
    if (fields[listField] !== list) throw new InvalidCursor('the cursor belongs to another list');
    if (encode(key) !== token) throw new InvalidCursor();
    return key;
  };
  return { encode, decode };
}
