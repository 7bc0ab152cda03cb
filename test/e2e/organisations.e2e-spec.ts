import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { OrganisationView } from '#projections';
import { badFields, createEntity, expectChanged, expectCreated, expectRule, headPosition, UNKNOWN_ID } from '../support/entity-requests.js';
import { TestApp } from '../support/test-app.js';

describe('organisations: register → rename → read', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(async () => {
    await app.close();
  });

  const register = (name: string) => createEntity(app, '/api/organisations', { name, kind: 'company', occurredAt: '2016-01-04' });
  const view = async (id: string, query = '') => (await app.get(`/api/organisations/${id}${query}`)).json<OrganisationView>();

  it('registers an organisation: 201 with Location and ETag, then reads it back with its ETag', async () => {
    const id = expectCreated(
      await app.post('/api/organisations', { name: 'Trondheim kommune (test data)', kind: 'municipality', occurredAt: '2017-05-01' }),
      'organisations',
    );
    const read = await app.get(`/api/organisations/${id}`);
    expect(read.status).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.json()).toEqual({
      id,
      version: 1,
      name: 'Trondheim kommune (test data)',
      kind: 'municipality',
      registeredAt: '2017-04-30T22:00:00.000Z',
      previousNames: [],
    });
  });

  it('renames it: 200 with the new version, and the view keeps the previous name', async () => {
    const id = await register('SoCentral (test data)');
    expect(expectChanged(await app.post(`/api/organisations/${id}/rename`, { name: 'SoCentral AS (test data)', occurredAt: '2018-03-01' }), id, 2)).toEqual({
      id,
      version: 2,
    });
    const renamed = await view(id);
    expect(renamed).toMatchObject({ version: 2, name: 'SoCentral AS (test data)' });
    expect(renamed.previousNames).toEqual([{ name: 'SoCentral (test data)', until: '2018-02-28T23:00:00.000Z' }]);
  });

  it('travels in time: asOf before the rename shows the old name, without an ETag; so does knownAt', async () => {
    const id = await register('Pådriv (test data)');
    const position = await headPosition(app);
    await app.post(`/api/organisations/${id}/rename`, { name: 'Pådriv Hovinbyen (test data)', occurredAt: '2019-06-01' });

    const before = await app.get(`/api/organisations/${id}?asOf=2019-05-31`);
    expect(before.status).toBe(200);
    expect(before.headers.etag).toBeUndefined();
    expect(before.json<OrganisationView>()).toMatchObject({ version: 1, name: 'Pådriv (test data)', previousNames: [] });
    expect((await view(id, '?asOf=2019-06-01')).name).toBe('Pådriv Hovinbyen (test data)');
    expect((await view(id, `?knownAt=${position}`)).name).toBe('Pådriv (test data)');
    expect((await app.get(`/api/organisations/${id}?asOf=2015-12-31`)).status).toBe(404);
  });

  it('rejects an invalid body or query with 400 listing every bad field', async () => {
    expect(badFields(await app.post('/api/organisations', { name: ' ', kind: 'guild', founded: 1999 }))).toEqual(
      expect.arrayContaining(['name', 'kind', 'founded']),
    );
    const id = await register('Valid AS (test data)');
    expect(badFields(await app.post(`/api/organisations/${id}/rename`, { name: 42 }))).toEqual(['name']);
    expect(badFields(await app.get(`/api/organisations/${id}?asOf=someday`))).toEqual(['asOf']);
  });

  it('answers 404 problem+json for an unknown organisation', async () => {
    const read = await app.get(`/api/organisations/${UNKNOWN_ID}`);
    expect(read.status).toBe(404);
    expect(read.headers['content-type']).toContain('application/problem+json');
    expect(read.json()).toMatchObject({ status: 404, rule: 'organisation.not-found' });
    expect((await app.post(`/api/organisations/${UNKNOWN_ID}/rename`, { name: 'Nobody' })).status).toBe(404);
    expect((await app.get('/api/organisations/not-a-uuid')).status).toBe(404);
  });

  it('refuses a rename to the same name with 422 naming the rule', async () => {
    const id = await register('Trondheim kommune, test');
    expectRule(await app.post(`/api/organisations/${id}/rename`, { name: 'Trondheim kommune, test' }), 'organisation.name-unchanged');
  });

  it('answers 412 when If-Match is stale', async () => {
    const id = await register('Stale ETag AS (test data)');
    expect((await app.post(`/api/organisations/${id}/rename`, { name: 'Fresh AS' }, { 'if-match': '"2"' })).status).toBe(412);
    expectChanged(await app.post(`/api/organisations/${id}/rename`, { name: 'Fresh AS' }, { 'if-match': '"1"' }), id, 2);
  });
});
