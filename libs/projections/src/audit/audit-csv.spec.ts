import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '#event-store';
import { InvalidCursor } from '../catalogue/cursor.js';
import { openReadModelDb, type ReadModelDb } from '../read-model-db.js';
import { event } from '../testing/fixtures.js';
import { AUDIT_CSV_COLUMNS, auditTrailCsv, csvField, csvRecord } from './audit-csv.js';
import { AUDIT_TRAIL_TABLE, auditTrailProjection } from './audit-trail.projection.js';
import { auditTrailChunks, auditTrailPage, encodeAuditCursor, selectAuditTrail } from './audit-trail.queries.js';

/** Splits RFC 4180 text into records of fields (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') record.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') record.push(field), records.push(record), (record = []), (field = ''), i++;
    else field += c;
  }
  expect({ quoted, rest: field + record.join(',') }).toEqual({ quoted: false, rest: '' });
  return records;
}

/** An audited event at `position`: stream `experiment-<n % 7>`, actor `actor-<n % 3>`. */
function recorded(position: number, overrides: Partial<RecordedEvent['metadata']> = {}, stream = `experiment-${position % 7}`): RecordedEvent {
  const base = event(position % 2 === 0 ? 'StepLogged' : 'MeasurementRecorded', {}, '2024-01-01T00:00:00.000Z');
  return {
    ...base,
    metadata: { ...base.metadata, causationId: position > 1 ? 'cause' : null, actor: { id: `actor-${position % 3}`, role: 'staff' }, source: 'api', ...overrides },
    streamId: stream,
    version: 1,
    position,
    recordedAt: new Date(Date.UTC(2024, 0, 1) + position * 1000).toISOString(),
    integrity: { previousHash: null, hash: null },
  };
}

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const chunk of chunks) all += chunk;
  return all;
}

describe('CSV fields', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
    ['=1+1', "'=1+1"],
    ['+47 22 00 00 00', "'+47 22 00 00 00"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['x=1', 'x=1'],
    [' =1', ' =1'],
    ['Blåbær 🫐', 'Blåbær 🫐'],
    ['', ''],
  ])('%j is written as %j', (value, field) => {
    expect(csvField(value)).toBe(field);
  });

  it('writes null as an empty field and numbers as they are', () => {
    expect([csvField(null), csvField(42), csvField(-1)]).toEqual(['', '42', '-1']);
  });

  it('round-trips hostile text through a parser, neutralised but otherwise unchanged', () => {
    const hostile = ['=cmd|" /C calc"!A0', '+1', '-1', '@x', 'a,"b"\r\nc', 'plain', '\tx'];
    const [parsed] = parseCsv(csvRecord(hostile));
    expect(parsed).toEqual(hostile.map((value) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value)));
    expect(parsed.some((value) => /^[=+\-@\t\r]/.test(value))).toBe(false);
  });
});

describe('audit trail CSV export', () => {
  let db: ReadModelDb;

  beforeEach(() => {
    db = openReadModelDb(':memory:');
    auditTrailProjection.setup(db);
  });

  afterEach(() => {
    db.close();
  });

  function insert(from: number, to: number, make: (position: number) => RecordedEvent = recorded): void {
    db.transaction(() => {
      for (let position = from; position <= to; position++) auditTrailProjection.apply(db, make(position));
    })();
  }

  it('writes a header and one record per matching row, the same rows as the JSON pages', async () => {
    insert(1, 25);
    insert(26, 26, (p) => recorded(p, { actor: { id: '=HYPERLINK("x")', role: 'staff' }, source: '@evil' }, 'experiment-=x'));
    const { throughPosition, chunks } = auditTrailCsv(db, { stream: 'experiment' }, 4);
    expect(throughPosition).toBe(26);
    const [header, ...records] = parseCsv(await text(chunks));
    expect(header).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(header).toEqual([
      'position', 'eventId', 'stream', 'streamVersion', 'type', 'schemaVersion', 'recordedAt',
      'occurredAt', 'actorId', 'actorRole', 'correlationId', 'causationId', 'source',
    ]);
    const items = auditTrailPage(db, { stream: 'experiment', limit: 200 }).items;
    expect(records.map((r) => Number(r[0]))).toEqual(items.map((e) => e.position));
    expect(records[0]).toEqual([
      '1', items[0].eventId, 'experiment-1', '1', 'MeasurementRecorded', '1', '2024-01-01T00:00:01.000Z',
      '2024-01-01T00:00:00.000Z', 'actor-1', 'staff', 'corr', '', 'api',
    ]);
    expect(records.at(-1)).toEqual(expect.arrayContaining(["'=HYPERLINK(\"x\")", "'@evil", 'experiment-=x']));
  });

  it('applies the filters and resumes after a cursor', async () => {
    insert(1, 30);
    const filter = { actor: 'actor-0', type: 'StepLogged', cursor: encodeAuditCursor(12) };
    const records = parseCsv(await text(auditTrailCsv(db, filter, 2).chunks)).slice(1);
    expect(records.map((r) => r[0])).toEqual(['18', '24', '30']);
    expect(parseCsv(await text(auditTrailCsv(db, { type: 'Nothing' }).chunks))).toHaveLength(1);
  });

  it('validates before writing anything', () => {
    expect(() => auditTrailCsv(db, { cursor: 'bogus' })).toThrow(InvalidCursor);
    expect(() => auditTrailCsv(db, { to: 'tomorrow' })).toThrow(RangeError);
  });

  it('stops at the newest position when it began, so appends during the download are left out', async () => {
    insert(1, 10);
    const { throughPosition, chunks } = auditTrailCsv(db, {}, 3);
    const first = await chunks.next();
    expect(first.value).toBe(csvRecord(AUDIT_CSV_COLUMNS));
    insert(11, 15);
    const records = parseCsv(await text(chunks));
    expect(throughPosition).toBe(10);
    expect(records.map((r) => r[0])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  });

  it('streams 100 000 rows in chunks of 1000, each its own short query, pulled only as the reader asks', async () => {
    db.exec(`WITH RECURSIVE n(p) AS (SELECT 1 UNION ALL SELECT p + 1 FROM n WHERE p < 100000)
      INSERT INTO "${AUDIT_TRAIL_TABLE}" SELECT p, printf('00000000-0000-7000-8000-%012d', p), 'experiment-' || (p % 7),
        'experiment', 1, 'StepLogged', 1, strftime('%Y-%m-%dT%H:%M:%fZ', 1704067200 + p, 'unixepoch'),
        strftime('%Y-%m-%dT%H:%M:%fZ', 1704067200 + p, 'unixepoch'), '2024-01-01T00:00:00.000Z', 'actor-' || (p % 3), 'staff', 'corr', NULL, 'api' FROM n`);
    let queried = 0;
    const select = selectAuditTrail(db, {});
    const counting: typeof select = (after, upTo, limit) => {
      const rows = select(after, upTo, limit);
      queried += rows.length;
      return rows;
    };
    const chunks = auditTrailChunks(counting, { after: 0, upTo: 100_000 }, 1000);
    chunks.next();
    chunks.next();
    expect(queried).toBe(2000);
    expect(db.inTransaction).toBe(false);
    chunks.return(undefined);

    const heapBefore = process.memoryUsage().heapUsed;
    let peak = 0;
    let records = 0;
    let largest = 0;
    for await (const chunk of auditTrailCsv(db, {}).chunks) {
      records += chunk.split('\r\n').length - 1;
      largest = Math.max(largest, chunk.length);
      peak = Math.max(peak, process.memoryUsage().heapUsed - heapBefore);
      expect(db.inTransaction).toBe(false);
    }
    expect(records).toBe(100_001);
    // The whole file is about 20 MB of text (40 MB as UTF-16 in memory); one chunk is about 200 kB.
    expect(largest).toBeLessThan(300_000);
    expect(peak).toBeLessThan(32 * 1024 * 1024);
  });
});
