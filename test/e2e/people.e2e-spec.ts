import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PersonView } from '#projections';
import { badFields, createEntity, expectChanged, expectCreated, expectRule, headPosition, UNKNOWN_ID } from '../support/entity-requests.js';
import { TestApp } from '../support/test-app.js';

describe('people: register → revise → roles → read', () => {
  let app: TestApp;
  let trondheim: string;
  beforeAll(async () => {
    app = await TestApp.start();
    trondheim = await createEntity(app, '/api/organisations', { name: 'Trondheim kommune (test data)', kind: 'municipality' });
  });
  afterAll(async () => {
    await app.close();
  });

  const register = (name = 'Kari Testdata') => createEntity(app, '/api/people', { name, occurredAt: '2018-01-02' });
  const view = async (id: string, query = '') => (await app.get(`/api/people/${id}${query}`)).json<PersonView>();
  const assumeRole = async (id: string, from = '2019-06-01') =>
    expectChanged(await app.post(`/api/people/${id}/roles`, { organisationId: trondheim, title: 'Advisor', from }), id, 2).roleId as string;

  it('registers a person: 201 with Location and ETag; the view flattens the personal details', async () => {
    const id = expectCreated(await app.post('/api/people', { name: 'Ola Testdata', background: 'Urban planner (test data)' }), 'people');
    const read = await app.get(`/api/people/${id}`);
    expect(read.headers.etag).toBe('"1"');
    expect(read.json()).toMatchObject({ id, version: 1, name: 'Ola Testdata', background: 'Urban planner (test data)', forgotten: false, roles: [] });
  });

  it('revises details: a name change keeps the background; background null clears it', async () => {
    const id = await createEntity(app, '/api/people', { name: 'Kari Testdata', background: 'Engineer' });
    expect(expectChanged(await app.post(`/api/people/${id}/revise`, { name: 'Kari Nordmann Testdata' }), id, 2)).toEqual({ id, version: 2 });
    expect(await view(id)).toMatchObject({ name: 'Kari Nordmann Testdata', background: 'Engineer' });
    expectChanged(await app.post(`/api/people/${id}/revise`, { background: null }), id, 3);
    expect(await view(id)).toMatchObject({ version: 3, name: 'Kari Nordmann Testdata', background: null });
  });

  it('records a role in an organisation and its end', async () => {
    const id = await register();
    const assumed = expectChanged(
      await app.post(`/api/people/${id}/roles`, { organisationId: trondheim, title: 'Project manager, +CityxChange', responsibility: 'Citizen participation', from: '2019-01-01' }),
      id,
      2,
    );
    expect(assumed).toEqual({ id, version: 2, roleId: expect.any(String) });
    const roleId = assumed.roleId as string;
    expect(expectChanged(await app.post(`/api/people/${id}/roles/${roleId}/end`, { to: '2021-12-31' }), id, 3)).toEqual({ id, version: 3 });
    expect((await view(id)).roles).toEqual([
      { roleId, organisationId: trondheim, title: 'Project manager, +CityxChange', responsibility: 'Citizen participation', from: '2019-01-01', to: '2021-12-31' },
    ]);
  });

  it('travels in time: asOf before a revision shows the earlier name, knownAt by position too', async () => {
    const id = await register('Per Testdata');
    const position = await headPosition(app);
    await app.post(`/api/people/${id}/revise`, { name: 'Per Olsen Testdata', occurredAt: '2019-05-01' });

    const before = await app.get(`/api/people/${id}?asOf=2019-04-30`);
    expect(before.headers.etag).toBeUndefined();
    expect(before.json<PersonView>()).toMatchObject({ version: 1, name: 'Per Testdata' });
    expect((await view(id, `?knownAt=${position}`)).name).toBe('Per Testdata');
    expect((await view(id, '?asOf=2019-05-01')).name).toBe('Per Olsen Testdata');
    expect((await app.get(`/api/people/${id}?asOf=2017-12-31`)).status).toBe(404);
  });

  it('rejects invalid bodies with 400 listing every bad field', async () => {
    expect(badFields(await app.post('/api/people', { name: '', background: 42, email: 'kari@example.org' }))).toEqual(
      expect.arrayContaining(['name', 'background', 'email']),
    );
    const id = await register();
    expect(badFields(await app.post(`/api/people/${id}/roles`, { organisationId: 'Trondheim', title: ' ', from: '2019-02-30' }))).toEqual(
      expect.arrayContaining(['organisationId', 'title', 'from']),
    );
    expect(badFields(await app.post(`/api/people/${id}/revise`, { name: null }))).toEqual(['name']);
  });

  it('answers 404 for an unknown person, also before checking what the command names', async () => {
    const read = await app.get(`/api/people/${UNKNOWN_ID}`);
    expect(read.status).toBe(404);
    expect(read.json()).toMatchObject({ status: 404, rule: 'person.not-found' });
    expect((await app.post(`/api/people/${UNKNOWN_ID}/roles`, { organisationId: UNKNOWN_ID, title: 'Advisor', from: '2019-01-01' })).status).toBe(404);
  });

  it('refuses a role in an unknown organisation with 422 person.unknown-organisation, writing nothing', async () => {
    const id = await register();
    expectRule(await app.post(`/api/people/${id}/roles`, { organisationId: UNKNOWN_ID, title: 'Advisor', from: '2019-01-01' }), 'person.unknown-organisation');
    expect((await view(id)).version).toBe(1);
  });

  it('refuses a role that ends before it began, and ending it twice, with 422 naming the rule', async () => {
    const id = await register();
    const roleId = await assumeRole(id);
    expectRule(await app.post(`/api/people/${id}/roles/${roleId}/end`, { to: '2019-05-31' }), 'person.role-ends-before-start');
    expectChanged(await app.post(`/api/people/${id}/roles/${roleId}/end`, { to: '2019-12-31' }), id, 3);
    expectRule(await app.post(`/api/people/${id}/roles/${roleId}/end`, { to: '2020-01-31' }), 'person.role-already-ended');
  });

  it('documents the people routes, forget and export included', async () => {
    const paths = Object.keys((await app.get('/docs-json')).json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/people',
        '/api/people/{id}',
        '/api/people/{id}/revise',
        '/api/people/{id}/roles',
        '/api/people/{id}/roles/{roleId}/end',
        '/api/people/{id}/forget',
        '/api/people/{id}/export',
      ]),
    );
  });
});
