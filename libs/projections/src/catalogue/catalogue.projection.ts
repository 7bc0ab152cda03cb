import type Database from 'better-sqlite3';
import {
  assertNever,
  COLLABORATION_EVENT_TYPES,
  EXPERIMENT_EVENT_TYPES,
  GATHERING_EVENT_TYPES,
  NETWORK_EVENT_TYPES,
  ORGANISATION_EVENT_TYPES,
  parseStreamName,
  PERSON_EVENT_TYPES,
  type CollaborationEvent,
  type ExperimentEvent,
  type GatheringEvent,
  type NetworkEvent,
  type OrganisationEvent,
  type PersonEvent,
  WORKSPACE_EVENT_TYPES,
} from '#domain';
import type { RecordedEvent } from '#event-store';
import type { Projection } from '../projection.js';
import type { ReadModelDb } from '../read-model-db.js';
import {
  CATALOGUE,
  CATALOGUE_ENTRIES_TABLE,
  CATALOGUE_EXPERIMENT_OWNERS_TABLE,
  CATALOGUE_THEMES_TABLE,
  catalogueSchemaSql,
  foldForSearch,
  isCatalogueEntity,
  type CatalogueEntity,
  type CatalogueRow,
} from './catalogue.schema.js';

type Statement = Database.Statement<unknown[]>;
type Value = string | number | null;
/** Columns an event may change after creation (never the key, created_at or bookkeeping). */
type Changes = Partial<Omit<CatalogueRow, 'entity' | 'id' | 'created_at' | 'updated_at' | 'version' | 'position'>>;

/** Prepared statements per connection, keyed by their SQL text. */
const statements = new WeakMap<ReadModelDb, Map<string, Statement>>();

function prepared(db: ReadModelDb, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare<unknown[]>(sql)));
  return statement;
}

/** The entries whose value is not undefined (better-sqlite3 cannot bind undefined). */
function defined(values: Record<string, Value | undefined>): Record<string, Value> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, Value] => entry[1] !== undefined));
}

/** Normalises an ISO 8601 instant to `YYYY-MM-DDTHH:mm:ss.sssZ`, which sorts as text. */
function isoInstant(value: string, what: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${what} is not a valid ISO 8601 instant: "${value}"`);
  return new Date(ms).toISOString();
}

/** Writes for one event on one entity's stream. */
class EntityWriter {
  readonly at: string;

  constructor(
    private readonly db: ReadModelDb,
    readonly entity: CatalogueEntity,
    readonly id: string,
    private readonly event: RecordedEvent,
  ) {
    this.at = isoInstant(event.metadata.occurredAt, `Event ${event.eventId}: occurredAt`);
  }

  /** Inserts the entity's row (its creating event). */
  create(fields: Changes & Pick<CatalogueRow, 'title' | 'status'>): void {
    const row = defined({
      ...fields,
      themes: fields.themes ?? '[]',
      forgotten: fields.forgotten ?? 0,
      entity: this.entity,
      id: this.id,
      created_at: this.at,
      updated_at: this.at,
      version: this.event.version,
      position: this.event.position,
    });
    const columns = Object.keys(row);
    prepared(
      this.db,
      `INSERT INTO "${CATALOGUE_ENTRIES_TABLE}" (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
    ).run(row);
  }

  /** Records that the event happened to the entity: version, position, latest business time. */
  touch(): void {
    prepared(
      this.db,
      `UPDATE "${CATALOGUE_ENTRIES_TABLE}" SET version = @version, position = @position, updated_at = max(updated_at, @at)
       WHERE entity = @entity AND id = @id`,
    ).run({ version: this.event.version, position: this.event.position, at: this.at, entity: this.entity, id: this.id });
  }

  /** Sets columns of the entity's row; the column names come from {@link Changes}, never from input. */
  update(changes: Changes): void {
    const values = defined(changes);
    const columns = Object.keys(values);
    if (columns.length === 0) return;
    prepared(
      this.db,
      `UPDATE "${CATALOGUE_ENTRIES_TABLE}" SET ${columns.map((c) => `${c} = @${c}`).join(', ')}
       WHERE entity = @entity AND id = @id`,
    ).run({ ...values, entity: this.entity, id: this.id });
  }

  /** Replaces the entity's themes (JSON column and join table). */
  themes(themes: readonly string[]): void {
    this.update({ themes: JSON.stringify(themes) });
    prepared(this.db, `DELETE FROM "${CATALOGUE_THEMES_TABLE}" WHERE entity = ? AND id = ?`).run(this.entity, this.id);
    const insert = prepared(
      this.db,
      `INSERT OR IGNORE INTO "${CATALOGUE_THEMES_TABLE}" (entity, id, theme_key, theme) VALUES (?, ?, ?, ?)`,
    );
    for (const theme of themes) insert.run(this.entity, this.id, foldForSearch(theme), theme);
  }

  /** Records that an experiment belongs to a collaboration or network. */
  experimentOwner(experimentId: string, owner: 'collaboration' | 'network', ownerId: string): void {
    prepared(
      this.db,
      `INSERT OR IGNORE INTO "${CATALOGUE_EXPERIMENT_OWNERS_TABLE}" (experiment_id, owner, owner_id) VALUES (?, ?, ?)`,
    ).run(experimentId, owner, ownerId);
    const column = owner === 'collaboration' ? 'collaboration_id' : 'network_id';
    prepared(
      this.db,
      `UPDATE "${CATALOGUE_ENTRIES_TABLE}" SET ${column} = coalesce(${column}, ?) WHERE entity = 'experiment' AND id = ?`,
    ).run(ownerId, experimentId);
  }
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function applyExperiment(w: EntityWriter, event: ExperimentEvent): void {
  switch (event.type) {
    case 'ExperimentDesigned': {
      const d = event.data;
      w.create({ title: d.title, status: 'designed', lead_id: d.leadId ?? null });
      w.themes(stringList(d.themes));
      if (d.collaborationId) w.experimentOwner(w.id, 'collaboration', d.collaborationId);
      if (d.networkId) w.experimentOwner(w.id, 'network', d.networkId);
      return;
    }
    case 'TestCardRevised': {
      const { title, leadId, themes } = event.data.changes;
      w.update({ title, lead_id: leadId });
      if (themes !== undefined) w.themes(stringList(themes));
      return;
    }
    case 'ExperimentStarted':
      return w.update({ status: 'running' });
    case 'ExperimentConcluded':
      return w.update({ status: 'concluded' });
    case 'ExperimentAbandoned':
      return w.update({ status: 'abandoned' });
    case 'StepLogged':
    case 'StepRetracted':
    case 'MeasurementRecorded':
    case 'LearningRecorded':
    case 'LearningRetracted':
      return;
    default:
      assertNever(event);
  }
}

function applyOrganisation(w: EntityWriter, event: OrganisationEvent): void {
  switch (event.type) {
    case 'OrganisationRegistered':
      return w.create({ title: event.data.name, status: 'registered', kind: event.data.kind });
    case 'OrganisationRenamed':
      return w.update({ title: event.data.name });
    default:
      assertNever(event);
  }
}

/** The name from `data.personal`, or null when it is absent or unreadable (e.g. encrypted or shredded). */
function personalName(personal: unknown): string | null | undefined {
  if (typeof personal !== 'object' || personal === null || !('name' in personal)) return undefined;
  return typeof personal.name === 'string' ? personal.name : null;
}

function applyPerson(w: EntityWriter, event: PersonEvent, forgotten: boolean): void {
  switch (event.type) {
    case 'PersonRegistered':
      return w.create({ title: personalName(event.data.personal) ?? null, status: 'registered' });
    case 'PersonDetailsRevised':
      if (!forgotten) w.update({ title: personalName(event.data.personal) });
      return;
    case 'PersonForgotten':
      return w.update({ title: null, status: 'forgotten', forgotten: 1 });
    case 'RoleAssumed':
    case 'RoleEnded':
      return;
    default:
      assertNever(event);
  }
}

function applyCollaboration(w: EntityWriter, event: CollaborationEvent): void {
  switch (event.type) {
    case 'CollaborationAgreed':
      w.create({ title: event.data.title, status: 'active', partner_organisation_id: event.data.partnerOrganisationId });
      return w.themes(stringList(event.data.themes));
    case 'CollaborationConcluded':
      return w.update({ status: 'concluded' });
    case 'ExperimentAttached':
      return w.experimentOwner(event.data.experimentId, 'collaboration', w.id);
    case 'PartyJoined':
    case 'ActivityPlanned':
    case 'ActivityStarted':
    case 'ActivityCompleted':
    case 'InitiativeLinked':
    case 'InitiativeLinkConfirmed':
    case 'InitiativeLinkDropped':
    case 'MilestoneSet':
    case 'MilestoneAchieved':
    case 'LearningRecorded':
    case 'LearningRetracted':
      return;
    default:
      assertNever(event);
  }
}

function applyNetwork(w: EntityWriter, event: NetworkEvent): void {
  switch (event.type) {
    case 'NetworkFounded':
      return w.create({
        title: event.data.name,
        status: 'active',
        kind: event.data.kind,
        led_by_organisation_id: event.data.ledByOrganisationId ?? null,
      });
    case 'LeadershipChanged':
      return w.update({ led_by_organisation_id: event.data.organisationId });
    case 'ExperimentAttached':
      return w.experimentOwner(event.data.experimentId, 'network', w.id);
    case 'PartnerJoined':
    case 'PartnerLeft':
    case 'MemberJoined':
    case 'MemberLeft':
    case 'HeadcountReported':
    case 'MilestoneSet':
    case 'MilestoneAchieved':
    case 'LearningRecorded':
    case 'LearningRetracted':
    case 'MethodAdoptionUpdated':
      return;
    default:
      assertNever(event);
  }
}

function applyGathering(w: EntityWriter, event: GatheringEvent): void {
  switch (event.type) {
    case 'GatheringHeld':
      return w.create({
        title: event.data.title,
        status: 'held',
        kind: event.data.kind,
        held_on: event.data.heldOn,
        organiser_organisation_id: event.data.organiserOrganisationId ?? null,
      });
    case 'InsightRecorded':
    case 'InsightRetracted':
      return;
    default:
      assertNever(event);
  }
}

function isForgotten(db: ReadModelDb, id: string): boolean {
  const row = prepared(db, `SELECT forgotten FROM "${CATALOGUE_ENTRIES_TABLE}" WHERE entity = 'person' AND id = ?`).get(id) as
    | { forgotten: number }
    | undefined;
  return row?.forgotten === 1;
}

const TYPES_BY_ENTITY: Record<CatalogueEntity, ReadonlySet<string>> = {
  experiment: new Set(EXPERIMENT_EVENT_TYPES),
  organisation: new Set(ORGANISATION_EVENT_TYPES),
  person: new Set(PERSON_EVENT_TYPES),
  collaboration: new Set(COLLABORATION_EVENT_TYPES),
  network: new Set(NETWORK_EVENT_TYPES),
  gathering: new Set(GATHERING_EVENT_TYPES),
};

/** Every event type of the six catalogued streams (shared types such as `LearningRecorded` once). */
export const CATALOGUE_EVENT_TYPES: readonly string[] = WORKSPACE_EVENT_TYPES;

/**
 * The catalogue: one row per experiment, organisation, person, collaboration, network and gathering, for the
 * paged and filtered lists. Events are routed by their stream category (`experiment-<id>` …), so shared types
 * (`LearningRecorded`, `ExperimentAttached`) land on the right entity. Every event of a stream bumps its row's
 * `version`, `position` and `updated_at`.
 */
export const catalogueProjection: Projection = {
  name: CATALOGUE.name,
  version: CATALOGUE.version,
  handles: CATALOGUE_EVENT_TYPES,
  setup(db) {
    db.exec(catalogueSchemaSql());
  },
  apply(db, recorded) {
    const { category, id } = parseStreamName(recorded.streamId);
    if (!isCatalogueEntity(category) || id === '' || !TYPES_BY_ENTITY[category].has(recorded.type)) return;
    const writer = new EntityWriter(db, category, id, recorded);
    const event: unknown = recorded;
    switch (category) {
      case 'experiment':
        applyExperiment(writer, event as ExperimentEvent);
        break;
      case 'organisation':
        applyOrganisation(writer, event as OrganisationEvent);
        break;
      case 'person':
        applyPerson(writer, event as PersonEvent, isForgotten(db, id));
        break;
      case 'collaboration':
        applyCollaboration(writer, event as CollaborationEvent);
        break;
      case 'network':
        applyNetwork(writer, event as NetworkEvent);
        break;
      case 'gathering':
        applyGathering(writer, event as GatheringEvent);
        break;
      default:
        assertNever(category);
    }
    writer.touch();
  },
};
