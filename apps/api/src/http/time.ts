/** Business-time parsing per the API contract: bare dates are Europe/Oslo calendar days. */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const OSLO = 'Europe/Oslo';

const OSLO_WALL_CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: OSLO,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Offset of Europe/Oslo from UTC, in minutes, at the given instant. */
function osloOffsetMinutes(instant: number): number {
  const parts = OSLO_WALL_CLOCK.formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((local - Math.floor(instant / 1000) * 1000) / 60000);
}

/** UTC instant of local wall-clock time in Oslo on the given calendar day. */
function osloInstant(year: number, month: number, day: number, millisOfDay: number): number {
  const naive = Date.UTC(year, month - 1, day) + millisOfDay;
  const first = naive - osloOffsetMinutes(naive) * 60000;
  return naive - osloOffsetMinutes(first) * 60000;
}

function calendarDate(value: string): [number, number, number] | null {
  const match = DATE.exec(value);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(y, m - 1, d));
  return check.getUTCFullYear() === y && check.getUTCMonth() === m - 1 && check.getUTCDate() === d ? [y, m, d] : null;
}

/** True for `YYYY-MM-DD` naming a real calendar day. */
export function isCalendarDate(value: string): boolean {
  return calendarDate(value) !== null;
}

/** True for a date or an ISO 8601 date-time with an offset. */
export function isBusinessTime(value: string): boolean {
  return parseInstant(value, 'start') !== null;
}

/**
 * Parses a date (`2019-01-01`: 00:00 Oslo time, or the end of that day with `end`) or a date-time with an
 * explicit offset. Returns epoch milliseconds, or null when invalid.
 */
export function parseInstant(value: string, bareDateMeans: 'start' | 'end'): number | null {
  const date = calendarDate(value);
  if (date) {
    return bareDateMeans === 'start'
      ? osloInstant(date[0], date[1], date[2], 0)
      : osloInstant(date[0], date[1], date[2] + 1, 0) - 1;
  }
  if (!DATE_TIME.test(value)) return null;
  const instant = Date.parse(value);
  return Number.isNaN(instant) || !calendarDate(value.slice(0, 10)) ? null : instant;
}

export function toIso(instant: number): string {
  return new Date(instant).toISOString();
}

/** Business time may lie in the past, but at most this far in the future (clock skew). */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
