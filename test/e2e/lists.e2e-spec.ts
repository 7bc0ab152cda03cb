import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestApp, testCard, type Reply } from '../support/test-app.js';

interface Page<T = Record<string, unknown>> {
  items: T[];
  nextCursor: string | null;
}

interface Problem {
  status: number;
  errors?: Array<{ field: string; message: string }>;
}

describe('collection lists: GET /api/<collection>', () => {
  let app: TestApp;
  /** A token unique to this run, put into titles so each test can select its own rows with `q`. */
  let seq = 0;
  const unique = (label: string) => `${label} ${Date.now().toString(36)}x${++seq}`;

  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(async () => {
    await app.close();
  });

  async function create(path: string, body: Record<string, unknown>): Promise<string> {
    const reply = await app.post(path, body);
    expect({ path, status: reply.status, body: reply.body }).toEqual(expect.objectContaining({ status: 201 }));
    return reply.json<{ id: string }>().id;
  }

  async function page<T = Record<string, unknown>>(url: string): Promise<Page<T>> {
    const reply = await app.get(url);
    expect({ url, status: reply.status, body: reply.body }).toEqual(expect.objectContaining({ status: 200 }));
    return reply.json<Page<T>>();
  }

  async function ids(url: string): Promise<string[]> {
    return (await page<{ id: string }>(url)).items.map((item) => item.id);
  }

  /** Follows nextCursor from `url` (which must carry a query string) to the end. */
  async function walk(url: string): Promise<Array<Array<{ id: string }>>> {
    const pages: Array<Array<{ id: string }>> = [];
    let cursor: string | null = null;
    do {
      const next: Page<{ id: string }> = await page(cursor === null ? url : `${url}&cursor=${encodeURIComponent(cursor)}`);
      pages.push(next.items);
      cursor = next.nextCursor;
    } while (cursor !== null && pages.length < 50);
    return pages;
  }

  function expectBadRequest(reply: Reply, field: string): void {
    expect({ status: reply.status, body: reply.body }).toEqual(expect.objectContaining({ status: 400 }));
    expect(reply.headers['content-type']).toContain('application/problem+json');
    expect(reply.json<Problem>().errors?.map((e) => e.field)).toContain(field);
  }

  describe('experiments', () => {
    it('lists experiments newest first with their list fields', async () => {
      const title = unique('Fields');
      const lead = await create('/api/people', { name: 'Test lead (lists)' });
      const id = await create('/api/experiments', testCard({ title, themes: ['Mobility'], leadId: lead, occurredAt: '2019-02-01' }));
      const { items, nextCursor } = await page(`/api/experiments?q=${encodeURIComponent(title)}`);
      expect(nextCursor).toBeNull();
      expect(items).toEqual([
        {
          id,
          version: 1,
          title,
          status: 'designed',
          themes: ['Mobility'],
          leadId: lead,
          collaborationId: null,
          networkId: null,
          createdAt: '2019-01-31T23:00:00.000Z',
          updatedAt: '2019-01-31T23:00:00.000Z',
        },
      ]);
    });

    it('filters by status, theme, lead and title text, and shows status changes at once', async () => {
      const tag = unique('Filter');
      const lead = await create('/api/people', { name: 'Test lead (filters)' });
      const a = await create('/api/experiments', testCard({ title: `${tag} alpha`, themes: ['Bærekraft'], occurredAt: '2019-03-01' }));
      const b = await create('/api/experiments', testCard({ title: `${tag} beta`, themes: ['Energy'], leadId: lead, occurredAt: '2019-03-02' }));
      const c = await create('/api/experiments', testCard({ title: `${tag} gamma`, themes: ['energy'], occurredAt: '2019-03-03' }));
      expect((await app.post(`/api/experiments/${b}/start`, { occurredAt: '2019-03-04' })).status).toBe(200);
      expect((await app.post(`/api/experiments/${c}/abandon`, { reason: 'No budget', occurredAt: '2019-03-05' })).status).toBe(200);
      const q = `q=${encodeURIComponent(tag)}`;

      expect(await ids(`/api/experiments?${q}`)).toEqual([c, b, a]);
      expect(await ids(`/api/experiments?${q}&status=running`)).toEqual([b]);
      expect(await ids(`/api/experiments?${q}&status=abandoned`)).toEqual([c]);
      expect(await ids(`/api/experiments?${q}&status=designed`)).toEqual([a]);
      expect(await ids(`/api/experiments?${q}&theme=ENERGY`)).toEqual([c, b]);
      expect(await ids(`/api/experiments?${q}&theme=${encodeURIComponent('bærekraft')}`)).toEqual([a]);
      expect(await ids(`/api/experiments?${q}&leadId=${lead.toUpperCase()}`)).toEqual([b]);
      expect(await ids(`/api/experiments?q=${encodeURIComponent(`${tag} GAM`)}`)).toEqual([c]);
      expect(await ids(`/api/experiments?q=${encodeURIComponent(`${tag} zzz`)}`)).toEqual([]);
      const running = (await page<{ id: string; version: number; status: string }>(`/api/experiments?${q}&status=running`)).items[0];
      expect(running).toMatchObject({ status: 'running', version: 2, updatedAt: '2019-03-03T23:00:00.000Z' });
    });

    it('pages with a small limit through every page, rows sharing a created time included', async () => {
      const tag = unique('Paging');
      const created: string[] = [];
      for (let n = 0; n < 7; n++) {
        // five share one business time: the id breaks the tie
        created.push(await create('/api/experiments', testCard({ title: `${tag} ${n}`, occurredAt: n < 5 ? '2019-04-01' : `2019-04-0${n}` })));
      }
      const all = await ids(`/api/experiments?q=${encodeURIComponent(tag)}&limit=200`);
      expect([...all].sort()).toEqual([...created].sort());
      const pages = await walk(`/api/experiments?q=${encodeURIComponent(tag)}&limit=2`);
      expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 1]);
      expect(pages.flat().map((e) => e.id)).toEqual(all);
      const exact = await walk(`/api/experiments?q=${encodeURIComponent(tag)}&limit=7`);
      expect(exact).toHaveLength(1);
    });

    it('defaults to 50 items per page', async () => {
      const tag = unique('Default');
      for (let n = 0; n < 51; n++) await create('/api/experiments', testCard({ title: `${tag} ${n}` }));
      const first = await page(`/api/experiments?q=${encodeURIComponent(tag)}`);
      expect(first.items).toHaveLength(50);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await page(`/api/experiments?q=${encodeURIComponent(tag)}&cursor=${first.nextCursor}`);
      expect(second.items).toHaveLength(1);
      expect(second.nextCursor).toBeNull();
    });
  });

  describe('bad queries answer 400 problem+json naming the field', () => {
    it.each([
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=', 'limit'],
      ['limit=5&limit=6', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
      ['cursor=eyJ2IjoxfQ', 'cursor'],
      ['status=paused', 'status'],
      ['leadId=someone', 'leadId'],
      ['collaborationId=42', 'collaborationId'],
      ['colour=red', 'colour'],
    ])('GET /api/experiments?%s', async (query, field) => {
      expectBadRequest(await app.get(`/api/experiments?${query}`), field);
    });

    it('refuses a cursor taken from another list', async () => {
      const tag = unique('Foreign');
      await create('/api/experiments', testCard({ title: `${tag} 1` }));
      await create('/api/experiments', testCard({ title: `${tag} 2` }));
      const { nextCursor } = await page(`/api/experiments?q=${encodeURIComponent(tag)}&limit=1`);
      expect(nextCursor).toEqual(expect.any(String));
      expectBadRequest(await app.get(`/api/gatherings?cursor=${nextCursor}`), 'cursor');
      expectBadRequest(await app.get(`/api/people?cursor=${nextCursor}`), 'cursor');
    });

    it.each([
      ['/api/organisations?kind=club', 'kind'],
      ['/api/organisations?status=registered', 'status'],
      ['/api/people?theme=x', 'theme'],
      ['/api/collaborations?status=designed', 'status'],
      ['/api/collaborations?partnerOrganisationId=acme', 'partnerOrganisationId'],
      ['/api/networks?kind=club', 'kind'],
      ['/api/gatherings?kind=party', 'kind'],
      ['/api/gatherings?from=2019-13-01', 'from'],
      ['/api/gatherings?from=2019-05-02&to=2019-05-01', 'to'],
      ['/api/gatherings?limit=500', 'limit'],
    ])('GET %s', async (url, field) => {
      expectBadRequest(await app.get(url), field);
    });
  });

  describe('other collections', () => {
    it('organisations: filter by kind and name; a rename shows at once', async () => {
      const tag = unique('Org');
      const town = await create('/api/organisations', { name: `${tag} Town`, kind: 'municipality', occurredAt: '2019-01-01' });
      const firm = await create('/api/organisations', { name: `${tag} Firm`, kind: 'company', occurredAt: '2019-01-02' });
      const q = `q=${encodeURIComponent(tag)}`;
      expect(await ids(`/api/organisations?${q}`)).toEqual([firm, town]);
      expect(await ids(`/api/organisations?${q}&kind=municipality`)).toEqual([town]);
      expect((await app.post(`/api/organisations/${town}/rename`, { name: `${tag} City` })).status).toBe(200);
      const renamed = await page<{ id: string; name: string; version: number }>(`/api/organisations?q=${encodeURIComponent(`${tag} city`)}`);
      expect(renamed.items).toEqual([expect.objectContaining({ id: town, name: `${tag} City`, kind: 'municipality', version: 2 })]);
      const pages = await walk(`/api/organisations?${q}&limit=1`);
      expect(pages.flat().map((o) => o.id)).toEqual([firm, town]);
    });

    it('people: filter by name; a revised name shows at once', async () => {
      const tag = unique('Person');
      const kari = await create('/api/people', { name: `${tag} Kari`, background: 'Planner', occurredAt: '2019-01-01' });
      const ola = await create('/api/people', { name: `${tag} Ola`, occurredAt: '2019-01-02' });
      const listed = await page(`/api/people?q=${encodeURIComponent(tag)}`);
      expect(listed.items).toEqual([
        expect.objectContaining({ id: ola, name: `${tag} Ola`, status: 'registered', forgotten: false }),
        expect.objectContaining({ id: kari, name: `${tag} Kari` }),
      ]);
      expect(JSON.stringify(listed)).not.toContain('Planner');
      expect(await ids(`/api/people?q=${encodeURIComponent(`${tag} kar`)}`)).toEqual([kari]);
      expect((await app.post(`/api/people/${kari}/revise`, { name: `${tag} Kari Holm` })).status).toBe(200);
      expect((await page(`/api/people?q=${encodeURIComponent(`${tag} kari holm`)}`)).items).toEqual([
        expect.objectContaining({ id: kari, name: `${tag} Kari Holm`, version: 2 }),
      ]);
    });

    it('collaborations and experiments within them: filter by status, theme, partner and collaboration', async () => {
      const tag = unique('Collab');
      const partner = await create('/api/organisations', { name: `${tag} Partner`, kind: 'ngo' });
      const other = await create('/api/organisations', { name: `${tag} Other`, kind: 'research' });
      const roofs = await create('/api/collaborations', { title: `${tag} Roofs`, partnerOrganisationId: partner, themes: ['Climate'], occurredAt: '2019-01-01' });
      const jobs = await create('/api/collaborations', { title: `${tag} Jobs`, partnerOrganisationId: other, themes: ['Work'], occurredAt: '2019-01-02' });
      expect((await app.post(`/api/collaborations/${roofs}/conclude`, { summary: 'Done' })).status).toBe(200);
      const q = `q=${encodeURIComponent(tag)}`;
      expect(await ids(`/api/collaborations?${q}`)).toEqual([jobs, roofs]);
      expect(await ids(`/api/collaborations?${q}&status=active`)).toEqual([jobs]);
      expect(await ids(`/api/collaborations?${q}&status=concluded`)).toEqual([roofs]);
      expect(await ids(`/api/collaborations?${q}&theme=climate`)).toEqual([roofs]);
      expect(await ids(`/api/collaborations?${q}&partnerOrganisationId=${other}`)).toEqual([jobs]);

      const inside = await create('/api/experiments', testCard({ title: `${tag} inside`, collaborationId: jobs }));
      await create('/api/experiments', testCard({ title: `${tag} outside` }));
      const experiments = await page(`/api/experiments?collaborationId=${jobs}`);
      expect(experiments.items).toEqual([expect.objectContaining({ id: inside, collaborationId: jobs })]);
    });

    it('networks: filter by kind and name', async () => {
      const tag = unique('Net');
      const network = await create('/api/networks', { name: `${tag} Pådriv`, kind: 'network', occurredAt: '2019-01-01' });
      const community = await create('/api/networks', { name: `${tag} Neighbours`, kind: 'community', occurredAt: '2019-01-02' });
      const q = `q=${encodeURIComponent(tag)}`;
      expect(await ids(`/api/networks?${q}`)).toEqual([community, network]);
      expect(await ids(`/api/networks?${q}&kind=network`)).toEqual([network]);
      expect(await ids(`/api/networks?q=${encodeURIComponent(`${tag} påd`)}`)).toEqual([network]);
      const inside = await create('/api/experiments', testCard({ title: `${tag} inside`, networkId: network }));
      expect(await ids(`/api/experiments?networkId=${network}`)).toEqual([inside]);
    });

    it('gatherings: filter by kind, date range (inclusive) and title', async () => {
      const tag = unique('Gathering');
      const kickoff = await create('/api/gatherings', { title: `${tag} Kick-off`, kind: 'workshop', heldOn: '2019-05-01', occurredAt: '2019-05-01' });
      const board = await create('/api/gatherings', { title: `${tag} Board`, kind: 'meeting', heldOn: '2019-06-01', occurredAt: '2019-06-01' });
      const open = await create('/api/gatherings', { title: `${tag} Open`, kind: 'workshop', heldOn: '2019-07-01', occurredAt: '2019-07-01' });
      const q = `q=${encodeURIComponent(tag)}`;
      expect(await ids(`/api/gatherings?${q}`)).toEqual([open, board, kickoff]);
      expect(await ids(`/api/gatherings?${q}&kind=workshop`)).toEqual([open, kickoff]);
      expect(await ids(`/api/gatherings?${q}&from=2019-06-01`)).toEqual([open, board]);
      expect(await ids(`/api/gatherings?${q}&to=2019-06-01`)).toEqual([board, kickoff]);
      expect(await ids(`/api/gatherings?${q}&from=2019-05-02&to=2019-06-30`)).toEqual([board]);
      const listed = await page(`/api/gatherings?q=${encodeURIComponent(`${tag} open`)}`);
      expect(listed.items).toEqual([expect.objectContaining({ id: open, kind: 'workshop', heldOn: '2019-07-01', status: 'held' })]);
      const pages = await walk(`/api/gatherings?${q}&limit=2`);
      expect(pages.map((p) => p.map((g) => g.id))).toEqual([[open, board], [kickoff]]);
    });
  });
});
