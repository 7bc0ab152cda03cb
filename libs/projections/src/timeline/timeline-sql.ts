import type { ActorRole, RecordedEvent } from '#event-store';
import { renderSummary, referencedEntry, type EventParams, type Lang, type NameLookup } from '../rendering/event-summaries.js';
import type { TimelineEntry, TimelineQuery } from './timeline.js';

/** A stored timeline entry: the event's envelope fields and its parameters as JSON. */
export interface EntryRow {
  position: number;
  event_id: string;
  stream: string;
  type: string;
  occurred_at: string;
  recorded_at: string;
  actor_id: string;
  actor_role: string;
  params: string;
}

/** The envelope and parameter columns every timeline table has, in order. */
export const ENTRY_COLUMNS = 'position, event_id, stream, type, occurred_at, recorded_at, actor_id, actor_role, params';
/** Named placeholders for {@link ENTRY_COLUMNS}, bound from {@link entryValues}. */
export const ENTRY_VALUES = '@position, @eventId, @stream, @type, @occurredAt, @recordedAt, @actorId, @actorRole, @params';
/** Column definitions for {@link ENTRY_COLUMNS} (without `position`, whose definition differs per table). */
export const ENTRY_COLUMNS_SQL = `event_id TEXT NOT NULL, stream TEXT NOT NULL, type TEXT NOT NULL,
  occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL, actor_id TEXT NOT NULL, actor_role TEXT NOT NULL, params TEXT NOT NULL`;

/** Positional placeholders for {@link ENTRY_COLUMNS}, bound from {@link entryArgs}. */
export const ENTRY_PLACEHOLDERS = '?, ?, ?, ?, ?, ?, ?, ?, ?';

/** {@link entryValues} as positional arguments in {@link ENTRY_COLUMNS} order (cheaper to bind). */
export function entryArgs(event: RecordedEvent, data: unknown = event.data): [number, string, string, string, string, string, string, string, string] {
  return [
    event.position,
    event.eventId,
    event.streamId,
    event.type,
    isoInstant(event.metadata.occurredAt, `Event ${event.eventId}: occurredAt`),
    isoInstant(event.recordedAt, `Event ${event.eventId}: recordedAt`),
    event.metadata.actor.id,
    event.metadata.actor.role,
    JSON.stringify(data ?? null),
  ];
}

/** Values for {@link ENTRY_VALUES}: the event's envelope and its data (or `data`) as JSON. */
export function entryValues(event: RecordedEvent, data: unknown = event.data) {
  return {
    position: event.position,
    eventId: event.eventId,
    stream: event.streamId,
    type: event.type,
    occurredAt: isoInstant(event.metadata.occurredAt, `Event ${event.eventId}: occurredAt`),
    recordedAt: isoInstant(event.recordedAt, `Event ${event.eventId}: recordedAt`),
    actorId: event.metadata.actor.id,
    actorRole: event.metadata.actor.role,
    params: JSON.stringify(data ?? null),
  };
}

/** SQL conditions and their bound values. */
export interface Conditions {
  where: string[];
  params: Record<string, string | number>;
}

/**
 * Already in normalised form and certainly a real instant (days up to 28, hours up to 23), so the round trip
 * through Date would return it unchanged: the stores write timestamps this way.
 */
const NORMALISED_INSTANT = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** Normalises an ISO 8601 instant to `YYYY-MM-DDTHH:mm:ss.sssZ`, which sorts as text. */
export function isoInstant(value: string, what: string): string {
  if (typeof value === 'string' && NORMALISED_INSTANT.test(value)) return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${what} is not a valid ISO 8601 instant: "${value}"`);
  return new Date(ms).toISOString();
}

/**
 * Adds the bitemporal cut of `query` to `conditions`, on the `occurred_at`, `recorded_at` and `position`
 * columns of `alias` (e.g. `e.`): asOf → occurred_at ≤, knownAt → recorded_at ≤ an instant or position ≤ n.
 */
export function addTimeCut(conditions: Conditions, query: Pick<TimelineQuery, 'asOf' | 'knownAt'>, alias = ''): void {
  const { where, params } = conditions;
  if (query.asOf !== undefined) {
    where.push(`${alias}occurred_at <= @asOf`);
    params.asOf = isoInstant(query.asOf, 'asOf');
  }
  if (typeof query.knownAt === 'number') {
    if (!Number.isSafeInteger(query.knownAt) || query.knownAt < 0) {
      throw new RangeError(`knownAt must be a non-negative integer position: ${query.knownAt}`);
    }
    where.push(`${alias}position <= @knownAt`);
    params.knownAt = query.knownAt;
  } else if (query.knownAt !== undefined) {
    where.push(`${alias}recorded_at <= @knownAt`);
    params.knownAt = isoInstant(query.knownAt, 'knownAt');
  }
}

/** Event parameters from stored JSON ({} when it is not an object). */
export function parseParams(json: string): EventParams {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as EventParams) : {};
  } catch {
    return {};
  }
}

/** Finds the stored parameters of the earlier entry (`type`, `key` = `id`) that `row` refers to. */
export type OriginalFinder = (row: EntryRow, type: string, key: string, id: string) => string | undefined;

/** Turns stored rows into API entries, rendering each summary in `lang`. */
export function renderEntries(rows: readonly EntryRow[], lang: Lang, findOriginal: OriginalFinder, names?: NameLookup): TimelineEntry[] {
  return rows.map((row) => {
    const params = parseParams(row.params);
    const ref = referencedEntry(row.type);
    const id = ref ? params[ref.key] : undefined;
    const original = ref && typeof id === 'string' ? findOriginal(row, ref.type, ref.key, id) : undefined;
    return {
      occurredAt: row.occurred_at,
      recordedAt: row.recorded_at,
      type: row.type,
      summary: renderSummary(row.type, params, lang, { names, ...(original === undefined ? {} : { original: parseParams(original) }) }),
      actor: { id: row.actor_id, role: row.actor_role as ActorRole },
      stream: row.stream,
      eventId: row.event_id,
      position: row.position,
    };
  });
}
