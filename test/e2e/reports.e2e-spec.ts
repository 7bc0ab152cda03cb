import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_IDS } from '../../apps/api/src/demo/demo-workspace.js';
import { headPosition } from '../support/entity-requests.js';
import { TestApp, testCard, type Reply } from '../support/test-app.js';

interface SummaryJson {
  report: string;
  builtFrom: { position: number; projections: Array<{ name: string; version: number }>; appVersion: string };
  keyLearnings: Array<{ id: string; eventIds: string[] }>;
  openQuestions: { learnings: Array<{ id: string; eventIds: string[] }>; experiments: Array<{ id: string; status: string; eventIds: string[] }> };
  bySource: Array<{ source: { kind: string; title: string }; items: Array<{ id: string; eventIds: string[] }> }>;
  events: Array<{ eventId: string; streamId: string; position: number }>;
}

describe('reports (from the demo workspace)', () => {
  let app: TestApp;
  /** Head of the log once the demo is loaded, before this test's own commands. */
  let demoHead: number;
  /** Head just before the retraction. */
  let beforeRetraction: number;
  let experimentId: string;
  let inconclusiveId: string;
  const learningIds: Record<string, string> = {};
  const insightIds: string[] = [];
  /** Event ids by the id of the learning or insight they recorded. */
  const recordedBy: Record<string, string> = {};

  function ok(reply: Reply): Record<string, unknown> {
    if (reply.status >= 300) throw new Error(`command failed: ${reply.status} ${reply.body}`);
    return reply.json();
  }

  async function get(url: string, headers?: Record<string, string>): Promise<Reply> {
    const reply = await app.get(url, headers);
    expect({ url, status: reply.status, body: reply.status === 200 ? '' : reply.body }).toEqual({ url, status: 200, body: '' });
    return reply;
  }

  async function bytes(url: string): Promise<{ status: number; headers: Headers; body: Buffer }> {
    const response = await fetch(`${app.baseUrl}${url}`);
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  }

  beforeAll(async () => {
    app = await TestApp.start({ TRACKER_DEMO: '1' });
    demoHead = await headPosition(app);

    // ---- This test's own commands, on top of the demo workspace ----
    // Two more insights from the demo's "Public heroes" workshop.
    for (const body of [
      { observation: 'Caseworkers want permission to try', learning: 'Leaders must say yes first', themes: ['public sector innovation'], occurredAt: '2018-11-02' },
      { observation: 'Budget rules stop pilots across departments', occurredAt: '2018-11-02' },
    ]) {
      insightIds.push(String(ok(await app.post(`/api/gatherings/${DEMO_IDS.publicHeroes}/insights`, body)).insightId));
    }
    // A running experiment in the demo's Trondheim collaboration, with learnings; one is retracted below.
    experimentId = String(ok(await app.post('/api/experiments', testCard({ title: 'Green living pop-up', collaborationId: DEMO_IDS.trondheimCollaboration, occurredAt: '2019-03-01' }))).id);
    ok(await app.post(`/api/experiments/${experimentId}/start`, { occurredAt: '2019-03-04' }));
    const learnings = [
      ['high', { observation: 'Forty households signed up', learning: 'A small first step works', decision: 'persevere', reliability: 'high', occurredAt: '2019-04-01' }],
      ['medium', { observation: 'Flyers reached nobody', learning: 'Stop the flyers', decision: 'retire', reliability: 'medium', occurredAt: '2019-04-05' }],
      ['open', { observation: 'Few came on weekends', learning: 'Weekend timing is unclear', decision: 'continue-testing', reliability: 'low', occurredAt: '2019-04-02' }],
      ['wrong', { observation: 'Typed into the wrong experiment', learning: 'Retract me please', decision: 'pivot', reliability: 'high', occurredAt: '2019-04-03' }],
    ] as const;
    for (const [name, body] of learnings) {
      learningIds[name] = String(ok(await app.post(`/api/experiments/${experimentId}/learnings`, body)).learningId);
    }
    // An experiment that ended without a clear answer: an open question.
    inconclusiveId = String(ok(await app.post('/api/experiments', testCard({ title: 'Tool library', occurredAt: '2019-03-01' }))).id);
    ok(await app.post(`/api/experiments/${inconclusiveId}/start`, { occurredAt: '2019-03-02' }));
    ok(await app.post(`/api/experiments/${inconclusiveId}/conclude`, { outcome: 'inconclusive', summary: 'Too few borrowers to tell', occurredAt: '2019-05-01' }));
    // SoCentral listed as a partner of Pådriv.
    ok(await app.post(`/api/networks/${DEMO_IDS.padriv}/partners`, { organisationId: DEMO_IDS.socentral, occurredAt: '2019-01-10' }));
    beforeRetraction = await headPosition(app);
    ok(await app.post(`/api/experiments/${experimentId}/learnings/${learningIds.wrong}/retract`, { reason: 'Recorded on the wrong experiment' }));
    // ---- end of this test's own commands ----

    const library = (await get('/api/learnings?includeRetracted=true&limit=200')).json<{ items: Array<{ id: string; eventIds: { recorded: string } }> }>();
    for (const item of library.items) recordedBy[item.id] = item.eventIds.recorded;
  });

  afterAll(async () => {
    await app.close();
  });

  describe('learning summary', () => {
    it('lists the recorded insights and learnings, each linked to its event, and leaves out the retracted one (md)', async () => {
      const reply = await get('/api/reports/learning-summary');
      expect(reply.headers['content-type']).toBe('text/markdown; charset=utf-8');
      const md = reply.body;
      const head = await headPosition(app);
      expect(md).toContain(`Built from the events up to global position ${head}`);
      expect(md).toContain('projections learning-library v1');
      expect(md).toContain('app version 0.1.0');
      for (const id of [...insightIds, DEMO_IDS.publicHeroesBarriers, learningIds.high, learningIds.medium, learningIds.open, DEMO_IDS.padrivGovernanceLearning]) {
        expect(md).toContain(`: event ${recordedBy[id]}: `);
      }
      expect(md).toContain('Caseworkers want permission to try');
      expect(md).toContain('**A small first step works** — Forty households signed up (Experiment “Green living pop-up”, 1 April 2019; decision: persevere, reliability: high) [^');
      expect(md).not.toContain('Retract me please');
      expect(md).not.toContain(recordedBy[learningIds.wrong]);
      // key learnings: high before medium whatever their dates; equally reliable ones newest first
      const key = md.slice(md.indexOf('## Key learnings'), md.indexOf('## Open questions'));
      expect(key.indexOf('A small first step works')).toBeLessThan(key.indexOf('Stop the flyers'));
      expect(key.indexOf('Stop the flyers')).toBeLessThan(key.indexOf('Pådriv is now mature'));
      expect(key).not.toContain('Weekend timing');
      const open = md.slice(md.indexOf('## Open questions'), md.indexOf('## By theme'));
      expect(open).toContain('Weekend timing is unclear');
      expect(open).toContain('The method of Pådriv draws interest beyond Oslo');
      expect(open).toContain('**Experiment “Green living pop-up”**: running since 4 March 2019');
      expect(open).toContain('**Experiment “Tool library”**: concluded inconclusive on 1 May 2019');
      // every list line and group heading refers to events (a decision counted 0 times derives from none)
      expect(md).toContain('- pivot: 0\n');
      for (const content of md.split('\n').filter((l) => /^(- |\d+\. |### )/.test(l) && !/: 0$/.test(l))) expect(content).toMatch(/\[\^\d+\]$/);
    });

    it('links every line to its events in html and carries eventIds arrays in json', async () => {
      const html = await get('/api/reports/learning-summary?format=html');
      expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(html.body).toContain('<html lang="en">');
      expect(html.body).toMatch(/<a href="#event-\d+" title="event [0-9a-f-]{36}">\d+<\/a>/);
      expect(html.body).toContain(`<code>event ${recordedBy[learningIds.high]}</code>`);
      expect(html.body).toContain('href="/api/audit?stream=experiment-');
      expect(html.body).not.toContain('Retract me please');

      const json = await get('/api/reports/learning-summary?format=json');
      expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
      const model = json.json<SummaryJson>();
      expect(model.report).toBe('learning-summary');
      expect(model.builtFrom).toMatchObject({ position: await headPosition(app), projections: [{ name: 'learning-library', version: 1 }], appVersion: '0.1.0' });
      expect(model.keyLearnings[0]).toMatchObject({ id: learningIds.high, eventIds: [recordedBy[learningIds.high]] });
      expect(model.openQuestions.experiments.map((e) => [e.id, e.status])).toEqual([
        [inconclusiveId, 'concluded'],
        [experimentId, 'running'],
      ]);
      const referenced = new Set(model.events.map((e) => e.eventId));
      for (const id of model.bySource.flatMap((g) => g.items.flatMap((i) => i.eventIds))) expect(referenced.has(id)).toBe(true);
      expect(model.bySource.map((g) => g.source.kind)).toEqual(['experiment', 'network', 'gathering']);
    });

    it('speaks Norwegian by lang or Accept-Language', async () => {
      const byHeader = await get('/api/reports/learning-summary', { 'accept-language': 'nb-NO,nb;q=0.9,en;q=0.5' });
      expect(byHeader.body).toContain('# Læringsoppsummering');
      expect(byHeader.body).toContain('## Viktigste læring');
      expect(byHeader.body).toContain('Eksperiment «Green living pop-up», 1. april 2019; beslutning: fortsette, pålitelighet: høy');
      expect((await get('/api/reports/learning-summary?lang=en', { 'accept-language': 'nb' })).body).toContain('# Learning summary');
    });

    it('gives byte-identical md, html and json for the same atPosition, equal to the head without atPosition', async () => {
      const head = await headPosition(app);
      for (const format of ['md', 'html', 'json']) {
        const [first, second] = [await get(`/api/reports/learning-summary?format=${format}&atPosition=${head}`), await get(`/api/reports/learning-summary?format=${format}&atPosition=${head}`)];
        expect(second.body).toBe(first.body);
        expect((await get(`/api/reports/learning-summary?format=${format}`)).body).toBe(first.body);
        expect((await get(`/api/reports/learning-summary?format=${format}&atPosition=${demoHead}`)).body).toBe(
          (await get(`/api/reports/learning-summary?format=${format}&atPosition=${demoHead}`)).body,
        );
      }
    });

    it('rebuilds an earlier position from the events at or below it, not from the read model', async () => {
      const demo = await get(`/api/reports/learning-summary?atPosition=${demoHead}`);
      expect(demo.body).toContain(`global position ${demoHead} `);
      expect(demo.body).toContain('Pådriv is now mature for a firmer, more formal governance');
      expect(demo.body).toContain('Public employees who work in new ways face barriers');
      expect(demo.body).not.toContain('Caseworkers want permission');
      expect(demo.body).not.toContain('Green living pop-up');
      // just before the retraction, the retracted learning was still a key learning
      const earlier = (await get(`/api/reports/learning-summary?format=json&atPosition=${beforeRetraction}`)).json<SummaryJson>();
      expect(earlier.keyLearnings.map((l) => l.id)).toContain(learningIds.wrong);
      const now = (await get('/api/reports/learning-summary?format=json')).json<SummaryJson>();
      expect(now.keyLearnings.map((l) => l.id)).not.toContain(learningIds.wrong);
      expect(earlier.keyLearnings.filter((l) => l.id !== learningIds.wrong)).toEqual(now.keyLearnings);
      const empty = (await get('/api/reports/learning-summary?format=json&atPosition=0')).json<SummaryJson>();
      expect(empty.bySource).toEqual([]);
    });

    it('filters by collaboration (with its experiments), theme and time', async () => {
      const scoped = (await get(`/api/reports/learning-summary?format=json&collaborationId=${DEMO_IDS.trondheimCollaboration}`)).json<SummaryJson>();
      expect(scoped.bySource.map((g) => g.source.title)).toEqual(['Green living pop-up']);
      expect(scoped.openQuestions.experiments.map((e) => e.id)).toEqual([experimentId]);
      const themed = (await get(`/api/reports/learning-summary?format=json&theme=${encodeURIComponent('Public Sector Innovation')}`)).json<SummaryJson>();
      expect(themed.bySource.flatMap((g) => g.items.map((i) => i.id))).toEqual([insightIds[0]]);
      const late2018 = (await get('/api/reports/learning-summary?format=json&from=2018-11-01&to=2018-11-01')).json<SummaryJson>();
      expect(late2018.bySource.flatMap((g) => g.items.map((i) => i.id)).sort()).toEqual(
        [DEMO_IDS.padrivGovernanceLearning, DEMO_IDS.padrivMethodInterestLearning, DEMO_IDS.publicHeroesBarriers].sort(),
      );
    });

    it('renders a deterministic pdf as a download', async () => {
      const head = await headPosition(app);
      const [a, b] = [await bytes(`/api/reports/learning-summary?format=pdf&atPosition=${head}`), await bytes(`/api/reports/learning-summary?format=pdf&atPosition=${head}`)];
      expect(a.status).toBe(200);
      expect(a.headers.get('content-type')).toBe('application/pdf');
      expect(a.headers.get('content-disposition')).toBe(`attachment; filename="learning-summary-${head}-en.pdf"`);
      expect(a.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(a.body.equals(b.body)).toBe(true);
    });

    it('refuses bad parameters and unknown collaborations', async () => {
      const head = await headPosition(app);
      for (const query of [`atPosition=${head + 1}`, 'atPosition=abc', 'atPosition=-1', 'format=docx', 'lang=sv', 'from=2019-13-01', 'from=2019-05-01&to=2019-04-01', 'collaborationId=nope', 'colour=red']) {
        const reply = await app.get(`/api/reports/learning-summary?${query}`);
        expect({ query, status: reply.status }).toEqual({ query, status: 400 });
      }
      expect((await app.get('/api/reports/learning-summary?collaborationId=0192f1e2-0000-7000-8000-00000000dead')).status).toBe(404);
    });
  });

  describe('collaboration status report', () => {
    const url = `/api/reports/collaborations/${DEMO_IDS.trondheimCollaboration}`;

    it('shows activities, initiative links, milestones, learnings and attached experiments with their events', async () => {
      const md = (await get(url)).body;
      expect(md).toContain('# Status report: SoCentral and Trondheim kommune');
      expect(md).toContain('Partner: Trondheim kommune. Status: active.');
      expect(md).toContain('**How the municipality can help citizens take initiative and ownership of projects that make green living easy** — planned for 2019 [^');
      expect(md).toContain('**+CityxChange** (EU project, Horizon 2020) — confidence: tentative [^');
      expect(md).toContain('**“Green living pop-up”** — running, started 4 March 2019 [^');
      expect(md).toContain('A small first step works');
      expect(md).not.toContain('Retract me please');
      expect(md).not.toContain('Tool library');
      const json = (await get(`${url}?format=json`)).json<{ activities: Array<{ status: string; eventIds: string[] }>; initiatives: Array<{ confidence: string }>; experiments: Array<{ id: string }> }>();
      expect(json.activities.map((a) => a.status)).toEqual(['planned']);
      expect(json.activities[0].eventIds).toHaveLength(1);
      expect(json.initiatives.map((i) => i.confidence)).toEqual(['tentative']);
      expect(json.experiments.map((e) => e.id)).toEqual([experimentId]);
    });

    it('is the same at the same position, and smaller at the demo position', async () => {
      const head = await headPosition(app);
      for (const format of ['md', 'html', 'json']) {
        expect((await get(`${url}?format=${format}&lang=nb&atPosition=${head}`)).body).toBe((await get(`${url}?format=${format}&lang=nb&atPosition=${head}`)).body);
      }
      const demo = (await get(`${url}?atPosition=${demoHead}&lang=nb`)).body;
      expect(demo).toContain('# Statusrapport: SoCentral and Trondheim kommune');
      expect(demo).toContain('sikkerhet: foreløpig');
      expect(demo).not.toContain('Green living pop-up');
      const pdf = await bytes(`${url}?format=pdf`);
      expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.headers.get('content-disposition')).toContain('attachment; filename="collaboration-');
    });

    it('is 404 for an unknown collaboration, or before it existed', async () => {
      expect((await app.get('/api/reports/collaborations/0192f1e2-0000-7000-8000-00000000dead')).status).toBe(404);
      expect((await app.get(`/api/reports/collaborations/${DEMO_IDS.padriv}`)).status).toBe(404);
      expect((await app.get(`${url}?atPosition=2`)).status).toBe(404);
      expect((await app.get('/api/reports/collaborations/not-an-id')).status).toBe(404);
    });
  });

  describe('network growth', () => {
    const url = `/api/reports/networks/${DEMO_IDS.padriv}/growth`;

    it("draws Pådriv's reported 38 partners and 142 members and the partners listed one by one", async () => {
      const svg = await get(`${url}?format=svg`);
      expect(svg.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
      expect(svg.body.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg.body).toContain('>38</text>');
      expect(svg.body).toContain('>142</text>');
      expect(svg.body).toContain('Pådriv: partners and members over time');
      expect(svg.body).toContain('Partners (listed one by one)');
      expect(svg.body).toContain(`Position ${await headPosition(app)} `);
      expect((await get(`${url}?format=svg`)).body).toBe(svg.body);
      expect((await get(`${url}?format=svg&lang=nb`)).body).toContain('Partnere (rapportert)');
    });

    it('gives the data as json, and only the headcount at the demo position', async () => {
      const growth = (await get(url)).json<{ reported: Array<{ partners: number; members: number; eventIds: string[] }>; listed: Array<{ change: string; partners: number }> }>();
      expect(growth.reported.map((r) => [r.partners, r.members])).toEqual([[38, 142]]);
      expect(growth.listed.map((l) => [l.change, l.partners])).toEqual([['partner-joined', 1]]);
      const demo = (await get(`${url}?atPosition=${demoHead}`)).json<{ listed: unknown[] }>();
      expect(demo.listed).toEqual([]);
    });

    it('refuses other formats and unknown networks', async () => {
      expect((await app.get(`${url}?format=pdf`)).status).toBe(400);
      expect((await app.get(`/api/reports/networks/${DEMO_IDS.trondheimCollaboration}/growth`)).status).toBe(404);
    });
  });
});
