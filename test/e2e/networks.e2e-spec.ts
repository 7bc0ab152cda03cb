import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NetworkView } from '#projections';
import { badFields, createEntity, expectChanged, expectCreated, expectRule, headPosition, UNKNOWN_ID } from '../support/entity-requests.js';
import { TestApp, testCard } from '../support/test-app.js';

const padriv = (overrides: Record<string, unknown> = {}) => ({
  name: 'Pådriv (test data)',
  kind: 'network',
  area: 'Hovinbyen, Oslo',
  purpose: 'A meeting place for sustainable urban development; e2e test data',
  occurredAt: '2016-03-01',
  ...overrides,
});

describe('networks: every command route, read back through the view', () => {
  let app: TestApp;
  let socentral: string;
  let obos: string;
  let kari: string;
  beforeAll(async () => {
    app = await TestApp.start();
    socentral = await createEntity(app, '/api/organisations', { name: 'SoCentral (test data)', kind: 'ngo' });
    obos = await createEntity(app, '/api/organisations', { name: 'OBOS (test data)', kind: 'company' });
    kari = await createEntity(app, '/api/people', { name: 'Kari Testdata' });
  });
  afterAll(async () => {
    await app.close();
  });

  const found = (overrides: Record<string, unknown> = {}) => createEntity(app, '/api/networks', padriv(overrides));
  const view = async (id: string, query = '') => (await app.get(`/api/networks/${id}${query}`)).json<NetworkView>();
  const on = (id: string, path: string, body: Record<string, unknown> = {}) => app.post(`/api/networks/${id}/${path}`, body);

  it('founds a network led by an organisation: 201 with Location and ETag', async () => {
    const id = expectCreated(await app.post('/api/networks', padriv({ ledByOrganisationId: socentral, ledSince: '2016-03-01' })), 'networks');
    const read = await app.get(`/api/networks/${id}`);
    expect(read.headers.etag).toBe('"1"');
    expect(read.json()).toMatchObject({
      id,
      version: 1,
      name: 'Pådriv (test data)',
      kind: 'network',
      area: 'Hovinbyen, Oslo',
      lead: { organisationId: socentral, since: '2016-03-01' },
      partners: [],
      members: [],
      headcount: null,
    });
  });

  it('records lead, partners, members, headcounts, milestones, learnings, experiments and method adoptions', async () => {
    const id = await found({ ledByOrganisationId: socentral, ledSince: '2016-03-01' });
    expectChanged(await on(id, 'lead', { organisationId: obos, since: '2019-01-01' }), id, 2);
    expectChanged(await on(id, 'partners', { organisationId: socentral }), id, 3);
    expectChanged(await on(id, `partners/${socentral}/leave`), id, 4);
    expectChanged(await on(id, 'members', { personId: kari }), id, 5);
    expectChanged(await on(id, `members/${kari}/leave`), id, 6);
    expectChanged(await on(id, 'headcounts', { partners: 38, members: 142, occurredAt: '2018-11-01' }), id, 7);
    const { milestoneId } = expectChanged(await on(id, 'milestones', { title: 'Hovinbyen charter signed' }), id, 8);
    expectChanged(await on(id, `milestones/${milestoneId as string}/achieve`), id, 9);
    const card = { observation: 'Partners come for the meeting place', learning: 'Keep the monthly breakfast', decision: 'persevere', reliability: 'high' };
    const { learningId } = expectChanged(await on(id, 'learnings', card), id, 10);
    expectChanged(await on(id, `learnings/${learningId as string}/retract`, { reason: 'Recorded on the wrong network (test)' }), id, 11);
    const experimentId = await createEntity(app, '/api/experiments', testCard());
    expectChanged(await on(id, 'experiments', { experimentId }), id, 12);
    expectChanged(await on(id, 'method-adoptions', { city: 'Bergen', stage: 'inquiry', occurredAt: '2019-02-01' }), id, 13);
    expectChanged(await on(id, 'method-adoptions', { city: 'bergen', stage: 'adopted', occurredAt: '2019-09-01' }), id, 14);

    const read = await app.get(`/api/networks/${id}`);
    expect(read.headers.etag).toBe('"14"');
    const v = read.json<NetworkView>();
    expect(v.lead).toEqual({ organisationId: obos, since: '2019-01-01' });
    expect(v.leadership).toEqual([
      { organisationId: socentral, since: '2016-03-01', until: '2019-01-01' },
      { organisationId: obos, since: '2019-01-01', until: null },
    ]);
    expect(v.partners).toEqual([{ organisationId: socentral, joinedAt: expect.any(String), leftAt: expect.any(String) }]);
    expect(v.members).toEqual([{ personId: kari, joinedAt: expect.any(String), leftAt: expect.any(String) }]);
    expect(v.headcount).toEqual({ partners: 38, members: 142, occurredAt: '2018-10-31T23:00:00.000Z' });
    expect(v.milestones).toEqual([expect.objectContaining({ milestoneId, achieved: true })]);
    expect(v.learnings).toEqual([expect.objectContaining({ learningId, retracted: true, retrospective: false })]);
    expect(v.attachedExperimentIds).toEqual([experimentId]);
    expect(v.methodAdoptions).toEqual([expect.objectContaining({ city: 'Bergen', stage: 'adopted', since: '2019-08-31T22:00:00.000Z' })]);
    expect(v.methodAdoptions[0].history.map((h) => h.stage)).toEqual(['inquiry', 'adopted']);
  });

  it('shows a headcount only from the business time it was reported, and only once it was known', async () => {
    const id = await found();
    const position = await headPosition(app);
    await on(id, 'headcounts', { partners: 38, members: 142, occurredAt: '2018-11-01' });
    await on(id, 'headcounts', { members: 150, occurredAt: '2019-03-01' });

    const before = await app.get(`/api/networks/${id}?asOf=2018-10-31`);
    expect(before.status).toBe(200);
    expect(before.headers.etag).toBeUndefined();
    expect(before.json<NetworkView>().headcount).toBeNull();
    expect((await view(id, '?asOf=2018-12-31')).headcount).toEqual({ partners: 38, members: 142, occurredAt: '2018-10-31T23:00:00.000Z' });
    expect((await view(id)).headcount).toEqual({ partners: 38, members: 150, occurredAt: '2019-02-28T23:00:00.000Z' });
    expect((await view(id, `?knownAt=${position}`)).headcount).toBeNull();
    expect((await app.get(`/api/networks/${id}?asOf=2015-12-31`)).status).toBe(404);
  });

  it('rejects an invalid body with 400 listing every bad field', async () => {
    const bad = { name: '', kind: 'club', ledByOrganisationId: 'SoCentral', ledSince: '2016' };
    expect(badFields(await app.post('/api/networks', bad))).toEqual(expect.arrayContaining(['name', 'kind', 'ledByOrganisationId', 'ledSince']));
    const id = await found();
    expect(badFields(await on(id, 'headcounts', { partners: -1, members: 1.5 }))).toEqual(['partners', 'members']);
    expect(badFields(await on(id, 'method-adoptions', { city: 'Bergen', stage: 'curious' }))).toEqual(['stage']);
    expect(badFields(await on(id, 'members', { personId: 'Kari' }))).toEqual(['personId']);
  });

  it('answers 404 for an unknown network', async () => {
    const read = await app.get(`/api/networks/${UNKNOWN_ID}`);
    expect(read.status).toBe(404);
    expect(read.json()).toMatchObject({ rule: 'network.not-found' });
    expect((await on(UNKNOWN_ID, 'members', { personId: kari })).status).toBe(404);
    expect((await on(UNKNOWN_ID, 'headcounts', { members: 1 })).status).toBe(404);
  });

  it('refuses unknown organisations, people and experiments with 422 naming the rule, writing nothing', async () => {
    expectRule(await app.post('/api/networks', padriv({ ledByOrganisationId: UNKNOWN_ID })), 'network.unknown-organisation');
    const id = await found();
    expectRule(await on(id, 'partners', { organisationId: UNKNOWN_ID }), 'network.unknown-organisation');
    expectRule(await on(id, 'lead', { organisationId: UNKNOWN_ID, since: '2019-01-01' }), 'network.unknown-organisation');
    expectRule(await on(id, 'members', { personId: UNKNOWN_ID }), 'network.unknown-person');
    expectRule(await on(id, 'experiments', { experimentId: UNKNOWN_ID }), 'network.unknown-experiment');
    expect((await view(id)).version).toBe(1);
  });

  it('refuses what the rules forbid with 422: leaving without joining, an empty headcount, adoption going back', async () => {
    const id = await found();
    expectRule(await on(id, `partners/${obos}/leave`), 'network.not-a-partner');
    expectRule(await on(id, 'headcounts'), 'network.headcount-empty');
    expectChanged(await on(id, 'method-adoptions', { city: 'Trondheim', stage: 'dialogue' }), id, 2);
    expectRule(await on(id, 'method-adoptions', { city: 'Trondheim', stage: 'inquiry' }), 'network.method-adoption-backwards');
  });

  it('documents the routes it shares with collaborations under each collection', async () => {
    const { paths } = (await app.get('/docs-json')).json<{ paths: Record<string, { post?: { tags: string[]; summary: string } }> }>();
    for (const collection of ['networks', 'collaborations']) {
      for (const route of ['milestones', 'milestones/{milestoneId}/achieve', 'learnings', 'learnings/{learningId}/retract', 'experiments']) {
        expect(paths[`/api/${collection}/{id}/${route}`]?.post?.tags).toEqual([collection]);
      }
    }
    expect(paths['/api/networks/{id}/learnings/{learningId}/retract'].post?.summary).toContain('LearningRetracted');
  });
});
