import { LIST_LIMIT, type ListPage } from '../catalogue/catalogue.queries.js';
import { cursorCodec, isPosition } from '../paging/cursor.js';
import type { ReadModelDb } from '../read-model-db.js';
import { AUDIT_TRAIL_TABLE, normaliseInstant, type AuditTrailRow } from './audit-trail.projection.js';

/** Filters of the audit trail, combined with AND. */
export interface AuditTrailFilter {
  /** A stream name (`experiment-<id>`, exact), or a category without a dash (`experiment`: all its streams). */
  stream?: string;
  /** Actor id, exact. */
  actor?: string;
  /** Event type, exact. */
  type?: string;
  /** Recorded at or after this ISO 8601 instant. */
  from?: string;
  /** Recorded at or before this ISO 8601 instant. */
  to?: string;
  /** Only events of these streams (an access scope); an empty list matches nothing. */
  streams?: readonly string[];
}

/** One page of the audit trail, oldest first (by global position); `cursor` is a previous page's `nextCursor`. */
export interface AuditTrailQuery extends AuditTrailFilter {
  /** 1..200, default 50. */
  limit?: number;
  cursor?: string | null;
}

/** One event of the audit trail. */
export interface AuditEntry {
  position: number;
  eventId: string;
  stream: string;
  /** The event's version within its stream. */
  streamVersion: number;
  type: string;
  /** As stored (reads upcast older versions to the current one). */
  schemaVersion: number;
  recordedAt: string;
  occurredAt: string;
  actor: { id: string; role: string };
  correlationId: string;
  causationId: string | null;
  source: string;
}

/** Reads the rows matching a filter after a position, up to another, in position order. */
export type AuditTrailSelect = (after: number, upTo: number, limit: number) => AuditTrailRow[];

/** Cursors of `{"v":1,"l":"audit","p":<position>}`. */
const AUDIT_CURSOR = cursorCodec<number>({
  list: ['l', 'audit'],
  write: (position) => ({ p: position }),
  read: ({ p }) => (isPosition(p) ? p : null),
  from: 'a previous page of the audit trail',
});

/** An opaque cursor continuing the audit trail after `position`. */
export function encodeAuditCursor(position: number): string {
  return AUDIT_CURSOR.encode(position);
}

/** The position a cursor from {@link encodeAuditCursor} continues after; throws InvalidCursor otherwise. */
export function decodeAuditCursor(token: string): number {
  return AUDIT_CURSOR.decode(token);
}

function instantBound(field: 'from' | 'to', value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const instant = normaliseInstant(value);
  if (instant === null) throw new RangeError(`${field} must be an ISO 8601 instant`);
  return instant;
}

/**
 * The SQL of a filter, validated, with its bound parameters (`@after`, `@upTo` and `@limit` still to bind).
 * Only the first equality may use its index (the others are written `+column`, which SQLite cannot look up):
 * stream before actor before type, so SQLite never walks a less selective index. Time bounds are checked on
 * the rows, which are read in position order from the first one that can be recorded after `from`.
 */
export function auditTrailSql(filter: AuditTrailFilter): { sql: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const conditions: string[] = [];
  const equalities: Array<[string, string | undefined]> = [
    [filter.stream?.includes('-') ? 'stream' : 'category', filter.stream],
    ['actor_id', filter.actor],
    ['type', filter.type],
  ];
  for (const [column, value] of equalities) {
    if (value === undefined) continue;
    conditions.push(`${conditions.length === 0 ? '' : '+'}${column} = @${column}`);
    params[column] = value;
  }
  if (filter.streams !== undefined) {
    conditions.push(`${conditions.length === 0 ? '' : '+'}stream IN (SELECT value FROM json_each(@streams))`);
    params.streams = JSON.stringify(filter.streams);
  }
  for (const [field, operator] of [['from', '>='], ['to', '<=']] as const) {
    const bound = instantBound(field, filter[field]);
    if (bound === undefined) continue;
    conditions.push(`recorded_at ${operator} @${field}`);
    params[field] = bound;
  }
  if (params.from !== undefined) {
    // Nothing before the first position whose running maximum of recorded_at reaches `from` can match.
    conditions.push(
      `position >= (SELECT position FROM "${AUDIT_TRAIL_TABLE}" WHERE recorded_max >= @from ORDER BY recorded_max, position LIMIT 1)`,
    );
  }
  const where = [...conditions, 'position > @after', 'position <= @upTo'].join(' AND ');
  return { sql: `SELECT * FROM "${AUDIT_TRAIL_TABLE}" WHERE ${where} ORDER BY position LIMIT @limit`, params };
}

/** Prepares the query of a filter, validating the filter now. */
export function selectAuditTrail(db: ReadModelDb, filter: AuditTrailFilter): AuditTrailSelect {
  const { sql, params } = auditTrailSql(filter);
  const statement = db.prepare<[Record<string, string | number>], AuditTrailRow>(sql);
  return (after, upTo, limit) => statement.all({ ...params, after, upTo, limit });
}

/** Global position of the newest audited event, 0 when none. */
export function auditTrailHead(db: ReadModelDb): number {
  return db.prepare<[], number>(`SELECT COALESCE(MAX(position), 0) FROM "${AUDIT_TRAIL_TABLE}"`).pluck().get() ?? 0;
}

/** The API shape of an audit row. */
export function toAuditEntry(row: AuditTrailRow): AuditEntry {
  return {
    position: row.position,
    eventId: row.event_id,
    stream: row.stream,
    streamVersion: row.stream_version,
    type: row.type,
    schemaVersion: row.schema_version,
    recordedAt: row.recorded_at,
    occurredAt: row.occurred_at,
    actor: { id: row.actor_id, role: row.actor_role },
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    source: row.source,
  };
}

/**
 * One page of the audit trail, in position order (keyset paging: stable while events are appended). Throws
 * InvalidCursor for a bad cursor and RangeError for a bad limit or time bound.
 */
export function auditTrailPage(db: ReadModelDb, query: AuditTrailQuery = {}): ListPage<AuditEntry> {
  const limit = query.limit ?? LIST_LIMIT.default;
  if (!Number.isSafeInteger(limit) || limit < LIST_LIMIT.min || limit > LIST_LIMIT.max) {
    throw new RangeError(`limit must be an integer from ${LIST_LIMIT.min} to ${LIST_LIMIT.max}`);
  }
  const after = query.cursor === undefined || query.cursor === null ? 0 : decodeAuditCursor(query.cursor);
  const rows = selectAuditTrail(db, query)(after, Number.MAX_SAFE_INTEGER, limit + 1);
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return { items: shown.map(toAuditEntry), nextCursor: rows.length > limit && last ? encodeAuditCursor(last.position) : null };
}

/**
 * The rows of `select` after `after` up to `upTo`, `chunkSize` at a time. Every chunk is its own short query,
 * run when the consumer asks for it: no read transaction stays open between chunks.
 */
export function* auditTrailChunks(
  select: AuditTrailSelect,
  range: { after: number; upTo: number },
  chunkSize: number,
): Generator<AuditTrailRow[]> {
  let after = range.after;
  for (;;) {
    const rows = select(after, range.upTo, chunkSize);
    if (rows.length > 0) yield rows;
    if (rows.length < chunkSize) return;
    after = rows[rows.length - 1].position;
  }
}
