import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestApp, testCard } from '../support/test-app.js';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
  rule?: string;
}

describe('HTTP contract: errors, preconditions, idempotency, concurrency', () => {
  let app: TestApp;
  const lastPosition = async () => (await app.get('/health')).json<{ store: { lastPosition: number } }>().store.lastPosition;
  const newRunningExperiment = async () => {
    const { id } = (await app.post('/api/experiments', testCard())).json<{ id: string }>();
    expect((await app.post(`/api/experiments/${id}/start`)).status).toBe(200);
    return id;
  };

  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(async () => {
    await app.close();
  });

  describe('bad requests are problem+json 4xx and write nothing', () => {
    it.each([
      ['malformed JSON', { 'content-type': 'application/json' }, '{"title": ', 400, 'malformed-json'],
      ['an empty JSON body', { 'content-type': 'application/json' }, '', 400, 'malformed-json'],
      ['a form body', { 'content-type': 'application/x-www-form-urlencoded' }, 'title=x', 415, 'unsupported-media-type'],
      ['plain text', { 'content-type': 'text/plain' }, 'hello', 415, 'unsupported-media-type'],
      ['a prototype-pollution key', { 'content-type': 'application/json' }, '{"__proto__": {"admin": true}}', 400, undefined],
    ])('%s → %d', async (_name, headers, body, status, slug) => {
      const before = await lastPosition();
      const response = await app.request('POST', '/api/experiments', { headers, body });
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json<Problem>()).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
      if (slug) expect(response.json<Problem>().type).toBe(`/problems/${slug}`);
      expect(await lastPosition()).toBe(before);
    });

    it('an oversized body → 413', async () => {
      const before = await lastPosition();
      const response = await app.post('/api/experiments', testCard({ hypothesis: 'x'.repeat(2 * 1024 * 1024) }));
      expect(response.status).toBe(413);
      expect(response.json<Problem>().status).toBe(413);
      expect(await lastPosition()).toBe(before);
    });

    it('a field over its size limit → 400 naming it', async () => {
      const response = await app.post('/api/experiments', testCard({ title: 't'.repeat(201), themes: Array(21).fill('x') }));
      expect(response.status).toBe(400);
      expect(response.json<Problem>().errors?.map((e) => e.field)).toEqual(expect.arrayContaining(['title', 'themes']));
    });

    it('occurredAt in the future or malformed → 400 naming occurredAt', async () => {
      const future = new Date(Date.now() + 60 * 60 * 1000).toISOString();
      for (const occurredAt of [future, '2019-02-30', 'last tuesday']) {
        const response = await app.post('/api/experiments', testCard({ occurredAt }));
        expect(response.status).toBe(400);
        expect(response.json<Problem>().errors?.map((e) => e.field)).toContain('occurredAt');
      }
    });

    it('an unknown route → 404 problem+json', async () => {
      const response = await app.get('/api/nothing-here');
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
    });

    it('a malformed id → 404, and a malformed If-Match → 400', async () => {
      expect((await app.post('/api/experiments/not-a-uuid/start')).status).toBe(404);
      const id = await newRunningExperiment();
      const response = await app.post(`/api/experiments/${id}/steps`, { description: 'x' }, { 'if-match': 'W/"2"' });
      expect(response.status).toBe(400);
    });

    it('designing within an unknown collaboration or with an unknown lead → 422 naming the rule, nothing written', async () => {
      const before = await lastPosition();
      const unknown = '0192f1e2-0000-7000-8000-0000000000aa';
      for (const [field, rule] of [
        ['collaborationId', 'experiment.unknown-collaboration'],
        ['networkId', 'experiment.unknown-network'],
        ['leadId', 'experiment.unknown-person'],
      ]) {
        const response = await app.post('/api/experiments', testCard({ [field]: unknown.toUpperCase() }));
        expect(response.status).toBe(422);
        expect(response.json<Problem>().rule).toBe(rule);
      }
      expect(await lastPosition()).toBe(before);
    });

    it('a rule violation → 422 with the rule, and nothing written', async () => {
      const id = await newRunningExperiment();
      const before = await lastPosition();
      const response = await app.post(`/api/experiments/${id}/start`);
      expect(response.status).toBe(422);
      expect(response.json<Problem>().rule).toBe('experiment.already-started');
      expect(await lastPosition()).toBe(before);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first response and appends nothing', async () => {
      const headers = { 'idempotency-key': 'design-1' };
      const first = await app.post('/api/experiments', testCard(), headers);
      expect(first.status).toBe(201);
      const after = await lastPosition();
      const second = await app.post('/api/experiments', testCard(), headers);
      expect(second.status).toBe(201);
      expect(second.json()).toEqual(first.json());
      expect(second.headers.location).toBe(first.headers.location);
      expect(second.headers.etag).toBe(first.headers.etag);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(await lastPosition()).toBe(after);
    });

    it('refuses the same key with another body (422 idempotency.key-reused)', async () => {
      const headers = { 'idempotency-key': 'design-2' };
      expect((await app.post('/api/experiments', testCard(), headers)).status).toBe(201);
      const reused = await app.post('/api/experiments', testCard({ title: 'Another title' }), headers);
      expect(reused.status).toBe(422);
      expect(reused.json<Problem>().rule).toBe('idempotency.key-reused');
    });

    it('scopes keys by path: the same key on another route is independent', async () => {
      const id = await newRunningExperiment();
      const headers = { 'idempotency-key': 'shared-key' };
      expect((await app.post(`/api/experiments/${id}/steps`, { description: 'a' }, headers)).status).toBe(200);
      expect((await app.post(`/api/experiments/${id}/measurements`, { value: 3 }, headers)).status).toBe(200);
    });

    it('does not keep a failed attempt: after a 422 the same key may succeed', async () => {
      const { id } = (await app.post('/api/experiments', testCard())).json<{ id: string }>();
      const headers = { 'idempotency-key': 'step-before-start' };
      expect((await app.post(`/api/experiments/${id}/steps`, { description: 'early' }, headers)).status).toBe(422);
      await app.post(`/api/experiments/${id}/start`);
      expect((await app.post(`/api/experiments/${id}/steps`, { description: 'early' }, headers)).status).toBe(200);
    });

    it('concurrent requests with one key append once (the others replay or get 409)', async () => {
      const id = await newRunningExperiment();
      const before = await lastPosition();
      const headers = { 'idempotency-key': 'burst' };
      const responses = await Promise.all(
        Array.from({ length: 5 }, () => app.post(`/api/experiments/${id}/steps`, { description: 'once' }, headers)),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
      const stepIds = new Set(responses.filter((r) => r.status === 200).map((r) => r.json<{ stepId: string }>().stepId));
      expect(stepIds.size).toBe(1);
      expect(await lastPosition()).toBe(before + 1);
    });
  });

  describe('optimistic concurrency with If-Match', () => {
    it('50 concurrent commands on one version: exactly one succeeds, 49 get 412', async () => {
      const id = await newRunningExperiment();
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) => app.post(`/api/experiments/${id}/steps`, { description: `racer ${i}` }, { 'if-match': '"2"' })),
      );
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 412)).toHaveLength(49);
      const experiment = await app.get(`/api/experiments/${id}`);
      expect(experiment.headers.etag).toBe('"3"');
    });

    it('50 clients retrying on 412: one winner per version, no gaps, no duplicates', async () => {
      const id = await newRunningExperiment();
      const won: number[] = [];
      const client = async (n: number) => {
        for (let attempt = 0; attempt < 500; attempt++) {
          const etag = (await app.get(`/api/experiments/${id}`)).headers.etag;
          const response = await app.post(`/api/experiments/${id}/steps`, { description: `client ${n}` }, { 'if-match': etag });
          if (response.status === 200) return won.push(response.json<{ version: number }>().version);
          expect(response.status).toBe(412);
        }
        throw new Error(`client ${n} never won`);
      };
      await Promise.all(Array.from({ length: 50 }, (_, n) => client(n)));
      expect([...won].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 3));
      const experiment = (await app.get(`/api/experiments/${id}`)).json<{ version: number; steps: Array<{ description: string }> }>();
      expect(experiment.version).toBe(52);
      expect(new Set(experiment.steps.map((s) => s.description)).size).toBe(50);
    }, 60000);
  });
});
