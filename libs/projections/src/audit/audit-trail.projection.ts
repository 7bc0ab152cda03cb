import type Database from 'better-sqlite3';
import { ALL_EVENT_TYPES, parseStreamName } from '#domain';
import { storedSchemaVersion, type RecordedEvent } from '#event-store';
import { projectionTable, type Projection } from '../projection.js';
import type { ReadModelDb } from '../read-model-db.js';

/** The audit trail's projection identity: its table is `audit_trail__v2__events` (v2 added user accounts). */
export const AUDIT_TRAIL = { name: 'audit-trail', version: 2 } as const;

/** One row per event, keyed by global position. */
export const AUDIT_TRAIL_TABLE = projectionTable(AUDIT_TRAIL, 'events');

/**
 * The audited event types: every type of every aggregate, user accounts included (who granted what to whom);
 * the runner hands a projection only the types it lists, so a type outside the domain's lists is not audited.
 */
export const AUDITED_EVENT_TYPES: readonly string[] = ALL_EVENT_TYPES;

/** An audit row as stored: the envelope of one event, without its data. */
export interface AuditTrailRow {
  position: number;
  event_id: string;
  stream: string;
  /** The stream's category (`experiment` of `experiment-<id>`); the whole name when it has no dash. */
  category: string;
  /** The event's version within its stream. */
  stream_version: number;
  type: string;
  /** The schema version the event was stored with (before any upcasting on read). */
  schema_version: number;
  /** Store time, `YYYY-MM-DDTHH:mm:ss.sssZ` (sorts as text). */
  recorded_at: string;
  /**
   * The latest `recorded_at` up to this position: never decreases along the log (even if the store's clock
   * stepped back), so the first position recorded at or after an instant is one index seek away.
   */
  recorded_max: string;
  /** Business time, normalised like `recorded_at` (as stored when it is not an instant). */
  occurred_at: string;
  actor_id: string;
  actor_role: string;
  correlation_id: string;
  causation_id: string | null;
  source: string;
}

const INSERT = `INSERT INTO "${AUDIT_TRAIL_TABLE}" (position, event_id, stream, category, stream_version, type, schema_version,
    recorded_at, recorded_max, occurred_at, actor_id, actor_role, correlation_id, causation_id, source)
  VALUES (@position, @event_id, @stream, @category, @stream_version, @type, @schema_version,
    @recorded_at, max(@recorded_at, coalesce((SELECT recorded_max FROM "${AUDIT_TRAIL_TABLE}" ORDER BY position DESC LIMIT 1), '')),
    @occurred_at, @actor_id, @actor_role, @correlation_id, @causation_id, @source)`;

type NewRow = Omit<AuditTrailRow, 'recorded_max'>;

const inserts = new WeakMap<ReadModelDb, Database.Statement<[NewRow]>>();

/** `YYYY-MM-DDTHH:mm:ss.sssZ`, or null when `value` is not an ISO 8601 instant. */
export function normaliseInstant(value: string): string | null {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The audit row of an event (but `recorded_max`). Throws when the store's own recordedAt is not an instant. */
function auditTrailRow(event: RecordedEvent): NewRow {
  const recordedAt = normaliseInstant(event.recordedAt);
  if (recordedAt === null) throw new RangeError(`Event ${event.eventId}: recordedAt is not an instant: "${event.recordedAt}"`);
  const { metadata } = event;
  return {
    position: event.position,
    event_id: event.eventId,
    stream: event.streamId,
    category: parseStreamName(event.streamId).category,
    stream_version: event.version,
    type: event.type,
    schema_version: storedSchemaVersion(event),
    recorded_at: recordedAt,
    occurred_at: normaliseInstant(metadata.occurredAt) ?? String(metadata.occurredAt),
    actor_id: metadata.actor.id,
    actor_role: metadata.actor.role,
    correlation_id: metadata.correlationId,
    causation_id: metadata.causationId ?? null,
    source: metadata.source,
  };
}

/**
 * The audit trail: the envelope of every event (who, when recorded, when it happened, what type and schema,
 * which stream, correlation and causation), no data. Indexed for the filters by stream, category, actor and
 * type, each in position order for keyset paging.
 */
export const auditTrailProjection: Projection = {
  name: AUDIT_TRAIL.name,
  version: AUDIT_TRAIL.version,
  handles: AUDITED_EVENT_TYPES,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS "${AUDIT_TRAIL_TABLE}" (
        position INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL,
        stream TEXT NOT NULL,
        category TEXT NOT NULL,
        stream_version INTEGER NOT NULL,
        type TEXT NOT NULL,
        schema_version INTEGER NOT NULL,
        recorded_at TEXT NOT NULL,
        recorded_max TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        actor_role TEXT NOT NULL,
        correlation_id TEXT NOT NULL,
        causation_id TEXT,
        source TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS "${AUDIT_TRAIL_TABLE}_by_stream" ON "${AUDIT_TRAIL_TABLE}" (stream, position);
      CREATE INDEX IF NOT EXISTS "${AUDIT_TRAIL_TABLE}_by_category" ON "${AUDIT_TRAIL_TABLE}" (category, position);
      CREATE INDEX IF NOT EXISTS "${AUDIT_TRAIL_TABLE}_by_actor" ON "${AUDIT_TRAIL_TABLE}" (actor_id, position);
      CREATE INDEX IF NOT EXISTS "${AUDIT_TRAIL_TABLE}_by_type" ON "${AUDIT_TRAIL_TABLE}" (type, position);
      CREATE INDEX IF NOT EXISTS "${AUDIT_TRAIL_TABLE}_by_recorded_max" ON "${AUDIT_TRAIL_TABLE}" (recorded_max);
    `);
  },
  apply(db, event) {
    let insert = inserts.get(db);
    if (!insert) inserts.set(db, (insert = db.prepare<[NewRow]>(INSERT)));
    insert.run(auditTrailRow(event));
  },
};
