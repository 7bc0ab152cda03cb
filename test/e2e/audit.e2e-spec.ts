import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStore, type RecordedEvent } from '#event-store';
import type { AuditEntry } from '#projections';
import { TestApp, testCard, type Reply } from '../support/test-app.js';

interface Page {
  items: AuditEntry[];
  nextCursor: string | null;
}

const CORRELATION_ID = '0192f1e2-0000-7000-8000-00000000a0d1';

/** The Europe/Oslo calendar date of an instant, shifted by `days`. */
function osloDate(instant: string, days = 0): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date(Date.parse(instant) + days * 86_400_000));
}

/** Splits CRLF-terminated RFC 4180 records whose fields hold no quotes, commas or line breaks. */
function csvRecords(body: string): string[][] {
  expect(body.endsWith('\r\n')).toBe(true);
  return body.slice(0, -2).split('\r\n').map((line) => line.split(','));
}

describe('audit trail: GET /api/audit', () => {
  let app: TestApp;
  /** Experiment A: designed, started, a step logged. B: designed after `between`. */
  let a: string;
  let b: string;
  let between: string;

  beforeAll(async () => {
    app = await TestApp.start({ TRACKER_DEMO: '1' });
    a = await create(testCard({ title: '=HYPERLINK("http://evil.example")', occurredAt: '2019-01-05' }), { 'x-correlation-id': CORRELATION_ID });
    expect((await app.post(`/api/experiments/${a}/start`, { occurredAt: '2019-01-10' })).status).toBe(200);
    expect((await app.post(`/api/experiments/${a}/steps`, { description: 'Interviewed 12 residents', occurredAt: '2019-01-20' })).status).toBe(200);
    await sleep(5);
    between = new Date().toISOString();
    await sleep(5);
    b = await create(testCard({ title: 'Second' }));
  });

  afterAll(async () => {
    await app.close();
  });

  async function create(body: Record<string, unknown>, headers?: Record<string, string>): Promise<string> {
    const reply = await app.post('/api/experiments', body, headers);
    expect(reply.status).toBe(201);
    return reply.json<{ id: string }>().id;
  }

  async function page(url: string): Promise<Page> {
    const reply = await app.get(url);
    expect({ url, status: reply.status, body: reply.body }).toEqual(expect.objectContaining({ status: 200 }));
    return reply.json<Page>();
  }

  async function entries(query: string): Promise<AuditEntry[]> {
    const { items, nextCursor } = await page(`/api/audit?limit=200&${query}`);
    expect(nextCursor).toBeNull();
    return items;
  }

  /** The pages of `query`, following nextCursor to the end (each must move on past the previous one). */
  async function walk(query: string, after: Page | null = null): Promise<AuditEntry[][]> {
    const cursor = after?.nextCursor;
    const next = await page(`/api/audit?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(next.items[0]?.position ?? Infinity).toBeGreaterThan(after?.items.at(-1)?.position ?? 0);
    return next.nextCursor === null ? [next.items] : [next.items, ...(await walk(query, next))];
  }

  const types = (items: AuditEntry[]) => items.map((e) => e.type);

  it('holds the envelope of every stored event, in log order, and nothing else', async () => {
    const stored: RecordedEvent[] = [];
    for await (const batch of app.app.get(EventStore).readAll()) stored.push(...batch);
    const audited = (await walk('limit=200')).flat();
    expect(audited).toEqual(
      stored.map((e) => ({
        position: e.position,
        eventId: e.eventId,
        stream: e.streamId,
        streamVersion: e.version,
        type: e.type,
        schemaVersion: e.metadata.schemaVersion,
        recordedAt: e.recordedAt,
        occurredAt: e.metadata.occurredAt,
        actor: e.metadata.actor,
        correlationId: e.metadata.correlationId,
        causationId: e.metadata.causationId,
        source: e.metadata.source,
      })),
    );
    expect(stored.filter((e) => e.metadata.source === 'demo').length).toBeGreaterThan(10);
  });

  it('filters by stream (ids in any case), by category, by actor and by type', async () => {
    const ofA = await entries(`stream=experiment-${a}`);
    expect(ofA.map((e) => [e.type, e.streamVersion, e.actor.id, e.actor.role, e.source])).toEqual([
      ['ExperimentDesigned', 1, 'anonymous', 'staff', 'api'],
      ['ExperimentStarted', 2, 'anonymous', 'staff', 'api'],
      ['StepLogged', 3, 'anonymous', 'staff', 'api'],
    ]);
    expect(ofA[0].correlationId).toBe(CORRELATION_ID);
    expect(ofA[2].occurredAt).toBe('2019-01-19T23:00:00.000Z');
    expect(await entries(`stream=experiment-${a.toUpperCase()}`)).toEqual(ofA);

    const experiments = await entries('stream=experiment');
    expect(experiments.map((e) => e.stream)).toEqual([...Array(3).fill(`experiment-${a}`), `experiment-${b}`]);
    const organisations = await entries('stream=organisation');
    expect(organisations.length).toBeGreaterThan(0);
    expect(organisations.every((e) => e.stream.startsWith('organisation-'))).toBe(true);

    const mine = await entries('actor=anonymous');
    expect(mine.map((e) => e.stream)).toEqual(experiments.map((e) => e.stream));
    const demo = await entries('actor=system');
    expect(demo.every((e) => e.actor.role === 'system' && e.source === 'demo')).toBe(true);
    expect(demo.length + mine.length).toBe((await walk('limit=200')).flat().length);

    expect(types(await entries('type=ExperimentDesigned'))).toEqual(['ExperimentDesigned', 'ExperimentDesigned']);
    expect(await entries(`type=ExperimentStarted&stream=experiment-${b}`)).toEqual([]);
    expect(types(await entries(`type=StepLogged&actor=anonymous&stream=experiment`))).toEqual(['StepLogged']);
  });

  it('bounds recordedAt with from and to: instants exactly, dates as whole Oslo days', async () => {
    const [designedA] = await entries(`stream=experiment-${a}`);
    expect(await entries(`stream=experiment&from=${between}`)).toEqual(await entries(`stream=experiment-${b}`));
    expect((await entries(`stream=experiment&to=${between}`)).map((e) => e.stream)).toEqual(Array(3).fill(`experiment-${a}`));
    const at = encodeURIComponent(designedA.recordedAt);
    expect(await entries(`stream=experiment&from=${at}&to=${at}`)).toEqual([designedA]);

    const day = osloDate(designedA.recordedAt);
    expect(types(await entries(`stream=experiment-${a}&from=${day}&to=${day}`))).toHaveLength(3);
    expect(await entries(`stream=experiment-${a}&to=${osloDate(designedA.recordedAt, -1)}`)).toEqual([]);
    expect(await entries(`stream=experiment-${a}&from=${osloDate(designedA.recordedAt, 1)}`)).toEqual([]);
    const offset = encodeURIComponent(`${osloDate(designedA.recordedAt, -1)}T12:00:00+02:00`);
    expect(types(await entries(`stream=experiment-${a}&from=${offset}`))).toHaveLength(3);
  });

  it('pages with a small limit through every page without gaps or duplicates', async () => {
    const all = (await walk('limit=200')).flat();
    const pages = await walk('limit=3');
    expect(pages.slice(0, -1).every((p) => p.length === 3)).toBe(true);
    expect(pages.at(-1)?.length).toBeGreaterThan(0);
    expect(pages.flat()).toEqual(all);
    const positions = all.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
    expect(new Set(positions).size).toBe(positions.length);

    const filtered = await walk(`stream=experiment&limit=1`);
    expect(filtered.map((p) => p.length)).toEqual([1, 1, 1, 1]);
    expect(filtered.flat()).toEqual(await entries('stream=experiment'));
    const first = await page('/api/audit?limit=50');
    expect(first.items).toHaveLength(Math.min(50, all.length));
  });

  it('downloads CSV with a header and one row per event, the same rows as the JSON', async () => {
    const reply = await app.get(`/api/audit?format=csv&stream=experiment`);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(reply.headers['content-disposition']).toMatch(/^attachment; filename="audit-trail-through-\d+\.csv"$/);
    expect([reply.headers['transfer-encoding'], reply.headers['content-length']]).toEqual(['chunked', undefined]);
    const [header, ...rows] = csvRecords(reply.body);
    expect(header).toEqual([
      'position', 'eventId', 'stream', 'streamVersion', 'type', 'schemaVersion', 'recordedAt',
      'occurredAt', 'actorId', 'actorRole', 'correlationId', 'causationId', 'source',
    ]);
    const json = await entries('stream=experiment');
    expect(rows).toEqual(
      json.map((e) => [
        String(e.position), e.eventId, e.stream, String(e.streamVersion), e.type, String(e.schemaVersion), e.recordedAt,
        e.occurredAt, e.actor.id, e.actor.role, e.correlationId, e.causationId ?? '', e.source,
      ]),
    );
    expect(reply.body).not.toContain('HYPERLINK');

    const everything = await app.get('/api/audit?format=csv');
    expect(csvRecords(everything.body)).toHaveLength((await walk('limit=200')).flat().length + 1);
    const resumed = await app.get(`/api/audit?format=csv&stream=experiment&cursor=${(await page('/api/audit?stream=experiment&limit=2')).nextCursor}`);
    expect(csvRecords(resumed.body).slice(1)).toEqual(rows.slice(2));
    const none = await app.get('/api/audit?format=csv&to=2000-01-01');
    expect(csvRecords(none.body)).toEqual([header]);
  });

  it('is described in the OpenAPI document with both formats', async () => {
    const docs = (await app.get('/docs-json')).json<{ paths: Record<string, { get?: { parameters: Array<{ name: string }> } }> }>();
    const get = docs.paths['/api/audit']?.get;
    expect(get?.parameters.map((p) => p.name).sort()).toEqual(['actor', 'cursor', 'format', 'from', 'limit', 'stream', 'to', 'type']);
    expect(JSON.stringify(get)).toContain('text/csv');
  });

  describe('bad queries answer 400 problem+json naming the field', () => {
    it.each([
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
      ['cursor=eyJ2IjoxLCJlIjoiZXhwZXJpbWVudCJ9', 'cursor'],
      ['format=xml', 'format'],
      ['format=csv&limit=10', 'limit'],
      ['format=csv&cursor=bogus', 'cursor'],
      ['type=Bogus', 'type'],
      ['from=yesterday', 'from'],
      ['to=2019-02-30', 'to'],
      ['from=2019-01-01T10:00:00', 'from'],
      ['from=2019-02-01&to=2019-01-31', 'to'],
      ['stream=a%20b', 'stream'],
      ['stream=experiment&stream=person', 'stream'],
      ['actor=%20', 'actor'],
      ['colour=red', 'colour'],
    ])('GET /api/audit?%s', async (query, field) => {
      const reply: Reply = await app.get(`/api/audit?${query}`);
      expect({ status: reply.status, body: reply.body }).toEqual(expect.objectContaining({ status: 400 }));
      expect(reply.headers['content-type']).toContain('application/problem+json');
      expect(reply.json<{ errors?: Array<{ field: string }> }>().errors?.map((e) => e.field)).toContain(field);
    });
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
