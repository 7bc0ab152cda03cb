import type { ActorRole, RecordedEvent } from '#event-store';
import { projectionTable, type Projection } from '../projection.js';
import type { ReadModelDb } from '../read-model-db.js';
import { RETRACTION_TARGETS, renderSummary, type EventParams, type Lang } from '../rendering/event-summaries.js';

/** The entity whose timeline an event appears on: `{kind: 'experiment', id}`. */
export interface TimelineEntity {
  kind: string;
  id: string;
}

/** Options for {@link timelineProjection}. */
export interface TimelineProjectionOptions {
  name: string;
  version: number;
  handles: readonly string[];
  /** The timelines a handled event belongs on; an empty list skips it. */
  entitiesOf: (event: RecordedEvent) => readonly TimelineEntity[];
}

/** A projection that stores timeline entries (event type + parameters, never sentences) in `table`. */
export interface TimelineProjection extends Projection {
  readonly table: string;
}

/** How to read a timeline. */
export interface TimelineQuery {
  lang: Lang;
  /** ISO 8601 instant: only events that occurred (business time) at or before it. */
  asOf?: string;
  /** Only events recorded by then: an ISO 8601 instant (recordedAt ≤) or a global position (position ≤). */
  knownAt?: string | number;
}

/** A timeline entry as the API returns it. */
export interface TimelineEntry {
  occurredAt: string;
  recordedAt: string;
  type: string;
  /** One sentence in the requested language, rendered at query time. */
  summary: string;
  actor: { id: string; role: ActorRole };
  stream: string;
  eventId: string;
  position: number;
}

interface EntryRow {
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

/** Normalises an ISO 8601 instant to `YYYY-MM-DDTHH:mm:ss.sssZ`, which sorts as text. */
function isoInstant(value: string, what: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${what} is not a valid ISO 8601 instant: "${value}"`);
  return new Date(ms).toISOString();
}

/**
 * A timeline projection over one table `(entity_kind, entity_id, position)`; collaboration, network and
 * person timelines are further instances with their own `entitiesOf`.
 */
export function timelineProjection(options: TimelineProjectionOptions): TimelineProjection {
  const table = projectionTable(options, 'entries');
  const inserts = new WeakMap<ReadModelDb, ReturnType<ReadModelDb['prepare']>>();
  return {
    name: options.name,
    version: options.version,
    handles: [...options.handles],
    table,
    setup(db) {
      db.exec(`CREATE TABLE IF NOT EXISTS "${table}" (
        entity_kind TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        event_id TEXT NOT NULL,
        stream TEXT NOT NULL,
        type TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        actor_role TEXT NOT NULL,
        params TEXT NOT NULL,
        PRIMARY KEY (entity_kind, entity_id, position)
      )`);
    },
    apply(db, event) {
      const entities = options.entitiesOf(event);
      if (entities.length === 0) return;
      let insert = inserts.get(db);
      if (!insert) {
        insert = db.prepare(
          `INSERT INTO "${table}" (entity_kind, entity_id, position, event_id, stream, type, occurred_at, recorded_at,
             actor_id, actor_role, params)
           VALUES (@kind, @id, @position, @eventId, @stream, @type, @occurredAt, @recordedAt, @actorId, @actorRole, @params)`,
        );
        inserts.set(db, insert);
      }
      const row = {
        position: event.position,
        eventId: event.eventId,
        stream: event.streamId,
        type: event.type,
        occurredAt: isoInstant(event.metadata.occurredAt, `Event ${event.eventId}: occurredAt`),
        recordedAt: isoInstant(event.recordedAt, `Event ${event.eventId}: recordedAt`),
        actorId: event.metadata.actor.id,
        actorRole: event.metadata.actor.role,
        params: JSON.stringify(event.data ?? null),
      };
      for (const entity of entities) insert.run({ ...row, kind: entity.kind, id: entity.id });
    },
  };
}

/**
 * Reads one entity's timeline, ordered by occurredAt then position, with summaries rendered in `query.lang`.
 * A retraction's summary names what it retracts (looked up in the same timeline).
 */
export function queryTimeline(
  db: ReadModelDb,
  table: string,
  entity: TimelineEntity,
  query: TimelineQuery,
): TimelineEntry[] {
  const where = ['entity_kind = @kind', 'entity_id = @id'];
  const params: Record<string, string | number> = { kind: entity.kind, id: entity.id };
  if (query.asOf !== undefined) {
    where.push('occurred_at <= @asOf');
    params.asOf = isoInstant(query.asOf, 'asOf');
  }
  if (typeof query.knownAt === 'number') {
    if (!Number.isSafeInteger(query.knownAt) || query.knownAt < 0) {
      throw new RangeError(`knownAt must be a non-negative integer position: ${query.knownAt}`);
    }
    where.push('position <= @knownAt');
    params.knownAt = query.knownAt;
  } else if (query.knownAt !== undefined) {
    where.push('recorded_at <= @knownAt');
    params.knownAt = isoInstant(query.knownAt, 'knownAt');
  }
  const rows = db
    .prepare<[Record<string, string | number>], EntryRow>(
      `SELECT * FROM "${table}" WHERE ${where.join(' AND ')} ORDER BY occurred_at, position`,
    )
    .all(params);
  const findRetracted = db.prepare<[string, string, string, string, string, number], { params: string }>(
    `SELECT params FROM "${table}" WHERE entity_kind = ? AND entity_id = ? AND type = ?
       AND json_extract(params, ?) = ? AND position < ? ORDER BY position DESC LIMIT 1`,
  );
  return rows.map((row) => {
    const eventParams = parseParams(row.params);
    const target = Object.hasOwn(RETRACTION_TARGETS, row.type) ? RETRACTION_TARGETS[row.type] : undefined;
    const targetId = target ? eventParams[target.key] : undefined;
    const original =
      target && typeof targetId === 'string'
        ? findRetracted.get(entity.kind, entity.id, target.type, `$.${target.key}`, targetId, row.position)
        : undefined;
    return {
      occurredAt: row.occurred_at,
      recordedAt: row.recorded_at,
      type: row.type,
      summary: renderSummary(
        row.type,
        eventParams,
        query.lang,
        original ? { retracted: parseParams(original.params) } : {},
      ),
      actor: { id: row.actor_id, role: row.actor_role as ActorRole },
      stream: row.stream,
      eventId: row.event_id,
      position: row.position,
    };
  });
}

function parseParams(json: string): EventParams {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as EventParams) : {};
  } catch {
    return {};
  }
}
