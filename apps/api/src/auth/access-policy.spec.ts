import { describe, expect, it } from '@jest/globals';
import { NotFoundException } from '@nestjs/common';
import { NotFoundError, type UserRole } from '#domain';
import { ProblemException } from '../http/problem.js';
import { authorise, routeTarget, type AccessLookups, type AccessRequest } from './access-policy.js';
import type { Principal } from './principal.js';

const C1 = '0192f1e2-0000-7000-8000-0000000000c1';
const C2 = '0192f1e2-0000-7000-8000-0000000000c2';
const E1 = '0192f1e2-0000-7000-8000-0000000000e1';
const E2 = '0192f1e2-0000-7000-8000-0000000000e2';
const ORG = '0192f1e2-0000-7000-8000-0000000000a1';
const ME = '0192f1e2-0000-7000-8000-0000000000b1';
const SOMEONE = '0192f1e2-0000-7000-8000-0000000000b2';

function principal(role: UserRole, grant: Partial<Principal> = {}): Principal {
  return {
    id: `${role}-1`,
    role,
    email: `${role}@example.org`,
    name: role,
    organisationId: role === 'partner' ? ORG : null,
    personId: role === 'lead' ? ME : null,
    mustChangePassword: false,
    credential: { kind: 'token', tokenId: 't', expiresAt: null },
    ...grant,
  };
}

const lookups: AccessLookups = {
  partnerScope: () => ({ collaborations: new Set([C1]), experiments: new Set([E1]) }),
  experimentLead: async (id) => (id === E1 ? ME : id === E2 ? SOMEONE : undefined),
};

function request(method: string, route: string, extra: Partial<AccessRequest> = {}): AccessRequest {
  return { method, route, params: {}, query: {}, body: undefined, roles: undefined, ...extra };
}

/** What `authorise` answers: 'ok', or the status it refuses with. */
async function outcome(who: Principal, req: AccessRequest): Promise<'ok' | number> {
  try {
    await authorise(who, req, lookups);
    return 'ok';
  } catch (error) {
    if (error instanceof ProblemException) return error.getStatus();
    if (error instanceof NotFoundError || error instanceof NotFoundException) return 404;
    throw error;
  }
}

describe('access policy', () => {
  it('finds the entity a route names', () => {
    expect(routeTarget('/api/collaborations/:id/milestones', { id: C1 })).toEqual({ entity: 'collaboration', id: C1 });
    expect(routeTarget('/api/reports/networks/:id/growth', { id: C1 })).toEqual({ entity: 'network', id: C1 });
    expect(routeTarget('/api/experiments', {})).toBeNull();
    expect(routeTarget('/api/audit/verify', {})).toBeNull();
  });

  describe('staff', () => {
    it('may do anything', async () => {
      expect(await outcome(principal('staff'), request('POST', '/api/organisations/:id/rename', { params: { id: C2 } }))).toBe('ok');
      expect(await outcome(principal('staff'), request('GET', '/api/users', { roles: ['staff'] }))).toBe('ok');
    });
  });

  describe('lead', () => {
    const lead = principal('lead');

    it('reads everything but routes kept for other roles (403)', async () => {
      expect(await outcome(lead, request('GET', '/api/audit'))).toBe('ok');
      expect(await outcome(lead, request('GET', '/api/collaborations/:id', { params: { id: C2 } }))).toBe('ok');
      expect(await outcome(lead, request('GET', '/api/users', { roles: ['staff'] }))).toBe(403);
    });

    it('designs experiments they lead, and writes to those only', async () => {
      expect(await outcome(lead, request('POST', '/api/experiments', { body: {} }))).toBe('ok');
      expect(await outcome(lead, request('POST', '/api/experiments', { body: { leadId: ME.toUpperCase() } }))).toBe('ok');
      expect(await outcome(lead, request('POST', '/api/experiments', { body: { leadId: SOMEONE } }))).toBe(403);
      expect(await outcome(lead, request('POST', '/api/experiments/:id/steps', { params: { id: E1 } }))).toBe('ok');
      expect(await outcome(lead, request('POST', '/api/experiments/:id/revise', { params: { id: E1 }, body: { leadId: null } }))).toBe(403);
      expect(await outcome(lead, request('POST', '/api/experiments/:id/steps', { params: { id: E2 } }))).toBe(403);
      expect(await outcome(lead, request('POST', '/api/experiments/:id/steps', { params: { id: C2 } }))).toBe(404);
      expect(await outcome(lead, request('POST', '/api/experiments/:id/steps', { params: { id: 'nope' } }))).toBe(404);
    });

    it('without a person, leads nothing', async () => {
      expect(await outcome(principal('lead', { personId: null }), request('POST', '/api/experiments', { body: {} }))).toBe(403);
      expect(await outcome(principal('lead', { personId: null }), request('POST', '/api/experiments/:id/start', { params: { id: E1 } }))).toBe(403);
    });

    it('may not write anything else', async () => {
      for (const route of ['/api/organisations', '/api/collaborations/:id/milestones', '/api/networks/:id/experiments', '/api/gatherings']) {
        expect(await outcome(lead, request('POST', route, { params: { id: C1 } }))).toBe(403);
      }
    });
  });

  describe('partner', () => {
    const partner = principal('partner');

    it('reads entities in scope; the same 404 as an unknown id outside it', async () => {
      expect(await outcome(partner, request('GET', '/api/collaborations/:id', { params: { id: C1 } }))).toBe('ok');
      expect(await outcome(partner, request('GET', '/api/experiments/:id/timeline', { params: { id: E1.toUpperCase() } }))).toBe('ok');
      expect(await outcome(partner, request('GET', '/api/reports/collaborations/:id', { params: { id: C1 } }))).toBe('ok');
      expect(await outcome(partner, request('GET', '/api/collaborations/:id', { params: { id: C2 } }))).toBe(404);
      expect(await outcome(partner, request('GET', '/api/organisations/:id', { params: { id: ORG } }))).toBe(404);
      expect(await outcome(partner, request('GET', '/api/reports/networks/:id/growth', { params: { id: C1 } }))).toBe(404);
    });

    it('gets 403 for any write in scope, 404 outside it, before any body is looked at', async () => {
      expect(await outcome(partner, request('POST', '/api/collaborations/:id/milestones', { params: { id: C1 }, body: 'garbage' }))).toBe(403);
      expect(await outcome(partner, request('POST', '/api/collaborations/:id/milestones', { params: { id: C2 }, body: 'garbage' }))).toBe(404);
      expect(await outcome(partner, request('POST', '/api/experiments'))).toBe(403);
      expect(await outcome(partner, request('DELETE', '/api/experiments/:id', { params: { id: E2 } }))).toBe(404);
    });

    it('reads filtered collections; the learning summary only of a collaboration in scope; nothing else', async () => {
      for (const route of ['/api/experiments', '/api/collaborations', '/api/organisations', '/api/timeline', '/api/learnings', '/api/audit', '/api/audit/verify', '/api/audit/export']) {
        expect(await outcome(partner, request('GET', route))).toBe('ok');
      }
      expect(await outcome(partner, request('GET', '/api/reports/learning-summary', { query: { collaborationId: C1 } }))).toBe('ok');
      expect(await outcome(partner, request('GET', '/api/reports/learning-summary', { query: { collaborationId: C2 } }))).toBe(404);
      expect(await outcome(partner, request('GET', '/api/reports/learning-summary'))).toBe(404);
      expect(await outcome(partner, request('GET', '/api/something-new'))).toBe(404);
    });

    it('uses routes open to partners; routes for other roles answer 404', async () => {
      expect(await outcome(partner, request('GET', '/api/auth/me', { roles: ['staff', 'lead', 'partner'] }))).toBe('ok');
      expect(await outcome(partner, request('GET', '/api/users', { roles: ['staff'] }))).toBe(404);
      expect(await outcome(partner, request('POST', '/api/users/:id/disable', { roles: ['staff'], params: { id: SOMEONE } }))).toBe(404);
    });
  });
});
