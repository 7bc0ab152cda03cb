import type Database from 'better-sqlite3';
import {
  assertNever,
  parseStreamName,
  type CollaborationAgreed,
  type CollaborationLearningRecorded,
  type CollaborationLearningRetracted,
  type DomainEvent,
  type ExperimentDesigned,
  type ExperimentLearningRecorded,
  type ExperimentLearningRetracted,
  type GatheringHeld,
  type InsightRecorded,
  type InsightRetracted,
  type LearningDecision,
  type NetworkFounded,
  type NetworkLearningRecorded,
  type NetworkLearningRetracted,
  type Reliability,
  type TestCardRevised,
} from '#domain';
import type { RecordedEvent } from '#event-store';
import { foldForSearch } from '../catalogue/catalogue.schema.js';
import type { Projection } from '../projection.js';
import type { ReadModelDb } from '../read-model-db.js';
import {
  isLearningSourceKind,
  LEARNING_ITEMS_TABLE,
  LEARNING_LIBRARY,
  LEARNING_SEARCH_TABLE,
  LEARNING_SOURCES_TABLE,
  LEARNING_THEMES_TABLE,
  learningLibrarySchemaSql,
  type LearningKind,
  type LearningSourceKind,
} from './learning-library.schema.js';

/** The events the library folds. */
type LibraryEvent =
  | ExperimentDesigned
  | TestCardRevised
  | CollaborationAgreed
  | NetworkFounded
  | GatheringHeld
  | ExperimentLearningRecorded
  | CollaborationLearningRecorded
  | NetworkLearningRecorded
  | ExperimentLearningRetracted
  | CollaborationLearningRetracted
  | NetworkLearningRetracted
  | InsightRecorded
  | InsightRetracted;

/** Event types the learning library handles (sources for titles and themes, learnings and insights). */
export const LEARNING_LIBRARY_EVENT_TYPES = [
  'ExperimentDesigned',
  'TestCardRevised',
  'CollaborationAgreed',
  'NetworkFounded',
  'GatheringHeld',
  'LearningRecorded',
  'LearningRetracted',
  'InsightRecorded',
  'InsightRetracted',
] as const satisfies readonly LibraryEvent['type'][];

/** Fails to compile when a type of {@link LibraryEvent} is missing from the list above. */
type AssertNever<T extends never> = T;
export type MissingLearningLibraryTypes = AssertNever<Exclude<LibraryEvent['type'], (typeof LEARNING_LIBRARY_EVENT_TYPES)[number]>>;

interface NewItem {
  itemId: string;
  kind: LearningKind;
  observation: string;
  learning: string | null;
  decision: LearningDecision | null;
  reliability: Reliability | null;
  retrospective: boolean;
  themes: readonly string[];
}

type Statement = Database.Statement<unknown[]>;

/** The library's prepared statements, once per connection (better-sqlite3 re-prepares them after a rebuild). */
interface Statements {
  upsertSource: Statement;
  selectSource: Statement;
  updateSourceTitle: Statement;
  updateSourceThemes: Statement;
  retitleSearch: Statement;
  insertItem: Statement;
  inheritingItems: Statement;
  updateItemThemes: Statement;
  deleteThemes: Statement;
  insertTheme: Statement;
  insertSearch: Statement;
  retract: Statement;
}

const cache = new WeakMap<ReadModelDb, Statements>();

function statements(db: ReadModelDb): Statements {
  let found = cache.get(db);
  if (found) return found;
  const prepare = (sql: string): Statement => db.prepare<unknown[]>(sql);
  const ofSource = `SELECT seq FROM "${LEARNING_ITEMS_TABLE}" WHERE source_kind = @kind AND source_id = @id`;
  found = {
    upsertSource: prepare(
      `INSERT INTO "${LEARNING_SOURCES_TABLE}" (kind, id, title, themes) VALUES (@kind, @id, @title, @themes)
       ON CONFLICT (kind, id) DO UPDATE SET title = excluded.title, themes = excluded.themes`,
    ),
    selectSource: prepare(`SELECT title, themes FROM "${LEARNING_SOURCES_TABLE}" WHERE kind = @kind AND id = @id`),
    updateSourceTitle: prepare(`UPDATE "${LEARNING_SOURCES_TABLE}" SET title = @title WHERE kind = @kind AND id = @id`),
    updateSourceThemes: prepare(`UPDATE "${LEARNING_SOURCES_TABLE}" SET themes = @themes WHERE kind = @kind AND id = @id`),
    retitleSearch: prepare(`UPDATE "${LEARNING_SEARCH_TABLE}" SET title = @title WHERE rowid IN (${ofSource})`),
    insertItem: prepare(
      `INSERT OR IGNORE INTO "${LEARNING_ITEMS_TABLE}" (item_id, kind, source_kind, source_id, observation, learning, decision,
         reliability, retrospective, own_themes, occurred_at, recorded_at, position, recorded_event_id)
       VALUES (@itemId, @itemKind, @kind, @id, @observation, @learning, @decision, @reliability, @retrospective, @ownThemes,
         @occurredAt, @recordedAt, @position, @eventId)`,
    ),
    inheritingItems: prepare(`${ofSource} AND own_themes = '[]'`),
    updateItemThemes: prepare(`UPDATE "${LEARNING_ITEMS_TABLE}" SET themes = ? WHERE seq = ?`),
    deleteThemes: prepare(`DELETE FROM "${LEARNING_THEMES_TABLE}" WHERE seq = ?`),
    insertTheme: prepare(`INSERT OR IGNORE INTO "${LEARNING_THEMES_TABLE}" (seq, theme_key, theme) VALUES (?, ?, ?)`),
    insertSearch: prepare(`INSERT INTO "${LEARNING_SEARCH_TABLE}" (rowid, observation, learning, title) VALUES (?, ?, ?, ?)`),
    retract: prepare(
      `UPDATE "${LEARNING_ITEMS_TABLE}" SET retracted = 1, retraction_reason = @reason, retracted_event_id = @eventId
       WHERE source_kind = @kind AND source_id = @id AND item_id = @itemId AND retracted = 0`,
    ),
  };
  cache.set(db, found);
  return found;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ`, which sorts as text. */
function instant(value: string, what: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${what} is not a valid ISO 8601 instant: "${value}"`);
  return new Date(ms).toISOString();
}

/** Writes for one event on one source's stream. */
class LibraryWriter {
  private readonly sql: Statements;
  private readonly key: { kind: LearningSourceKind; id: string };

  constructor(
    db: ReadModelDb,
    kind: LearningSourceKind,
    id: string,
    private readonly event: RecordedEvent,
  ) {
    this.sql = statements(db);
    this.key = { kind, id };
  }

  source(title: string, themes: readonly string[]): void {
    this.sql.upsertSource.run({ ...this.key, title, themes: JSON.stringify(themes) });
  }

  /** A renamed source keeps its items' search rows current; new source themes reach the items that inherit them. */
  revise(title: string | undefined, themes: readonly string[] | undefined): void {
    if (title !== undefined) {
      this.sql.updateSourceTitle.run({ ...this.key, title });
      this.sql.retitleSearch.run({ ...this.key, title });
    }
    if (themes !== undefined) {
      this.sql.updateSourceThemes.run({ ...this.key, themes: JSON.stringify(themes) });
      for (const { seq } of this.sql.inheritingItems.all(this.key) as Array<{ seq: number }>) this.themes(seq, themes);
    }
  }

  record(item: NewItem): void {
    const source = this.sql.selectSource.get(this.key) as { title: string; themes: string } | undefined;
    const sourceThemes = source ? stringList(JSON.parse(source.themes)) : [];
    const { metadata, recordedAt, position, eventId } = this.event;
    const inserted = this.sql.insertItem.run({
      ...this.key,
      itemId: item.itemId,
      itemKind: item.kind,
      observation: item.observation,
      learning: item.learning,
      decision: item.decision,
      reliability: item.reliability,
      retrospective: item.retrospective ? 1 : 0,
      ownThemes: JSON.stringify(item.themes),
      occurredAt: instant(metadata.occurredAt, `Event ${eventId}: occurredAt`),
      recordedAt: instant(recordedAt, `Event ${eventId}: recordedAt`),
      position,
      eventId,
    });
    if (inserted.changes === 0) return;
    const seq = Number(inserted.lastInsertRowid);
    this.themes(seq, item.themes.length > 0 ? item.themes : sourceThemes);
    this.sql.insertSearch.run(seq, item.observation, item.learning ?? '', source?.title ?? '');
  }

  retract(itemId: string, reason: string): void {
    this.sql.retract.run({ ...this.key, itemId, reason, eventId: this.event.eventId });
  }

  private themes(seq: number, themes: readonly string[]): void {
    this.sql.updateItemThemes.run(JSON.stringify(themes), seq);
    this.sql.deleteThemes.run(seq);
    for (const theme of themes) this.sql.insertTheme.run(seq, foldForSearch(theme), theme);
  }
}

function apply(w: LibraryWriter, event: LibraryEvent): void {
  switch (event.type) {
    case 'ExperimentDesigned':
    case 'CollaborationAgreed':
      return w.source(event.data.title, stringList(event.data.themes));
    case 'NetworkFounded':
      return w.source(event.data.name, []);
    case 'GatheringHeld':
      return w.source(event.data.title, []);
    case 'TestCardRevised': {
      const { title, themes } = event.data.changes;
      return w.revise(title, themes === undefined ? undefined : stringList(themes));
    }
    case 'LearningRecorded': {
      const { learningId, observation, learning, decision, reliability, themes, retrospective } = event.data;
      return w.record({
        itemId: learningId,
        kind: 'learning',
        observation,
        learning,
        decision,
        reliability,
        retrospective: retrospective === true,
        themes: stringList(themes),
      });
    }
    case 'InsightRecorded': {
      const { insightId, observation, learning, themes } = event.data;
      return w.record({
        itemId: insightId,
        kind: 'insight',
        observation,
        learning: learning ?? null,
        decision: null,
        reliability: null,
        retrospective: false,
        themes: stringList(themes),
      });
    }
    case 'LearningRetracted':
      return w.retract(event.data.learningId, event.data.reason);
    case 'InsightRetracted':
      return w.retract(event.data.insightId, event.data.reason);
    default:
      assertNever(event);
  }
}

/**
 * The learning library: every Learning Card (experiments, collaborations, networks) and every gathering
 * insight, with its source's current title, its themes (its own, else its source's), its decision and
 * reliability, retractions, and a full-text index over observation, learning and source title.
 */
export const learningLibraryProjection: Projection = {
  name: LEARNING_LIBRARY.name,
  version: LEARNING_LIBRARY.version,
  handles: LEARNING_LIBRARY_EVENT_TYPES,
  setup(db) {
    db.exec(learningLibrarySchemaSql());
  },
  apply(db, recorded) {
    const { category, id } = parseStreamName(recorded.streamId);
    if (!isLearningSourceKind(category) || id === '') return;
    const event: DomainEvent = recorded;
    apply(new LibraryWriter(db, category, id, recorded), event as LibraryEvent);
  },
};
