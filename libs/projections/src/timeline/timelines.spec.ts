import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InvalidCursor } from '../catalogue/cursor.js';
import { ProjectionRunner } from '../projection-runner.js';
import { openReadModelDb, type ReadModelDb } from '../read-model-db.js';
import { event, storeWithClock } from '../testing/fixtures.js';
import { entityTimeline, globalTimeline, TIMELINES, TIMELINES_TABLES, timelinesProjection, type TimelinePageQuery, type TimelineSubject } from './timelines.js';

const DAY1 = '2024-06-01T12:00:00.000Z';
const DAY2 = '2024-06-02T12:00:00.000Z';
const DAY3 = '2024-06-03T12:00:00.000Z';
const LATE_2018 = '2018-10-31T23:00:00.000Z';
const learning = { observation: 'o', decision: 'persevere', reliability: 'medium', retrospective: false };

describe('timelines projection', () => {
  let db: ReadModelDb;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    const { store, setNow } = storeWithClock(DAY1);
    const append = (stream: string, ...events: ReturnType<typeof event>[]) => store.appendToStream(stream, events);
    await append('organisation-o1', event('OrganisationRegistered', { organisationId: 'o1', name: 'SoCentral', kind: 'other' }, '2017-02-28T23:00:00.000Z')); // 1
    await append('organisation-o2', event('OrganisationRegistered', { organisationId: 'o2', name: 'Trondheim kommune', kind: 'municipality' }, LATE_2018)); // 2
    await append('person-p1', event('PersonRegistered', { personId: 'p1', personal: { name: 'Karin Lindgård', background: null } }, LATE_2018)); // 3
    await append('person-p2', event('PersonRegistered', { personId: 'p2', personal: { name: 'Ola Nordmann', background: 'Secret' } }, LATE_2018)); // 4
    await append(
      'collaboration-c1',
      event('CollaborationAgreed', { collaborationId: 'c1', title: 'SoCentral and Trondheim kommune', partnerOrganisationId: 'o2', themes: ['Democratisation'] }, LATE_2018), // 5
      event('PartyJoined', { collaborationId: 'c1', organisationId: 'o1', role: null }, LATE_2018), // 6
      event('InitiativeLinked', { collaborationId: 'c1', initiativeId: 'i1', name: '+CityxChange', kind: 'eu-project', programme: 'Horizon 2020', confidence: 'tentative' }, LATE_2018), // 7
    );
    await append(
      'experiment-x1',
      event('ExperimentDesigned', { experimentId: 'x1', title: 'Green living', leadId: 'p1', themes: ['Mobility'], collaborationId: null, networkId: null }, '2019-01-10T09:00:00.000Z'), // 8
      event('StepLogged', { experimentId: 'x1', stepId: 's1', description: 'Pop-up stand', evidenceUrl: null }, '2019-01-20T09:00:00.000Z'), // 9
    );
    setNow(DAY2);
    await append(
      'collaboration-c1',
      event('InitiativeLinkConfirmed', { collaborationId: 'c1', initiativeId: 'i1' }, '2019-02-01T09:00:00.000Z'), // 10
      event('ExperimentAttached', { collaborationId: 'c1', experimentId: 'x1' }, '2019-03-01T09:00:00.000Z'), // 11
    );
    await append('experiment-x1', event('StepRetracted', { experimentId: 'x1', stepId: 's1', reason: 'Wrong street' }, '2019-03-05T09:00:00.000Z')); // 12
    await append(
      'network-n1',
      event('NetworkFounded', { networkId: 'n1', name: 'Pådriv', kind: 'network', area: null, purpose: null, ledByOrganisationId: 'o1', ledSince: '2017-03-01' }, '2017-02-28T23:00:00.000Z'), // 13
      event('MemberJoined', { networkId: 'n1', personId: 'p2' }, '2019-04-01T09:00:00.000Z'), // 14
      event('HeadcountReported', { networkId: 'n1', partners: 38, members: 142 }, LATE_2018), // 15
      event('LearningRecorded', { networkId: 'n1', learningId: 'l1', learning: 'Ready for formal governance', themes: ['Governance'], ...learning }, LATE_2018), // 16
      event('LearningRetracted', { networkId: 'n1', learningId: 'l1', reason: 'Premature' }, '2019-05-01T09:00:00.000Z'), // 17
    );
    await append(
      'gathering-g1',
      event('GatheringHeld', { gatheringId: 'g1', title: 'Public heroes', kind: 'workshop', heldOn: '2018-11-01', participantCount: 15, organiserOrganisationId: 'o1', purpose: null }, LATE_2018), // 18
      event('InsightRecorded', { gatheringId: 'g1', insightId: 'n1', observation: 'Barriers are shared', learning: null, themes: ['Public sector'] }, LATE_2018), // 19
    );
    await append(
      'person-p1',
      event('RoleAssumed', { personId: 'p1', roleId: 'r1', organisationId: 'o1', from: '2019-01-01', personal: { title: 'Partner', responsibility: null } }, '2018-12-31T23:00:00.000Z'), // 20
      event('RoleEnded', { personId: 'p1', roleId: 'r1', to: '2021-06-30' }, '2021-06-29T22:00:00.000Z'), // 21
    );
    await append('experiment-x2', event('ExperimentDesigned', { experimentId: 'x2', title: 'Open meetings', leadId: null, themes: [], collaborationId: null, networkId: 'n1' }, '2019-06-01T09:00:00.000Z')); // 22
    setNow(DAY3);
    await append('person-p2', event('PersonForgotten', { personId: 'p2', reason: 'Asked to be forgotten' }, '2024-06-03T09:00:00.000Z')); // 23

    db = openReadModelDb(':memory:');
    runner = new ProjectionRunner({ store, db, projections: [timelinesProjection] });
    await runner.start();
    expect(await runner.waitFor(23, 2000)).toBe(true);
  });

  afterAll(async () => {
    await runner.stop();
    db.close();
  });

  const subject = (kind: TimelineSubject['kind'], id: string): TimelineSubject => ({ kind, id });
  const positions = (s: TimelineSubject, query: Partial<TimelinePageQuery> = {}) =>
    entityTimeline(db, s, { lang: 'en', ...query }).items.map((e) => e.position);
  const summaries = (s: TimelineSubject, query: Partial<TimelinePageQuery> = {}) =>
    entityTimeline(db, s, { lang: 'en', ...query }).items.map((e) => e.summary);
  const global = (query: Partial<TimelinePageQuery>) => globalTimeline(db, { lang: 'en', ...query }).items.map((e) => e.position);

  describe('a collaboration', () => {
    const c1 = subject('collaboration', 'c1');

    it('shows its own stream and its attached experiment, in business-time order', () => {
      expect(positions(c1)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
      expect(summaries(c1)).toEqual([
        'Collaboration agreed: "SoCentral and Trondheim kommune" with Trondheim kommune',
        'Party joined: SoCentral',
        'Initiative linked: +CityxChange (Horizon 2020), tentative',
        'Experiment designed: "Green living" (lead: Karin Lindgård)',
        'Step logged: "Pop-up stand"',
        'Link to +CityxChange confirmed',
        'Experiment attached: "Green living"',
        'Step retracted: "Pop-up stand" (reason: Wrong street)',
      ]);
      expect(entityTimeline(db, c1, { lang: 'en' }).items[3]).toMatchObject({ stream: 'experiment-x1', type: 'ExperimentDesigned', recordedAt: DAY1 });
    });

    it('counts an attached experiment only once the attachment passes the asOf/knownAt cut', () => {
      expect(positions(c1, { knownAt: DAY1 })).toEqual([5, 6, 7]);
      expect(positions(c1, { knownAt: 10 })).toEqual([5, 6, 7, 10]);
      expect(positions(c1, { knownAt: 11 })).toEqual([5, 6, 7, 8, 9, 10, 11]);
      expect(positions(c1, { asOf: '2019-02-15T00:00:00Z' })).toEqual([5, 6, 7, 10]);
      expect(positions(c1, { asOf: '2019-03-02T00:00:00Z' })).toEqual([5, 6, 7, 8, 9, 10, 11]);
    });

    it('renders in Norwegian', () => {
      expect(summaries(c1, { lang: 'nb', knownAt: 10 })).toEqual([
        'Samarbeid inngått: «SoCentral and Trondheim kommune» med Trondheim kommune',
        'Ny part: SoCentral',
        'Initiativ koblet til: +CityxChange (Horizon 2020), foreløpig',
        'Kobling til +CityxChange bekreftet',
      ]);
    });
  });

  it("shows a network's own events, the members it names and experiments designed within it", () => {
    expect(positions(subject('network', 'n1'))).toEqual([13, 15, 16, 14, 17, 22]);
    expect(summaries(subject('network', 'n1'), { asOf: '2018-10-31T22:59:59.999Z' })).toEqual(['Network founded: Pådriv, led by SoCentral']);
    expect(summaries(subject('network', 'n1'), { asOf: LATE_2018 })).toContain('Headcount reported: 38 partners, 142 members');
  });

  it("shows a person's own stream and the events that name them", () => {
    expect(positions(subject('person', 'p1'))).toEqual([3, 20, 8, 21]);
    expect(summaries(subject('person', 'p1'))).toEqual([
      'Person registered: Karin Lindgård',
      'Role assumed: Karin Lindgård as "Partner" at SoCentral, from 1 January 2019',
      'Experiment designed: "Green living" (lead: Karin Lindgård)',
      'Role ended: Karin Lindgård as "Partner" at SoCentral, on 30 June 2021',
    ]);
  });

  it("shows an organisation's own stream and what names it, including the end of a role held there", () => {
    expect(positions(subject('organisation', 'o1'))).toEqual([1, 13, 6, 18, 20, 21]);
    expect(positions(subject('organisation', 'o2'))).toEqual([2, 5]);
  });

  it('shows a gathering, and nothing for an unknown entity', () => {
    expect(summaries(subject('gathering', 'g1'))).toEqual([
      'Workshop held: "Public heroes" (15 participants, organised by SoCentral)',
      'Insight recorded: "Barriers are shared"',
    ]);
    expect(entityTimeline(db, subject('gathering', 'nope'), { lang: 'en' })).toEqual({ items: [], nextCursor: null });
  });

  describe('a forgotten person', () => {
    it('renders as forgotten everywhere, in earlier entries and under time travel too', () => {
      expect(summaries(subject('person', 'p2'))).toEqual(['Person registered: a forgotten person', 'Person forgotten (reason: Asked to be forgotten)']);
      expect(summaries(subject('person', 'p2'), { knownAt: DAY2, lang: 'nb' })).toEqual(['Person registrert: en glemt person']);
      expect(summaries(subject('network', 'n1'), { lang: 'nb' })).toContain('Nytt medlem: en glemt person');
    });

    it('unlinks their network memberships: the member reads as null, as the store reads it once the key is gone', () => {
      const row = db.prepare<[], { params: string }>(`SELECT params FROM "${TIMELINES_TABLES.entries}" WHERE position = 14`).get();
      expect(JSON.parse(row?.params ?? 'null')).toEqual({ networkId: 'n1', personId: null });
      const mentions = db.prepare(`SELECT * FROM "${TIMELINES_TABLES.mentions}" WHERE kind = 'person' AND id = 'p2'`).all();
      expect(mentions).toEqual([]);
    });

    it('leaves none of their personal data in the read model', () => {
      for (const table of Object.values(TIMELINES_TABLES)) {
        const dump = JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).all());
        expect(dump).not.toContain('Ola Nordmann');
        expect(dump).not.toContain('Secret');
      }
      const row = db.prepare<[], { params: string }>(`SELECT params FROM "${TIMELINES_TABLES.entries}" WHERE position = 4`).get();
      expect(JSON.parse(row?.params ?? 'null')).toEqual({ personId: 'p2' });
    });
  });

  describe('the global timeline', () => {
    it('holds every event in business-time order', () => {
      const all = global({});
      expect(all).toHaveLength(23);
      expect(all.slice(0, 2)).toEqual([1, 13]);
      expect(all.at(-1)).toBe(23);
    });

    it("filters by an entity's themes and by learnings' and insights' own, ignoring case", () => {
      expect(global({ theme: 'democratisation' })).toEqual([5, 6, 7, 10, 11]);
      expect(global({ theme: 'MOBILITY' })).toEqual([8, 9, 12]);
      expect(global({ theme: 'governance' })).toEqual([16, 17]);
      expect(global({ theme: 'public sector' })).toEqual([19]);
      expect(global({ theme: 'unknown' })).toEqual([]);
    });

    it('filters by a business-time range, combined with asOf and knownAt', () => {
      expect(global({ from: '2019-01-01T00:00:00Z', to: '2019-02-28T23:59:59Z' })).toEqual([8, 9, 10]);
      expect(global({ from: '2019-01-01T00:00:00Z', to: '2019-02-28T23:59:59Z', knownAt: DAY1 })).toEqual([8, 9]);
      expect(global({ to: '2017-12-31T23:59:59Z' })).toEqual([1, 13]);
      expect(global({ from: '2021-01-01T00:00:00Z', asOf: '2022-01-01T00:00:00Z' })).toEqual([21]);
    });

    it('pages with an opaque cursor, in the same order', () => {
      const all = global({});
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page = globalTimeline(db, { lang: 'en', limit: 5, cursor });
        expect(page.items.length).toBeLessThanOrEqual(5);
        seen.push(...page.items.map((e) => e.position));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(seen).toEqual(all);
      expect(globalTimeline(db, { lang: 'en', limit: 23 }).nextCursor).toBeNull();
      expect(() => globalTimeline(db, { lang: 'en', cursor: 'not a cursor' })).toThrow(InvalidCursor);
      expect(() => globalTimeline(db, { lang: 'en', limit: 0 })).toThrow(RangeError);
    });
  });

  it('rebuilds to the same timelines, the forgotten person forgotten again', async () => {
    const before = globalTimeline(db, { lang: 'nb' });
    await runner.rebuild(TIMELINES.name);
    expect(await runner.waitFor(23, 2000)).toBe(true);
    expect(globalTimeline(db, { lang: 'nb' })).toEqual(before);
    expect(JSON.stringify(db.prepare(`SELECT * FROM "${TIMELINES_TABLES.entries}"`).all())).not.toContain('Ola Nordmann');
  });

  it('stores type and parameters, not sentences', () => {
    const row = db.prepare<[], { type: string; params: string }>(`SELECT type, params FROM "${TIMELINES_TABLES.entries}" WHERE position = 15`).get();
    expect(row).toEqual({ type: 'HeadcountReported', params: JSON.stringify({ networkId: 'n1', partners: 38, members: 142 }) });
  });
});
