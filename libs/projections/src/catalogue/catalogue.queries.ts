import type { GatheringKind, NetworkKind, OrganisationKind } from '#domain';
import type { ReadModelDb } from '../read-model-db.js';
import {
  CATALOGUE_ENTRIES_TABLE,
  CATALOGUE_EXPERIMENT_OWNERS_TABLE,
  CATALOGUE_THEMES_TABLE,
  foldForSearch,
  type CatalogueEntity,
  type CatalogueRow,
  type CollaborationListStatus,
  type ExperimentListStatus,
  type GatheringListStatus,
  type NetworkListStatus,
  type OrganisationListStatus,
  type PersonListStatus,
} from './catalogue.schema.js';
import { decodeListCursor, encodeListCursor } from './cursor.js';

/** Page size bounds of every list. */
export const LIST_LIMIT = { min: 1, max: 200, default: 50 } as const;

/** Paging of every list: newest first (`createdAt` desc, then `id` desc); `cursor` is a previous page's `nextCursor`. */
export interface ListPageRequest {
  /** 1..200, default 50. */
  limit?: number;
  cursor?: string | null;
  /** Catalogue lists: only the entities with these ids (an access scope); an empty list matches nothing. */
  within?: readonly string[];
}

/** One page of a list; `nextCursor` is null on the last page. */
export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** Fields every list item carries. */
export interface ListItemBase {
  id: string;
  /** Events in the entity's stream (the entity's ETag version). */
  version: number;
  /** Business time of the creating event. */
  createdAt: string;
  /** Latest business time among the entity's events. */
  updatedAt: string;
}

/** An experiment in `GET /experiments`. */
export interface ExperimentListItem extends ListItemBase {
  title: string;
  status: ExperimentListStatus;
  themes: string[];
  leadId: string | null;
  collaborationId: string | null;
  networkId: string | null;
}

/** An organisation in `GET /organisations`. */
export interface OrganisationListItem extends ListItemBase {
  name: string;
  kind: OrganisationKind;
  status: OrganisationListStatus;
}

/** A person in `GET /people`: the name only, no other personal data. */
export interface PersonListItem extends ListItemBase {
  /** Null once the person is forgotten. */
  name: string | null;
  status: PersonListStatus;
  forgotten: boolean;
}

/** A collaboration in `GET /collaborations`. */
export interface CollaborationListItem extends ListItemBase {
  title: string;
  status: CollaborationListStatus;
  themes: string[];
  partnerOrganisationId: string;
}

/** A network or community in `GET /networks`. */
export interface NetworkListItem extends ListItemBase {
  name: string;
  kind: NetworkKind;
  status: NetworkListStatus;
  ledByOrganisationId: string | null;
}

/** A gathering in `GET /gatherings`. */
export interface GatheringListItem extends ListItemBase {
  title: string;
  kind: GatheringKind;
  status: GatheringListStatus;
  /** YYYY-MM-DD. */
  heldOn: string;
  organiserOrganisationId: string | null;
}

/** `q` everywhere: the title or name contains it, ignoring case. */
interface TextFilter {
  q?: string;
}

/** Filters of the experiment list (all optional, combined with AND). */
export interface ExperimentListQuery extends ListPageRequest, TextFilter {
  status?: ExperimentListStatus;
  /** Has this theme (ignoring case). */
  theme?: string;
  leadId?: string;
  /** Designed within or attached to this collaboration. */
  collaborationId?: string;
  /** Designed within or attached to this network. */
  networkId?: string;
}

/** Filters of the organisation list. */
export interface OrganisationListQuery extends ListPageRequest, TextFilter {
  kind?: OrganisationKind;
}

/** Filters of the people list. */
export type PersonListQuery = ListPageRequest & TextFilter;

/** Filters of the collaboration list. */
export interface CollaborationListQuery extends ListPageRequest, TextFilter {
  status?: CollaborationListStatus;
  theme?: string;
  partnerOrganisationId?: string;
}

/** Filters of the network list. */
export interface NetworkListQuery extends ListPageRequest, TextFilter {
  kind?: NetworkKind;
}

/** Filters of the gathering list. */
export interface GatheringListQuery extends ListPageRequest, TextFilter {
  kind?: GatheringKind;
  /** Held on or after this date (YYYY-MM-DD). */
  from?: string;
  /** Held on or before this date (YYYY-MM-DD). */
  to?: string;
}

type Param = string | number;

/** WHERE conditions with their named parameters (names chosen in code, values bound). */
class Conditions {
  readonly sql: string[] = [];
  readonly params: Record<string, Param> = {};

  add(sql: string, params: Record<string, Param> = {}): this {
    this.sql.push(sql);
    Object.assign(this.params, params);
    return this;
  }

  /** `column = value` unless the value is absent. */
  equals(column: string, value: string | undefined): this {
    return value === undefined ? this : this.add(`e.${column} = @${column}`, { [column]: value });
  }

  theme(theme: string | undefined): this {
    if (theme === undefined) return this;
    return this.add(
      `EXISTS (SELECT 1 FROM "${CATALOGUE_THEMES_TABLE}" t WHERE t.entity = e.entity AND t.id = e.id AND t.theme_key = @theme)`,
      { theme: foldForSearch(theme.trim()) },
    );
  }

  text(q: string | undefined): this {
    const needle = q === undefined ? '' : foldForSearch(q.trim());
    return needle === '' ? this : this.add('instr(catalogue_fold(e.title), @q) > 0', { q: needle });
  }
}

const foldingConnections = new WeakSet<ReadModelDb>();

/** Registers `catalogue_fold(text)` (see {@link foldForSearch}) on the connection, once. */
function ensureFold(db: ReadModelDb): void {
  if (foldingConnections.has(db)) return;
  db.function('catalogue_fold', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? foldForSearch(value) : null));
  foldingConnections.add(db);
}

function pageLimit(limit: number | undefined): number {
  const value = limit ?? LIST_LIMIT.default;
  if (!Number.isSafeInteger(value) || value < LIST_LIMIT.min || value > LIST_LIMIT.max) {
    throw new RangeError(`limit must be an integer from ${LIST_LIMIT.min} to ${LIST_LIMIT.max}`);
  }
  return value;
}

/** Keyset paging over one entity's rows, newest first; throws InvalidCursor for a bad cursor. */
function listPage<T>(
  db: ReadModelDb,
  entity: CatalogueEntity,
  page: ListPageRequest,
  where: Conditions,
  toItem: (row: CatalogueRow) => T,
): ListPage<T> {
  const limit = pageLimit(page.limit);
  if (page.within !== undefined) where.add('e.id IN (SELECT value FROM json_each(@within))', { within: JSON.stringify(page.within) });
  if (page.cursor !== undefined && page.cursor !== null) {
    const after = decodeListCursor(entity, page.cursor);
    where.add('(e.created_at < @afterCreated OR (e.created_at = @afterCreated AND e.id < @afterId))', {
      afterCreated: after.created,
      afterId: after.id,
    });
  }
  ensureFold(db);
  const rows = db
    .prepare<[Record<string, Param>], CatalogueRow>(
      `SELECT e.* FROM "${CATALOGUE_ENTRIES_TABLE}" e
       WHERE ${['e.entity = @entity', ...where.sql].join(' AND ')}
       ORDER BY e.created_at DESC, e.id DESC
       LIMIT @take`,
    )
    .all({ ...where.params, entity, take: limit + 1 });
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown.at(-1);
  return {
    items: shown.map(toItem),
    nextCursor: more && last ? encodeListCursor(entity, { created: last.created_at, id: last.id }) : null,
  };
}

function base(row: CatalogueRow): ListItemBase {
  return { id: row.id, version: row.version, createdAt: row.created_at, updatedAt: row.updated_at };
}

function themesOf(row: CatalogueRow): string[] {
  try {
    const value: unknown = JSON.parse(row.themes);
    return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

/** Experiments, newest first. */
export function listExperiments(db: ReadModelDb, query: ExperimentListQuery = {}): ListPage<ExperimentListItem> {
  const where = new Conditions()
    .equals('status', query.status)
    .equals('lead_id', query.leadId)
    .theme(query.theme)
    .text(query.q);
  for (const [owner, ownerId] of [
    ['collaboration', query.collaborationId],
    ['network', query.networkId],
  ] as const) {
    if (ownerId === undefined) continue;
    where.add(
      `EXISTS (SELECT 1 FROM "${CATALOGUE_EXPERIMENT_OWNERS_TABLE}" o
               WHERE o.experiment_id = e.id AND o.owner = @${owner} AND o.owner_id = @${owner}Id)`,
      { [owner]: owner, [`${owner}Id`]: ownerId },
    );
  }
  return listPage(db, 'experiment', query, where, (row) => ({
    ...base(row),
    title: row.title ?? '',
    status: row.status as ExperimentListStatus,
    themes: themesOf(row),
    leadId: row.lead_id,
    collaborationId: row.collaboration_id,
    networkId: row.network_id,
  }));
}

/** Organisations, newest first. */
export function listOrganisations(db: ReadModelDb, query: OrganisationListQuery = {}): ListPage<OrganisationListItem> {
  const where = new Conditions().equals('kind', query.kind).text(query.q);
  return listPage(db, 'organisation', query, where, (row) => ({
    ...base(row),
    name: row.title ?? '',
    kind: row.kind as OrganisationKind,
    status: row.status as OrganisationListStatus,
  }));
}

/** People, newest first; a forgotten person is listed with `name: null` and never matches `q`. */
export function listPeople(db: ReadModelDb, query: PersonListQuery = {}): ListPage<PersonListItem> {
  const where = new Conditions().text(query.q);
  return listPage(db, 'person', query, where, (row) => ({
    ...base(row),
    name: row.forgotten === 1 ? null : row.title,
    status: row.status as PersonListStatus,
    forgotten: row.forgotten === 1,
  }));
}

/** Collaborations, newest first. */
export function listCollaborations(db: ReadModelDb, query: CollaborationListQuery = {}): ListPage<CollaborationListItem> {
  const where = new Conditions()
    .equals('status', query.status)
    .equals('partner_organisation_id', query.partnerOrganisationId)
    .theme(query.theme)
    .text(query.q);
  return listPage(db, 'collaboration', query, where, (row) => ({
    ...base(row),
    title: row.title ?? '',
    status: row.status as CollaborationListStatus,
    themes: themesOf(row),
    partnerOrganisationId: row.partner_organisation_id ?? '',
  }));
}

/** Networks, newest first. */
export function listNetworks(db: ReadModelDb, query: NetworkListQuery = {}): ListPage<NetworkListItem> {
  const where = new Conditions().equals('kind', query.kind).text(query.q);
  return listPage(db, 'network', query, where, (row) => ({
    ...base(row),
    name: row.title ?? '',
    kind: row.kind as NetworkKind,
    status: row.status as NetworkListStatus,
    ledByOrganisationId: row.led_by_organisation_id,
  }));
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Gatherings, newest first (by when they were recorded as held, i.e. their business time). */
export function listGatherings(db: ReadModelDb, query: GatheringListQuery = {}): ListPage<GatheringListItem> {
  for (const [field, value] of [
    ['from', query.from],
    ['to', query.to],
  ] as const) {
    if (value !== undefined && !CALENDAR_DATE.test(value)) throw new RangeError(`${field} must be a date (YYYY-MM-DD)`);
  }
  const where = new Conditions().equals('kind', query.kind).text(query.q);
  if (query.from !== undefined) where.add('e.held_on >= @from', { from: query.from });
  if (query.to !== undefined) where.add('e.held_on <= @to', { to: query.to });
  return listPage(db, 'gathering', query, where, (row) => ({
    ...base(row),
    title: row.title ?? '',
    kind: row.kind as GatheringKind,
    status: row.status as GatheringListStatus,
    heldOn: row.held_on ?? '',
    organiserOrganisationId: row.organiser_organisation_id,
  }));
}
