import type { FastifyRequest } from 'fastify';
import type { LearningItem, ListPage, OrganisationListItem, PersonListItem, TimelineEntry } from '#projections';
import type { Choice } from './forms/form-spec.js';
import { formatDate, isMessageKey, pageLanguage, translate } from './i18n/messages.js';
import { withQuery, type InternalApi } from './internal-api.js';
import { pathOf } from './web-chrome.js';
import { pageErrorFor } from './web-exception.filter.js';

/** The "as it was on" / "as we knew it on" choice of an entity page. */
export interface TravelView {
  asOf: string;
  knownAt: string;
  active: boolean;
  banner: string;
  /** The query for the API's entity and timeline reads. */
  query: { asOf?: string; knownAt?: string };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads asOf/knownAt (dates from the date pickers; anything else is ignored). */
export function travelFrom(request: FastifyRequest, query: Record<string, unknown>): TravelView {
  const lang = pageLanguage(request);
  const asOf = typeof query.asOf === 'string' && DATE.test(query.asOf) ? query.asOf : '';
  const knownAt = typeof query.knownAt === 'string' && DATE.test(query.knownAt) ? query.knownAt : '';
  const parts = [
    ...(asOf ? [translate(lang, 'timeTravel.asOfText', { date: formatDate(lang, asOf) })] : []),
    ...(knownAt ? [translate(lang, 'timeTravel.knownAtText', { date: formatDate(lang, knownAt) })] : []),
  ];
  return {
    asOf,
    knownAt,
    active: parts.length > 0,
    banner: translate(lang, 'timeTravel.banner', { what: parts.join(', ') }),
    query: { ...(asOf ? { asOf } : {}), ...(knownAt ? { knownAt } : {}) },
  };
}

/** GETs an API resource as the user; anything but 200 becomes the matching error page. */
export async function read<T>(api: InternalApi, request: FastifyRequest, url: string): Promise<T> {
  const answer = await api.get<T & { detail?: string }>(request, url);
  if (answer.status !== 200) throw pageErrorFor(answer.status, answer.json?.detail);
  return answer.json;
}

/** GETs an API resource; null when it cannot be read (unknown, out of scope). */
export async function readOrNull<T>(api: InternalApi, request: FastifyRequest, url: string): Promise<T | null> {
  const answer = await api.get<T>(request, url);
  return answer.status === 200 ? answer.json : null;
}

/** An entity's timeline in the page language, cut as the page is. */
export async function timelineOf(api: InternalApi, request: FastifyRequest, collection: string, id: string, travel: TravelView): Promise<TimelineEntry[]> {
  const page = await read<{ items: TimelineEntry[] }>(api, request, withQuery(`/api/${collection}/${id}/timeline`, { ...travel.query, lang: pageLanguage(request) }));
  return page.items;
}

/** The page of a learning's source. */
export function sourceHref(source: { kind: string; id: string }): string | null {
  const collection = { experiment: 'experiments', collaboration: 'collaborations', network: 'networks', gathering: 'gatherings' }[source.kind];
  return collection ? `/${collection}/${source.id}` : null;
}

/** A library item as the learning card partial shows it. */
export function learningCard(item: LearningItem): Record<string, unknown> {
  return { ...item, sourceHref: sourceHref(item.source), sourceTitle: item.source.title };
}

/** The confirmation named by `?done=` after a form was saved (`done.<name>` in the catalogues). */
export function doneNotice(request: FastifyRequest, done: unknown): string | null {
  if (typeof done !== 'string' || !/^[a-z-]{1,30}$/.test(done)) return null;
  const key = `done.${done}`;
  return isMessageKey(key) ? translate(pageLanguage(request), key) : null;
}

/** Names by id from the options of a select. */
const namesOf = (choices: readonly Choice[]): Map<string, string> => new Map(choices.map((choice) => [choice.value, choice.label]));

/**
 * Names of the organisations the user may list (partners may list none: their pages show short ids); `loaded`,
 * the page's select options when it has them, spares reading the list again.
 */
export async function organisationNames(api: InternalApi, request: FastifyRequest, loaded?: readonly Choice[]): Promise<Map<string, string>> {
  if (loaded !== undefined) return namesOf(loaded);
  const page = await readOrNull<ListPage<OrganisationListItem>>(api, request, '/api/organisations?limit=200');
  return new Map((page?.items ?? []).map((item) => [item.id, item.name]));
}

/** Names of the people the user may list (a forgotten person has none); `loaded` as for organisationNames. */
export async function personNames(api: InternalApi, request: FastifyRequest, loaded?: readonly Choice[]): Promise<Map<string, string>> {
  if (loaded !== undefined) return namesOf(loaded);
  const page = await readOrNull<ListPage<PersonListItem>>(api, request, '/api/people?limit=200');
  return new Map((page?.items ?? []).filter((item) => item.name !== null).map((item) => [item.id, item.name as string]));
}

/** A name from `names`, else the id's first characters. */
export function nameOr(names: ReadonlyMap<string, string>, id: string): string {
  return names.get(id) ?? id.slice(0, 8);
}

/** The link to the next page of a list, keeping the page's filters. */
export function nextPageHref(request: FastifyRequest, query: Record<string, unknown>, cursor: string | null): string | null {
  if (cursor === null) return null;
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) if (typeof value === 'string' && key !== 'cursor') kept[key] = value;
  return withQuery(pathOf(request), { ...kept, cursor });
}

/** A string query parameter ('' when absent or not text). */
export function param(query: Record<string, unknown>, name: string, max = 200): string {
  const value = query[name];
  return typeof value === 'string' ? value.slice(0, max) : '';
}
