import type { Lang } from '../rendering/event-summaries.js';

// Deterministic formatting for reports: no Intl/ICU, no host time zone, so the same events give the same bytes
// on every machine.

const HOUR_MS = 3_600_000;

/** 01:00 UTC on the last Sunday of the month (`month` 0-based): when EU summer time starts or ends. */
function lastSundayAt0100Utc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

/**
 * Offset of Europe/Oslo from UTC in hours at an instant: +2 in summer time (EU rule, last Sunday of March to
 * last Sunday of October, 01:00 UTC), else +1. Exact from 1996, when Norway's rules became the EU's.
 */
export function osloOffsetHours(instantMs: number): 1 | 2 {
  const year = new Date(instantMs).getUTCFullYear();
  return instantMs >= lastSundayAt0100Utc(year, 2) && instantMs < lastSundayAt0100Utc(year, 9) ? 2 : 1;
}

/** The Oslo calendar date (`YYYY-MM-DD`) of an ISO 8601 date-time; anything else (a date, `2019-Q3`) as it is. */
export function osloDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return value;
  return new Date(ms + osloOffsetHours(ms) * HOUR_MS).toISOString().slice(0, 10);
}

const MONTHS: Record<Lang, readonly string[]> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  nb: ['januar', 'februar', 'mars', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'desember'],
};

/** `1 January 2019` / `1. januar 2019` for a calendar date or an instant (its Oslo date); other text as it is. */
export function longDate(value: string, lang: Lang): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(osloDate(value));
  if (!match) return value;
  const [year, month, day] = [match[1], Number(match[2]), Number(match[3])];
  const name = MONTHS[lang][month - 1];
  if (name === undefined) return value;
  return lang === 'nb' ? `${day}. ${name} ${year}` : `${day} ${name} ${year}`;
}

/** A whole number with thousands grouped: `12,345` (en) or `12 345` with a no-break space (nb). */
export function formatCount(value: number, lang: Lang): string {
  if (!Number.isSafeInteger(value)) return String(value);
  const digits = String(Math.abs(value));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'nb' ? '\u00a0' : ',');
  return value < 0 ? `-${grouped}` : grouped;
}

/** Text in the language's quotation marks: «…» (nb) or “…” (en). */
export function quoted(text: string, lang: Lang): string {
  return lang === 'nb' ? `«${text}»` : `“${text}”`;
}

/** Whitespace collapsed to single spaces and trimmed, so user text stays on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Orders text by Unicode code points after folding case: the same everywhere (unlike `localeCompare`). */
export function compareText(a: string, b: string): number {
  const [x, y] = [a.normalize('NFC').toLowerCase(), b.normalize('NFC').toLowerCase()];
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
