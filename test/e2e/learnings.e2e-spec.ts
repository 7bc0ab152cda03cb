import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_IDS } from '../../apps/api/src/demo/demo-workspace.js';
import { TestApp, testCard, type Reply } from '../support/test-app.js';

interface Item {
  id: string;
  kind: 'learning' | 'insight';
  source: { kind: string; id: string; title: string };
  observation: string;
  learning: string | null;
  decision: string | null;
  themes: string[];
  themesFromSource: boolean;
  occurredAt: string;
  eventIds: { recorded: string; retracted: string | null };
  retracted: boolean;
  retractionReason: string | null;
}

interface Page {
  items: Item[];
  nextCursor: string | null;
}

describe('learning library: GET /api/learnings (from the demo workspace)', () => {
  let app: TestApp;
  let experimentId: string;
  const learningIds: Record<string, string> = {};
  const insightIds: string[] = [];

  /** The body of a successful command; fails with the problem otherwise. */
  function ok(reply: Reply): Record<string, unknown> {
    if (reply.status >= 300) throw new Error(`command failed: ${reply.status} ${reply.body}`);
    return reply.json();
  }

  async function page(query: string): Promise<Page> {
    const reply = await app.get(`/api/learnings${query}`);
    expect({ query, status: reply.status, body: reply.body }).toEqual(expect.objectContaining({ status: 200 }));
    return reply.json<Page>();
  }

  const ids = async (query: string) => (await page(query)).items.map((item) => item.id);

  function expectBadRequest(reply: Reply, field: string): void {
    expect({ status: reply.status, body: reply.body }).toEqual(expect.objectContaining({ status: 400 }));
    expect(reply.headers['content-type']).toContain('application/problem+json');
    expect(reply.json<{ errors?: Array<{ field: string }> }>().errors?.map((e) => e.field)).toContain(field);
  }

  beforeAll(async () => {
    app = await TestApp.start({ TRACKER_DEMO: '1' });

    // ---- This test's own commands, on top of the demo workspace ----
    // Insights from the demo's "Public heroes" workshop.
    for (const body of [
      { observation: 'Caseworkers want permission to try, not more guidelines', learning: 'Leaders must say yes first', themes: ['public sector innovation'], occurredAt: '2018-11-02' },
      { observation: 'Budget rules stop pilots that cross departments', themes: ['new financing models'], occurredAt: '2018-11-02' },
    ]) {
      const reply = await app.post(`/api/gatherings/${DEMO_IDS.publicHeroes}/insights`, body);
      insightIds.push(String(ok(reply).insightId));
    }
    // An experiment within the demo's Trondheim collaboration, with three learnings, one of them retracted.
    const designed = await app.post('/api/experiments', testCard({ title: 'Green living pop-up', themes: ['green living'], collaborationId: DEMO_IDS.trondheimCollaboration, occurredAt: '2019-03-01' }));
    experimentId = String(ok(designed).id);
    ok(await app.post(`/api/experiments/${experimentId}/start`, { occurredAt: '2019-03-04' }));
    const learnings = [
      ['persevere', { observation: 'Forty households signed up in two weeks', learning: 'A small first step works', decision: 'persevere', reliability: 'high', occurredAt: '2019-04-01' }],
      ['continue', { observation: 'Few came on weekends', learning: 'Weekend timing is unclear', decision: 'continue-testing', reliability: 'low', themes: ['timing'], occurredAt: '2019-04-02' }],
      ['wrong', { observation: 'Typed into the wrong experiment', learning: 'Retract me', decision: 'pivot', reliability: 'medium', occurredAt: '2019-04-03' }],
    ] as const;
    for (const [name, body] of learnings) {
      learningIds[name] = String(ok(await app.post(`/api/experiments/${experimentId}/learnings`, body)).learningId);
    }
    ok(await app.post(`/api/experiments/${experimentId}/learnings/${learningIds.wrong}/retract`, { reason: 'Recorded on the wrong experiment' }));
    // ---- end of this test's own commands ----
  });

  afterAll(async () => {
    await app.close();
  });

  it('lists the demo learnings and insights and the new ones, newest first, without the retracted one', async () => {
    const { items, nextCursor } = await page('');
    expect(nextCursor).toBeNull();
    expect(items.map((i) => i.id)).toEqual([
      learningIds.continue,
      learningIds.persevere,
      insightIds[1],
      insightIds[0],
      DEMO_IDS.publicHeroesBarriers,
      DEMO_IDS.padrivMethodInterestLearning,
      DEMO_IDS.padrivGovernanceLearning,
    ]);
    const [continueTesting, persevere] = items;
    expect(persevere).toMatchObject({
      kind: 'learning',
      source: { kind: 'experiment', id: experimentId, title: 'Green living pop-up' },
      decision: 'persevere',
      themes: ['green living'],
      themesFromSource: true,
      retracted: false,
      eventIds: { recorded: expect.any(String), retracted: null },
    });
    expect(continueTesting.themes).toEqual(['timing']);
    const insight = items.find((i) => i.id === DEMO_IDS.publicHeroesBarriers);
    expect(insight).toMatchObject({ kind: 'insight', source: { kind: 'gathering', title: 'Public heroes' }, decision: null, learning: null });
  });

  it('shows the retracted learning with its reason and retraction event only when asked', async () => {
    const all = (await page('?includeRetracted=true')).items;
    const wrong = all.find((i) => i.id === learningIds.wrong);
    expect(wrong).toMatchObject({ retracted: true, retractionReason: 'Recorded on the wrong experiment', eventIds: { retracted: expect.any(String) } });
    expect(await ids('?includeRetracted=false')).not.toContain(learningIds.wrong);
    expectBadRequest(await app.get('/api/learnings?includeRetracted=yes'), 'includeRetracted');
  });

  it('filters by source, decision, theme and business-time range', async () => {
    expect(await ids('?source=gathering')).toEqual([insightIds[1], insightIds[0], DEMO_IDS.publicHeroesBarriers]);
    expect(await ids('?source=network')).toEqual([DEMO_IDS.padrivMethodInterestLearning, DEMO_IDS.padrivGovernanceLearning]);
    expect(await ids('?source=collaboration')).toEqual([]);
    expect(await ids('?decision=continue-testing')).toEqual([learningIds.continue, DEMO_IDS.padrivMethodInterestLearning]);
    expect(await ids('?decision=persevere&source=experiment')).toEqual([learningIds.persevere]);
    expect(await ids(`?theme=${encodeURIComponent('Green Living')}`)).toEqual([learningIds.persevere]);
    expect(await ids(`?theme=${encodeURIComponent('new financing models')}`)).toEqual([insightIds[1]]);
    // a bare date is a whole Oslo day: the demo's "late 2018" is 2018-11-01
    expect(await ids('?to=2018-11-01')).toEqual([DEMO_IDS.publicHeroesBarriers, DEMO_IDS.padrivMethodInterestLearning, DEMO_IDS.padrivGovernanceLearning]);
    expect(await ids('?from=2018-11-02&to=2019-04-01')).toEqual([learningIds.persevere, insightIds[1], insightIds[0]]);
    expect(await ids('?from=2019-04-02T00:00:00%2B02:00')).toEqual([learningIds.continue]);
    expectBadRequest(await app.get('/api/learnings?from=2019-05-01&to=2019-04-01'), 'to');
    expectBadRequest(await app.get('/api/learnings?from=yesterday'), 'from');
    expectBadRequest(await app.get('/api/learnings?source=person'), 'source');
    expectBadRequest(await app.get('/api/learnings?decision=maybe'), 'decision');
    expectBadRequest(await app.get('/api/learnings?colour=red'), 'colour');
  });

  it('searches observations, learnings and source titles by word prefixes', async () => {
    expect(await ids('?q=p%C3%A5driv')).toEqual([DEMO_IDS.padrivMethodInterestLearning, DEMO_IDS.padrivGovernanceLearning]);
    expect(await ids('?q=PADRIV%20governance')).toEqual([DEMO_IDS.padrivGovernanceLearning]);
    expect(await ids('?q=household')).toEqual([learningIds.persevere]);
    expect(await ids('?q=pop-up')).toEqual([learningIds.continue, learningIds.persevere]);
    expect(await ids('?q=public%20heroes&source=gathering')).toEqual([insightIds[1], insightIds[0], DEMO_IDS.publicHeroesBarriers]);
    expect(await ids('?q=retract')).toEqual([]);
    expect(await ids('?q=retract&includeRetracted=true')).toEqual([learningIds.wrong]);
  });

  it('answers hostile search text with results or an empty list, never an error', async () => {
    for (const q of ['"', '""', '*', 'NEAR(', 'NEAR(a b', 'pådriv OR x', 'observation:x', '^pådriv', "'", ')', '-', 'a"b*c', '\\', '%', '_', 'AND', ';DROP TABLE x;--', 'x'.repeat(200)]) {
      const reply = await app.get(`/api/learnings?q=${encodeURIComponent(q)}`);
      expect({ q, status: reply.status }).toEqual({ q, status: 200 });
    }
    expect(await ids(`?q=${encodeURIComponent('"')}`)).toEqual([]);
    expect(await ids(`?q=${encodeURIComponent('"Pådriv"')}`)).toHaveLength(2);
    expectBadRequest(await app.get(`/api/learnings?q=${'x'.repeat(201)}`), 'q');
  });

  it('is documented in the OpenAPI document, q as full-text search', async () => {
    const doc = (await app.get('/docs-json')).json<{ paths: Record<string, { get?: { parameters?: Array<{ name: string; description?: string }> } }> }>();
    const parameters = doc.paths['/api/learnings']?.get?.parameters ?? [];
    expect(parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['theme', 'source', 'decision', 'from', 'to', 'q', 'limit', 'cursor', 'includeRetracted']));
    expect(parameters.find((p) => p.name === 'q')?.description).toContain('word prefix');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/reports/learning-summary', '/api/reports/collaborations/{id}', '/api/reports/networks/{id}/growth']),
    );
  });

  it('pages with a cursor, also with filters, and refuses a bad cursor or limit', async () => {
    const everything = await ids('');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const next: Page = await page(`?limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
      expect(next.items.length).toBeLessThanOrEqual(2);
      seen.push(...next.items.map((i) => i.id));
      cursor = next.nextCursor;
      pages++;
    } while (cursor !== null && pages < 20);
    expect(seen).toEqual(everything);
    expect(pages).toBe(Math.ceil(everything.length / 2));
    const first = await page('?source=gathering&limit=2');
    expect((await page(`?source=gathering&limit=2&cursor=${first.nextCursor ?? ''}`)).items.map((i) => i.id)).toEqual([DEMO_IDS.publicHeroesBarriers]);
    expectBadRequest(await app.get('/api/learnings?cursor=nonsense'), 'cursor');
    const foreign = (await app.get('/api/organisations?limit=1')).json<{ nextCursor: string | null }>().nextCursor;
    expect(foreign).toEqual(expect.any(String));
    expectBadRequest(await app.get(`/api/learnings?cursor=${foreign ?? ''}`), 'cursor');
    expectBadRequest(await app.get('/api/learnings?limit=0'), 'limit');
    expectBadRequest(await app.get('/api/learnings?limit=201'), 'limit');
  });
});
