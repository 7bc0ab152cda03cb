import { DomainError } from './domain-error.js';

/**
 * Required human text: trimmed, and refused when blank with rule `<prefix>.<field>-required`
 * (e.g. `experiment.title-required`). The HTTP edge validates too; the decider still guards the invariant.
 */
export function requireText(prefix: string, field: string, value: string | null | undefined): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') throw new DomainError(`${prefix}.${field}-required`, `${field} must not be empty`);
  return text;
}

/** Optional text: trimmed; absent or blank becomes `null`, so stored JSON is explicit. */
export function optionalText(value: string | null | undefined): string | null {
  const text = typeof value === 'string' ? value.trim() : '';
  return text === '' ? null : text;
}

/** Theme labels: trimmed, blanks dropped, duplicates (ignoring case) removed, first spelling kept. */
export function normaliseThemes(themes: readonly string[] | null | undefined): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const raw of themes ?? []) {
    const theme = typeof raw === 'string' ? raw.trim() : '';
    const key = theme.toLowerCase();
    if (theme === '' || seen.has(key)) continue;
    seen.add(key);
    result.push(theme);
  }
  return result;
}

/** True when both lists hold the same strings in the same order. */
export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** A count: a non-negative whole number, else `<prefix>.<field>-invalid`. */
export function requireCount(prefix: string, field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new DomainError(`${prefix}.${field}-invalid`, `${field} must be a whole number of at least 0`);
  }
  return value;
}

const ISO = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?Z)?$/;

/**
 * A sortable key for a calendar date (`2019-01-01`) or a UTC date-time (`2019-01-01T10:00:00.000Z`),
 * by string logic only (the domain has no clock). A bare date counts as the start of that day.
 * Anything else (e.g. an offset other than Z) is returned as is.
 */
function timeKey(value: string): string {
  const match = ISO.exec(value);
  if (!match) return value;
  const [, date, hours = '00', minutes = '00', seconds = '00', fraction = ''] = match;
  return `${date}T${hours}:${minutes}:${seconds}.${fraction.padEnd(9, '0')}`;
}

/** True when business time `a` lies strictly before `b` (both ISO 8601 dates or UTC date-times). */
export function isBefore(a: string, b: string): boolean {
  return timeKey(a) < timeKey(b);
}
