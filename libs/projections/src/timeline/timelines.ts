import type Database from 'better-sqlite3';
import { parseStreamName, streamName, type StreamCategory } from '#domain';
import type { RecordedEvent } from '#event-store';
import { foldForSearch } from '../catalogue/catalogue.schema.js';
import { cursorCodec, OCCURRENCE_FIELDS, type OccurrenceKey } from '../paging/cursor.js';
import { projectionTable, type Projection } from '../projection.js';
import type { ReadModelDb } from '../read-model-db.js';
import { DOMAIN_EVENT_TYPES, referencedEntry, type DomainEventType, type KnownName } from '../rendering/event-summaries.js';
import type { TimelineEntry, TimelineQuery } from './timeline.js';
import {
  addTimeCut,
  ENTRY_COLUMNS,
  ENTRY_COLUMNS_SQL,
  ENTRY_VALUES,
  entryValues,
  isoInstant,
  renderEntries,
  type Conditions,
  type EntryRow,
} from './timeline-sql.js';

/**
 * The `timelines` projection: every domain event once, plus what places it on other entities' timelines.
 *
 * - `entries`: one row per event (type + parameters, never sentences); an event is on its own stream's timeline.
 * - `mentions (kind, id, position)`: the other entities an event names — a network's MemberJoined/MemberLeft and
 *   an experiment's lead (ExperimentDesigned, TestCardRevised) name a person; a collaboration's partner and
 *   parties, a network's lead and partners, a gathering's organiser and a person's roles name an organisation.
 *   An event about an earlier entry (RoleEnded, a retraction…) inherits that entry's mentions and themes.
 * - `attachments (owner, experiment)`: experiments attached to a collaboration or network (ExperimentAttached, or
 *   designed within it). They are resolved at query time, so an owner's timeline shows the experiment's whole
 *   stream, including events from before the attachment, once the attachment itself passes the asOf/knownAt cut.
 * - `names (kind, id)`: the latest name or title of each entity, for sentences that name others; a forgotten person
 *   keeps no name, and PersonForgotten also strips `personal` from the stored parameters of the person's stream
 *   and the member's id from their network memberships (which, read from the store once the key is destroyed, say
 *   `personId: null`), so every entry, earlier ones, rebuilds and time travel included, renders them as
 *   "a forgotten person".
 * - `entity_themes (stream, theme)`: current themes of experiments and collaborations; `entry_themes (position,
 *   theme)`: themes of learnings and insights. An event matches a theme through either.
 */
export const TIMELINES = { name: 'timelines', version: 1 } as const;

/** The `timelines` projection's tables. */
export const TIMELINES_TABLES = {
  entries: projectionTable(TIMELINES, 'entries'),
  mentions: projectionTable(TIMELINES, 'mentions'),
  attachments: projectionTable(TIMELINES, 'attachments'),
  names: projectionTable(TIMELINES, 'names'),
  entityThemes: projectionTable(TIMELINES, 'entity_themes'),
  entryThemes: projectionTable(TIMELINES, 'entry_themes'),
} as const;

const T = TIMELINES_TABLES;

/** Where an event names other entities: `[kind, path into its data]`. */
const MENTIONS: Partial<Record<DomainEventType, ReadonlyArray<readonly [StreamCategory, string]>>> = {
  ExperimentDesigned: [['person', 'leadId']],
  TestCardRevised: [['person', 'changes.leadId']],
  CollaborationAgreed: [['organisation', 'partnerOrganisationId']],
  PartyJoined: [['organisation', 'organisationId']],
  ExperimentAttached: [['experiment', 'experimentId']],
  NetworkFounded: [['organisation', 'ledByOrganisationId']],
  LeadershipChanged: [
    ['organisation', 'organisationId'],
    ['organisation', 'previousOrganisationId'],
  ],
  PartnerJoined: [['organisation', 'organisationId']],
  PartnerLeft: [['organisation', 'organisationId']],
  MemberJoined: [['person', 'personId']],
  MemberLeft: [['person', 'personId']],
  GatheringHeld: [['organisation', 'organiserOrganisationId']],
  RoleAssumed: [['organisation', 'organisationId']],
};

/** Where an event names its own entity: the path of the name or title in its data. */
const OWN_NAMES: Partial<Record<DomainEventType, string>> = {
  OrganisationRegistered: 'name',
  OrganisationRenamed: 'name',
  PersonRegistered: 'personal.name',
  PersonDetailsRevised: 'personal.name',
  ExperimentDesigned: 'title',
  TestCardRevised: 'changes.title',
  CollaborationAgreed: 'title',
  NetworkFounded: 'name',
  GatheringHeld: 'title',
};

/** Where an event sets its own entity's themes. */
const OWN_THEMES: Partial<Record<DomainEventType, string>> = {
  ExperimentDesigned: 'themes',
  TestCardRevised: 'changes.themes',
  CollaborationAgreed: 'themes',
};

/** Events that carry themes of their own (learnings and insights). */
const ENTRY_THEME_TYPES: ReadonlySet<string> = new Set<DomainEventType>(['LearningRecorded', 'InsightRecorded']);

/** Owners an experiment can be attached to, by the data field of ExperimentDesigned that names them. */
const DESIGNED_WITHIN = [
  ['collaboration', 'collaborationId'],
  ['network', 'networkId'],
] as const satisfies ReadonlyArray<readonly [StreamCategory, string]>;

type Data = Record<string, unknown>;

function asData(value: unknown): Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Data) : {};
}

/** The value at a dotted path (`changes.leadId`). */
function at(data: Data, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => asData(value)[key], data);
}

function stringAt(data: Data, path: string | undefined): string | undefined {
  const value = path === undefined ? undefined : at(data, path);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function themesAt(data: Data, path: string | undefined): string[] | undefined {
  const value = path === undefined ? undefined : at(data, path);
  return Array.isArray(value) ? value.filter((theme): theme is string => typeof theme === 'string') : undefined;
}

type Statement = Database.Statement<unknown[]>;

/** The projection's write statements, prepared once per connection. */
class TimelinesWriter {
  private static readonly writers = new WeakMap<ReadModelDb, TimelinesWriter>();

  static for(db: ReadModelDb): TimelinesWriter {
    let writer = TimelinesWriter.writers.get(db);
    if (!writer) TimelinesWriter.writers.set(db, (writer = new TimelinesWriter(db)));
    return writer;
  }

  readonly insertEntry: Statement;
  readonly mention: Statement;
  readonly copyMentions: Statement;
  readonly entryTheme: Statement;
  readonly copyEntryThemes: Statement;
  readonly findOriginal: Statement;
  readonly clearEntityThemes: Statement;
  readonly entityTheme: Statement;
  readonly attach: Statement;
  readonly name: Statement;
  readonly forgotten: Statement;
  readonly forget: Statement;
  readonly redact: Statement;
  readonly forgetMemberships: Statement;
  readonly redactMemberships: Statement;

  private constructor(db: ReadModelDb) {
    const sql = (text: string) => db.prepare<unknown[]>(text);
    this.insertEntry = sql(`INSERT INTO "${T.entries}" (${ENTRY_COLUMNS}) VALUES (${ENTRY_VALUES})`);
    this.mention = sql(`INSERT OR IGNORE INTO "${T.mentions}" (kind, id, position) VALUES (?, ?, ?)`);
    this.copyMentions = sql(`INSERT OR IGNORE INTO "${T.mentions}" (kind, id, position) SELECT kind, id, ? FROM "${T.mentions}" WHERE position = ?`);
    this.entryTheme = sql(`INSERT OR IGNORE INTO "${T.entryThemes}" (theme_key, position) VALUES (?, ?)`);
    this.copyEntryThemes = sql(
      `INSERT OR IGNORE INTO "${T.entryThemes}" (theme_key, position) SELECT theme_key, ? FROM "${T.entryThemes}" WHERE position = ?`,
    );
    this.findOriginal = sql(
      `SELECT position FROM "${T.entries}" WHERE stream = ? AND type = ? AND json_extract(params, ?) = ? AND position < ?
       ORDER BY position DESC LIMIT 1`,
    );
    this.clearEntityThemes = sql(`DELETE FROM "${T.entityThemes}" WHERE stream = ?`);
    this.entityTheme = sql(`INSERT OR IGNORE INTO "${T.entityThemes}" (stream, theme_key) VALUES (?, ?)`);
    this.attach = sql(
      `INSERT OR IGNORE INTO "${T.attachments}" (owner_kind, owner_id, experiment_stream, position, occurred_at, recorded_at)
       VALUES (@ownerKind, @ownerId, @experimentStream, @position, @occurredAt, @recordedAt)`,
    );
    this.name = sql(
      `INSERT INTO "${T.names}" (kind, id, name, forgotten) VALUES (?, ?, ?, 0)
       ON CONFLICT (kind, id) DO UPDATE SET name = excluded.name WHERE forgotten = 0`,
    );
    this.forgotten = sql(`SELECT forgotten FROM "${T.names}" WHERE kind = 'person' AND id = ?`);
    this.forget = sql(
      `INSERT INTO "${T.names}" (kind, id, name, forgotten) VALUES ('person', ?, NULL, 1)
       ON CONFLICT (kind, id) DO UPDATE SET name = NULL, forgotten = 1`,
    );
    this.redact = sql(`UPDATE "${T.entries}" SET params = json_remove(params, '$.personal') WHERE stream = ?`);
    this.forgetMemberships = sql(
      `DELETE FROM "${T.mentions}" WHERE kind = 'person' AND id = @id AND position IN (
         SELECT position FROM "${T.entries}" WHERE type IN ('MemberJoined', 'MemberLeft') AND json_extract(params, '$.personId') = @id)`,
    );
    this.redactMemberships = sql(
      `UPDATE "${T.entries}" SET params = json_set(params, '$.personId', json('null'))
       WHERE type IN ('MemberJoined', 'MemberLeft') AND json_extract(params, '$.personId') = @id`,
    );
  }
}

function applyEvent(db: ReadModelDb, event: RecordedEvent): void {
  const { category, id } = parseStreamName(event.streamId);
  if (id === '') return;
  const w = TimelinesWriter.for(db);
  const type = event.type as DomainEventType;
  const position = event.position;
  const isPerson = category === 'person';
  const forgotten = isPerson && (w.forgotten.get(id) as { forgotten: number } | undefined)?.forgotten === 1;
  const data = asData(event.data);
  const values = entryValues(event, forgotten && 'personal' in data ? { ...data, personal: undefined } : event.data);
  w.insertEntry.run(values);

  for (const [kind, path] of MENTIONS[type] ?? []) {
    const named = stringAt(data, path);
    if (named !== undefined && !(kind === category && named === id)) w.mention.run(kind, named, position);
  }
  const ref = referencedEntry(type);
  const refId = ref && stringAt(data, ref.key);
  if (ref && refId !== undefined) {
    const original = w.findOriginal.get(event.streamId, ref.type, `$.${ref.key}`, refId, position) as { position: number } | undefined;
    if (original) {
      w.copyMentions.run(position, original.position);
      w.copyEntryThemes.run(position, original.position);
    }
  }
  if (ENTRY_THEME_TYPES.has(type)) {
    for (const theme of themesAt(data, 'themes') ?? []) w.entryTheme.run(foldForSearch(theme), position);
  }
  const ownThemes = themesAt(data, OWN_THEMES[type]);
  if (ownThemes) {
    w.clearEntityThemes.run(event.streamId);
    for (const theme of ownThemes) w.entityTheme.run(event.streamId, foldForSearch(theme));
  }

  const attachment = { position, occurredAt: values.occurredAt, recordedAt: values.recordedAt };
  if (type === 'ExperimentAttached') {
    const experimentId = stringAt(data, 'experimentId');
    if (experimentId) {
      w.attach.run({ ...attachment, ownerKind: category, ownerId: id, experimentStream: streamName('experiment', experimentId) });
    }
  } else if (type === 'ExperimentDesigned') {
    for (const [ownerKind, key] of DESIGNED_WITHIN) {
      const ownerId = stringAt(data, key);
      if (ownerId) w.attach.run({ ...attachment, ownerKind, ownerId, experimentStream: event.streamId });
    }
  }

  const name = stringAt(data, OWN_NAMES[type]);
  if (name !== undefined && !forgotten) w.name.run(category, id, name);
  if (isPerson && type === 'PersonForgotten') {
    w.forget.run(id);
    w.redact.run(event.streamId);
    w.forgetMemberships.run({ id });
    w.redactMemberships.run({ id });
  }
}

/** The general timeline projection: see {@link TIMELINES}. Handles every domain event type. */
export const timelinesProjection: Projection = {
  name: TIMELINES.name,
  version: TIMELINES.version,
  handles: DOMAIN_EVENT_TYPES,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS "${T.entries}" (position INTEGER PRIMARY KEY, ${ENTRY_COLUMNS_SQL});
      CREATE INDEX IF NOT EXISTS "${T.entries}_by_time" ON "${T.entries}" (occurred_at, position);
      CREATE INDEX IF NOT EXISTS "${T.entries}_by_stream" ON "${T.entries}" (stream, type);
      CREATE TABLE IF NOT EXISTS "${T.mentions}" (
        kind TEXT NOT NULL, id TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (kind, id, position)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS "${T.mentions}_by_position" ON "${T.mentions}" (position);
      CREATE TABLE IF NOT EXISTS "${T.attachments}" (
        owner_kind TEXT NOT NULL, owner_id TEXT NOT NULL, experiment_stream TEXT NOT NULL,
        position INTEGER NOT NULL, occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL,
        PRIMARY KEY (owner_kind, owner_id, experiment_stream)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS "${T.names}" (
        kind TEXT NOT NULL, id TEXT NOT NULL, name TEXT, forgotten INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (kind, id)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS "${T.entityThemes}" (
        stream TEXT NOT NULL, theme_key TEXT NOT NULL, PRIMARY KEY (stream, theme_key)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS "${T.entryThemes}" (
        theme_key TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (theme_key, position)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS "${T.entryThemes}_by_position" ON "${T.entryThemes}" (position);
    `);
  },
  apply: applyEvent,
};

/** An entity with a timeline: `{kind: 'collaboration', id}`. */
export interface TimelineSubject {
  kind: StreamCategory;
  id: string;
}

/** How to read a page of a timeline; without `limit`, every entry after the cursor. */
export interface TimelinePageQuery extends TimelineQuery {
  /** Entries per page (a positive integer). */
  limit?: number;
  /** A previous page's `nextCursor`: the page continues after it. */
  cursor?: string | null;
  /** ISO 8601 instant: only events that occurred (business time) at or after it. */
  from?: string;
  /** ISO 8601 instant: only events that occurred at or before it. */
  to?: string;
  /** Only events of an entity with this theme, or learnings and insights with it (ignoring case). */
  theme?: string;
  /** Only events of these streams (an access scope); an empty list matches nothing. */
  streams?: readonly string[];
}

/** One page of a timeline; `nextCursor` is null on the last page. */
export interface TimelinePage {
  items: TimelineEntry[];
  nextCursor: string | null;
}

/** Cursors of `{"v":1,"l":"timeline","o":<occurredAt>,"p":<position>}`: the sort key of a page's last entry. */
const TIMELINE_CURSOR = cursorCodec<OccurrenceKey>({
  list: ['l', 'timeline'],
  ...OCCURRENCE_FIELDS,
  from: 'a previous page of a timeline',
});

/** Conditions of the timeline of `subject`: its stream, the events naming it, and its attached experiments' streams. */
function addSubject(conditions: Conditions, subject: TimelineSubject, query: TimelinePageQuery): void {
  const attached: Conditions = { where: ['a.owner_kind = @kind', 'a.owner_id = @id'], params: {} };
  addTimeCut(attached, query, 'a.');
  conditions.where.push(`e.position IN (
    SELECT position FROM "${T.entries}" WHERE stream = @stream
    UNION ALL SELECT position FROM "${T.mentions}" WHERE kind = @kind AND id = @id
    UNION ALL SELECT x.position FROM "${T.attachments}" a JOIN "${T.entries}" x ON x.stream = a.experiment_stream
      WHERE ${attached.where.join(' AND ')})`);
  Object.assign(conditions.params, attached.params, { stream: streamName(subject.kind, subject.id), kind: subject.kind, id: subject.id });
}

function addFilters(conditions: Conditions, query: TimelinePageQuery): void {
  const { where, params } = conditions;
  if (query.streams !== undefined) {
    where.push('e.stream IN (SELECT value FROM json_each(@streams))');
    params.streams = JSON.stringify(query.streams);
  }
  if (query.from !== undefined) {
    where.push('e.occurred_at >= @from');
    params.from = isoInstant(query.from, 'from');
  }
  if (query.to !== undefined) {
    where.push('e.occurred_at <= @to');
    params.to = isoInstant(query.to, 'to');
  }
  if (query.theme !== undefined) {
    where.push(`(e.position IN (SELECT position FROM "${T.entryThemes}" WHERE theme_key = @theme)
      OR EXISTS (SELECT 1 FROM "${T.entityThemes}" t WHERE t.stream = e.stream AND t.theme_key = @theme))`);
    params.theme = foldForSearch(query.theme);
  }
  if (query.cursor) {
    const after = TIMELINE_CURSOR.decode(query.cursor);
    where.push('(e.occurred_at > @afterAt OR (e.occurred_at = @afterAt AND e.position > @afterPosition))');
    Object.assign(params, { afterAt: after.occurredAt, afterPosition: after.position });
  }
}

function readPage(db: ReadModelDb, subject: TimelineSubject | null, query: TimelinePageQuery): TimelinePage {
  if (query.limit !== undefined && (!Number.isSafeInteger(query.limit) || query.limit < 1)) {
    throw new RangeError(`limit must be a positive integer: ${query.limit}`);
  }
  const conditions: Conditions = { where: [], params: {} };
  addTimeCut(conditions, query, 'e.');
  if (subject) addSubject(conditions, subject, query);
  addFilters(conditions, query);
  if (query.limit !== undefined) conditions.params.limit = query.limit + 1;
  const rows = db
    .prepare<[Record<string, string | number>], EntryRow>(
      `SELECT e.* FROM "${T.entries}" e ${conditions.where.length > 0 ? `WHERE ${conditions.where.join(' AND ')}` : ''}
       ORDER BY e.occurred_at, e.position ${query.limit === undefined ? '' : 'LIMIT @limit'}`,
    )
    .all(conditions.params);
  const more = query.limit !== undefined && rows.length > query.limit;
  const findOriginal = db.prepare<[string, string, string, string, number], { params: string }>(
    `SELECT params FROM "${T.entries}" WHERE stream = ? AND type = ? AND json_extract(params, ?) = ? AND position < ?
     ORDER BY position DESC LIMIT 1`,
  );
  const findName = db.prepare<[string, string], { name: string | null; forgotten: number }>(
    `SELECT name, forgotten FROM "${T.names}" WHERE kind = ? AND id = ?`,
  );
  const names = new Map<string, KnownName | undefined>();
  const items = renderEntries(
    more ? rows.slice(0, query.limit) : rows,
    query.lang,
    (row, type, key, id) => findOriginal.get(row.stream, type, `$.${key}`, id, row.position)?.params,
    (kind, id) => {
      const key = `${kind}-${id}`;
      if (!names.has(key)) {
        const row = findName.get(kind, id);
        names.set(key, row && { name: row.name, forgotten: row.forgotten === 1 });
      }
      return names.get(key);
    },
  );
  return { items, nextCursor: more && items.length > 0 ? TIMELINE_CURSOR.encode(items[items.length - 1]) : null };
}

/**
 * One entity's timeline (empty for an unknown id: the API checks the stream exists), ordered by occurredAt then
 * position. Attached experiments count once their attachment passes the same asOf/knownAt cut.
 */
export function entityTimeline(db: ReadModelDb, subject: TimelineSubject, query: TimelinePageQuery): TimelinePage {
  return readPage(db, subject, query);
}

/** Every event, ordered by occurredAt then position, filtered by business-time range and theme. */
export function globalTimeline(db: ReadModelDb, query: TimelinePageQuery): TimelinePage {
  return readPage(db, null, query);
}
