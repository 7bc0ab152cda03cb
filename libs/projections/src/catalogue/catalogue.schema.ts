import {
  StreamCategory,
  type CollaborationState,
  type ExperimentStatus,
  type GatheringState,
  type NetworkState,
  type OrganisationState,
  type PersonState,
} from '#domain';
import { projectionTable } from '../projection.js';

/** The catalogue's projection identity: tables are `catalogue__v1__entries` and `catalogue__v1__themes`. */
export const CATALOGUE = { name: 'catalogue', version: 1 } as const;

/** One row per entity: `(entity, id)`. */
export const CATALOGUE_ENTRIES_TABLE = projectionTable(CATALOGUE, 'entries');
/** Normalised themes `(entity, id, theme_key)`, `theme_key` being the folded (lower-cased, NFC) theme. */
export const CATALOGUE_THEMES_TABLE = projectionTable(CATALOGUE, 'themes');
/** Experiments attached to collaborations and networks `(experiment_id, owner, owner_id)`, for filtering. */
export const CATALOGUE_EXPERIMENT_OWNERS_TABLE = projectionTable(CATALOGUE, 'experiment_owners');

/** The kinds of entity the catalogue lists: the stream categories. */
export type CatalogueEntity = StreamCategory;

/** True when `category` names one of the catalogued entities. */
export function isCatalogueEntity(category: string): category is CatalogueEntity {
  return Object.values<string>(StreamCategory).includes(category);
}

type AssertNever<T extends never> = T;
type Live<S extends { status: string }> = Exclude<S['status'], 'initial'>;

/** The statuses an experiment shows in lists. */
export const EXPERIMENT_LIST_STATUSES = ['designed', 'running', 'concluded', 'abandoned'] as const satisfies readonly ExperimentStatus[];
export type ExperimentListStatus = (typeof EXPERIMENT_LIST_STATUSES)[number];
/** The statuses a collaboration shows in lists. */
export const COLLABORATION_LIST_STATUSES = ['active', 'concluded'] as const satisfies readonly Live<CollaborationState>[];
export type CollaborationListStatus = (typeof COLLABORATION_LIST_STATUSES)[number];
/** Fail to compile when the domain adds a status that the lists above lack. */
export type MissingCatalogueStatuses = AssertNever<
  | Exclude<Exclude<ExperimentStatus, 'initial'>, ExperimentListStatus>
  | Exclude<Live<CollaborationState>, CollaborationListStatus>
>;

/** The other entities' statuses, as the domain names them. */
export type OrganisationListStatus = Live<OrganisationState>;
export type PersonListStatus = Live<PersonState>;
export type NetworkListStatus = Live<NetworkState>;
export type GatheringListStatus = Live<GatheringState>;

/** A catalogue row as stored. Only `title` holds a person's name, so blanking it forgets the name. */
export interface CatalogueRow {
  entity: CatalogueEntity;
  id: string;
  /** Title (experiment, collaboration, gathering) or name (organisation, network, person; null once forgotten). */
  title: string | null;
  status: string;
  /** Domain kind of an organisation, network or gathering. */
  kind: string | null;
  /** JSON array of the entity's own themes (experiments, collaborations), as spelt. */
  themes: string;
  lead_id: string | null;
  collaboration_id: string | null;
  network_id: string | null;
  partner_organisation_id: string | null;
  led_by_organisation_id: string | null;
  organiser_organisation_id: string | null;
  /** Gathering date, YYYY-MM-DD. */
  held_on: string | null;
  /** 1 for a forgotten person, else 0. */
  forgotten: number;
  /** Business time (occurredAt) of the creating event, `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  created_at: string;
  /** Latest business time among the entity's events. */
  updated_at: string;
  /** Events in the entity's stream up to the last one applied (the API's `version`). */
  version: number;
  /** Global position of the last event applied. */
  position: number;
}

/** Creates the catalogue tables and indexes (idempotent). */
export function catalogueSchemaSql(): string {
  return `
    CREATE TABLE IF NOT EXISTS "${CATALOGUE_ENTRIES_TABLE}" (
      entity TEXT NOT NULL,
      id TEXT NOT NULL,
      title TEXT,
      status TEXT NOT NULL,
      kind TEXT,
      themes TEXT NOT NULL DEFAULT '[]',
      lead_id TEXT,
      collaboration_id TEXT,
      network_id TEXT,
      partner_organisation_id TEXT,
      led_by_organisation_id TEXT,
      organiser_organisation_id TEXT,
      held_on TEXT,
      forgotten INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      version INTEGER NOT NULL,
      position INTEGER NOT NULL,
      PRIMARY KEY (entity, id)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS "${CATALOGUE_ENTRIES_TABLE}_by_created"
      ON "${CATALOGUE_ENTRIES_TABLE}" (entity, created_at DESC, id DESC);
    CREATE TABLE IF NOT EXISTS "${CATALOGUE_THEMES_TABLE}" (
      entity TEXT NOT NULL,
      id TEXT NOT NULL,
      theme_key TEXT NOT NULL,
      theme TEXT NOT NULL,
      PRIMARY KEY (entity, id, theme_key)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS "${CATALOGUE_THEMES_TABLE}_by_theme" ON "${CATALOGUE_THEMES_TABLE}" (entity, theme_key, id);
    CREATE TABLE IF NOT EXISTS "${CATALOGUE_EXPERIMENT_OWNERS_TABLE}" (
      experiment_id TEXT NOT NULL,
      owner TEXT NOT NULL,
      owner_id TEXT NOT NULL,
      PRIMARY KEY (experiment_id, owner, owner_id)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS "${CATALOGUE_EXPERIMENT_OWNERS_TABLE}_by_owner"
      ON "${CATALOGUE_EXPERIMENT_OWNERS_TABLE}" (owner, owner_id, experiment_id);
  `;
}

/** Folds text for case-insensitive matching: Unicode NFC, then lower case (as the domain compares themes). */
export function foldForSearch(text: string): string {
  return text.normalize('NFC').toLowerCase();
}
