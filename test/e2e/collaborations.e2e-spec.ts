import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CollaborationView } from '#projections';
import { badFields, createEntity, expectChanged, expectCreated, expectRule, headPosition, UNKNOWN_ID } from '../support/entity-requests.js';
import { TestApp, testCard } from '../support/test-app.js';

const agreement = (partnerOrganisationId: string, overrides: Record<string, unknown> = {}) => ({
  title: '+CityxChange replication in Trondheim (test data)',
  partnerOrganisationId,
  themes: ['positive energy districts', 'citizen participation'],
  agreedOn: '2018-10-01',
  description: 'Horizon 2020 lighthouse project; e2e test data',
  occurredAt: '2018-10-01',
  ...overrides,
});
const learningCard = {
  observation: 'Residents came when invited by neighbours',
  learning: 'Recruit through local ambassadors',
  decision: 'persevere',
  reliability: 'medium',
  themes: ['citizen participation'],
};

describe('collaborations: every command route, read back through the view', () => {
  let app: TestApp;
  let trondheim: string;
  let ntnu: string;
  beforeAll(async () => {
    app = await TestApp.start();
    trondheim = await createEntity(app, '/api/organisations', { name: 'Trondheim kommune (test data)', kind: 'municipality' });
    ntnu = await createEntity(app, '/api/organisations', { name: 'NTNU (test data)', kind: 'research' });
  });
  afterAll(async () => {
    await app.close();
  });

  const agree = () => createEntity(app, '/api/collaborations', agreement(trondheim));
  const view = async (id: string, query = '') => (await app.get(`/api/collaborations/${id}${query}`)).json<CollaborationView>();
  const on = (id: string, path: string, body: Record<string, unknown> = {}) => app.post(`/api/collaborations/${id}/${path}`, body);

  it('agrees a collaboration: 201 with Location and ETag; the partner is the first party', async () => {
    const id = expectCreated(await app.post('/api/collaborations', agreement(trondheim)), 'collaborations');
    const read = await app.get(`/api/collaborations/${id}`);
    expect(read.headers.etag).toBe('"1"');
    expect(read.json()).toMatchObject({
      id,
      version: 1,
      status: 'active',
      title: '+CityxChange replication in Trondheim (test data)',
      partnerOrganisationId: trondheim,
      themes: ['positive energy districts', 'citizen participation'],
      agreedOn: '2018-10-01',
      parties: [{ organisationId: trondheim, role: null }],
      activities: [],
      initiatives: [],
      milestones: [],
      learnings: [],
      attachedExperimentIds: [],
    });
  });

  it('records parties, activities, initiatives, milestones, learnings, experiments and the conclusion', async () => {
    const id = await agree();
    expectChanged(await on(id, 'parties', { organisationId: ntnu, role: 'research partner' }), id, 2);

    const { activityId } = expectChanged(await on(id, 'activities', { title: 'Citizen innovation camp', plannedFor: '2019-Q2' }), id, 3);
    expectChanged(await on(id, `activities/${activityId as string}/start`, { occurredAt: '2019-04-02' }), id, 4);
    expectChanged(await on(id, `activities/${activityId as string}/complete`, { outcome: '40 residents took part' }), id, 5);

    const eu = { name: '+CityxChange', kind: 'eu-project', programme: 'Horizon 2020', confidence: 'tentative' };
    const { initiativeId } = expectChanged(await on(id, 'initiatives', eu), id, 6);
    expectChanged(await on(id, `initiatives/${initiativeId as string}/confirm`), id, 7);
    const other = expectChanged(await on(id, 'initiatives', { name: 'Nordic Smart City Network', kind: 'programme', confidence: 'tentative' }), id, 8);
    expectChanged(await on(id, `initiatives/${other.initiativeId as string}/drop`, { reason: 'Out of scope for this test' }), id, 9);

    const { milestoneId } = expectChanged(await on(id, 'milestones', { title: 'Replication plan agreed', due: '2019-12-31' }), id, 10);
    expectChanged(await on(id, `milestones/${milestoneId as string}/achieve`), id, 11);

    const { learningId } = expectChanged(await on(id, 'learnings', learningCard), id, 12);
    const wrong = expectChanged(await on(id, 'learnings', { ...learningCard, learning: 'Entered twice by mistake' }), id, 13);
    expectChanged(await on(id, `learnings/${wrong.learningId as string}/retract`, { reason: 'Duplicate entry' }), id, 14);

    const experimentId = await createEntity(app, '/api/experiments', testCard());
    expectChanged(await on(id, 'experiments', { experimentId }), id, 15);
    expectChanged(await on(id, 'conclude', { summary: 'Replication plan handed over (test data)' }), id, 16);

    const read = await app.get(`/api/collaborations/${id}`);
    expect(read.headers.etag).toBe('"16"');
    const v = read.json<CollaborationView>();
    expect(v).toMatchObject({ version: 16, status: 'concluded', summary: 'Replication plan handed over (test data)', attachedExperimentIds: [experimentId] });
    expect(v.parties.map((p) => [p.organisationId, p.role])).toEqual([
      [trondheim, null],
      [ntnu, 'research partner'],
    ]);
    expect(v.activities).toEqual([
      expect.objectContaining({ activityId, status: 'completed', plannedFor: '2019-Q2', startedAt: '2019-04-01T22:00:00.000Z', outcome: '40 residents took part' }),
    ]);
    expect(v.initiatives).toEqual([
      expect.objectContaining({ initiativeId, name: '+CityxChange', programme: 'Horizon 2020', confidence: 'confirmed', confirmedAt: expect.any(String) }),
      expect.objectContaining({ name: 'Nordic Smart City Network', confidence: 'dropped', dropReason: 'Out of scope for this test' }),
    ]);
    expect(v.milestones).toEqual([expect.objectContaining({ milestoneId, due: '2019-12-31', achieved: true })]);
    expect(v.learnings.map((l) => [l.learningId, l.retracted, l.retractionReason])).toEqual([
      [learningId, false, null],
      [wrong.learningId, true, 'Duplicate entry'],
    ]);
  });

  it('shows an initiative link as tentative when known before its confirmation, and hides later work with asOf', async () => {
    const id = await agree();
    const link = { name: '+CityxChange', kind: 'eu-project', confidence: 'tentative', occurredAt: '2018-11-01' };
    const { initiativeId } = (await on(id, 'initiatives', link)).json<{ initiativeId: string }>();
    const position = await headPosition(app);
    await on(id, `initiatives/${initiativeId}/confirm`, { occurredAt: '2019-01-15' });

    const known = await app.get(`/api/collaborations/${id}?knownAt=${position}`);
    expect(known.status).toBe(200);
    expect(known.headers.etag).toBeUndefined();
    expect(known.json<CollaborationView>().initiatives[0].confidence).toBe('tentative');
    expect((await view(id)).initiatives[0].confidence).toBe('confirmed');
    expect((await view(id, '?asOf=2019-01-14')).initiatives[0].confidence).toBe('tentative');
    expect((await view(id, '?asOf=2018-10-31')).initiatives).toEqual([]);
    expect((await app.get(`/api/collaborations/${id}?asOf=2018-09-30`)).status).toBe(404);
  });

  it('rejects an invalid body with 400 listing every bad field', async () => {
    const bad = { title: '', partnerOrganisationId: 'Trondheim kommune', themes: [], agreedOn: '01.10.2018', budget: 1 };
    expect(badFields(await app.post('/api/collaborations', bad))).toEqual(expect.arrayContaining(['title', 'partnerOrganisationId', 'themes', 'agreedOn', 'budget']));
    const id = await agree();
    expect(badFields(await on(id, 'activities', { title: 'Camp', plannedFor: 'next spring' }))).toEqual(['plannedFor']);
    expect(badFields(await on(id, 'initiatives', { name: 'X', kind: 'grant', confidence: 'likely' }))).toEqual(expect.arrayContaining(['kind', 'confidence']));
    expect(badFields(await on(id, 'learnings', { ...learningCard, decision: 'maybe' }))).toEqual(['decision']);
  });

  it('answers 404 for an unknown collaboration', async () => {
    const read = await app.get(`/api/collaborations/${UNKNOWN_ID}`);
    expect(read.status).toBe(404);
    expect(read.json()).toMatchObject({ rule: 'collaboration.not-found' });
    expect((await on(UNKNOWN_ID, 'parties', { organisationId: ntnu })).status).toBe(404);
    expect((await on(UNKNOWN_ID, 'activities', { title: 'Camp' })).status).toBe(404);
  });

  it('refuses unknown organisations and experiments with 422 naming the rule, writing nothing', async () => {
    expectRule(await app.post('/api/collaborations', agreement(UNKNOWN_ID)), 'collaboration.unknown-organisation');
    const id = await agree();
    expectRule(await on(id, 'parties', { organisationId: UNKNOWN_ID }), 'collaboration.unknown-organisation');
    expectRule(await on(id, 'experiments', { experimentId: UNKNOWN_ID }), 'collaboration.unknown-experiment');
    expect((await view(id)).version).toBe(1);
  });

  it('refuses what the rules forbid with 422: completing an unstarted activity, work after the conclusion', async () => {
    const id = await agree();
    const { activityId } = (await on(id, 'activities', { title: 'Camp' })).json<{ activityId: string }>();
    expectRule(await on(id, `activities/${activityId}/complete`), 'collaboration.activity-not-started');
    await on(id, 'conclude', { summary: 'Done' });
    expectRule(await on(id, 'parties', { organisationId: ntnu }), 'collaboration.already-concluded');
    expectChanged(await on(id, 'learnings', learningCard), id, 4);
    expect((await view(id)).learnings[0].retrospective).toBe(true);
  });
});
