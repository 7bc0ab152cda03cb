import { NotFoundException } from '@nestjs/common';
import { NotFoundError, type UserRole } from '#domain';
import { EntityIdPipe } from '../http/entity-id.pipe.js';
import { ProblemException } from '../http/problem.js';
import type { PartnerScope, Principal } from './principal.js';

/** The collection under /api → the entity its `:id` names. */
const ENTITY_OF_COLLECTION: Readonly<Record<string, string>> = {
  organisations: 'organisation',
  people: 'person',
  experiments: 'experiment',
  collaborations: 'collaboration',
  networks: 'network',
  gatherings: 'gathering',
  users: 'user',
};

/** Reads a partner may make on an entity in scope (route patterns). */
const PARTNER_ENTITY_READS: ReadonlySet<string> = new Set([
  '/api/collaborations/:id',
  '/api/collaborations/:id/timeline',
  '/api/experiments/:id',
  '/api/experiments/:id/timeline',
  '/api/reports/collaborations/:id',
]);

/** Collection reads a partner may make; the handlers cut them down to the partner's scope. */
const PARTNER_FILTERED_READS: ReadonlySet<string> = new Set([
  '/api/organisations',
  '/api/people',
  '/api/experiments',
  '/api/collaborations',
  '/api/networks',
  '/api/gatherings',
  '/api/timeline',
  '/api/learnings',
  '/api/audit',
  // Tamper evidence of the whole log (the export carries events outside the partner's scope as hashes only).
  '/api/audit/verify',
  '/api/audit/export',
]);

/** A partner may build the learning summary of a collaboration in scope (`collaborationId` required). */
const LEARNING_SUMMARY = '/api/reports/learning-summary';
/** Leads design experiments here and write to those they lead below it. */
const EXPERIMENTS = '/api/experiments';

/** What one request asks for, as the access policy sees it. */
export interface AccessRequest {
  method: string;
  /** The route pattern, e.g. `/api/collaborations/:id/milestones`. */
  route: string;
  params: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, unknown>>;
  body: unknown;
  /** `@Roles(...)` of the route, if any. */
  roles: readonly UserRole[] | undefined;
}

/** What the policy needs to look up, lazily (only for the requests that need it). */
export interface AccessLookups {
  partnerScope(): PartnerScope;
  /** The lead (a person id) of an existing experiment, null when it has none; undefined when it does not exist. */
  experimentLead(id: string): Promise<string | null | undefined>;
}

/** The entity a route's `:id` names: `/api/<collection>/:id/…` or `/api/reports/<collection>/:id/…`. */
export function routeTarget(route: string, params: AccessRequest['params']): { entity: string; id: string } | null {
  const parts = route.split('/').filter((part) => part !== '');
  if (parts[0] !== 'api') return null;
  const offset = parts[1] === 'reports' ? 2 : 1;
  const entity = ENTITY_OF_COLLECTION[parts[offset] ?? ''];
  const id = params.id;
  if (entity === undefined || parts[offset + 1] !== ':id' || typeof id !== 'string') return null;
  return { entity, id };
}

const SAFE = new Set(['GET', 'HEAD']);

function forbidden(detail: string): ProblemException {
  return new ProblemException(403, 'forbidden', detail);
}

/**
 * The same 404 an unknown id gets: a malformed id as the id pipe words it, otherwise `<entity>.not-found`;
 * a route without an entity answers as if it did not exist.
 */
function notFound(target: { entity: string; id: string } | null): Error {
  if (target === null) return new NotFoundException();
  new EntityIdPipe().transform(target.id);
  return new NotFoundError(target.entity, target.id.toLowerCase());
}

/**
 * Decides whether `principal` may make `request`, in the order the API promises: scope (404) before role (403).
 * Throws the refusal; returns when allowed. Authentication (401) and CSRF come before, in the guard.
 *
 * - staff: everything.
 * - lead: reads everything but routes with `@Roles` that leave leads out (403); designs experiments they lead
 *   (leadId absent = their person) and writes to experiments whose lead is their person; any other write → 403.
 * - partner: nothing outside their scope, answered with the same 404 as an unknown id; inside it, reads of their
 *   collaborations and attached experiments (entity, timeline, report), filtered lists, timeline, learnings and
 *   audit trail, and the learning summary of one of their collaborations; every write in scope → 403.
 */
export async function authorise(principal: Principal, request: AccessRequest, lookups: AccessLookups): Promise<void> {
  const target = routeTarget(request.route, request.params);
  if (principal.role === 'partner') return authorisePartner(request, target, lookups);
  if (request.roles !== undefined) {
    if (!request.roles.includes(principal.role)) throw forbidden(`A ${principal.role} may not do this`);
    return;
  }
  if (principal.role === 'staff' || SAFE.has(request.method)) return;
  return authoriseLeadWrite(principal, request, target, lookups);
}

function authorisePartner(request: AccessRequest, target: { entity: string; id: string } | null, lookups: AccessLookups): void {
  if (request.roles !== undefined) {
    if (!request.roles.includes('partner')) throw notFound(target);
    return;
  }
  const safe = SAFE.has(request.method);
  if (target !== null) {
    const scope = lookups.partnerScope();
    const id = target.id.toLowerCase();
    const inScope =
      (target.entity === 'collaboration' && scope.collaborations.has(id)) || (target.entity === 'experiment' && scope.experiments.has(id));
    if (!inScope) throw notFound(target);
    if (safe && PARTNER_ENTITY_READS.has(request.route)) return;
    throw forbidden('Partners have read-only access');
  }
  if (!safe) throw forbidden('Partners have read-only access');
  if (PARTNER_FILTERED_READS.has(request.route)) return;
  if (request.route === LEARNING_SUMMARY) {
    const requested = request.query.collaborationId;
    const id = typeof requested === 'string' ? requested.toLowerCase() : '';
    if (lookups.partnerScope().collaborations.has(id)) return;
    throw id === '' ? new NotFoundException() : new NotFoundError('collaboration', id);
  }
  throw new NotFoundException();
}

async function authoriseLeadWrite(
  principal: Principal,
  request: AccessRequest,
  target: { entity: string; id: string } | null,
  lookups: AccessLookups,
): Promise<void> {
  const isDesign = request.method === 'POST' && request.route === EXPERIMENTS;
  const onExperiment = target?.entity === 'experiment' && request.route.startsWith(`${EXPERIMENTS}/:id/`);
  if (!isDesign && !onExperiment) throw forbidden('Leads write only to the experiments they lead');
  if (onExperiment && target !== null) {
    new EntityIdPipe().transform(target.id);
    const lead = await lookups.experimentLead(target.id.toLowerCase());
    if (lead === undefined) throw new NotFoundError('experiment', target.id.toLowerCase());
    if (principal.personId === null || lead !== principal.personId) throw forbidden('Leads write only to the experiments they lead');
  }
  if (principal.personId === null) throw forbidden('This account is not linked to a person, so it leads no experiment; ask staff to link it');
  const body = request.body;
  const leadId = typeof body === 'object' && body !== null && 'leadId' in body ? (body as { leadId: unknown }).leadId : undefined;
  if (leadId !== undefined && (typeof leadId !== 'string' || leadId.toLowerCase() !== principal.personId)) {
    throw forbidden('A lead designs and revises experiments they lead themselves: leadId must be their own person');
  }
}
