import {
  EXPERIMENT_OUTCOMES,
  GATHERING_KINDS,
  INITIATIVE_CONFIDENCES,
  INITIATIVE_KINDS,
  LEARNING_DECISIONS,
  METHOD_ADOPTION_STAGES,
  NETWORK_KINDS,
  ORGANISATION_KINDS,
  RELIABILITIES,
  USER_ROLES,
} from '#domain';
import { AUDITED_EVENT_TYPES, COLLABORATION_LIST_STATUSES, DOCUMENT_FORMATS, EXPERIMENT_LIST_STATUSES, LEARNING_SOURCE_KINDS } from '#projections';
import type { World } from './world.js';

export type EntityKind = 'organisation' | 'person' | 'experiment' | 'collaboration' | 'network' | 'gathering';

/** A field of a command body, as its request DTO declares it. */
export type Field =
  | { kind: 'text'; max: number; required?: boolean }
  | { kind: 'nullableText'; max: number }
  | { kind: 'enum'; values: readonly string[]; required?: boolean }
  | { kind: 'ref'; entity: EntityKind; required?: boolean }
  | { kind: 'date'; required?: boolean }
  | { kind: 'period' }
  | { kind: 'count'; max: number }
  | { kind: 'number' }
  | { kind: 'themes'; required?: boolean }
  | { kind: 'url' }
  | { kind: 'email' }
  | { kind: 'secret'; min: number; max: number };

export type Params = Record<string, string>;

/** A POST route: its path, the parameter sets that name real entities, and its body fields. */
export interface CommandRoute {
  template: string;
  targets: (world: World) => Params[];
  fields: Record<string, Field>;
  /** Sending it again with a valid body keeps the world's states (no start, conclude, retract...). */
  repeatable?: boolean;
  /** The body takes no `occurredAt` (not a command on the log). */
  plain?: boolean;
}

/** Query parameter kinds of the read routes. */
export type QueryKind =
  | 'limit'
  | 'cursor'
  | 'text200'
  | 'theme'
  | 'uuid'
  | 'date'
  | 'instant'
  | 'knownAt'
  | 'lang'
  | 'position'
  | 'boolean'
  | 'stream'
  | 'actor'
  | { enum: readonly string[] };

export interface ReadRoute {
  template: string;
  targets: (world: World) => Params[];
  query: Record<string, QueryKind>;
}

const text = (max: number, required = true): Field => ({ kind: 'text', max, required });
const opt = (max: number): Field => ({ kind: 'text', max, required: false });
const ref = (entity: EntityKind, required = true): Field => ({ kind: 'ref', entity, required });
const oneOf = (values: readonly string[], required = true): Field => ({ kind: 'enum', values, required });
const date = (required = true): Field => ({ kind: 'date', required });
const T = { title: 200, name: 200, short: 500, long: 5000 } as const;

const learning: Record<string, Field> = {
  observation: text(T.long),
  learning: text(T.long),
  decision: oneOf(LEARNING_DECISIONS),
  reliability: oneOf(RELIABILITIES),
  themes: { kind: 'themes', required: false },
};
const reason: Record<string, Field> = { reason: text(T.short) };
const none: Record<string, Field> = {};

const ids = (...values: string[]): Params[] => values.map((id) => ({ id }));

/** Every command route of the API (paths under /api). */
export const COMMAND_ROUTES: CommandRoute[] = [
  { template: '/api/organisations', targets: () => [{}], repeatable: true, fields: { name: text(T.name), kind: oneOf(ORGANISATION_KINDS) } },
  { template: '/api/organisations/:id/rename', targets: (w) => ids(w.organisationB), repeatable: true, fields: { name: text(T.name) } },

  { template: '/api/people', targets: () => [{}], repeatable: true, fields: { name: text(T.name), background: opt(T.long) } },
  {
    template: '/api/people/:id/revise',
    targets: (w) => ids(w.personB),
    repeatable: true,
    fields: { name: opt(T.name), background: { kind: 'nullableText', max: T.long } },
  },
  {
    template: '/api/people/:id/roles',
    targets: (w) => ids(w.personB),
    repeatable: true,
    fields: { organisationId: ref('organisation'), title: text(T.title), responsibility: opt(T.short), from: date() },
  },
  { template: '/api/people/:id/roles/:roleId/end', targets: (w) => [{ id: w.personB, roleId: w.roleId }], fields: { to: date() } },
  { template: '/api/people/:id/forget', targets: (w) => ids(w.personB), fields: reason },

  {
    template: '/api/experiments',
    targets: () => [{}],
    repeatable: true,
    fields: {
      title: text(T.title),
      hypothesis: text(T.long),
      test: text(T.long),
      metric: text(T.short),
      successCriteria: text(T.long),
      leadId: ref('person', false),
      themes: { kind: 'themes', required: false },
      deadline: date(false),
      collaborationId: ref('collaboration', false),
      networkId: ref('network', false),
    },
  },
  {
    template: '/api/experiments/:id/revise',
    targets: (w) => ids(w.experimentDesigned, w.experimentRunning),
    repeatable: true,
    fields: {
      title: opt(T.title),
      hypothesis: opt(T.long),
      test: opt(T.long),
      metric: opt(T.short),
      successCriteria: opt(T.long),
      leadId: ref('person', false),
      themes: { kind: 'themes', required: false },
      deadline: date(false),
      reason: text(T.short),
    },
  },
  { template: '/api/experiments/:id/start', targets: (w) => ids(w.experimentDesigned), fields: none },
  {
    template: '/api/experiments/:id/steps',
    targets: (w) => ids(w.experimentRunning),
    repeatable: true,
    fields: { description: text(T.long), evidenceUrl: { kind: 'url' } },
  },
  { template: '/api/experiments/:id/steps/:stepId/retract', targets: (w) => [{ id: w.experimentRunning, stepId: w.stepId }], fields: reason },
  {
    template: '/api/experiments/:id/measurements',
    targets: (w) => ids(w.experimentRunning),
    repeatable: true,
    fields: { value: { kind: 'number' }, unit: opt(40), note: opt(T.short) },
  },
  { template: '/api/experiments/:id/learnings', targets: (w) => ids(w.experimentRunning), repeatable: true, fields: learning },
  {
    template: '/api/experiments/:id/learnings/:learningId/retract',
    targets: (w) => [{ id: w.experimentRunning, learningId: w.experimentLearningId }],
    fields: reason,
  },
  {
    template: '/api/experiments/:id/conclude',
    targets: (w) => ids(w.experimentRunning),
    fields: { outcome: oneOf(EXPERIMENT_OUTCOMES), summary: text(T.long) },
  },
  { template: '/api/experiments/:id/abandon', targets: (w) => ids(w.experimentRunning, w.experimentDesigned), fields: reason },

  {
    template: '/api/collaborations',
    targets: () => [{}],
    repeatable: true,
    fields: {
      title: text(T.title),
      partnerOrganisationId: ref('organisation'),
      themes: { kind: 'themes', required: true },
      agreedOn: date(false),
      description: opt(T.long),
    },
  },
  {
    template: '/api/collaborations/:id/parties',
    targets: (w) => ids(w.collaboration),
    repeatable: true,
    fields: { organisationId: ref('organisation'), role: opt(T.short) },
  },
  {
    template: '/api/collaborations/:id/activities',
    targets: (w) => ids(w.collaboration),
    repeatable: true,
    fields: { title: text(T.title), description: opt(T.long), plannedFor: { kind: 'period' } },
  },
  {
    template: '/api/collaborations/:id/activities/:activityId/start',
    targets: (w) => [{ id: w.collaboration, activityId: w.activityPlanned }],
    fields: none,
  },
  {
    template: '/api/collaborations/:id/activities/:activityId/complete',
    targets: (w) => [{ id: w.collaboration, activityId: w.activityStarted }],
    fields: { outcome: opt(T.long) },
  },
  {
    template: '/api/collaborations/:id/initiatives',
    targets: (w) => ids(w.collaboration),
    repeatable: true,
    fields: { name: text(T.name), kind: oneOf(INITIATIVE_KINDS), programme: opt(T.name), confidence: oneOf(INITIATIVE_CONFIDENCES) },
  },
  {
    template: '/api/collaborations/:id/initiatives/:initiativeId/confirm',
    targets: (w) => [{ id: w.collaboration, initiativeId: w.initiativeTentative }],
    fields: none,
  },
  {
    template: '/api/collaborations/:id/initiatives/:initiativeId/drop',
    targets: (w) => [{ id: w.collaboration, initiativeId: w.initiativeConfirmed }],
    fields: reason,
  },
  { template: '/api/collaborations/:id/conclude', targets: (w) => ids(w.collaboration), fields: { summary: text(T.long) } },

  {
    template: '/api/networks',
    targets: () => [{}],
    repeatable: true,
    fields: {
      name: text(T.name),
      kind: oneOf(NETWORK_KINDS),
      area: opt(T.name),
      purpose: opt(T.long),
      ledByOrganisationId: ref('organisation', false),
      ledSince: date(false),
    },
  },
  { template: '/api/networks/:id/lead', targets: (w) => ids(w.network), fields: { organisationId: ref('organisation'), since: date() } },
  { template: '/api/networks/:id/partners', targets: (w) => ids(w.network), fields: { organisationId: ref('organisation') } },
  {
    template: '/api/networks/:id/partners/:organisationId/leave',
    targets: (w) => [{ id: w.network, organisationId: w.organisationB }],
    fields: none,
  },
  { template: '/api/networks/:id/members', targets: (w) => ids(w.network), fields: { personId: ref('person') } },
  { template: '/api/networks/:id/members/:personId/leave', targets: (w) => [{ id: w.network, personId: w.personA }], fields: none },
  {
    template: '/api/networks/:id/headcounts',
    targets: (w) => ids(w.network),
    repeatable: true,
    fields: { partners: { kind: 'count', max: 10_000_000 }, members: { kind: 'count', max: 10_000_000 } },
  },
  {
    template: '/api/networks/:id/method-adoptions',
    targets: (w) => ids(w.network),
    repeatable: true,
    fields: { city: text(100), stage: oneOf(METHOD_ADOPTION_STAGES) },
  },

  {
    template: '/api/gatherings',
    targets: () => [{}],
    repeatable: true,
    fields: {
      title: text(T.title),
      kind: oneOf(GATHERING_KINDS),
      heldOn: date(),
      participantCount: { kind: 'count', max: 100_000 },
      organiserOrganisationId: ref('organisation', false),
      purpose: opt(T.long),
    },
  },
  {
    template: '/api/gatherings/:id/insights',
    targets: (w) => ids(w.gathering),
    repeatable: true,
    fields: { observation: text(T.long), learning: opt(T.long), themes: { kind: 'themes', required: false } },
  },
  { template: '/api/gatherings/:id/insights/:insightId/retract', targets: (w) => [{ id: w.gathering, insightId: w.insightId }], fields: reason },
];

/**
 * Accounts: only ever sent with a broken body, path or header (a valid logout, token revocation or role change
 * would pull the test principal's rights from under the run).
 */
COMMAND_ROUTES.push(
  {
    template: '/api/auth/login',
    targets: () => [{}],
    plain: true,
    fields: { email: { kind: 'email' }, password: { kind: 'secret', min: 0, max: 256 } },
  },
  {
    template: '/api/auth/password',
    targets: () => [{}],
    fields: { currentPassword: { kind: 'secret', min: 0, max: 256 }, newPassword: { kind: 'secret', min: 12, max: 256 } },
  },
  { template: '/api/auth/tokens', targets: () => [{}], fields: { name: text(100) } },
  {
    template: '/api/users',
    targets: () => [{}],
    fields: {
      email: { kind: 'email' },
      name: text(T.name),
      role: oneOf(USER_ROLES),
      organisationId: ref('organisation', false),
      personId: ref('person', false),
    },
  },
  {
    template: '/api/users/:id/role',
    targets: (w) => ids(w.user),
    fields: { role: oneOf(USER_ROLES), organisationId: ref('organisation', false), personId: ref('person', false) },
  },
  { template: '/api/users/:id/disable', targets: (w) => ids(w.user), fields: none },
  { template: '/api/users/:id/password-reset', targets: (w) => ids(w.user), fields: none },
);

/** Milestones, learnings and attached experiments: the same routes on collaborations and networks. */
for (const [collection, owner] of [
  ['collaborations', 'collaboration'],
  ['networks', 'network'],
] as const) {
  const own = (w: World) => (owner === 'collaboration' ? w.collaboration : w.network);
  COMMAND_ROUTES.push(
    {
      template: `/api/${collection}/:id/milestones`,
      targets: (w) => ids(own(w)),
      repeatable: true,
      fields: { title: text(T.title), due: date(false) },
    },
    {
      template: `/api/${collection}/:id/milestones/:milestoneId/achieve`,
      targets: (w) => [{ id: own(w), milestoneId: owner === 'collaboration' ? w.collaborationMilestoneId : w.networkMilestoneId }],
      fields: none,
    },
    { template: `/api/${collection}/:id/learnings`, targets: (w) => ids(own(w)), repeatable: true, fields: learning },
    {
      template: `/api/${collection}/:id/learnings/:learningId/retract`,
      targets: (w) => [{ id: own(w), learningId: owner === 'collaboration' ? w.collaborationLearningId : w.networkLearningId }],
      fields: reason,
    },
    { template: `/api/${collection}/:id/experiments`, targets: (w) => ids(own(w)), fields: { experimentId: ref('experiment') } },
  );
}

const timeTravel: Record<string, QueryKind> = { asOf: 'instant', knownAt: 'knownAt' };
const timeline: Record<string, QueryKind> = { ...timeTravel, lang: 'lang', limit: 'limit', cursor: 'cursor' };
const list: Record<string, QueryKind> = { limit: 'limit', cursor: 'cursor', q: 'text200' };
const report: Record<string, QueryKind> = { lang: 'lang', atPosition: 'position' };

const entity = (kind: EntityKind, w: World): string[] =>
  ({
    organisation: [w.organisationA, w.organisationB],
    person: [w.personA, w.personB],
    experiment: [w.experimentDesigned, w.experimentRunning, w.experimentConcluded],
    collaboration: [w.collaboration],
    network: [w.network],
    gathering: [w.gathering],
  })[kind];

const COLLECTIONS: Array<[string, EntityKind, Record<string, QueryKind>]> = [
  ['organisations', 'organisation', { ...list, kind: { enum: ORGANISATION_KINDS } }],
  ['people', 'person', list],
  [
    'experiments',
    'experiment',
    { ...list, status: { enum: EXPERIMENT_LIST_STATUSES }, theme: 'theme', leadId: 'uuid', collaborationId: 'uuid', networkId: 'uuid' },
  ],
  ['collaborations', 'collaboration', { ...list, status: { enum: COLLABORATION_LIST_STATUSES }, theme: 'theme', partnerOrganisationId: 'uuid' }],
  ['networks', 'network', { ...list, kind: { enum: NETWORK_KINDS } }],
  ['gatherings', 'gathering', { ...list, kind: { enum: GATHERING_KINDS }, from: 'date', to: 'date' }],
];

/** Every read route: lists, entities, timelines, learnings, reports, audit and health. */
export const READ_ROUTES: ReadRoute[] = [
  { template: '/health', targets: () => [{}], query: {} },
  ...COLLECTIONS.flatMap(([collection, kind, query]): ReadRoute[] => [
    { template: `/api/${collection}`, targets: () => [{}], query },
    { template: `/api/${collection}/:id`, targets: (w) => ids(...entity(kind, w)), query: timeTravel },
    {
      template: `/api/${collection}/:id/timeline`,
      targets: (w) => ids(...entity(kind, w)),
      query: kind === 'experiment' ? { ...timeTravel, lang: 'lang' } : timeline,
    },
  ]),
  { template: '/api/people/:id/export', targets: (w) => ids(w.personA), query: {} },
  { template: '/api/timeline', targets: () => [{}], query: { ...timeline, from: 'instant', to: 'instant', theme: 'theme' } },
  {
    template: '/api/learnings',
    targets: () => [{}],
    query: {
      ...list,
      theme: 'theme',
      source: { enum: LEARNING_SOURCE_KINDS },
      decision: { enum: LEARNING_DECISIONS },
      from: 'instant',
      to: 'instant',
      includeRetracted: 'boolean',
    },
  },
  {
    template: '/api/reports/learning-summary',
    targets: () => [{}],
    query: { ...report, format: { enum: DOCUMENT_FORMATS }, from: 'instant', to: 'instant', theme: 'theme', collaborationId: 'uuid' },
  },
  { template: '/api/reports/collaborations/:id', targets: (w) => ids(w.collaboration), query: { ...report, format: { enum: DOCUMENT_FORMATS } } },
  { template: '/api/reports/networks/:id/growth', targets: (w) => ids(w.network), query: { ...report, format: { enum: ['json', 'svg'] } } },
  {
    template: '/api/audit',
    targets: () => [{}],
    query: {
      stream: 'stream',
      actor: 'actor',
      type: { enum: AUDITED_EVENT_TYPES },
      from: 'instant',
      to: 'instant',
      limit: 'limit',
      cursor: 'cursor',
      format: { enum: ['json', 'csv'] },
    },
  },
  { template: '/api/audit/verify', targets: () => [{}], query: {} },
  { template: '/api/auth/me', targets: () => [{}], query: {} },
  { template: '/api/auth/csrf', targets: () => [{}], query: {} },
  { template: '/api/auth/tokens', targets: () => [{}], query: {} },
  { template: '/api/users', targets: () => [{}], query: {} },
  { template: '/api/users/:id', targets: (w) => ids(w.user), query: {} },
  { template: '/api/users/:id/history', targets: (w) => ids(w.user), query: {} },
  { template: '/api/audit/export', targets: () => [{}], query: {} },
  { template: '/api/audit/public-key', targets: () => [{}], query: {} },
];

/** Fills a template's `:name` parameters (already URL-encoded by the caller). */
export function fillPath(template: string, params: Params): string {
  return template.replace(/:([A-Za-z]+)/g, (_, name: string) => params[name] ?? `:${name}`);
}

/** The `:name` parameters of a template, in order. */
export function pathParams(template: string): string[] {
  return [...template.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
}

/** Entity kind of a path parameter, to pick a wrong-kind id. */
export function paramEntity(template: string, name: string): EntityKind | null {
  if (name !== 'id') {
    return name === 'organisationId' ? 'organisation' : name === 'personId' ? 'person' : null;
  }
  const collection = template.split('/')[template.startsWith('/api/reports/') ? 3 : 2];
  if (collection === 'users') return null;
  const kinds: Record<string, EntityKind> = {
    organisations: 'organisation',
    people: 'person',
    experiments: 'experiment',
    collaborations: 'collaboration',
    networks: 'network',
    gatherings: 'gathering',
  };
  return kinds[collection] ?? null;
}
