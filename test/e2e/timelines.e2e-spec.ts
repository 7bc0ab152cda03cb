import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_IDS } from '../../apps/api/src/demo/demo-workspace.js';
import { TestApp, testCard } from '../support/test-app.js';

interface Entry {
  occurredAt: string;
  recordedAt: string;
  type: string;
  summary: string;
  actor: { id: string; role: string };
  stream: string;
  eventId: string;
  position: number;
}
interface Page {
  items: Entry[];
  nextCursor: string | null;
}

const TRONDHEIM = DEMO_IDS.trondheimCollaboration;
const PADRIV = DEMO_IDS.padriv;

/**
 * Timelines over the demo workspace. The tests run in order and build on one another: each step the tests
 * add on top of the demo is marked ADDED.
 */
describe('timelines, starting from the demo workspace', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ TRACKER_DEMO: '1' });
  });
  afterAll(async () => {
    await app.close();
  });

  const page = async (url: string, headers?: Record<string, string>): Promise<Page> => {
    const reply = await app.get(url, headers);
    expect(reply.status).toBe(200);
    return reply.json<Page>();
  };
  const entries = async (url: string, headers?: Record<string, string>) => (await page(url, headers)).items;
  const summaries = async (url: string) => (await entries(url)).map((e) => e.summary);
  const types = async (url: string) => (await entries(url)).map((e) => e.type);
  const lastPosition = async () => (await app.get('/health')).json<{ store: { lastPosition: number } }>().store.lastPosition;
  const command = async (url: string, body: Record<string, unknown>) => {
    const reply = await app.post(url, body);
    expect(reply.status).toBeLessThan(300);
    return reply.json<{ id: string }>();
  };

  it('finds the demo collaboration and network through the list endpoints', async () => {
    const collaborations = (await app.get('/api/collaborations?q=Trondheim')).json<{ items: Array<{ id: string }> }>();
    expect(collaborations.items.map((c) => c.id)).toEqual([TRONDHEIM]);
    const networks = (await app.get(`/api/networks?q=${encodeURIComponent('Pådriv')}`)).json<{ items: Array<{ id: string }> }>();
    expect(networks.items.map((n) => n.id)).toEqual([PADRIV]);
  });

  describe('the Trondheim collaboration', () => {
    const url = `/api/collaborations/${TRONDHEIM}/timeline`;
    let beforeConfirmation: number;

    it('shows the first activity and the tentative, then confirmed, initiative link in order', async () => {
      beforeConfirmation = await lastPosition();
      // ADDED: the +CityxChange link is confirmed in March 2019.
      await command(`/api/collaborations/${TRONDHEIM}/initiatives/${DEMO_IDS.cityxChange}/confirm`, { occurredAt: '2019-03-01' });

      const items = await entries(`${url}?lang=en`);
      expect(items.map((e) => e.type)).toEqual(['CollaborationAgreed', 'PartyJoined', 'ActivityPlanned', 'InitiativeLinked', 'InitiativeLinkConfirmed']);
      expect(items.map((e) => e.summary)).toEqual([
        'Collaboration agreed: "SoCentral and Trondheim kommune" with Trondheim kommune',
        'Party joined: SoCentral',
        'Activity planned: "How the municipality can help citizens take initiative and ownership of projects that make green living easy" (for 2019)',
        'Initiative linked: +CityxChange (Horizon 2020), tentative',
        'Link to +CityxChange confirmed',
      ]);
      expect(items[0]).toMatchObject({
        occurredAt: '2018-10-31T23:00:00.000Z',
        actor: { id: 'system', role: 'system' },
        stream: `collaboration-${TRONDHEIM}`,
      });
      expect(items[4].occurredAt).toBe('2019-02-28T23:00:00.000Z');
      expect(items[4].position).toBeGreaterThan(beforeConfirmation);
    });

    it('shows the link as tentative and no confirmation as known before the confirmation', async () => {
      for (const cut of [`knownAt=${beforeConfirmation}`, 'asOf=2019-02-28']) {
        const items = await entries(`${url}?lang=en&${cut}`);
        expect(items.map((e) => e.type)).toEqual(['CollaborationAgreed', 'PartyJoined', 'ActivityPlanned', 'InitiativeLinked']);
        expect(items[3].summary).toBe('Initiative linked: +CityxChange (Horizon 2020), tentative');
      }
    });

    it('renders in Norwegian on request or from Accept-Language', async () => {
      const nb = await summaries(`${url}?lang=nb`);
      expect(nb[3]).toBe('Initiativ koblet til: +CityxChange (Horizon 2020), foreløpig');
      expect(nb[4]).toBe('Kobling til +CityxChange bekreftet');
      expect((await entries(url, { 'accept-language': 'nb-NO,nb;q=0.9,en;q=0.5' })).map((e) => e.summary)).toEqual(nb);
      expect(await summaries(url)).not.toEqual(nb);
    });

    it('includes an attached experiment with its earlier events, once the attachment is known', async () => {
      // ADDED: an experiment designed, started, a step logged and retracted, then attached to the collaboration.
      const { id: experimentId } = await command('/api/experiments', testCard({ occurredAt: '2019-04-01' }));
      await command(`/api/experiments/${experimentId}/start`, { occurredAt: '2019-04-02' });
      const { stepId } = (await app.post(`/api/experiments/${experimentId}/steps`, { description: 'Pop-up stand at Bakklandet', occurredAt: '2019-04-03' })).json<{ stepId: string }>();
      await command(`/api/experiments/${experimentId}/steps/${stepId}/retract`, { reason: 'Logged on the wrong experiment', occurredAt: '2019-04-04' });
      const beforeAttachment = await lastPosition();
      await command(`/api/collaborations/${TRONDHEIM}/experiments`, { experimentId, occurredAt: '2019-04-10' });

      const items = await entries(`${url}?lang=en`);
      expect(items.slice(5).map((e) => [e.type, e.summary])).toEqual([
        ['ExperimentDesigned', 'Experiment designed: "Green living made easy"'],
        ['ExperimentStarted', 'Experiment started'],
        ['StepLogged', 'Step logged: "Pop-up stand at Bakklandet"'],
        ['StepRetracted', 'Step retracted: "Pop-up stand at Bakklandet" (reason: Logged on the wrong experiment)'],
        ['ExperimentAttached', 'Experiment attached: "Green living made easy"'],
      ]);
      expect(items[5].stream).toBe(`experiment-${experimentId}`);
      expect(await types(`${url}?knownAt=${beforeAttachment}`)).toHaveLength(5);
      expect(await types(`${url}?asOf=2019-04-09`)).toHaveLength(5);

      // The experiment's own timeline is unchanged by the attachment.
      expect((await entries(`/api/experiments/${experimentId}/timeline?lang=en`)).map((e) => e.type)).toEqual([
        'ExperimentDesigned',
        'ExperimentStarted',
        'StepLogged',
        'StepRetracted',
      ]);
    });
  });

  describe('Pådriv', () => {
    const url = `/api/networks/${PADRIV}/timeline`;

    it('lacks the headcount as of before it was reported and has it after', async () => {
      expect(await types(`${url}?asOf=2018-10-31`)).toEqual(['NetworkFounded']);
      const after = await summaries(`${url}?asOf=2018-11-01&lang=en`);
      expect(after).toContain('Headcount reported: 38 partners, 142 members');
      expect(after[0]).toBe('Network founded: Pådriv (Hovinbyen, Oslo), led by SoCentral');
      expect(await summaries(`${url}?asOf=2018-11-01&lang=nb`)).toContain('Antall rapportert: 38 partnere, 142 medlemmer');
    });

    it("names a member who joins, and shows it on the member's own timeline", async () => {
      // ADDED: Karin Lindgård joins Pådriv as a member.
      await command(`/api/networks/${PADRIV}/members`, { personId: DEMO_IDS.karinLindgard, occurredAt: '2019-02-01' });
      expect(await summaries(url)).toContain('Member joined: Karin Lindgård');
      expect(await summaries(`/api/people/${DEMO_IDS.karinLindgard}/timeline?lang=en`)).toEqual([
        'Person registered: Karin Lindgård',
        'Role assumed: Karin Lindgård as "Partner" at SoCentral, from 1 January 2019',
        'Member joined: Karin Lindgård',
      ]);
    });
  });

  it("shows on an organisation's timeline the networks, collaborations, gatherings and roles that name it", async () => {
    const items = await entries(`/api/organisations/${DEMO_IDS.socentral}/timeline?lang=en`);
    expect(items.map((e) => e.summary)).toEqual([
      'Organisation registered: SoCentral',
      'Network founded: Pådriv (Hovinbyen, Oslo), led by SoCentral',
      'Community founded: SoCentral community, led by SoCentral',
      'Party joined: SoCentral',
      'Workshop held: "Public heroes" (15 participants, organised by SoCentral)',
      'Role assumed: Karin Lindgård as "Partner" at SoCentral, from 1 January 2019',
    ]);
    expect(items.map((e) => e.occurredAt)).toEqual([...items.map((e) => e.occurredAt)].sort());
  });

  describe('the Public heroes gathering and the global timeline', () => {
    it("records the gathering's insights on its timeline", async () => {
      // ADDED: a second insight from the workshop, with a theme.
      await command(`/api/gatherings/${DEMO_IDS.publicHeroes}/insights`, {
        observation: 'Caseworkers want permission to try, not more guidelines',
        learning: 'Permission matters more than method',
        themes: ['Public innovation'],
        occurredAt: '2019-01-15',
      });
      expect(await summaries(`/api/gatherings/${DEMO_IDS.publicHeroes}/timeline?lang=en`)).toEqual([
        'Workshop held: "Public heroes" (15 participants, organised by SoCentral)',
        'Insight recorded: "Public employees who work in new ways face barriers; together they named them"',
        'Insight recorded: "Permission matters more than method"',
      ]);
    });

    it('filters the global timeline by theme', async () => {
      expect(await summaries(`/api/timeline?theme=${encodeURIComponent('public innovation')}&lang=en`)).toEqual([
        'Insight recorded: "Permission matters more than method"',
      ]);
      const democratisation = await entries('/api/timeline?theme=Democratisation&lang=en');
      expect(new Set(democratisation.map((e) => e.stream))).toEqual(new Set([`collaboration-${TRONDHEIM}`]));
      expect(democratisation.map((e) => e.type)).toEqual([
        'CollaborationAgreed',
        'PartyJoined',
        'ActivityPlanned',
        'InitiativeLinked',
        'InitiativeLinkConfirmed',
        'ExperimentAttached',
      ]);
    });

    it('filters the global timeline by business-time range, dates meaning Oslo days', async () => {
      expect(await summaries('/api/timeline?to=2017-12-31&lang=en')).toEqual([
        'Organisation registered: SoCentral',
        'Network founded: Pådriv (Hovinbyen, Oslo), led by SoCentral',
      ]);
      expect(await types('/api/timeline?from=2019-01-01&to=2019-01-31')).toEqual(['RoleAssumed', 'InsightRecorded']);
      expect(await types('/api/timeline?from=2019-01-02&to=2019-01-31')).toEqual(['InsightRecorded']);
      expect(await types('/api/timeline?from=2019-01-01&to=2019-01-31&knownAt=1')).toEqual([]);
    });

    it('pages the global timeline with a cursor', async () => {
      const all = await entries('/api/timeline?limit=200');
      expect(all.length).toBeGreaterThan(20);
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const next: Page = await page(`/api/timeline?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(next.items.length).toBeLessThanOrEqual(7);
        seen.push(...next.items.map((e) => e.position));
        cursor = next.nextCursor;
      } while (cursor !== null);
      expect(seen).toEqual(all.map((e) => e.position));
      expect((await page('/api/timeline')).items).toHaveLength(Math.min(50, all.length));
    });

    it('refuses an invalid query with 400 naming the field', async () => {
      for (const [query, field] of [
        ['from=2019-02-01&to=2019-01-01', 'to'],
        ['from=yesterday', 'from'],
        ['theme=%20', 'theme'],
        ['cursor=nonsense', 'cursor'],
        ['limit=0', 'limit'],
        ['lang=sv', 'lang'],
        ['colour=red', 'colour'],
      ]) {
        const reply = await app.get(`/api/timeline?${query}`);
        expect(reply.status).toBe(400);
        expect(reply.headers['content-type']).toContain('application/problem+json');
        expect(reply.json<{ errors: Array<{ field: string }> }>().errors.map((e) => e.field)).toContain(field);
      }
      expect((await app.get(`/api/networks/${PADRIV}/timeline?knownAt=soon`)).status).toBe(400);
    });
  });

  it('answers 404 problem+json for an unknown entity, or an id of another kind', async () => {
    const unknown = '0192f1e2-0000-7000-8000-000000000000';
    for (const url of [
      `/api/collaborations/${unknown}/timeline`,
      `/api/networks/${unknown}/timeline`,
      `/api/people/${unknown}/timeline`,
      `/api/organisations/${unknown}/timeline`,
      `/api/gatherings/${unknown}/timeline`,
      `/api/collaborations/${PADRIV}/timeline`,
      '/api/people/not-a-uuid/timeline',
    ]) {
      const reply = await app.get(url);
      expect(reply.status).toBe(404);
      expect(reply.headers['content-type']).toContain('application/problem+json');
      expect(reply.json()).toMatchObject({ status: 404, title: 'Not Found' });
    }
  });

  it('documents the timeline routes in OpenAPI', async () => {
    const paths = (await app.get('/docs-json')).json<{ paths: Record<string, { get?: { operationId?: string } }> }>().paths;
    expect(paths['/api/timeline']?.get).toBeDefined();
    const ids = ['collaborations', 'networks', 'people', 'organisations', 'gatherings'].map((c) => paths[`/api/${c}/{id}/timeline`]?.get?.operationId);
    expect(ids).toEqual(['collaborationTimeline', 'networkTimeline', 'personTimeline', 'organisationTimeline', 'gatheringTimeline']);
  });
});
