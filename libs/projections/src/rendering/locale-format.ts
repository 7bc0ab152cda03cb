/**
 * Number, date and text formatting for rendered sentences, written out by hand instead of `Intl`: ICU data
 * differs between Node builds (e.g. the Norwegian group separator), and summaries must be byte-stable.
 */

/** Languages timelines and reports are rendered in. */
export const LANGS = ['nb', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

const NUMBER_SYMBOLS: Readonly<Record<Lang, { group: string; decimal: string; minus: string }>> = {
  en: { group: ',', decimal: '.', minus: '-' },
  nb: { group: '\u00a0', decimal: ',', minus: '\u2212' },
};

/** At most this many fraction digits, rounded; trailing zeros dropped. */
const MAX_FRACTION_DIGITS = 6;

/**
 * `1234.5` → en `1,234.5`, nb `1 234,5` (no-break space; U+2212 minus in nb). Non-finite numbers give `?`;
 * magnitudes beyond 1e21 fall back to JavaScript's exponent notation.
 */
export function formatNumber(lang: Lang, value: number): string {
  if (!Number.isFinite(value)) return '?';
  const symbols = NUMBER_SYMBOLS[lang];
  const magnitude = Math.abs(value);
  if (magnitude >= 1e21) return value < 0 ? symbols.minus + String(magnitude) : String(magnitude);
  const [whole, fraction = ''] = magnitude.toFixed(MAX_FRACTION_DIGITS).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, symbols.group);
  const digits = fraction.replace(/0+$/, '');
  const formatted = digits ? `${grouped}${symbols.decimal}${digits}` : grouped;
  return value < 0 && /[1-9]/.test(formatted) ? symbols.minus + formatted : formatted;
}

const MONTHS: Readonly<Record<Lang, readonly string[]>> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  nb: ['januar', 'februar', 'mars', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'desember'],
};

/** A calendar date `2019-01-01` → en `1 January 2019`, nb `1. januar 2019`; anything else is returned as is. */
export function formatDate(lang: Lang, value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const month = match ? MONTHS[lang][Number(match[2]) - 1] : undefined;
  if (!match || month === undefined) return value;
  const day = Number(match[3]);
  return lang === 'nb' ? `${day}. ${month} ${match[1]}` : `${day} ${month} ${match[1]}`;
}

const MAX_TEXT = 200;

/** A parameter as display text: whitespace collapsed, long text cut with an ellipsis, '' when absent. */
export function displayText(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return '';
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 1).trimEnd()}…` : flat;
}

/** Quoted display text: en `"…"`, nb `«…»`. */
export function quoted(lang: Lang, value: unknown): string {
  const text = displayText(value);
  return lang === 'nb' ? `«${text}»` : `"${text}"`;
}
