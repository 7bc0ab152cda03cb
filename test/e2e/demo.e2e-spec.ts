import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { EventStore, type RecordedEvent } from '#event-store';
import { DemoLoader } from '../../apps/api/src/demo/demo.loader.js';
import { DEMO_IDS, DEMO_STEPS, demoId } from '../../apps/api/src/demo/demo-workspace.js';
import { TestApp, testCard } from '../support/test-app.js';

const DEMO = { TRACKER_DEMO: '1' };

async function eventsOf(app: TestApp): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const batch of app.app.get(EventStore).readAll()) events.push(...batch);
  return events;
}

/** What must be identical wherever the demo is loaded (everything but store time and integrity). */
const portable = (e: RecordedEvent) => ({ eventId: e.eventId, streamId: e.streamId, version: e.version, type: e.type, data: e.data, metadata: e.metadata });

const byType = (events: RecordedEvent[], type: string, streamId?: string) =>
  events.filter((e) => e.type === type && (streamId === undefined || e.streamId === streamId));

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tracker-demo-'));
}

describe('demo workspace', () => {
  const dirs: string[] = [];
  const apps: TestApp[] = [];
  const start = async (env: Record<string, string>, dir?: string) => {
    const app = await TestApp.start(env, dir);
    apps.push(app);
    return app;
  };
  const dir = () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
    jest.restoreAllMocks();
  });
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  describe('on an empty store with TRACKER_DEMO=1', () => {
    let app: TestApp;
    let events: RecordedEvent[];
    beforeAll(async () => {
      app = await TestApp.start(DEMO);
      events = await eventsOf(app);
    });
    afterAll(async () => {
      await app.close();
    });

    it('loads every step once, as the system, from source demo', () => {
      expect(events).toHaveLength(DEMO_STEPS.length);
      for (const event of events) {
        expect(event.metadata.actor).toEqual({ id: 'system', role: 'system' });
        expect(event.metadata.source).toBe('demo');
      }
      expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    });

    it('uses deterministic event ids derived from stream and version', () => {
      for (const event of events) expect(event.eventId).toBe(demoId(`event/${event.streamId}/${event.version}`));
      expect(events[0].streamId).toBe(`organisation-${DEMO_IDS.socentral}`);
    });

    it('dates the events historically (bare dates at 00:00 Oslo time)', () => {
      const karin = `person-${DEMO_IDS.karinLindgard}`;
      const [role] = byType(events, 'RoleAssumed', karin);
      expect(role.metadata.occurredAt).toBe('2018-12-31T23:00:00.000Z');
      expect(role.data).toMatchObject({ organisationId: DEMO_IDS.socentral, from: '2019-01-01', personal: { title: 'Partner' } });

      const [padriv] = byType(events, 'NetworkFounded', `network-${DEMO_IDS.padriv}`);
      expect(padriv.metadata.occurredAt).toBe('2017-02-28T23:00:00.000Z');
      expect(padriv.data).toMatchObject({ name: 'Pådriv', area: 'Hovinbyen, Oslo', ledByOrganisationId: DEMO_IDS.socentral, ledSince: '2017-03-01' });

      const [gathering] = byType(events, 'GatheringHeld');
      expect(gathering.metadata.occurredAt).toBe('2018-10-31T23:00:00.000Z');
      for (const event of events) expect(event.metadata.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z$/);
      expect(events.every((e) => e.metadata.occurredAt < '2019-01-01')).toBe(true);
    });

    it('records the facts of the article', () => {
      const headcounts = byType(events, 'HeadcountReported').map((e) => e.data);
      expect(headcounts).toEqual(
        expect.arrayContaining([
          { networkId: DEMO_IDS.padriv, partners: 38, members: 142 },
          { networkId: DEMO_IDS.socentralCommunity, partners: null, members: 230 },
        ]),
      );
      expect(byType(events, 'CollaborationAgreed')[0].data).toMatchObject({
        partnerOrganisationId: DEMO_IDS.trondheimKommune,
        themes: ['sustainable urban development', 'democratisation', 'mobilising resources', 'new financing models'],
        agreedOn: null,
      });
      expect(byType(events, 'ActivityPlanned')[0].data).toMatchObject({ plannedFor: '2019' });
      expect(byType(events, 'InitiativeLinked')[0].data).toMatchObject({
        name: '+CityxChange',
        kind: 'eu-project',
        programme: 'Horizon 2020',
        confidence: 'tentative',
      });
      expect(byType(events, 'GatheringHeld')[0].data).toMatchObject({ kind: 'workshop', participantCount: 15, organiserOrganisationId: DEMO_IDS.socentral });
      expect(byType(events, 'MilestoneSet')[0].data).toMatchObject({ title: 'Established as a legal entity', due: '2019-12-31' });
      expect(byType(events, 'MethodAdoptionUpdated')).toHaveLength(0);
    });

    it('shows the loaded events on /health', async () => {
      const health = (await app.get('/health')).json<{ store: { lastPosition: number } }>();
      expect(health.store.lastPosition).toBe(events.at(-1)?.position);
    });
  });

  it('leaves the store empty with TRACKER_DEMO=0', async () => {
    const app = await start({ TRACKER_DEMO: '0' });
    expect(await app.app.get(EventStore).headPosition()).toBe(0);
  });

  it('is not loaded again when restarted on the same data', async () => {
    const data = dir();
    const first = await start(DEMO, data);
    const before = (await eventsOf(first)).map(portable);
    await first.close();
    apps.splice(apps.indexOf(first), 1);
    const second = await start(DEMO, data);
    const after = (await eventsOf(second)).map(portable);
    expect(after).toEqual(before);
    expect(after).toHaveLength(DEMO_STEPS.length);
  });

  it('is not loaded into a store that holds other events', async () => {
    const data = dir();
    const first = await start({ TRACKER_DEMO: '0' }, data);
    expect((await first.post('/api/experiments', testCard())).status).toBe(201);
    await first.close();
    apps.splice(apps.indexOf(first), 1);
    const second = await start(DEMO, data);
    const events = await eventsOf(second);
    expect(events.map((e) => e.type)).toEqual(['ExperimentDesigned']);
  });

  it('is the same on every machine', async () => {
    const [a, b] = [await start(DEMO), await start(DEMO)];
    expect((await eventsOf(b)).map(portable)).toEqual((await eventsOf(a)).map(portable));
  });

  it('is loaded once when two instances start on the same empty store at once', async () => {
    const data = dir();
    const both = await Promise.all([start(DEMO, data), start(DEMO, data)]);
    for (const app of both) {
      const events = await eventsOf(app);
      expect(events).toHaveLength(DEMO_STEPS.length);
      expect(new Set(events.map((e) => e.eventId)).size).toBe(DEMO_STEPS.length);
    }
  });

  describe('the loader', () => {
    it('logs how many events it loaded', async () => {
      const log = jest.spyOn(Logger.prototype, 'log');
      const app = await start({ TRACKER_DEMO: '0' });
      expect(await app.app.get(DemoLoader).loadIfEmpty()).toEqual({ status: 'loaded', events: DEMO_STEPS.length });
      expect(log).toHaveBeenCalledWith(`Demo workspace loaded: ${DEMO_STEPS.length} events`);
    });

    it('still loads into a store that holds only user accounts (the first staff user is registered before it)', async () => {
      const app = await start({ TRACKER_DEMO: '0' });
      const added = await app.post('/api/users', { email: 'first.lead@example.org', name: 'First Lead', role: 'lead' });
      expect(added.status).toBe(201);
      expect(await app.app.get(EventStore).headPosition()).toBeGreaterThan(0);
      expect(await app.app.get(DemoLoader).loadIfEmpty()).toEqual({ status: 'loaded', events: DEMO_STEPS.length });
      expect(await app.app.get(DemoLoader).loadIfEmpty()).toEqual({ status: 'skipped', reason: 'store-not-empty' });
    });

    it('stops quietly when another instance wrote the demo after it found the store empty', async () => {
      const app = await start({ TRACKER_DEMO: '0' });
      const loader = app.app.get(DemoLoader);
      await loader.load();
      expect(await loader.load()).toEqual({ status: 'skipped', reason: 'loaded-elsewhere' });
      expect(await loader.loadIfEmpty()).toEqual({ status: 'skipped', reason: 'store-not-empty' });
      expect(await eventsOf(app)).toHaveLength(DEMO_STEPS.length);
    });

    it('writes each event once when two loads race step by step', async () => {
      const app = await start({ TRACKER_DEMO: '0' });
      const loader = app.app.get(DemoLoader);
      const results = await Promise.all([loader.load(), loader.load(), loader.load()]);
      expect(results.some((r) => r.status === 'loaded')).toBe(true);
      const events = await eventsOf(app);
      expect(events).toHaveLength(DEMO_STEPS.length);
      expect(new Set(events.map((e) => e.eventId)).size).toBe(DEMO_STEPS.length);
    });
  });
});
