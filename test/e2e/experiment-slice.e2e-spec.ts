import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestApp, testCard } from '../support/test-app.js';

describe('experiment slice: design → start → log step → timeline', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(async () => {
    await app.close();
  });

  it('records the path and shows it on the timeline in order', async () => {
    const designed = await app.post('/api/experiments', testCard({ occurredAt: '2019-01-10' }));
    expect(designed.status).toBe(201);
    const { id, version } = designed.json<{ id: string; version: number }>();
    expect(version).toBe(1);
    expect(designed.headers.etag).toBe('"1"');
    expect(designed.headers.location).toBe(`/api/experiments/${id}`);

    const started = await app.post(`/api/experiments/${id}/start`, { occurredAt: '2019-01-15' });
    expect(started.status).toBe(200);
    expect(started.json()).toMatchObject({ id, version: 2 });

    const step = await app.post(`/api/experiments/${id}/steps`, {
      description: 'Interviewed 12 residents',
      occurredAt: '2019-01-20T10:00:00+01:00',
    });
    expect(step.status).toBe(200);
    expect(step.json()).toMatchObject({ id, version: 3, stepId: expect.any(String) });

    const timeline = await app.get(`/api/experiments/${id}/timeline?lang=en`);
    expect(timeline.status).toBe(200);
    const entries = timeline.json<{ items: Array<{ type: string; occurredAt: string; summary: string; eventId: string; position: number }> }>().items;
    expect(entries.map((e) => e.type)).toEqual(['ExperimentDesigned', 'ExperimentStarted', 'StepLogged']);
    expect(entries[0].occurredAt).toBe('2019-01-09T23:00:00.000Z');
    expect(entries[2].summary).toContain('Interviewed 12 residents');
    expect(new Set(entries.map((e) => e.eventId)).size).toBe(3);
  });

  it('renders the timeline in Norwegian on request', async () => {
    const { id } = (await app.post('/api/experiments', testCard())).json<{ id: string }>();
    await app.post(`/api/experiments/${id}/start`);
    const nb = await app.get(`/api/experiments/${id}/timeline?lang=nb`);
    const en = await app.get(`/api/experiments/${id}/timeline?lang=en`);
    expect(nb.json<{ items: Array<{ summary: string }> }>().items[1].summary).not.toEqual(
      en.json<{ items: Array<{ summary: string }> }>().items[1].summary,
    );
  });

  it('answers 404 problem+json for an unknown experiment', async () => {
    const response = await app.get('/api/experiments/0192f1e2-0000-7000-8000-000000000000/timeline');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('rejects a step before the experiment started with 422 naming the rule', async () => {
    const { id } = (await app.post('/api/experiments', testCard())).json<{ id: string }>();
    const response = await app.post(`/api/experiments/${id}/steps`, { description: 'Too early' });
    expect(response.status).toBe(422);
    expect(response.json()).toMatchObject({ status: 422, rule: expect.stringMatching(/^experiment\./) });
  });

  it('rejects an invalid body with 400 listing every bad field and writes nothing', async () => {
    const before = (await app.get('/health')).json<{ store: { lastPosition: number } }>().store.lastPosition;
    const response = await app.post('/api/experiments', { title: '', hypothesis: 7, extra: true });
    expect(response.status).toBe(400);
    const fields = response.json<{ errors: Array<{ field: string }> }>().errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'hypothesis', 'test', 'metric', 'successCriteria', 'extra']));
    const after = (await app.get('/health')).json<{ store: { lastPosition: number } }>().store.lastPosition;
    expect(after).toBe(before);
  });

  it('answers 412 when If-Match is stale', async () => {
    const { id } = (await app.post('/api/experiments', testCard())).json<{ id: string }>();
    const response = await app.post(`/api/experiments/${id}/start`, {}, { 'if-match': '"7"' });
    expect(response.status).toBe(412);
    const ok = await app.post(`/api/experiments/${id}/start`, {}, { 'if-match': '"1"' });
    expect(ok.status).toBe(200);
  });

  it('shows store and projection state on /health', async () => {
    const health = await app.get('/health');
    expect(health.status).toBe(200);
    expect(health.json()).toMatchObject({
      status: 'ok',
      store: { kind: 'sqlite', lastPosition: expect.any(Number) },
      projections: expect.arrayContaining([expect.objectContaining({ name: 'experiment-timeline', lag: expect.any(Number) })]),
    });
  });
});
