import type { LearningDecision, Reliability } from '#domain';
import { foldForSearch } from '../catalogue/catalogue.schema.js';
import { LIST_LIMIT, type ListPage, type ListPageRequest } from '../catalogue/catalogue.queries.js';
import type { ReadModelDb } from '../read-model-db.js';
import { toFtsQuery } from './fts-query.js';
import { decodeLearningCursor, encodeLearningCursor } from './learning-cursor.js';
import {
  LEARNING_ITEMS_TABLE,
  LEARNING_SEARCH_TABLE,
  LEARNING_SOURCES_TABLE,
  LEARNING_THEMES_TABLE,
  type LearningKind,
  type LearningRow,
  type LearningSourceKind,
} from './learning-library.schema.js';

/** A source of learnings: an experiment, collaboration, network or gathering. */
export interface LearningSourceRef {
  kind: LearningSourceKind;
  id: string;
}

/** A learning or insight as the library lists it. */
export interface LearningItem {
  /** The learningId or insightId. */
  id: string;
  kind: LearningKind;
  /** Where it was recorded, with the source's current title. */
  source: LearningSourceRef & { title: string };
  observation: string;
  /** Null for an insight recorded without one. */
  learning: string | null;
  /** Null for insights. */
  decision: LearningDecision | null;
  /** Null for insights. */
  reliability: Reliability | null;
  /** Its own themes, or its source's when it has none (`themesFromSource`). */
  themes: string[];
  themesFromSource: boolean;
  /** Recorded after its source ended. */
  retrospective: boolean;
  /** Business time of the recording event. */
  occurredAt: string;
  /** Store time of the recording event. */
  recordedAt: string;
  /** Global position of the recording event. */
  position: number;
  /** The events it is derived from. */
  eventIds: { recorded: string; retracted: string | null };
  retracted: boolean;
  retractionReason: string | null;
}

/** Filters over the library (all optional, combined with AND). */
export interface LearningFilter {
  /** Has this (effective) theme, ignoring case. */
  theme?: string;
  source?: LearningSourceKind;
  /** Only items of these sources (an empty list matches nothing). */
  sources?: readonly LearningSourceRef[];
  /** Learnings with this decision (insights have none). */
  decision?: LearningDecision;
  /** Business time at or after this ISO instant. */
  occurredFrom?: string;
  /** Business time at or before this ISO instant. */
  occurredTo?: string;
  /** Words that must all occur (as word prefixes) in observation, learning or source title. */
  q?: string;
  /** Retracted items are left out unless this is true. */
  includeRetracted?: boolean;
}

/** `GET /learnings`: filters and paging, newest first (business time, then position). */
export interface LearningListQuery extends LearningFilter, ListPageRequest {}

type Param = string | number;

interface Where {
  sql: string[];
  params: Record<string, Param>;
}

function conditions(filter: LearningFilter): Where | null {
  const where: Where = { sql: [], params: {} };
  const add = (sql: string, params: Record<string, Param> = {}) => {
    where.sql.push(sql);
    Object.assign(where.params, params);
  };
  if (filter.includeRetracted !== true) add('i.retracted = 0');
  if (filter.source !== undefined) add('i.source_kind = @source', { source: filter.source });
  if (filter.decision !== undefined) add('i.decision = @decision', { decision: filter.decision });
  if (filter.occurredFrom !== undefined) add('i.occurred_at >= @from', { from: new Date(filter.occurredFrom).toISOString() });
  if (filter.occurredTo !== undefined) add('i.occurred_at <= @to', { to: new Date(filter.occurredTo).toISOString() });
  const theme = filter.theme?.trim();
  if (theme) {
    add(`EXISTS (SELECT 1 FROM "${LEARNING_THEMES_TABLE}" t WHERE t.seq = i.seq AND t.theme_key = @theme)`, { theme: foldForSearch(theme) });
  }
  if (filter.sources !== undefined) {
    if (filter.sources.length === 0) return null;
    const each = filter.sources.map((source, n) => {
      where.params[`sk${n}`] = source.kind;
      where.params[`si${n}`] = source.id;
      return `(i.source_kind = @sk${n} AND i.source_id = @si${n})`;
    });
    add(`(${each.join(' OR ')})`);
  }
  if (filter.q !== undefined && filter.q.trim() !== '') {
    const match = toFtsQuery(filter.q);
    if (match === null) return null;
    add(`i.seq IN (SELECT rowid FROM "${LEARNING_SEARCH_TABLE}" WHERE "${LEARNING_SEARCH_TABLE}" MATCH @match)`, { match });
  }
  return where;
}

function select(db: ReadModelDb, where: Where, limit: number | null): Array<LearningRow & { source_title: string | null }> {
  const clauses = where.sql.length > 0 ? `WHERE ${where.sql.join(' AND ')}` : '';
  return db
    .prepare<[Record<string, Param>], LearningRow & { source_title: string | null }>(
      `SELECT i.*, s.title AS source_title FROM "${LEARNING_ITEMS_TABLE}" i
       LEFT JOIN "${LEARNING_SOURCES_TABLE}" s ON s.kind = i.source_kind AND s.id = i.source_id
       ${clauses}
       ORDER BY i.occurred_at DESC, i.position DESC
       ${limit === null ? '' : 'LIMIT @take'}`,
    )
    .all(limit === null ? where.params : { ...where.params, take: limit });
}

function list(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
}

function toItem(row: LearningRow & { source_title: string | null }): LearningItem {
  return {
    id: row.item_id,
    kind: row.kind,
    source: { kind: row.source_kind, id: row.source_id, title: row.source_title ?? '' },
    observation: row.observation,
    learning: row.learning,
    decision: row.decision,
    reliability: row.reliability,
    themes: list(row.themes),
    themesFromSource: row.own_themes === '[]' && row.themes !== '[]',
    retrospective: row.retrospective === 1,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    position: row.position,
    eventIds: { recorded: row.recorded_event_id, retracted: row.retracted_event_id },
    retracted: row.retracted === 1,
    retractionReason: row.retraction_reason,
  };
}

/**
 * One page of learnings and insights, newest first (business time, then global position). Throws InvalidCursor
 * for a cursor that is not from this list and RangeError for a limit outside 1..200. Needs the library's tables
 * (`runner.start()` or `learningLibraryProjection.setup(db)`).
 */
export function listLearnings(db: ReadModelDb, query: LearningListQuery = {}): ListPage<LearningItem> {
  const limit = query.limit ?? LIST_LIMIT.default;
  if (!Number.isSafeInteger(limit) || limit < LIST_LIMIT.min || limit > LIST_LIMIT.max) {
    throw new RangeError(`limit must be an integer from ${LIST_LIMIT.min} to ${LIST_LIMIT.max}`);
  }
  const after = query.cursor === undefined || query.cursor === null ? null : decodeLearningCursor(query.cursor);
  const where = conditions(query);
  if (where === null) return { items: [], nextCursor: null };
  if (after) {
    where.sql.push('(i.occurred_at < @afterAt OR (i.occurred_at = @afterAt AND i.position < @afterPosition))');
    Object.assign(where.params, { afterAt: after.occurredAt, afterPosition: after.position });
  }
  const rows = select(db, where, limit + 1);
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return {
    items: shown.map(toItem),
    nextCursor: rows.length > limit && last ? encodeLearningCursor({ occurredAt: last.occurred_at, position: last.position }) : null,
  };
}

/** Every learning and insight that matches, newest first (for reports). */
export function findLearnings(db: ReadModelDb, filter: LearningFilter = {}): LearningItem[] {
  const where = conditions(filter);
  return where === null ? [] : select(db, where, null).map(toItem);
}
