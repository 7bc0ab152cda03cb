import type { LearningDecision, Reliability } from '#domain';
import { projectionTable } from '../projection.js';

/** The learning library's projection identity. */
export const LEARNING_LIBRARY = { name: 'learning-library', version: 1 } as const;

/** One row per learning or insight; `seq` is also the rowid of its full-text row. */
export const LEARNING_ITEMS_TABLE = projectionTable(LEARNING_LIBRARY, 'items');
/** Title and own themes of every source (experiment, collaboration, network, gathering). */
export const LEARNING_SOURCES_TABLE = projectionTable(LEARNING_LIBRARY, 'sources');
/** Effective themes per item `(seq, theme_key)`, `theme_key` folded as in {@link foldForSearch}. */
export const LEARNING_THEMES_TABLE = projectionTable(LEARNING_LIBRARY, 'themes');
/** FTS5 index over observation, learning and source title (rowid = item `seq`). */
export const LEARNING_SEARCH_TABLE = projectionTable(LEARNING_LIBRARY, 'search');

/** Where a learning comes from: the stream category of the event that recorded it. */
export const LEARNING_SOURCE_KINDS = ['experiment', 'collaboration', 'network', 'gathering'] as const;
export type LearningSourceKind = (typeof LEARNING_SOURCE_KINDS)[number];

/** A Learning Card (experiments, collaborations, networks) or an insight (gatherings). */
export type LearningKind = 'learning' | 'insight';

/** True when `value` names a source kind. */
export function isLearningSourceKind(value: string): value is LearningSourceKind {
  return (LEARNING_SOURCE_KINDS as readonly string[]).includes(value);
}

/** An item row as stored. */
export interface LearningRow {
  seq: number;
  item_id: string;
  kind: LearningKind;
  source_kind: LearningSourceKind;
  source_id: string;
  observation: string;
  learning: string | null;
  decision: LearningDecision | null;
  reliability: Reliability | null;
  retrospective: number;
  /** JSON array of the item's own themes. */
  own_themes: string;
  /** JSON array of the effective themes: its own, or its source's when it has none. */
  themes: string;
  occurred_at: string;
  recorded_at: string;
  position: number;
  recorded_event_id: string;
  retracted: number;
  retraction_reason: string | null;
  retracted_event_id: string | null;
}

/** Creates the library's tables and indexes (idempotent). */
export function learningLibrarySchemaSql(): string {
  return `
    CREATE TABLE IF NOT EXISTS "${LEARNING_ITEMS_TABLE}" (
      seq INTEGER PRIMARY KEY,
      item_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      source_kind TEXT NOT NULL,
      source_id TEXT NOT NULL,
      observation TEXT NOT NULL,
      learning TEXT,
      decision TEXT,
      reliability TEXT,
      retrospective INTEGER NOT NULL DEFAULT 0,
      own_themes TEXT NOT NULL DEFAULT '[]',
      themes TEXT NOT NULL DEFAULT '[]',
      occurred_at TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      position INTEGER NOT NULL,
      recorded_event_id TEXT NOT NULL,
      retracted INTEGER NOT NULL DEFAULT 0,
      retraction_reason TEXT,
      retracted_event_id TEXT,
      UNIQUE (source_kind, source_id, item_id)
    );
    CREATE INDEX IF NOT EXISTS "${LEARNING_ITEMS_TABLE}_by_time"
      ON "${LEARNING_ITEMS_TABLE}" (retracted, occurred_at DESC, position DESC);
    CREATE TABLE IF NOT EXISTS "${LEARNING_SOURCES_TABLE}" (
      kind TEXT NOT NULL,
      id TEXT NOT NULL,
      title TEXT NOT NULL,
      themes TEXT NOT NULL DEFAULT '[]',
      PRIMARY KEY (kind, id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS "${LEARNING_THEMES_TABLE}" (
      seq INTEGER NOT NULL,
      theme_key TEXT NOT NULL,
      theme TEXT NOT NULL,
      PRIMARY KEY (seq, theme_key)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS "${LEARNING_THEMES_TABLE}_by_theme" ON "${LEARNING_THEMES_TABLE}" (theme_key, seq);
    CREATE VIRTUAL TABLE IF NOT EXISTS "${LEARNING_SEARCH_TABLE}"
      USING fts5(observation, learning, title, tokenize = 'unicode61 remove_diacritics 2');
  `;
}
