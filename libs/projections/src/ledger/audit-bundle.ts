import {
  canonicalJson,
  sha256Hex,
  signText,
  storedEventsOf,
  type EventStore,
  type IntegrityFields,
  type IntegrityProblem,
  type RecordedEvent,
  type SignedHead,
  type SigningKey,
} from '#event-store';
import { selectAuditTrail, type AuditTrailFilter } from '../audit/audit-trail.queries.js';
import type { ReadModelDb } from '../read-model-db.js';
import { latestLedgerEntry } from './ledger.projection.js';
import { signedHeadAt, storedSignedHeadBefore, type LedgerSignatureDb } from './signed-heads.js';
import { verifyIntegrity } from './verify-integrity.js';

/** Format tag of an audit bundle (and of its statement). */
export const AUDIT_BUNDLE_FORMAT = 'tracker-audit-bundle/1';

/**
 * An event that travels as its place in the chain only, without type, data or metadata: `filter` for events
 * between matching ones of a stream (kept so the stream's chain stays continuous), `scope` for events the
 * recipient may not read (see {@link AuditBundleOptions.redact}).
 */
export interface RedactedEvent {
  redacted: 'filter' | 'scope';
  eventId: string;
  streamId: string;
  version: number;
  position: number;
  integrity: IntegrityFields;
}

/** One event of a bundle: the whole envelope as stored, or its hashes only. */
export type BundleEvent = RecordedEvent | RedactedEvent;

/** What the bundle's signature covers: `signature = Ed25519(canonicalJson(statement))`. */
export interface AuditBundleStatement {
  format: typeof AUDIT_BUNDLE_FORMAT;
  keyId: string;
  /** Wall-clock time of the export. */
  createdAt: string;
  filter: AuditTrailFilter;
  /** True when `events` is the whole log up to `ledger.position`, so the ledger head can be recomputed from it. */
  complete: boolean;
  events: number;
  /** SHA-256 (hex) of `canonicalJson(events)`. */
  digest: string;
  /** The ledger head after the bundle's last event. */
  ledger: { position: number; head: string };
  /** The ledger head at an earlier position (a previous bundle's, when asked for): compare it with that bundle. */
  previous: { position: number; head: string } | null;
}

/** A signed, self-contained excerpt of the audit trail that a partner can verify offline (tools/verify-bundle.mjs). */
export interface AuditBundle {
  format: typeof AUDIT_BUNDLE_FORMAT;
  statement: AuditBundleStatement;
  /** Ed25519 signature (base64) of `canonicalJson(statement)`. */
  signature: string;
  /** The ledger head at `statement.ledger.position`, signed on its own. */
  ledgerHead: SignedHead;
  /** The ledger head at `statement.previous.position`, signed on its own; null when there is none. */
  previousSignedHead: SignedHead | null;
  /** In position order. */
  events: BundleEvent[];
}

/** Options of {@link buildAuditBundle}. */
export interface AuditBundleOptions {
  /** The read-model database: the ledger, and the audit trail used to apply `filter`. */
  db: ReadModelDb;
  /** The signed heads (`ledger-signatures.db`). */
  signatures: LedgerSignatureDb;
  key: SigningKey;
  /** The audit trail's filters; none at all exports the whole log (a complete bundle). */
  filter?: AuditTrailFilter;
  /**
   * Position of the recipient's previous bundle (its `statement.ledger.position`): the bundle then carries the
   * ledger head there as it is now, so rewriting or cutting history in between shows. Defaults to the newest
   * head stored signed before the bundle's last event.
   */
  previous?: number;
  /**
   * Partner scope hook: true for an event the recipient may not read. It then travels as a {@link RedactedEvent}
   * (its hashes only); the chain and the signature still verify.
   */
  redact?: (event: RecordedEvent) => boolean;
  now?: () => Date;
}

/** The log failed verification: nothing is signed over it. */
export class AuditTrailBroken extends Error {
  constructor(readonly problem: IntegrityProblem) {
    super(`The audit trail does not verify (${problem.kind} at position ${problem.position ?? '?'}): ${problem.detail}`);
    this.name = 'AuditTrailBroken';
  }
}

/** An option of the export that cannot be served (previous position out of range). */
export class InvalidBundleRequest extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidBundleRequest';
  }
}

/**
 * Builds and signs an audit bundle of the events the ledger has witnessed, after {@link verifyIntegrity} found
 * the whole log intact (throws {@link AuditTrailBroken} otherwise). With filters, each stream with a matching
 * event is exported from its first to its last matching version, the events in between as `filter` stubs.
 * The ledger and the audit trail should have caught up with the log (the API waits for them first).
 */
export async function buildAuditBundle(store: EventStore, options: AuditBundleOptions): Promise<AuditBundle> {
  const { db, signatures, key } = options;
  const filter = withoutUndefined(options.filter ?? {});
  const complete = Object.keys(filter).length === 0;
  const walked: RecordedEvent[] = [];
  const onEvent = complete ? (event: RecordedEvent) => walked.push(event) : undefined;
  const report = await verifyIntegrity(store, { db, signatures, publicKey: key.publicKey, onEvent });
  if (!report.ok) throw new AuditTrailBroken(report.problem);
  const stored = storedEventsOf(store);
  const end = latestLedgerEntry(db)?.position ?? 0;
  const included = complete ? await wholeLog(stored, end, walked) : await matching(stored, db, filter, end);
  const events = included.map(({ event, matched }): BundleEvent => {
    if (!matched) return stub(event, 'filter');
    return options.redact?.(event) ? stub(event, 'scope') : event;
  });
  const position = complete || events.length === 0 ? end : events[events.length - 1].position;
  const ledgerHead = signedHeadAt(db, key, position);
  if (ledgerHead === null) throw new InvalidBundleRequest('stream', 'The ledger has witnessed no events yet: there is nothing to export');
  const previousSignedHead = previousHead(db, signatures, key, options.previous, ledgerHead.position);
  const statement: AuditBundleStatement = {
    format: AUDIT_BUNDLE_FORMAT,
    keyId: key.keyId,
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    filter,
    complete,
    events: events.length,
    digest: sha256Hex(canonicalJson(events)),
    ledger: { position: ledgerHead.position, head: ledgerHead.head },
    previous: previousSignedHead && { position: previousSignedHead.position, head: previousSignedHead.head },
  };
  return {
    format: AUDIT_BUNDLE_FORMAT,
    statement,
    signature: signText(key.privateKey, canonicalJson(statement)),
    ledgerHead,
    previousSignedHead,
    events,
  };
}

interface Included {
  event: RecordedEvent;
  matched: boolean;
}

/** The log up to `upTo`: the events verification already walked, then any appended since. */
async function wholeLog(stored: EventStore, upTo: number, walked: readonly RecordedEvent[]): Promise<Included[]> {
  const all: Included[] = walked.filter((event) => event.position <= upTo).map((event) => ({ event, matched: true }));
  const after = walked.at(-1)?.position ?? 0;
  if (upTo <= after) return all;
  for await (const batch of stored.readAll({ after, upTo })) for (const event of batch) all.push({ event, matched: true });
  return all;
}

/** Matching events (by the audit trail's filter) and, per stream, everything between its first and last match. */
async function matching(stored: EventStore, db: ReadModelDb, filter: AuditTrailFilter, upTo: number): Promise<Included[]> {
  const select = selectAuditTrail(db, filter);
  const matched = new Set<number>();
  const ranges = new Map<string, { from: number; to: number }>();
  for (let after = 0; ; ) {
    const rows = select(after, upTo, 1000);
    for (const row of rows) {
      matched.add(row.position);
      const range = ranges.get(row.stream);
      if (range) range.to = row.stream_version;
      else ranges.set(row.stream, { from: row.stream_version, to: row.stream_version });
    }
    if (rows.length < 1000) break;
    after = rows[rows.length - 1].position;
  }
  const included: Included[] = [];
  for (const [stream, { from, to }] of ranges) {
    for (const event of await stored.readStream(stream, { fromVersion: from, maxCount: to - from + 1 })) {
      included.push({ event, matched: matched.has(event.position) });
    }
  }
  return included.sort((a, b) => a.event.position - b.event.position);
}

function previousHead(
  db: ReadModelDb,
  signatures: LedgerSignatureDb,
  key: SigningKey,
  previous: number | undefined,
  position: number,
): SignedHead | null {
  if (previous === undefined) return storedSignedHeadBefore(signatures, key.keyId, position);
  if (!Number.isSafeInteger(previous) || previous < 1 || previous > position) {
    throw new InvalidBundleRequest('previous', `previous must be a position from 1 to the bundle's last position (${position})`);
  }
  const head = signedHeadAt(db, key, previous);
  if (head === null) throw new InvalidBundleRequest('previous', `the ledger has no head at or before position ${previous}`);
  return head;
}

function stub(event: RecordedEvent, redacted: RedactedEvent['redacted']): RedactedEvent {
  const { eventId, streamId, version, position, integrity } = event;
  return { redacted, eventId, streamId, version, position, integrity };
}

function withoutUndefined(filter: AuditTrailFilter): AuditTrailFilter {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined)) as AuditTrailFilter;
}
