import type Database from 'better-sqlite3';
import type { ActorRole, RecordedEvent } from '#event-store';
import { projectionTable, type Projection } from '../projection.js';
import type { ReadModelDb } from '../read-model-db.js';
import type { Lang } from '../rendering/event-summaries.js';
import {
  addTimeCut,
  ENTRY_COLUMNS,
  ENTRY_COLUMNS_SQL,
  ENTRY_PLACEHOLDERS,
  entryArgs,
  renderEntries,
  type Conditions,
  type EntryRow,
} from './timeline-sql.js';

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

/**
 * A timeline projection over one table `(entity_kind, entity_id, position)`, as the experiment timeline uses.
 * The general `timelines` projection (timelines.ts) serves every other entity and the global timeline.
 */
export function timelineProjection(options: TimelineProjectionOptions): TimelineProjection {
  const table = projectionTable(options, 'entries');
  const inserts = new WeakMap<ReadModelDb, Database.Statement<unknown[]>>();
  const insertSql = `INSERT INTO "${table}" (entity_kind, entity_id, ${ENTRY_COLUMNS}) VALUES (?, ?, ${ENTRY_PLACEHOLDERS})`;
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
        ${ENTRY_COLUMNS_SQL},
        PRIMARY KEY (entity_kind, entity_id, position)
      )`);
    },
    apply(db, event) {
      const entities = options.entitiesOf(event);
      if (entities.length === 0) return;
      let insert = inserts.get(db);
      if (!insert) {
        insert = db.prepare<unknown[]>(insertSql);
        inserts.set(db, insert);
      }
      const args = entryArgs(event);
      for (const entity of entities) insert.run(entity.kind, entity.id, ...args);
    },
  };
}

/**
 * Reads one entity's timeline, ordered by occurredAt then position, with summaries rendered in `query.lang`.
 * An event about an earlier entry (a retraction…) is rendered with that entry, looked up in the same timeline.
 */
export function queryTimeline(
  db: ReadModelDb,
  table: string,
  entity: TimelineEntity,
  query: TimelineQuery,
): TimelineEntry[] {
  const conditions: Conditions = { where: ['entity_kind = @kind', 'entity_id = @id'], params: { kind: entity.kind, id: entity.id } };
  addTimeCut(conditions, query);
  const rows = db
    .prepare<[Record<string, string | number>], EntryRow>(
      `SELECT * FROM "${table}" WHERE ${conditions.where.join(' AND ')} ORDER BY occurred_at, position`,
    )
    .all(conditions.params);
  const findOriginal = db.prepare<[string, string, string, string, string, number], { params: string }>(
    `SELECT params FROM "${table}" WHERE entity_kind = ? AND entity_id = ? AND type = ?
       AND json_extract(params, ?) = ? AND position < ? ORDER BY position DESC LIMIT 1`,
  );
  return renderEntries(rows, query.lang, (row, type, key, id) =>
    findOriginal.get(entity.kind, entity.id, type, `$.${key}`, id, row.position)?.params,
  );
}
