import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  COLLABORATION_EVENT_TYPES,
  EXPERIMENT_EVENT_TYPES,
  GATHERING_EVENT_TYPES,
  NETWORK_EVENT_TYPES,
  ORGANISATION_EVENT_TYPES,
  PERSON_EVENT_TYPES,
} from '#domain';
import { InMemoryEventStore, Upcasters, UpcastingEventStore, type Actor, type EventToAppend } from '#event-store';
import { encodeListCursor, InvalidCursor } from '../catalogue/cursor.js';
import type { ListPage } from '../catalogue/catalogue.queries.js';
import { ProjectionRunner } from '../projection-runner.js';
import { openReadModelDb, type ReadModelDb } from '../read-model-db.js';
import { event } from '../testing/fixtures.js';
import { AUDIT_TRAIL_TABLE, AUDITED_EVENT_TYPES, auditTrailProjection } from './audit-trail.projection.js';
import { auditTrailPage, auditTrailSql, decodeAuditCursor, encodeAuditCursor, type AuditEntry, type AuditTrailQuery } from './audit-trail.queries.js';

const EXP_1 = 'experiment-0192f000-0000-7000-8000-000000000001';
const EXP_2 = 'experiment-0192f000-0000-7000-8000-000000000002';
const ORG_1 = 'organisation-0192f000-0000-7000-8000-000000000003';
const KARI: Actor = { id: 'kari@oslo.kommune.no', role: 'lead' };
const SYSTEM: Actor = { id: 'system', role: 'system' };

function by(actor: Actor, e: EventToAppend, schemaVersion = 1): EventToAppend {
  return { ...e, metadata: { ...e.metadata, actor, schemaVersion } };
}

describe('audit trail projection', () => {
  let now: Date;
  let inner: InMemoryEventStore;
  let db: ReadModelDb;
  let runner: ProjectionRunner;

  beforeEach(async () => {
    now = new Date('2024-06-01T10:00:00.000Z');
    inner = new InMemoryEventStore(() => now);
    // StepLogged is stored at v1 and read as v2: the audit shows the stored version.
    const upcasters = new Upcasters([{ type: 'StepLogged', fromVersion: 1, upcast: (data) => ({ ...(data as object), v2: true }) }]);
    db = openReadModelDb(':memory:');
    runner = new ProjectionRunner({ store: new UpcastingEventStore(inner, upcasters), db, projections: [auditTrailProjection] });
    await runner.start();
  });

  afterEach(async () => {
    await runner.stop();
    db.close();
  });

  async function append(stream: string, recordedAt: string, ...events: EventToAppend[]): Promise<void> {
    now = new Date(recordedAt);
    await inner.appendToStream(stream, events);
  }

  async function sync(): Promise<void> {
    expect(await runner.waitFor(await inner.headPosition(), 2000)).toBe(true);
  }

  /** Six events over three streams, two actors and three days (Oslo is UTC+2 in June). */
  async function seed(): Promise<void> {
    await append(EXP_1, '2024-06-01T10:00:00.000Z', by(KARI, event('ExperimentDesigned', { title: '=HYPERLINK("x")' }, '2019-01-01T00:00:00+01:00')));
    await append(ORG_1, '2024-06-01T21:59:59.999Z', by(SYSTEM, event('OrganisationRegistered', { name: 'Oslo kommune' })));
    await append(EXP_1, '2024-06-01T22:00:00.000Z', by(KARI, event('ExperimentStarted')), by(KARI, event('StepLogged', { description: 'd' })));
    await append(EXP_2, '2024-06-02T12:00:00.000Z', by(SYSTEM, event('ExperimentDesigned')));
    await append(EXP_1, '2024-06-03T08:00:00.000Z', by(SYSTEM, event('StepLogged', { description: 'e' }, '2024-06-03T08:00:00.000Z'), 2));
    await sync();
  }

  const positions = (page: ListPage<AuditEntry>) => page.items.map((e) => e.position);
  const select = (query: AuditTrailQuery) => positions(auditTrailPage(db, { limit: 200, ...query }));

  it('records the envelope of every event, without its data, with the stored schema version', async () => {
    await seed();
    const stored = await inner.readStream(EXP_1);
    const page = auditTrailPage(db);
    expect(page.nextCursor).toBeNull();
    expect(positions(page)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(page.items[0]).toEqual({
      position: 1,
      eventId: stored[0].eventId,
      stream: EXP_1,
      streamVersion: 1,
      type: 'ExperimentDesigned',
      schemaVersion: 1,
      recordedAt: '2024-06-01T10:00:00.000Z',
      occurredAt: '2018-12-31T23:00:00.000Z',
      actor: KARI,
      correlationId: 'corr',
      causationId: null,
      source: 'test',
    });
    expect(page.items.map((e) => [e.type, e.streamVersion, e.schemaVersion])).toEqual([
      ['ExperimentDesigned', 1, 1],
      ['OrganisationRegistered', 1, 1],
      ['ExperimentStarted', 2, 1],
      ['StepLogged', 3, 1],
      ['ExperimentDesigned', 1, 1],
      ['StepLogged', 4, 2],
    ]);
    const rows = JSON.stringify(db.prepare(`SELECT * FROM "${AUDIT_TRAIL_TABLE}"`).all());
    expect(rows).not.toContain('HYPERLINK');
    expect(rows).not.toContain('Oslo kommune');
  });

  it('filters by exact stream, category, actor and type, combined with AND', async () => {
    await seed();
    expect(select({ stream: EXP_1 })).toEqual([1, 3, 4, 6]);
    expect(select({ stream: 'experiment' })).toEqual([1, 3, 4, 5, 6]);
    expect(select({ stream: 'organisation' })).toEqual([2]);
    expect(select({ stream: 'experiment-0192f000' })).toEqual([]);
    expect(select({ actor: KARI.id })).toEqual([1, 3, 4]);
    expect(select({ actor: 'KARI@oslo.kommune.no' })).toEqual([]);
    expect(select({ type: 'StepLogged' })).toEqual([4, 6]);
    expect(select({ stream: EXP_1, actor: 'system', type: 'StepLogged' })).toEqual([6]);
    expect(select({ stream: 'experiment', type: 'ExperimentDesigned' })).toEqual([1, 5]);
  });

  it('bounds recordedAt inclusively with from and to', async () => {
    await seed();
    expect(select({ from: '2024-06-01T22:00:00.000Z' })).toEqual([3, 4, 5, 6]);
    expect(select({ to: '2024-06-01T21:59:59.999Z' })).toEqual([1, 2]);
    expect(select({ from: '2024-06-01T21:59:59.999Z', to: '2024-06-02T12:00:00Z' })).toEqual([2, 3, 4, 5]);
    expect(select({ from: '2024-06-02T14:00:00+02:00', to: '2024-06-02T14:00:00+02:00' })).toEqual([5]);
    expect(select({ from: '2024-06-04T00:00:00Z' })).toEqual([]);
    expect(select({ actor: 'system', from: '2024-06-02T00:00:00Z' })).toEqual([5, 6]);
    expect(() => auditTrailPage(db, { from: 'yesterday' })).toThrow(RangeError);
  });

  it('finds every event in a time range even when the store clock stepped back', async () => {
    await append(EXP_1, '2024-06-01T10:00:00.000Z', event('ExperimentDesigned'));
    await append(EXP_1, '2024-06-01T12:00:00.000Z', event('ExperimentStarted'));
    await append(EXP_1, '2024-06-01T11:00:00.000Z', event('StepLogged'));
    await append(EXP_1, '2024-06-01T13:00:00.000Z', event('StepLogged'));
    await sync();
    expect(select({ from: '2024-06-01T11:00:00.000Z' })).toEqual([2, 3, 4]);
    expect(select({ from: '2024-06-01T11:30:00.000Z' })).toEqual([2, 4]);
    expect(select({ to: '2024-06-01T11:00:00.000Z' })).toEqual([1, 3]);
    expect(select({ from: '2024-06-01T10:30:00.000Z', to: '2024-06-01T11:30:00.000Z' })).toEqual([3]);
    expect(select({ from: '2024-06-01T13:00:00.001Z' })).toEqual([]);
  });

  it('pages by position without gaps or duplicates, also while events are appended', async () => {
    await seed();
    const first = auditTrailPage(db, { limit: 4 });
    expect(positions(first)).toEqual([1, 2, 3, 4]);
    await append(EXP_2, '2024-06-04T08:00:00.000Z', by(KARI, event('ExperimentStarted')));
    await sync();
    const second = auditTrailPage(db, { limit: 4, cursor: first.nextCursor });
    expect(positions(second)).toEqual([5, 6, 7]);
    expect(second.nextCursor).toBeNull();
    const exact = auditTrailPage(db, { limit: 7 });
    expect([positions(exact), exact.nextCursor]).toEqual([[1, 2, 3, 4, 5, 6, 7], null]);
    const filtered = auditTrailPage(db, { stream: EXP_1, limit: 2 });
    expect(positions(filtered)).toEqual([1, 3]);
    expect(positions(auditTrailPage(db, { stream: EXP_1, limit: 2, cursor: filtered.nextCursor }))).toEqual([4, 6]);
  });

  it('refuses foreign or malformed cursors and limits outside 1..200', async () => {
    await seed();
    expect(decodeAuditCursor(encodeAuditCursor(123456))).toBe(123456);
    const foreign = encodeListCursor('experiment', { created: '2024-01-01T10:00:00.000Z', id: 'x' });
    const bad = [
      '',
      'not a cursor',
      foreign,
      Buffer.from('audit:0').toString('base64url'),
      Buffer.from('audit:01').toString('base64url'),
      Buffer.from('audit:-1').toString('base64url'),
      Buffer.from('audit:1e3').toString('base64url'),
      `${encodeAuditCursor(5)}=`,
      'x'.repeat(600),
    ];
    for (const cursor of bad) expect(() => auditTrailPage(db, { cursor })).toThrow(InvalidCursor);
    for (const limit of [0, 201, 1.5, Number.NaN]) expect(() => auditTrailPage(db, { limit })).toThrow(RangeError);
  });

  it('looks rows up through the most selective index, reading the other filters from the rows', () => {
    const plan = (query: AuditTrailQuery) => {
      const { sql, params } = auditTrailSql(query);
      return db
        .prepare<[Record<string, string | number>], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all({ ...params, after: 0, upTo: 100, limit: 10 })
        .map((row) => row.detail)
        .join(' | ');
    };
    const day = { from: '2024-06-01T00:00:00Z', to: '2024-06-02T00:00:00Z' };
    expect(plan({ stream: EXP_1, actor: 'system', type: 'StepLogged', ...day })).toMatch(/_by_stream \(stream=\? AND position>\? AND position<\?\) \| SCALAR SUBQUERY/);
    expect(plan({ stream: 'experiment', type: 'StepLogged' })).toMatch(/_by_category /);
    expect(plan({ actor: 'system', type: 'StepLogged' })).toMatch(/_by_actor /);
    expect(plan({ type: 'StepLogged', ...day })).toMatch(/_by_type /);
    expect(plan(day)).toMatch(/^SEARCH \S+ USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\) \| SCALAR SUBQUERY 1 \| SEARCH \S+ USING COVERING INDEX \S+_by_recorded_max \(recorded_max>\?\)$/);
    for (const query of [{}, { stream: EXP_1 }, day]) expect(plan(query)).not.toMatch(/TEMP B-TREE/);
  });

  it('audits every event type of every aggregate, and a rebuild gives the same rows', async () => {
    const domain = [
      ...EXPERIMENT_EVENT_TYPES,
      ...ORGANISATION_EVENT_TYPES,
      ...PERSON_EVENT_TYPES,
      ...COLLABORATION_EVENT_TYPES,
      ...NETWORK_EVENT_TYPES,
      ...GATHERING_EVENT_TYPES,
    ];
    expect(domain.filter((type) => !AUDITED_EVENT_TYPES.includes(type))).toEqual([]);
    await seed();
    const before = auditTrailPage(db);
    await runner.rebuild('audit-trail');
    await sync();
    expect(auditTrailPage(db)).toEqual(before);
  });
});
