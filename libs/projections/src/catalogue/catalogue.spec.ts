import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { EventToAppend, InMemoryEventStore } from '#event-store';
import { ProjectionRunner } from '../projection-runner.js';
import { openReadModelDb, type ReadModelDb } from '../read-model-db.js';
import { event, storeWithClock } from '../testing/fixtures.js';
import { catalogueProjection } from './catalogue.projection.js';
import {
  listCollaborations,
  listExperiments,
  listGatherings,
  listNetworks,
  listOrganisations,
  listPeople,
  type ListPage,
} from './catalogue.queries.js';
import { CATALOGUE_ENTRIES_TABLE } from './catalogue.schema.js';
import { encodeListCursor, InvalidCursor } from './cursor.js';

const id = (n: number) => `0192f000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const ORG_A = id(901);
const ORG_B = id(902);
const LEAD = id(903);

function designed(experimentId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    experimentId,
    title: 'Evening meetings',
    hypothesis: 'h',
    test: 't',
    metric: 'm',
    successCriteria: 's',
    leadId: null,
    themes: [],
    deadline: null,
    collaborationId: null,
    networkId: null,
    ...overrides,
  };
}

describe('catalogue projection', () => {
  let store: InMemoryEventStore;
  let db: ReadModelDb;
  let runner: ProjectionRunner;

  async function append(stream: string, ...events: EventToAppend[]): Promise<void> {
    await store.appendToStream(stream, events);
  }

  async function sync(): Promise<void> {
    expect(await runner.waitFor(await store.headPosition(), 2000)).toBe(true);
  }

  /** Follows nextCursor through every page. */
  function allPages<T>(list: (cursor: string | null) => ListPage<T>): T[][] {
    const pages: T[][] = [];
    let cursor: string | null = null;
    do {
      const page = list(cursor);
      pages.push(page.items);
      cursor = page.nextCursor;
    } while (cursor !== null && pages.length < 100);
    return pages;
  }

  beforeEach(async () => {
    store = storeWithClock().store;
    db = openReadModelDb(':memory:');
    runner = new ProjectionRunner({ store, db, projections: [catalogueProjection] });
    await runner.start();
  });

  afterEach(async () => {
    await runner.stop();
    db.close();
  });

  describe('experiments', () => {
    it('lists a designed experiment with its card fields, times and version', async () => {
      const e1 = id(1);
      await append(
        `experiment-${e1}`,
        event('ExperimentDesigned', designed(e1, { leadId: LEAD, themes: ['Participation'] }), '2024-03-01T09:00:00+01:00'),
      );
      await sync();
      expect(listExperiments(db)).toEqual({
        items: [
          {
            id: e1,
            version: 1,
            title: 'Evening meetings',
            status: 'designed',
            themes: ['Participation'],
            leadId: LEAD,
            collaborationId: null,
            networkId: null,
            createdAt: '2024-03-01T08:00:00.000Z',
            updatedAt: '2024-03-01T08:00:00.000Z',
          },
        ],
        nextCursor: null,
      });
    });

    it('follows status transitions and revisions; version counts every event of the stream', async () => {
      const [e1, e2] = [id(1), id(2)];
      await append(`experiment-${e1}`, event('ExperimentDesigned', designed(e1), '2024-03-01T09:00:00.000Z'));
      await append(`experiment-${e2}`, event('ExperimentDesigned', designed(e2, { title: 'Pop-up' }), '2024-03-02T09:00:00.000Z'));
      await append(
        `experiment-${e1}`,
        event('ExperimentStarted', { experimentId: e1, startedAt: '2024-03-03T09:00:00.000Z' }, '2024-03-03T09:00:00.000Z'),
        event('StepLogged', { experimentId: e1, stepId: 's1', description: 'd', evidenceUrl: null }, '2024-03-04T09:00:00.000Z'),
        event(
          'TestCardRevised',
          { experimentId: e1, changes: { title: 'Morning meetings', themes: ['Mobility'], leadId: LEAD }, reason: 'r' },
          '2024-03-05T09:00:00.000Z',
        ),
      );
      await sync();
      let one = listExperiments(db).items.find((e) => e.id === e1);
      expect(one).toMatchObject({ status: 'running', title: 'Morning meetings', themes: ['Mobility'], leadId: LEAD, version: 4 });
      expect(one?.updatedAt).toBe('2024-03-05T09:00:00.000Z');
      expect(listExperiments(db, { theme: 'mobility' }).items.map((e) => e.id)).toEqual([e1]);

      await append(
        `experiment-${e1}`,
        event('ExperimentConcluded', { experimentId: e1, outcome: 'validated', summary: 's' }, '2024-03-06T09:00:00.000Z'),
        // backdated: updatedAt keeps the latest business time
        event('MeasurementRecorded', { experimentId: e1, measurementId: 'm1', value: 1, unit: null, note: null }, '2024-03-04T10:00:00.000Z'),
      );
      await append(`experiment-${e2}`, event('ExperimentAbandoned', { experimentId: e2, reason: 'no' }, '2024-03-07T09:00:00.000Z'));
      await sync();
      one = listExperiments(db).items.find((e) => e.id === e1);
      expect(one).toMatchObject({ status: 'concluded', version: 6, updatedAt: '2024-03-06T09:00:00.000Z' });
      expect(listExperiments(db, { status: 'abandoned' }).items.map((e) => e.id)).toEqual([e2]);
      expect(listExperiments(db, { status: 'running' }).items).toEqual([]);
    });

    it('filters by status, theme (ignoring case), lead, collaboration, network and title text', async () => {
      const [e1, e2, e3, e4] = [id(1), id(2), id(3), id(4)];
      const [collab, network] = [id(801), id(802)];
      await append(
        `experiment-${e1}`,
        event('ExperimentDesigned', designed(e1, { title: 'Bærekraftige Boliger', themes: ['Bærekraft'], leadId: LEAD, collaborationId: collab }), '2024-01-01T00:00:00.000Z'),
      );
      await append(
        `experiment-${e2}`,
        event('ExperimentDesigned', designed(e2, { title: '100% green', themes: ['Energy'], networkId: network }), '2024-01-02T00:00:00.000Z'),
        event('ExperimentStarted', { experimentId: e2, startedAt: '2024-01-03T00:00:00.000Z' }, '2024-01-03T00:00:00.000Z'),
      );
      await append(`experiment-${e3}`, event('ExperimentDesigned', designed(e3, { title: 'Car-free street' }), '2024-01-03T00:00:00.000Z'));
      await append(`experiment-${e4}`, event('ExperimentDesigned', designed(e4, { title: 'Library lab' }), '2024-01-04T00:00:00.000Z'));
      // attached to the collaboration later, on the collaboration's stream
      await append(`collaboration-${collab}`, event('ExperimentAttached', { collaborationId: collab, experimentId: e4 }));
      await sync();
      const ids = (page: ListPage<{ id: string }>) => page.items.map((item) => item.id);

      expect(ids(listExperiments(db))).toEqual([e4, e3, e2, e1]);
      expect(ids(listExperiments(db, { status: 'running' }))).toEqual([e2]);
      expect(ids(listExperiments(db, { status: 'designed' }))).toEqual([e4, e3, e1]);
      expect(ids(listExperiments(db, { theme: 'BÆREKRAFT' }))).toEqual([e1]);
      expect(ids(listExperiments(db, { theme: 'bærekraf' }))).toEqual([]);
      expect(ids(listExperiments(db, { leadId: LEAD }))).toEqual([e1]);
      expect(ids(listExperiments(db, { collaborationId: collab }))).toEqual([e4, e1]);
      expect(ids(listExperiments(db, { networkId: network }))).toEqual([e2]);
      expect(ids(listExperiments(db, { networkId: collab }))).toEqual([]);
      expect(ids(listExperiments(db, { q: 'BOLIG' }))).toEqual([e1]);
      expect(ids(listExperiments(db, { q: '% g' }))).toEqual([e2]);
      expect(ids(listExperiments(db, { q: '%' }))).toEqual([e2]);
      expect(ids(listExperiments(db, { q: '_' }))).toEqual([]);
      expect(ids(listExperiments(db, { q: '  ' }))).toEqual([e4, e3, e2, e1]);
      expect(ids(listExperiments(db, { status: 'designed', q: 'l', collaborationId: collab }))).toEqual([e4, e1]);
      expect(listExperiments(db).items.find((e) => e.id === e4)?.collaborationId).toBe(collab);
    });
  });

  describe('paging', () => {
    it('walks every page without duplicates or gaps, also when rows share a created time', async () => {
      // 11 experiments: 7 share one business time, the rest differ
      for (let n = 1; n <= 11; n++) {
        const at = n <= 7 ? '2024-02-01T12:00:00.000Z' : `2024-02-0${n - 6}T12:00:00.000Z`;
        await append(`experiment-${id(n)}`, event('ExperimentDesigned', designed(id(n), { title: `E${n}` }), at));
      }
      await sync();
      const everything = listExperiments(db, { limit: 200 });
      expect(everything.nextCursor).toBeNull();
      expect(everything.items).toHaveLength(11);
      for (const limit of [1, 2, 3, 7, 11]) {
        const pages = allPages((cursor) => listExperiments(db, { limit, cursor }));
        expect(pages.every((page) => page.length <= limit)).toBe(true);
        expect(pages.flat().map((e) => e.id)).toEqual(everything.items.map((e) => e.id));
        expect(pages).toHaveLength(Math.ceil(11 / limit));
      }
      // newest first, ties by id descending
      expect(everything.items.map((e) => e.title)).toEqual(['E11', 'E10', 'E9', 'E8', 'E7', 'E6', 'E5', 'E4', 'E3', 'E2', 'E1']);
    });

    it('keeps its place when rows are added between pages', async () => {
      for (let n = 1; n <= 4; n++) {
        await append(`experiment-${id(n)}`, event('ExperimentDesigned', designed(id(n)), `2024-02-0${n}T12:00:00.000Z`));
      }
      await sync();
      const first = listExperiments(db, { limit: 2 });
      expect(first.items.map((e) => e.id)).toEqual([id(4), id(3)]);
      await append(`experiment-${id(5)}`, event('ExperimentDesigned', designed(id(5)), '2024-02-09T12:00:00.000Z'));
      await sync();
      const second = listExperiments(db, { limit: 2, cursor: first.nextCursor });
      expect(second.items.map((e) => e.id)).toEqual([id(2), id(1)]);
      expect(second.nextCursor).toBeNull();
    });

    it('pages with filters applied', async () => {
      for (let n = 1; n <= 6; n++) {
        await append(
          `organisation-${id(n)}`,
          event('OrganisationRegistered', { organisationId: id(n), name: `Org ${n}`, kind: n % 2 ? 'ngo' : 'company' }, `2024-02-0${n}T12:00:00.000Z`),
        );
      }
      await sync();
      const pages = allPages((cursor) => listOrganisations(db, { kind: 'ngo', limit: 2, cursor }));
      expect(pages.map((page) => page.map((o) => o.name))).toEqual([['Org 5', 'Org 3'], ['Org 1']]);
    });

    it('refuses a malformed, tampered or foreign cursor with InvalidCursor', async () => {
      await append(`experiment-${id(1)}`, event('ExperimentDesigned', designed(id(1))));
      await append(`experiment-${id(2)}`, event('ExperimentDesigned', designed(id(2))));
      await sync();
      const valid = listExperiments(db, { limit: 1 }).nextCursor;
      expect(valid).toEqual(expect.any(String));
      const b64 = (text: string) => Buffer.from(text).toString('base64url');
      const bad = [
        'not a cursor',
        '!!!!',
        `${valid}=`,
        `${valid}x`,
        b64('{"v":1'),
        b64('[1,2]'),
        b64('null'),
        b64(JSON.stringify({ v: 2, e: 'experiment', c: '2024-01-01T10:00:00.000Z', i: id(1) })),
        b64(JSON.stringify({ v: 1, e: 'experiment', c: '2024-01-01', i: id(1) })),
        b64(JSON.stringify({ v: 1, e: 'experiment', c: "2024-01-01T10:00:00.000Z' OR 1=1", i: id(1) })),
        b64(JSON.stringify({ v: 1, e: 'experiment', c: '2024-01-01T10:00:00.000Z', i: '' })),
        b64(JSON.stringify({ v: 1, e: 'experiment', c: '2024-01-01T10:00:00.000Z', i: 7 })),
        'a'.repeat(600),
      ];
      for (const cursor of bad) {
        expect(() => listExperiments(db, { cursor })).toThrow(InvalidCursor);
      }
      const fromPeople = encodeListCursor('person', { created: '2024-01-01T10:00:00.000Z', id: id(1) });
      expect(() => listExperiments(db, { cursor: fromPeople })).toThrow(InvalidCursor);
      expect(() => listPeople(db, { cursor: valid })).toThrow(InvalidCursor);
      expect(listExperiments(db, { cursor: valid }).items).toHaveLength(1);
    });

    it('refuses a limit outside 1..200', () => {
      for (const limit of [0, 201, 1.5, -1, Number.NaN]) {
        expect(() => listExperiments(db, { limit })).toThrow(RangeError);
      }
    });
  });

  describe('organisations', () => {
    it('shows the new name after a rename and filters by kind and name', async () => {
      await append(`organisation-${ORG_A}`, event('OrganisationRegistered', { organisationId: ORG_A, name: 'Oslo kommune', kind: 'municipality' }));
      await append(`organisation-${ORG_B}`, event('OrganisationRegistered', { organisationId: ORG_B, name: 'Acme AS', kind: 'company' }, '2024-01-02T00:00:00.000Z'));
      await append(
        `organisation-${ORG_A}`,
        event('OrganisationRenamed', { organisationId: ORG_A, name: 'Oslo municipality', previousName: 'Oslo kommune' }, '2024-01-03T00:00:00.000Z'),
      );
      await sync();
      expect(listOrganisations(db).items).toEqual([
        expect.objectContaining({ id: ORG_B, name: 'Acme AS', kind: 'company', status: 'registered', version: 1 }),
        expect.objectContaining({ id: ORG_A, name: 'Oslo municipality', kind: 'municipality', version: 2 }),
      ]);
      expect(listOrganisations(db, { kind: 'municipality' }).items.map((o) => o.id)).toEqual([ORG_A]);
      expect(listOrganisations(db, { q: 'kommune' }).items).toEqual([]);
      expect(listOrganisations(db, { q: 'MUNICIPALITY' }).items.map((o) => o.id)).toEqual([ORG_A]);
    });
  });

  describe('people', () => {
    const [p1, p2] = [id(501), id(502)];

    it('lists names, follows revisions, and blanks the name once the person is forgotten', async () => {
      await append(`person-${p1}`, event('PersonRegistered', { personId: p1, personal: { name: 'Kari Nordmann', background: 'Planner' } }));
      await append(`person-${p2}`, event('PersonRegistered', { personId: p2, personal: { name: 'Ola Nordmann', background: null } }, '2024-01-02T00:00:00.000Z'));
      await append(`person-${p1}`, event('PersonDetailsRevised', { personId: p1, personal: { name: 'Kari Holm' } }, '2024-01-03T00:00:00.000Z'));
      await sync();
      expect(listPeople(db).items).toEqual([
        expect.objectContaining({ id: p2, name: 'Ola Nordmann', status: 'registered', forgotten: false }),
        expect.objectContaining({ id: p1, name: 'Kari Holm', version: 2 }),
      ]);
      expect(listPeople(db, { q: 'holm' }).items.map((p) => p.id)).toEqual([p1]);

      await append(`person-${p1}`, event('PersonForgotten', { personId: p1, reason: 'Asked to be forgotten' }, '2024-01-04T00:00:00.000Z'));
      // never expected after forgetting; the name must stay blank anyway
      await append(`person-${p1}`, event('PersonDetailsRevised', { personId: p1, personal: { name: 'Kari Holm' } }, '2024-01-05T00:00:00.000Z'));
      await sync();
      expect(listPeople(db).items.find((p) => p.id === p1)).toEqual(
        expect.objectContaining({ name: null, status: 'forgotten', forgotten: true, version: 4 }),
      );
      expect(listPeople(db, { q: 'kari' }).items).toEqual([]);
      const stored = db.prepare(`SELECT * FROM "${CATALOGUE_ENTRIES_TABLE}" WHERE id = ?`).get(p1);
      expect(JSON.stringify(stored)).not.toContain('Kari');
      expect(JSON.stringify(stored)).not.toContain('Holm');
    });

    it('stores no name when the personal data cannot be read (encrypted or shredded), without parking', async () => {
      await append(`person-${p1}`, event('PersonRegistered', { personId: p1, personal: 'ciphertext' }));
      await sync();
      expect(listPeople(db).items).toEqual([expect.objectContaining({ id: p1, name: null, forgotten: false })]);
      expect((await runner.status())[0].state).toBe('running');
    });
  });

  describe('collaborations', () => {
    it('filters by status, theme, partner and title; shared event types count on the collaboration', async () => {
      const [c1, c2] = [id(601), id(602)];
      const agreed = (collaborationId: string, title: string, partner: string, themes: string[]) => ({
        collaborationId,
        title,
        partnerOrganisationId: partner,
        themes,
        agreedOn: null,
        description: null,
      });
      await append(`collaboration-${c1}`, event('CollaborationAgreed', agreed(c1, 'Green roofs', ORG_A, ['Climate', 'Housing'])));
      await append(`collaboration-${c2}`, event('CollaborationAgreed', agreed(c2, 'Youth jobs', ORG_B, ['Work']), '2024-01-02T00:00:00.000Z'));
      await append(
        `collaboration-${c1}`,
        event('LearningRecorded', {
          collaborationId: c1,
          learningId: 'l1',
          observation: 'o',
          learning: 'l',
          decision: 'pivot',
          reliability: 'low',
          themes: [],
          retrospective: false,
        }),
        event('CollaborationConcluded', { collaborationId: c1, summary: 'Done' }, '2024-02-01T00:00:00.000Z'),
      );
      await sync();
      expect(listCollaborations(db).items).toEqual([
        expect.objectContaining({ id: c2, title: 'Youth jobs', status: 'active', themes: ['Work'], partnerOrganisationId: ORG_B, version: 1 }),
        expect.objectContaining({ id: c1, status: 'concluded', themes: ['Climate', 'Housing'], version: 3, updatedAt: '2024-02-01T00:00:00.000Z' }),
      ]);
      expect(listCollaborations(db, { status: 'active' }).items.map((c) => c.id)).toEqual([c2]);
      expect(listCollaborations(db, { theme: 'housing' }).items.map((c) => c.id)).toEqual([c1]);
      expect(listCollaborations(db, { partnerOrganisationId: ORG_B }).items.map((c) => c.id)).toEqual([c2]);
      expect(listCollaborations(db, { q: 'roof' }).items.map((c) => c.id)).toEqual([c1]);
      // the learning on the collaboration stream did not touch any experiment
      expect(listExperiments(db).items).toEqual([]);
    });
  });

  describe('networks', () => {
    it('filters by kind and name, and follows leadership changes', async () => {
      const [n1, n2] = [id(701), id(702)];
      const founded = (networkId: string, name: string, kind: string) => ({
        networkId,
        name,
        kind,
        area: null,
        purpose: null,
        ledByOrganisationId: ORG_A,
        ledSince: null,
      });
      await append(`network-${n1}`, event('NetworkFounded', founded(n1, 'Pådriv', 'network')));
      await append(`network-${n2}`, event('NetworkFounded', founded(n2, 'Neighbours', 'community'), '2024-01-02T00:00:00.000Z'));
      await append(
        `network-${n1}`,
        event('LeadershipChanged', { networkId: n1, organisationId: ORG_B, since: '2024-03-01', previousOrganisationId: ORG_A }),
      );
      await sync();
      expect(listNetworks(db, { kind: 'network' }).items).toEqual([
        expect.objectContaining({ id: n1, name: 'Pådriv', kind: 'network', status: 'active', ledByOrganisationId: ORG_B, version: 2 }),
      ]);
      expect(listNetworks(db, { q: 'PÅD' }).items.map((n) => n.id)).toEqual([n1]);
      expect(listNetworks(db).items.map((n) => n.id)).toEqual([n2, n1]);
    });
  });

  describe('gatherings', () => {
    it('filters by kind, held-on range (inclusive) and title', async () => {
      const held = (gatheringId: string, title: string, kind: string, heldOn: string) => ({
        gatheringId,
        title,
        kind,
        heldOn,
        participantCount: null,
        organiserOrganisationId: ORG_A,
        purpose: null,
      });
      const [g1, g2, g3] = [id(801), id(802), id(803)];
      await append(`gathering-${g1}`, event('GatheringHeld', held(g1, 'Kick-off', 'workshop', '2024-01-10'), '2024-01-10T00:00:00.000Z'));
      await append(`gathering-${g2}`, event('GatheringHeld', held(g2, 'Board meeting', 'meeting', '2024-02-10'), '2024-02-10T00:00:00.000Z'));
      await append(`gathering-${g3}`, event('GatheringHeld', held(g3, 'Open workshop', 'workshop', '2024-03-10'), '2024-03-10T00:00:00.000Z'));
      await append(`gathering-${g3}`, event('InsightRecorded', { gatheringId: g3, insightId: 'i1', observation: 'o', learning: null, themes: [] }));
      await sync();
      const ids = (page: ListPage<{ id: string }>) => page.items.map((g) => g.id);
      expect(listGatherings(db).items[0]).toEqual(
        expect.objectContaining({ id: g3, title: 'Open workshop', kind: 'workshop', heldOn: '2024-03-10', status: 'held', organiserOrganisationId: ORG_A, version: 2 }),
      );
      expect(ids(listGatherings(db, { kind: 'workshop' }))).toEqual([g3, g1]);
      expect(ids(listGatherings(db, { from: '2024-02-10' }))).toEqual([g3, g2]);
      expect(ids(listGatherings(db, { to: '2024-02-10' }))).toEqual([g2, g1]);
      expect(ids(listGatherings(db, { from: '2024-01-11', to: '2024-03-09' }))).toEqual([g2]);
      expect(ids(listGatherings(db, { kind: 'workshop', q: 'open' }))).toEqual([g3]);
      expect(() => listGatherings(db, { from: '10.01.2024' })).toThrow(RangeError);
    });
  });

  it('ignores other streams and foreign event types, and a rebuild gives the same rows', async () => {
    await append('audit-x', event('OrganisationRegistered', { organisationId: 'x', name: 'Stray', kind: 'other' }));
    await append(`organisation-${ORG_A}`, event('OrganisationRegistered', { organisationId: ORG_A, name: 'Acme', kind: 'company' }));
    await append(`organisation-${ORG_A}`, event('ExperimentStarted', { experimentId: ORG_A }));
    await sync();
    const before = listOrganisations(db);
    expect(before.items).toEqual([expect.objectContaining({ id: ORG_A, name: 'Acme', version: 1 })]);
    await runner.rebuild('catalogue');
    await sync();
    expect(listOrganisations(db)).toEqual(before);
    expect((await runner.status())[0].state).toBe('running');
  });
});
