import { cursorCodec, OCCURRENCE_FIELDS, type OccurrenceKey } from '../paging/cursor.js';

/** Sort key of the last item of a learnings page: business time (`occurred_at`), then global position. */
export type LearningCursorKey = OccurrenceKey;

/** Cursors of `{"v":1,"l":"learnings","o":…,"p":…}`. */
const LEARNING_CURSOR = cursorCodec<LearningCursorKey>({ list: ['l', 'learnings'], ...OCCURRENCE_FIELDS });

/** Encodes a page's last sort key as an opaque base64url token. */
export function encodeLearningCursor(key: LearningCursorKey): string {
  return LEARNING_CURSOR.encode(key);
}

/** Decodes a token from {@link encodeLearningCursor}; throws InvalidCursor for anything else. */
export function decodeLearningCursor(token: string): LearningCursorKey {
  return LEARNING_CURSOR.decode(token);
}
