import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStore } from '#event-store';
import { createEntity, UNKNOWN_ID } from '../support/entity-requests.js';
import { TestApp, testCard, type Reply, type TestClient, type TestUser } from '../support/test-app.js';

interface Page<T = { id: string }> {
  items: T[];
  nextCursor: string | null;
}

const learningCard = {
  observation: 'Residents came when invited by neighbours',
  learning: 'Recruit through local ambassadors',
  decision: 'persevere',
  reliability: 'medium',
  themes: ['citizen participation'],
};
const milestone = { title: 'Pilot street chosen' };

/** A 404 problem with the id it names replaced, to compare "outside your scope" with "does not exist". */
function notFound(reply: Reply, id: string): Record<string, unknown> {
  expect({ status: reply.status, type: reply.headers['content-type'] }).toEqual({ status: 404, type: expect.stringContaining('application/problem+json') });
  return JSON.parse(reply.body.split(id).join('<id>')) as Record<string, unknown>;
}

const ids = (reply: Reply) => reply.json<Page>().items.map((item) => item.id).sort();

/**
 * Roles and scopes over every endpoint family. Staff (the TestApp's own principal) may do everything; a lead
 * designs experiments and writes to those they lead; a partner reads what their organisation is a party to and
 * gets the 404 of an unknown id for everything else; nobody signed in gets 401.
 */
describe('access: roles and partner scoping', () => {
  let app: TestApp;
  let partnerOrg: string;
  let otherOrg: string;
  let leadPerson: string;
  let otherPerson: string;
  /** C1: the partner's own; C2: someone else's; C3: someone else's, joined by the partner's organisation as a party. */
  let c1: string;
  let c2: string;
  let c3: string;
  let network: string;
  let gathering: string;
  /** E1 designed within C1 and led by the lead; E2 led by another person, attached nowhere; E3 in C2; E4 attached to C3. */
  let e1: string;
  let e2: string;
  let e3: string;
  let e4: string;
  let lead: TestUser;
  let partner: TestUser;
  let anonymous: TestClient;

  beforeAll(async () => {
    app = await TestApp.start();
    anonymous = app.anonymous();
    partnerOrg = await createEntity(app, '/api/organisations', { name: 'Trondheim kommune (test data)', kind: 'municipality' });
    otherOrg = await createEntity(app, '/api/organisations', { name: 'Bergen kommune (test data)', kind: 'municipality' });
    leadPerson = await createEntity(app, '/api/people', { name: 'Lea Lead' });
    otherPerson = await createEntity(app, '/api/people', { name: 'Otto Other' });
    const agreement = (partnerOrganisationId: string, title: string) => ({ title, partnerOrganisationId, themes: ['citizen participation'] });
    c1 = await createEntity(app, '/api/collaborations', agreement(partnerOrg, 'Green living in Trondheim'));
    c2 = await createEntity(app, '/api/collaborations', agreement(otherOrg, 'Bergen mobility'));
    c3 = await createEntity(app, '/api/collaborations', agreement(otherOrg, 'West coast energy'));
    expect((await app.post(`/api/collaborations/${c3}/parties`, { organisationId: partnerOrg, role: 'co-funder' })).status).toBe(200);
    network = await createEntity(app, '/api/networks', { name: 'Pådriv (test data)', kind: 'network' });
    gathering = await createEntity(app, '/api/gatherings', { title: 'Public heroes (test data)', kind: 'workshop', heldOn: '2019-03-14' });
    e1 = await createEntity(app, '/api/experiments', testCard({ title: 'E1 pop-up', leadId: leadPerson, collaborationId: c1 }));
    e2 = await createEntity(app, '/api/experiments', testCard({ title: 'E2 elsewhere', leadId: otherPerson }));
    e3 = await createEntity(app, '/api/experiments', testCard({ title: 'E3 in Bergen', collaborationId: c2 }));
    e4 = await createEntity(app, '/api/experiments', testCard({ title: 'E4 on the coast' }));
    expect((await app.post(`/api/collaborations/${c3}/experiments`, { experimentId: e4 })).status).toBe(200);
    for (const id of [e1, e2, e3]) expect((await app.post(`/api/experiments/${id}/start`)).status).toBe(200);
    for (const path of [`experiments/${e1}`, `experiments/${e2}`, `collaborations/${c1}`, `collaborations/${c2}`, `networks/${network}`]) {
      expect((await app.post(`/api/${path}/learnings`, learningCard)).status).toBe(200);
    }
    expect((await app.post(`/api/gatherings/${gathering}/insights`, { observation: 'Caseworkers want permission' })).status).toBe(200);
    lead = await app.newUser({ role: 'lead', personId: leadPerson });
    partner = await app.newUser({ role: 'partner', organisationId: partnerOrg });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  describe('nobody signed in: 401 problem+json on every family, public routes stay open', () => {
    it.each([
      ['GET', '/api/organisations'],
      ['GET', '/api/people'],
      ['GET', '/api/experiments'],
      ['GET', '/api/collaborations'],
      ['GET', '/api/networks'],
      ['GET', '/api/gatherings'],
      ['GET', '/api/timeline'],
      ['GET', '/api/learnings'],
      ['GET', '/api/reports/learning-summary'],
      ['GET', '/api/audit'],
      ['GET', '/api/users'],
      ['GET', '/api/auth/me'],
      ['POST', '/api/organisations'],
      ['POST', '/api/experiments'],
      ['POST', '/api/users'],
      ['POST', '/api/auth/tokens'],
      ['POST', '/api/auth/logout'],
    ] as const)('%s %s → 401', async (method, path) => {
      const reply = await anonymous.request(method, path, method === 'POST' ? { body: { anything: 'at all' } } : {});
      expect(reply.status).toBe(401);
      expect(reply.headers['content-type']).toContain('application/problem+json');
      expect(reply.headers['www-authenticate']).toContain('Bearer');
      expect(reply.json()).toMatchObject({ status: 401, type: '/problems/unauthenticated' });
    });

    it('entity routes answer 401 before anything about the id', async () => {
      for (const path of [`/api/collaborations/${c1}`, `/api/collaborations/${UNKNOWN_ID}`, `/api/experiments/${e1}/timeline`, `/api/reports/collaborations/${c1}`]) {
        expect((await anonymous.get(path)).status).toBe(401);
      }
      expect((await anonymous.post(`/api/experiments/${e1}/steps`, { description: 'sneaky' })).status).toBe(401);
    });

    it('a bogus or malformed bearer token is a 401, not a fallback to anything else', async () => {
      for (const authorization of ['Bearer trk_nonsense', 'Basic YWRtaW46YWRtaW4=', 'Bearer', `Bearer ${app.staffToken}x`]) {
        expect((await anonymous.get('/api/experiments', { authorization })).status).toBe(401);
      }
    });

    it('health, the API docs and sign-in stay public', async () => {
      expect((await anonymous.get('/health')).status).toBe(200);
      expect((await anonymous.get('/docs-json')).status).toBe(200);
      expect((await anonymous.post('/api/auth/login', { email: 'nobody@example.org', password: 'wrong wrong wrong' })).status).toBe(401);
    });
  });

  describe('staff: everything', () => {
    it('reads and writes every family, administers users', async () => {
      for (const path of ['/api/organisations', '/api/people', '/api/experiments', '/api/collaborations', '/api/networks', '/api/gatherings',
        '/api/timeline', '/api/learnings', '/api/audit', '/api/users', `/api/reports/collaborations/${c2}`, `/api/reports/networks/${network}/growth`,
        `/api/people/${otherPerson}/timeline`, `/api/users/${lead.id}`, `/api/users/${lead.id}/history`]) {
        expect({ path, status: (await app.get(path)).status }).toEqual({ path, status: 200 });
      }
      expect((await app.post(`/api/experiments/${e2}/steps`, { description: 'staff may log anywhere' })).status).toBe(200);
      expect((await app.post(`/api/networks/${network}/milestones`, milestone)).status).toBe(200);
      expect((await app.post(`/api/organisations/${otherOrg}/rename`, { name: 'Bergen kommune (renamed, test data)' })).status).toBe(200);
    });
  });

  describe('lead: designs experiments and writes to those they lead; reads internal data', () => {
    it('reads every family but user administration', async () => {
      for (const path of ['/api/organisations', '/api/people', '/api/experiments', '/api/collaborations', '/api/networks', '/api/gatherings',
        '/api/timeline', '/api/learnings', '/api/audit', `/api/collaborations/${c2}`, `/api/experiments/${e2}`, `/api/experiments/${e2}/timeline`,
        `/api/networks/${network}/timeline`, `/api/reports/collaborations/${c2}`, '/api/reports/learning-summary?format=json']) {
        expect({ path, status: (await lead.client.get(path)).status }).toEqual({ path, status: 200 });
      }
      expect((await lead.client.get('/api/users')).status).toBe(403);
      expect((await lead.client.get(`/api/users/${partner.id}`)).status).toBe(403);
      expect((await lead.client.post('/api/users', { email: 'x@example.org', name: 'X', role: 'staff' })).status).toBe(403);
      expect((await lead.client.post(`/api/users/${partner.id}/disable`)).status).toBe(403);
    });

    it('designs an experiment led by their own person (leadId defaults to it); the actor is the lead', async () => {
      const created = await lead.client.post('/api/experiments', testCard({ title: 'Lead designs', collaborationId: c2 }));
      expect(created.status).toBe(201);
      const { id } = created.json<{ id: string }>();
      expect((await app.get(`/api/experiments/${id}`)).json()).toMatchObject({ leadId: leadPerson });
      const events = await app.app.get(EventStore).readStream(`experiment-${id}`);
      expect(events.map((e) => e.metadata.actor)).toEqual([{ id: lead.id, role: 'lead' }]);
      expect((await lead.client.post('/api/experiments', testCard({ leadId: leadPerson }))).status).toBe(201);
      expect((await lead.client.post('/api/experiments', testCard({ leadId: otherPerson }))).status).toBe(403);
    });

    it('writes to an experiment they lead; another lead’s is 403, an unknown one 404', async () => {
      expect((await lead.client.post(`/api/experiments/${e1}/steps`, { description: 'Interviewed 12 residents' })).status).toBe(200);
      expect((await lead.client.post(`/api/experiments/${e1}/measurements`, { value: 12 })).status).toBe(200);
      expect((await lead.client.post(`/api/experiments/${e1}/revise`, { leadId: otherPerson, reason: 'hand over' })).status).toBe(403);
      expect((await lead.client.post(`/api/experiments/${e1}/steps`, { description: '' })).status).toBe(400);
      expect((await lead.client.post(`/api/experiments/${e2}/steps`, { description: 'not mine' })).status).toBe(403);
      expect((await lead.client.post(`/api/experiments/${e2}/steps`, { description: '' })).status).toBe(403);
      expect((await lead.client.post(`/api/experiments/${UNKNOWN_ID}/steps`, { description: 'nothing' })).status).toBe(404);
    });

    it('may not write to organisations, people, collaborations, networks or gatherings (403)', async () => {
      for (const [path, body] of [
        ['/api/organisations', { name: 'Lead org', kind: 'ngo' }],
        [`/api/organisations/${partnerOrg}/rename`, { name: 'Renamed' }],
        ['/api/people', { name: 'Someone' }],
        [`/api/people/${leadPerson}/revise`, { name: 'Lea L.' }],
        ['/api/collaborations', { title: 'x', partnerOrganisationId: partnerOrg, themes: [] }],
        [`/api/collaborations/${c1}/milestones`, milestone],
        [`/api/collaborations/${c1}/experiments`, { experimentId: e2 }],
        ['/api/networks', { name: 'x', kind: 'network' }],
        [`/api/networks/${network}/learnings`, learningCard],
        ['/api/gatherings', { title: 'x', kind: 'meeting', heldOn: '2019-01-01' }],
        [`/api/gatherings/${gathering}/insights`, { observation: 'x' }],
      ] as const) {
        expect({ path, status: (await lead.client.post(path, body)).status }).toEqual({ path, status: 403 });
      }
    });
  });

  describe('partner: their collaborations and attached experiments, read-only; everything else is an unknown id', () => {
    it('reads their collaborations (as partner or party), those experiments, timelines and reports', async () => {
      for (const path of [
        `/api/collaborations/${c1}`,
        `/api/collaborations/${c3}`,
        `/api/collaborations/${c1}/timeline`,
        `/api/experiments/${e1}`,
        `/api/experiments/${e4}`,
        `/api/experiments/${e1}/timeline`,
        `/api/reports/collaborations/${c1}?format=json`,
        `/api/reports/collaborations/${c3}?format=md`,
        `/api/reports/learning-summary?collaborationId=${c1}&format=json`,
        '/api/auth/me',
      ]) {
        expect({ path, status: (await partner.client.get(path)).status }).toEqual({ path, status: 200 });
      }
      expect((await partner.client.get('/api/auth/me')).json()).toMatchObject({ id: partner.id, role: 'partner', organisationId: partnerOrg });
    });

    it('gets the same 404 for what exists outside the scope as for what does not exist at all', async () => {
      const cases: Array<[string, string]> = [
        [`/api/collaborations/${c2}`, c2],
        [`/api/collaborations/${c2}/timeline`, c2],
        [`/api/experiments/${e2}`, e2],
        [`/api/experiments/${e3}`, e3],
        [`/api/experiments/${e3}/timeline`, e3],
        [`/api/reports/collaborations/${c2}`, c2],
        [`/api/reports/networks/${network}/growth`, network],
        [`/api/organisations/${partnerOrg}`, partnerOrg],
        [`/api/organisations/${otherOrg}/timeline`, otherOrg],
        [`/api/people/${leadPerson}`, leadPerson],
        [`/api/networks/${network}`, network],
        [`/api/gatherings/${gathering}/timeline`, gathering],
        [`/api/users/${lead.id}`, lead.id],
      ];
      for (const [path, id] of cases) {
        const unknown = path.replace(id, UNKNOWN_ID);
        const outside = notFound(await partner.client.get(path), id);
        expect({ path, body: notFound(await partner.client.get(unknown), UNKNOWN_ID) }).toEqual({ path, body: outside });
        if (!path.startsWith('/api/users')) {
          expect({ path, body: notFound(await app.get(unknown), UNKNOWN_ID) }).toEqual({ path, body: outside });
        }
      }
      const summary = await partner.client.get(`/api/reports/learning-summary?collaborationId=${c2}`);
      expect(notFound(summary, c2)).toEqual(notFound(await app.get(`/api/reports/learning-summary?collaborationId=${UNKNOWN_ID}`), UNKNOWN_ID));
      expect((await partner.client.get('/api/reports/learning-summary')).status).toBe(404);
    });

    it('lists, the timeline, the learning library and the audit trail hold only their scope', async () => {
      expect(ids(await partner.client.get('/api/collaborations'))).toEqual([c1, c3].sort());
      expect(ids(await partner.client.get('/api/experiments'))).toEqual([e1, e4].sort());
      expect(ids(await partner.client.get(`/api/experiments?collaborationId=${c2}`))).toEqual([]);
      for (const path of ['/api/organisations', '/api/people', '/api/networks', '/api/gatherings']) {
        expect({ path, items: ids(await partner.client.get(path)) }).toEqual({ path, items: [] });
      }
      const mine = new Set([`collaboration-${c1}`, `collaboration-${c3}`, `experiment-${e1}`, `experiment-${e4}`]);
      const timeline = (await partner.client.get('/api/timeline?limit=200')).json<Page<{ stream: string }>>().items;
      expect(timeline.length).toBeGreaterThan(3);
      expect(timeline.filter((entry) => !mine.has(entry.stream))).toEqual([]);
      const learnings = (await partner.client.get('/api/learnings')).json<Page<{ source: { kind: string; id: string } }>>().items;
      expect(learnings.map((l) => `${l.source.kind}-${l.source.id}`).sort()).toEqual([`collaboration-${c1}`, `experiment-${e1}`].sort());
      const audit = (await partner.client.get('/api/audit?limit=200')).json<Page<{ stream: string }>>().items;
      expect(new Set(audit.map((entry) => entry.stream))).toEqual(mine);
      expect((await partner.client.get(`/api/audit?stream=collaboration-${c2}`)).json<Page>().items).toEqual([]);
      const csv = await partner.client.get('/api/audit?format=csv');
      expect(csv.status).toBe(200);
      expect(csv.body).not.toContain(c2);
      expect(csv.body).not.toContain(e2);
    });

    it('writes in scope are 403 (before the body is validated); out of scope 404, whatever the body', async () => {
      for (const [path, body] of [
        [`/api/collaborations/${c1}/milestones`, milestone],
        [`/api/collaborations/${c1}/milestones`, { title: '' }],
        [`/api/collaborations/${c3}/learnings`, learningCard],
        [`/api/experiments/${e1}/steps`, { description: 'partner note' }],
        [`/api/experiments/${e4}/abandon`, { nonsense: true }],
        ['/api/experiments', testCard()],
        ['/api/organisations', { name: 'x', kind: 'ngo' }],
        ['/api/collaborations', {}],
      ] as const) {
        expect({ path, status: (await partner.client.post(path, body)).status }).toEqual({ path, status: 403 });
      }
      for (const [path, body, id] of [
        [`/api/collaborations/${c2}/milestones`, milestone, c2],
        [`/api/collaborations/${c2}/milestones`, { title: '' }, c2],
        [`/api/experiments/${e2}/steps`, { description: 'x' }, e2],
        [`/api/experiments/${e3}/start`, 'not even json-shaped', e3],
        [`/api/organisations/${partnerOrg}/rename`, { name: 'Mine now' }, partnerOrg],
        [`/api/networks/${network}/partners`, { organisationId: partnerOrg }, network],
        [`/api/gatherings/${gathering}/insights`, {}, gathering],
        [`/api/users/${lead.id}/disable`, {}, lead.id],
      ] as const) {
        const reply = await partner.client.request('POST', path, { body: typeof body === 'string' ? { body } : body });
        expect({ path, status: reply.status }).toEqual({ path, status: 404 });
        const unknown = await partner.client.request('POST', path.replace(id, UNKNOWN_ID), { body: typeof body === 'string' ? { body } : body });
        expect(notFound(reply, id)).toEqual(notFound(unknown, UNKNOWN_ID));
      }
      expect((await partner.client.get('/api/users')).status).toBe(404);
      expect(notFound(await partner.client.post('/api/users', { email: 'x@example.org' }), 'users')).toEqual(
        notFound(await partner.client.post('/api/no-such-route', {}), 'no-such-route'),
      );
    });

    it('a party that joins later widens the scope at once; nothing written by the partner', async () => {
      expect((await partner.client.get(`/api/collaborations/${c2}`)).status).toBe(404);
      expect((await app.post(`/api/collaborations/${c2}/parties`, { organisationId: partnerOrg })).status).toBe(200);
      expect((await partner.client.get(`/api/collaborations/${c2}`)).status).toBe(200);
      expect((await partner.client.get(`/api/experiments/${e3}`)).status).toBe(200);
      const store = app.app.get(EventStore);
      const written: string[] = [];
      for await (const batch of store.readAll()) written.push(...batch.filter((e) => e.metadata.actor.id === partner.id && !e.streamId.startsWith('user-')).map((e) => e.type));
      expect(written).toEqual([]);
    });
  });

  describe('Idempotency-Key is scoped by principal', () => {
    it('the same key, path and body from two principals are two commands; each replays only its own', async () => {
      const key = 'shared-key-0001';
      const body = testCard({ title: 'Same key', leadId: leadPerson });
      const byStaff = await app.post('/api/experiments', body, { 'idempotency-key': key });
      const byLead = await lead.client.post('/api/experiments', body, { 'idempotency-key': key });
      expect([byStaff.status, byLead.status]).toEqual([201, 201]);
      expect(byLead.headers['idempotent-replayed']).toBeUndefined();
      const staffId = byStaff.json<{ id: string }>().id;
      const leadId = byLead.json<{ id: string }>().id;
      expect(leadId).not.toBe(staffId);
      const again = await lead.client.post('/api/experiments', body, { 'idempotency-key': key });
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json<{ id: string }>().id).toBe(leadId);
      expect((await app.post('/api/experiments', body, { 'idempotency-key': key })).json<{ id: string }>().id).toBe(staffId);
    });
  });
});
