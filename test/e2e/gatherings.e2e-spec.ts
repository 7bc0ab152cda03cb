import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { GatheringView } from '#projections';
import { badFields, createEntity, expectChanged, expectCreated, expectRule, headPosition, UNKNOWN_ID } from '../support/entity-requests.js';
import { TestApp } from '../support/test-app.js';

const insight = {
  observation: 'Caseworkers want permission to try, not more guidelines',
  learning: 'Ask managers to name a safe space',
  themes: ['public sector innovation'],
};

describe('gatherings: hold → insights → read', () => {
  let app: TestApp;
  let workshop: Record<string, unknown>;
  beforeAll(async () => {
    app = await TestApp.start();
    workshop = {
      title: 'Public heroes workshop (test data)',
      kind: 'workshop',
      heldOn: '2019-03-14',
      participantCount: 15,
      organiserOrganisationId: await createEntity(app, '/api/organisations', { name: 'Trondheim kommune (test data)', kind: 'municipality' }),
      purpose: 'What makes caseworkers try new things? e2e test data',
    };
  });
  afterAll(async () => {
    await app.close();
  });

  const hold = () => createEntity(app, '/api/gatherings', { ...workshop, occurredAt: '2019-03-14' });
  const view = async (id: string, query = '') => (await app.get(`/api/gatherings/${id}${query}`)).json<GatheringView>();

  it('records a gathering: 201 with Location and ETag, then reads it back', async () => {
    const id = expectCreated(await app.post('/api/gatherings', workshop), 'gatherings');
    const read = await app.get(`/api/gatherings/${id}`);
    expect(read.headers.etag).toBe('"1"');
    expect(read.json()).toEqual({ id, version: 1, ...workshop, insights: [] });
  });

  it('records an insight and retracts another with a reason', async () => {
    const id = await hold();
    const recorded = expectChanged(await app.post(`/api/gatherings/${id}/insights`, insight), id, 2);
    expect(recorded).toEqual({ id, version: 2, insightId: expect.any(String) });
    const wrong = expectChanged(await app.post(`/api/gatherings/${id}/insights`, { observation: 'Typed into the wrong gathering' }), id, 3);
    const retracted = expectChanged(await app.post(`/api/gatherings/${id}/insights/${wrong.insightId as string}/retract`, { reason: 'Wrong gathering (test)' }), id, 4);
    expect(retracted).toEqual({ id, version: 4 });

    expect((await view(id)).insights).toEqual([
      expect.objectContaining({ insightId: recorded.insightId, ...insight, retracted: false, retractionReason: null }),
      expect.objectContaining({ insightId: wrong.insightId, learning: null, themes: [], retracted: true, retractionReason: 'Wrong gathering (test)' }),
    ]);
  });

  it('travels in time: an insight recorded later is absent asOf the day of the gathering and before it was known', async () => {
    const id = await hold();
    const position = await headPosition(app);
    await app.post(`/api/gatherings/${id}/insights`, { ...insight, occurredAt: '2019-03-20' });

    const asOf = await app.get(`/api/gatherings/${id}?asOf=2019-03-14`);
    expect(asOf.status).toBe(200);
    expect(asOf.headers.etag).toBeUndefined();
    expect(asOf.json<GatheringView>()).toMatchObject({ version: 1, insights: [] });
    expect((await view(id, `?knownAt=${position}`)).insights).toEqual([]);
    expect((await view(id, '?asOf=2019-03-20')).insights).toHaveLength(1);
    expect((await app.get(`/api/gatherings/${id}?asOf=2019-03-13`)).status).toBe(404);
  });

  it('rejects an invalid body with 400 listing every bad field', async () => {
    const bad = { title: ' ', kind: 'party', heldOn: '14.03.2019', participantCount: -3, organiserOrganisationId: 'Trondheim' };
    expect(badFields(await app.post('/api/gatherings', bad))).toEqual(expect.arrayContaining(['title', 'kind', 'heldOn', 'participantCount', 'organiserOrganisationId']));
    const id = await hold();
    expect(badFields(await app.post(`/api/gatherings/${id}/insights`, { observation: '', themes: 'culture' }))).toEqual(['observation', 'themes']);
    expect(badFields(await app.post(`/api/gatherings/${id}/insights/${UNKNOWN_ID}/retract`, {}))).toEqual(['reason']);
  });

  it('answers 404 for an unknown gathering', async () => {
    const read = await app.get(`/api/gatherings/${UNKNOWN_ID}`);
    expect(read.status).toBe(404);
    expect(read.json()).toMatchObject({ rule: 'gathering.not-found' });
    expect((await app.post(`/api/gatherings/${UNKNOWN_ID}/insights`, insight)).status).toBe(404);
  });

  it('refuses an unknown organiser and retracting twice with 422 naming the rule', async () => {
    expectRule(await app.post('/api/gatherings', { ...workshop, organiserOrganisationId: UNKNOWN_ID }), 'gathering.unknown-organisation');
    const id = await hold();
    const { insightId } = (await app.post(`/api/gatherings/${id}/insights`, insight)).json<{ insightId: string }>();
    expectChanged(await app.post(`/api/gatherings/${id}/insights/${insightId}/retract`, { reason: 'Mistake' }), id, 3);
    expectRule(await app.post(`/api/gatherings/${id}/insights/${insightId}/retract`, { reason: 'Mistake' }), 'gathering.insight-already-retracted');
  });
});
