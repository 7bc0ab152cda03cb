/** Most terms a search may have; further words are ignored. */
export const MAX_SEARCH_TERMS = 12;

const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/**
 * Turns free text into an FTS5 query: every word (letters, marks, digits) becomes a quoted prefix term, all
 * of which must match (`"bolig"* "oslo"*`). Operators, quotes, column filters and `NEAR(` in the input are
 * never passed through: they are not words. Returns null when the text holds no word.
 */
export function toFtsQuery(text: string): string | null {
  const words = [...new Set((text.normalize('NFC').match(WORD) ?? []).map((word) => word.toLowerCase()))];
  if (words.length === 0) return null;
  return words
    .slice(0, MAX_SEARCH_TERMS)
    .map((word) => `"${word}"*`)
    .join(' ');
}
