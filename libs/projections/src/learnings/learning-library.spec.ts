import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { EventToAppend, InMemoryEventStore } from '#event-store';
import { InvalidCursor } from '../catalogue/cursor.js';
import { ProjectionRunner } from '../projection-runner.js';
import { openReadModelDb, type ReadModelDb } from '../read-model-db.js';
import { event, storeWithClock } from '../testing/fixtures.js';
import { toFtsQuery } from './fts-query.js';
import { learningLibraryProjection } from './learning-library.projection.js';
import { findLearnings, listLearnings, type LearningItem, type LearningListQuery } from './learning-library.queries.js';
import { LEARNING_SEARCH_TABLE } from './learning-library.schema.js';

const id = (n: number) => `0192f000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const [EXP, COLLAB, NET, GATH] = [id(1), id(2), id(3), id(4)];

const designed = (experimentId: string, title: string, themes: string[]) => ({
  experimentId,
  title,
  hypothesis: 'h',
  test: 't',
  metric: 'm',
  successCriteria: 's',
  leadId: null,
  themes,
  deadline: null,
  collaborationId: null,
  networkId: null,
});

const card = (owner: Record<string, string>, learningId: string, overrides: Record<string, unknown> = {}) => ({
  ...owner,
  learningId,
  observation: 'Residents came in the evening',
  learning: 'Evening meetings reach more residents',
  decision: 'persevere',
  reliability: 'medium',
  themes: [],
  retrospective: false,
  ...overrides,
});

describe('learning library projection', () => {
  let store: InMemoryEventStore;
  let db: ReadModelDb;
  let runner: ProjectionRunner;

  async function append(stream: string, ...events: EventToAppend[]): Promise<void> {
    await store.appendToStream(stream, events);
  }
  async function sync(): Promise<void> {
    expect(await runner.waitFor(await store.headPosition(), 2000)).toBe(true);
  }
  const ids = (query: LearningListQuery = {}) => listLearnings(db, { limit: 200, ...query }).items.map((item) => item.id);

  /** One source of each kind, with two learnings, one insight and one theme-less experiment learning. */
  async function seed(): Promise<void> {
    await append(`experiment-${EXP}`, event('ExperimentDesigned', designed(EXP, 'Evening meetings', ['Participation']), '2024-01-01T09:00:00.000Z'));
    await append(
      `collaboration-${COLLAB}`,
      event(
        'CollaborationAgreed',
        { collaborationId: COLLAB, title: 'Green roofs with Oslo', partnerOrganisationId: id(9), themes: ['Climate'], agreedOn: null, description: null },
        '2024-01-02T09:00:00.000Z',
      ),
    );
    await append(
      `network-${NET}`,
      event('NetworkFounded', { networkId: NET, name: 'Pådriv', kind: 'network', area: null, purpose: null, ledByOrganisationId: null, ledSince: null }, '2024-01-03T09:00:00.000Z'),
    );
    await append(
      `gathering-${GATH}`,
      event(
        'GatheringHeld',
        { gatheringId: GATH, title: 'Public heroes', kind: 'workshop', heldOn: '2024-01-04', participantCount: 15, organiserOrganisationId: null, purpose: null },
        '2024-01-04T09:00:00.000Z',
      ),
    );
    await append(`experiment-${EXP}`, event('LearningRecorded', card({ experimentId: EXP }, 'l-exp'), '2024-02-01T09:00:00.000Z'));
    await append(
      `collaboration-${COLLAB}`,
      event(
        'LearningRecorded',
        card({ collaborationId: COLLAB }, 'l-collab', { decision: 'pivot', reliability: 'high', themes: ['Housing'], observation: 'Roofs leak', learning: 'Bærekraftige boliger need other roofs' }),
        '2024-02-02T09:00:00.000Z',
      ),
    );
    await append(
      `network-${NET}`,
      event('LearningRecorded', card({ networkId: NET }, 'l-net', { decision: 'continue-testing', reliability: 'low', observation: 'Cities ask about the method', learning: 'The method draws interest' }), '2024-02-03T09:00:00.000Z'),
    );
    await append(
      `gathering-${GATH}`,
      event('InsightRecorded', { gatheringId: GATH, insightId: 'i-1', observation: 'Caseworkers want permission to try', learning: null, themes: ['Public sector'] }, '2024-02-04T09:00:00.000Z'),
    );
    await sync();
  }

  beforeEach(async () => {
    store = storeWithClock().store;
    db = openReadModelDb(':memory:');
    runner = new ProjectionRunner({ store, db, projections: [learningLibraryProjection] });
    await runner.start();
  });

  afterEach(async () => {
    await runner.stop();
    db.close();
  });

  describe('items', () => {
    it('lists learnings of every source and insights, newest first, with source, themes and event ids', async () => {
      await seed();
      const items = listLearnings(db).items;
      expect(items.map((i) => i.id)).toEqual(['i-1', 'l-net', 'l-collab', 'l-exp']);
      const [insight, , collab, exp] = items;
      const expected: LearningItem = {
        id: 'i-1',
        kind: 'insight',
        source: { kind: 'gathering', id: GATH, title: 'Public heroes' },
        observation: 'Caseworkers want permission to try',
        learning: null,
        decision: null,
        reliability: null,
        themes: ['Public sector'],
        themesFromSource: false,
        retrospective: false,
        occurredAt: '2024-02-04T09:00:00.000Z',
        recordedAt: '2024-06-01T12:00:00.000Z',
        position: 8,
        eventIds: { recorded: (await store.readStream(`gathering-${GATH}`))[1].eventId, retracted: null },
        retracted: false,
        retractionReason: null,
      };
      expect(insight).toEqual(expected);
      expect(collab).toMatchObject({ kind: 'learning', decision: 'pivot', reliability: 'high', themes: ['Housing'], themesFromSource: false });
      // no themes of its own: the experiment's
      expect(exp).toMatchObject({ source: { kind: 'experiment', id: EXP, title: 'Evening meetings' }, themes: ['Participation'], themesFromSource: true });
      const recorded = await store.readStream(`experiment-${EXP}`);
      expect(exp.eventIds.recorded).toBe(recorded[1].eventId);
    });

    it("keeps the source's title current in items and search, and inherited themes follow the source", async () => {
      await seed();
      await append(
        `experiment-${EXP}`,
        event('LearningRecorded', card({ experimentId: EXP }, 'l-own', { themes: ['Mobility'] }), '2024-02-05T09:00:00.000Z'),
        event('TestCardRevised', { experimentId: EXP, changes: { title: 'Morning meetings', themes: ['Democracy'] }, reason: 'r' }, '2024-02-06T09:00:00.000Z'),
      );
      await sync();
      const byId = new Map(findLearnings(db, { source: 'experiment' }).map((i) => [i.id, i]));
      expect(byId.get('l-exp')).toMatchObject({ source: { title: 'Morning meetings' }, themes: ['Democracy'], themesFromSource: true });
      expect(byId.get('l-own')).toMatchObject({ source: { title: 'Morning meetings' }, themes: ['Mobility'], themesFromSource: false });
      expect(ids({ q: 'morning' }).sort()).toEqual(['l-exp', 'l-own']);
      expect(ids({ q: 'evening meetings reach' })).toEqual(['l-own', 'l-exp']);
      expect(ids({ theme: 'participation' })).toEqual([]);
      expect(ids({ theme: 'DEMOCRACY' })).toEqual(['l-exp']);
      // a revision without title or themes changes nothing
      await append(`experiment-${EXP}`, event('TestCardRevised', { experimentId: EXP, changes: { metric: 'x' }, reason: 'r' }));
      await sync();
      expect(findLearnings(db, { source: 'experiment' }).map((i) => i.source.title)).toEqual(['Morning meetings', 'Morning meetings']);
    });

    it('leaves retracted learnings and insights out unless asked, with reason and retraction event', async () => {
      await seed();
      await append(`network-${NET}`, event('LearningRetracted', { networkId: NET, learningId: 'l-net', reason: 'Misread the survey' }));
      await append(`gathering-${GATH}`, event('InsightRetracted', { gatheringId: GATH, insightId: 'i-1', reason: 'Duplicate' }));
      // a retraction for another source's id does not touch this one
      await append(`experiment-${EXP}`, event('LearningRetracted', { experimentId: EXP, learningId: 'l-collab', reason: 'x' }));
      await sync();
      expect(ids()).toEqual(['l-collab', 'l-exp']);
      const all = listLearnings(db, { includeRetracted: true }).items;
      expect(all.map((i) => i.id)).toEqual(['i-1', 'l-net', 'l-collab', 'l-exp']);
      const retraction = (await store.readStream(`network-${NET}`)).at(-1);
      expect(all[1]).toMatchObject({ retracted: true, retractionReason: 'Misread the survey', eventIds: { retracted: retraction?.eventId } });
      expect(all[0]).toMatchObject({ retracted: true, retractionReason: 'Duplicate' });
    });
  });

  describe('filters', () => {
    it('filters by theme (ignoring case), source, decision, sources, and business-time range', async () => {
      await seed();
      expect(ids({ theme: ' housing ' })).toEqual(['l-collab']);
      expect(ids({ theme: 'public SECTOR' })).toEqual(['i-1']);
      expect(ids({ theme: 'Climate' })).toEqual([]);
      expect(ids({ source: 'gathering' })).toEqual(['i-1']);
      expect(ids({ source: 'network' })).toEqual(['l-net']);
      expect(ids({ decision: 'persevere' })).toEqual(['l-exp']);
      expect(ids({ decision: 'continue-testing' })).toEqual(['l-net']);
      expect(ids({ occurredFrom: '2024-02-02T09:00:00.000Z', occurredTo: '2024-02-03T09:00:00.000Z' })).toEqual(['l-net', 'l-collab']);
      expect(ids({ occurredFrom: '2024-02-03T09:00:00.001Z' })).toEqual(['i-1']);
      expect(ids({ occurredTo: '2024-01-01T00:00:00.000Z' })).toEqual([]);
      expect(findLearnings(db, { sources: [{ kind: 'collaboration', id: COLLAB }, { kind: 'experiment', id: EXP }] }).map((i) => i.id)).toEqual(['l-collab', 'l-exp']);
      expect(findLearnings(db, { sources: [] })).toEqual([]);
      expect(ids({ source: 'experiment', decision: 'pivot' })).toEqual([]);
    });

    it('searches observation, learning and source title with words as prefixes, folding case and diacritics', async () => {
      await seed();
      expect(ids({ q: 'roof' })).toEqual(['l-collab']);
      // case folds for every letter; å loses its ring, but æ is a letter of its own
      expect(ids({ q: 'BÆREKRAFT' })).toEqual(['l-collab']);
      expect(ids({ q: 'barekraft' })).toEqual([]);
      expect(ids({ q: 'padriv' })).toEqual(['l-net']);
      expect(ids({ q: 'Pådriv method' })).toEqual(['l-net']);
      expect(ids({ q: 'public heroes' })).toEqual(['i-1']);
      expect(ids({ q: 'evening nothing-like-this' })).toEqual([]);
      expect(ids({ q: '   ' })).toEqual(['i-1', 'l-net', 'l-collab', 'l-exp']);
    });

    it('never passes query syntax through: hostile input searches words or nothing, and never throws', async () => {
      await seed();
      const hostile = ['"', '""', '*', 'NEAR(', 'NEAR(roof leak', 'roof OR evening', 'observation:roof', '^roof', '-roof', "roof'", ')', '(', 'a"b', '\\', '%', '_', 'roof AND', '{', 'NOT', '\u0000'];
      for (const q of hostile) expect(() => listLearnings(db, { q })).not.toThrow();
      expect(ids({ q: '"' })).toEqual([]);
      expect(ids({ q: '*' })).toEqual([]);
      expect(ids({ q: 'NEAR(' })).toEqual([]);
      expect(ids({ q: 'roof OR evening' })).toEqual([]);
      expect(ids({ q: 'observation:roof' })).toEqual([]);
      expect(ids({ q: '"roofs leak"' })).toEqual(['l-collab']);
      expect(ids({ q: '-roof' })).toEqual(['l-collab']);
    });
  });

  describe('paging', () => {
    it('walks every page in order without duplicates, also when items share a business time', async () => {
      await seed();
      for (let n = 0; n < 7; n++) {
        await append(`network-${NET}`, event('LearningRecorded', card({ networkId: NET }, `same-${n}`), '2024-03-01T00:00:00.000Z'));
      }
      await sync();
      const everything = ids();
      expect(everything).toHaveLength(11);
      expect(everything.slice(0, 7)).toEqual(['same-6', 'same-5', 'same-4', 'same-3', 'same-2', 'same-1', 'same-0']);
      for (const limit of [1, 2, 3, 5, 11]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = listLearnings(db, { limit, cursor });
          expect(page.items.length).toBeLessThanOrEqual(limit);
          seen.push(...page.items.map((i) => i.id));
          cursor = page.nextCursor;
          pages++;
        } while (cursor !== null && pages < 50);
        expect(seen).toEqual(everything);
        expect(pages).toBe(Math.ceil(11 / limit));
      }
      const filtered = listLearnings(db, { source: 'network', limit: 4 });
      expect(listLearnings(db, { source: 'network', limit: 4, cursor: filtered.nextCursor }).items.map((i) => i.id)).toEqual(['same-2', 'same-1', 'same-0', 'l-net']);
    });

    it('refuses foreign or tampered cursors and limits outside 1..200', async () => {
      await seed();
      const b64 = (text: string) => Buffer.from(text).toString('base64url');
      const valid = listLearnings(db, { limit: 1 }).nextCursor ?? '';
      for (const cursor of ['x', '!!', `${valid}=`, b64('{"v":1'), b64('[]'), b64(JSON.stringify({ v: 1, l: 'experiments', o: '2024-01-01T00:00:00.000Z', p: 3 })), b64(JSON.stringify({ v: 1, l: 'learnings', o: "2024' OR 1=1", p: 3 })), b64(JSON.stringify({ v: 1, l: 'learnings', o: '2024-01-01T00:00:00.000Z', p: 1.5 })), 'a'.repeat(600)]) {
        expect(() => listLearnings(db, { cursor })).toThrow(InvalidCursor);
      }
      for (const limit of [0, 201, 2.5]) expect(() => listLearnings(db, { limit })).toThrow(RangeError);
    });
  });

  it('is rebuilt from the log, full-text index included', async () => {
    await seed();
    await runner.rebuild(learningLibraryProjection.name);
    await sync();
    expect(ids()).toEqual(['i-1', 'l-net', 'l-collab', 'l-exp']);
    expect(ids({ q: 'roofs' })).toEqual(['l-collab']);
    const rows = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM "${LEARNING_SEARCH_TABLE}"`).get();
    expect(rows?.n).toBe(4);
  });
});

describe('toFtsQuery', () => {
  it('quotes each word as a prefix term and drops everything else', () => {
    expect(toFtsQuery('Bolig  Oslo')).toBe('"bolig"* "oslo"*');
    expect(toFtsQuery('NEAR(a b) OR "c*"')).toBe('"near"* "a"* "b"* "or"* "c"*');
    expect(toFtsQuery('Pådriv pådriv')).toBe('"pådriv"*');
    expect(toFtsQuery('title:x^y-z')).toBe('"title"* "x"* "y"* "z"*');
    expect(toFtsQuery('" * ( ) : ^ - +')).toBeNull();
    expect(toFtsQuery('')).toBeNull();
    expect(toFtsQuery('a b c d e f g h i j k l m n')?.split(' ')).toHaveLength(12);
  });
});
