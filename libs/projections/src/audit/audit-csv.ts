import type { ReadModelDb } from '../read-model-db.js';
import type { AuditTrailRow } from './audit-trail.projection.js';
import {
  auditTrailChunks,
  auditTrailHead,
  decodeAuditCursor,
  selectAuditTrail,
  type AuditTrailFilter,
} from './audit-trail.queries.js';

/** CSV column names and the row fields they show, in order. */
const FIELDS = [
  ['position', 'position'],
  ['eventId', 'event_id'],
  ['stream', 'stream'],
  ['streamVersion', 'stream_version'],
  ['type', 'type'],
  ['schemaVersion', 'schema_version'],
  ['recordedAt', 'recorded_at'],
  ['occurredAt', 'occurred_at'],
  ['actorId', 'actor_id'],
  ['actorRole', 'actor_role'],
  ['correlationId', 'correlation_id'],
  ['causationId', 'causation_id'],
  ['source', 'source'],
] as const satisfies ReadonlyArray<readonly [string, keyof AuditTrailRow]>;

/** The CSV columns, in order (the header record). */
export const AUDIT_CSV_COLUMNS: readonly string[] = FIELDS.map(([column]) => column);

/** Rows per query of an export. */
export const AUDIT_CSV_CHUNK_ROWS = 1000;

/** Text a spreadsheet would run as a formula (OWASP CSV injection): `=`, `+`, `-`, `@`, tab or carriage return first. */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field per RFC 4180: text that a spreadsheet would take for a formula gets a leading `'`, and a field
 * holding a quote, comma or line break is quoted (quotes doubled). Null is the empty field; numbers stay numbers.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record, CRLF-terminated. */
export function csvRecord(values: ReadonlyArray<string | number | null>): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

function auditCsvRecord(row: AuditTrailRow): string {
  return csvRecord(FIELDS.map(([, field]) => row[field]));
}

/** What an export covers and its text. */
export interface AuditCsvExport {
  /** The newest position when the export began: later events are left out, so the file is one consistent cut. */
  throughPosition: number;
  /** The header record, then one string per chunk of records. Pull it at the pace the client reads. */
  chunks: AsyncGenerator<string>;
}

/**
 * The audit trail as CSV, every row matching `filter` after `cursor`, read in chunks of `chunkSize` rows
 * (each its own query, so memory stays flat however long the trail). Validates now: throws InvalidCursor or
 * RangeError before any text is produced.
 */
export function auditTrailCsv(
  db: ReadModelDb,
  filter: AuditTrailFilter & { cursor?: string | null },
  chunkSize = AUDIT_CSV_CHUNK_ROWS,
): AuditCsvExport {
  const after = filter.cursor === undefined || filter.cursor === null ? 0 : decodeAuditCursor(filter.cursor);
  const select = selectAuditTrail(db, filter);
  const throughPosition = auditTrailHead(db);
  async function* chunks(): AsyncGenerator<string> {
    yield csvRecord(AUDIT_CSV_COLUMNS);
    for (const rows of auditTrailChunks(select, { after, upTo: throughPosition }, chunkSize)) {
      yield rows.map(auditCsvRecord).join('');
    }
  }
  return { throughPosition, chunks: chunks() };
}
