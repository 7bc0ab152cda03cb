import { InvalidCursor } from '../catalogue/cursor.js';

/** Sort key of the last item of a learnings page: business time, then global position. */
export interface LearningCursorKey {
  /** `occurred_at`, `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  occurredAt: string;
  position: number;
}

const LIST = 'learnings';
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const TOKEN = /^[A-Za-z0-9_-]{1,512}$/;

/** Encodes a page's last sort key as an opaque base64url token of `{"v":1,"l":"learnings","o":…,"p":…}`. */
export function encodeLearningCursor(key: LearningCursorKey): string {
  return Buffer.from(JSON.stringify({ v: 1, l: LIST, o: key.occurredAt, p: key.position }), 'utf8').toString('base64url');
}

/** Decodes a token from {@link encodeLearningCursor}; throws {@link InvalidCursor} for anything else. */
export function decodeLearningCursor(token: string): LearningCursorKey {
  const bytes = TOKEN.test(token) ? Buffer.from(token, 'base64url') : null;
  if (!bytes || bytes.toString('base64url') !== token) throw new InvalidCursor('the cursor is not a token from a previous page');
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new InvalidCursor('the cursor is not a token from a previous page');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidCursor();
  const { v, l, o, p } = value as Record<string, unknown>;
  if (v !== 1 || typeof o !== 'string' || !INSTANT.test(o) || typeof p !== 'number' || !Number.isSafeInteger(p) || p < 1) {
    throw new InvalidCursor();
  }
  if (l !== LIST) throw new InvalidCursor('the cursor belongs to another list');
  return { occurredAt: o, position: p };
}
