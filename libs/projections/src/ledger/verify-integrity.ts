import type { KeyObject } from 'node:crypto';
import {
  ChainChecker,
  EventStoreError,
  GENESIS_HASH,
  keyIdOf,
  ledgerHead,
  storedEventsOf,
  verifyLedgerHead,
  type EventStore,
  type IntegrityProblem,
  type RecordedEvent,
  type SignedHead,
} from '#event-store';
import type { ReadModelDb } from '../read-model-db.js';
import { ledgerEntriesAfter, ledgerEntryAtOrBefore, ledgerEntryOf, LEDGERED_EVENT_TYPES, type LedgerEntry } from './ledger.projection.js';
import { storedSignedHeads, type LedgerSignatureDb } from './signed-heads.js';

/** Options of {@link verifyIntegrity}. */
export interface VerifyIntegrityOptions {
  /** The read-model database holding the ledger. */
  db: ReadModelDb;
  /** The signed heads (`ledger-signatures.db`). */
  signatures: LedgerSignatureDb;
  /** The tracker's public key: signed heads by it must verify; heads by other keys are compared, not trusted. */
  publicKey: KeyObject;
  /**
   * Check the log up to this position only. Defaults to the store's head when the walk starts; then ledger
   * entries and signed heads beyond the end of the log count as missing events.
   */
  upTo?: number;
  /** Called with each event walked (as stored), in position order, so a caller can reuse the walk. */
  onEvent?: (event: RecordedEvent) => void;
}

/** Everything held: the streams' chains, the ledger and the signed heads. */
export interface IntegrityIntact {
  ok: true;
  streams: number;
  events: number;
  /** Legacy events written before the chain existed (a prefix of the log), counted but not hashed. */
  unchained: number;
  /** Last position checked (0 for an empty log). */
  position: number;
  /** Ledger head recomputed from the log at `position`. */
  head: string;
  /** Last position the ledger had witnessed (events after it were checked by their chains only). */
  witnessedUpTo: number;
  /** Signed heads checked, and the newest one by the given key. */
  signedHeads: number;
  latestSignedHead: SignedHead | null;
}

/** The first broken link, in log order. */
export interface IntegrityBroken {
  ok: false;
  problem: IntegrityProblem;
  /** Events checked before the problem was found. */
  events: number;
}

/** What {@link verifyIntegrity} reports. */
export type IntegrityReport = IntegrityIntact | IntegrityBroken;

const ENTRY_PAGE = 1000;

/** Pages through the ledger's entries in position order. */
class EntryCursor {
  private page: LedgerEntry[] = [];
  private index = 0;
  private after = 0;
  private done = false;

  constructor(
    private readonly db: ReadModelDb,
    private readonly upTo: number,
  ) {}

  peek(): LedgerEntry | undefined {
    if (this.index === this.page.length && !this.done) {
      this.page = ledgerEntriesAfter(this.db, this.after, this.upTo, ENTRY_PAGE);
      this.index = 0;
      this.done = this.page.length < ENTRY_PAGE;
      if (this.page.length > 0) this.after = this.page[this.page.length - 1].position;
    }
    return this.page[this.index];
  }

  next(): void {
    this.index++;
  }
}

/**
 * Re-walks the whole log (as stored, under any upcasting) once, in position order, and reports the first broken
 * link, naming stream, position and event id where they are known:
 *
 * - every stream's hash chain (`reordered`, `missing-event`, `chain-break`, `hash-mismatch`; see ChainChecker);
 * - the ledger: an event it witnessed that the log no longer has (`missing-event`), an event in its range it
 *   never witnessed, another event or hash than it witnessed at a position, an event type it does not witness,
 *   or a stored head that the log no longer yields (`ledger-mismatch`);
 * - the signed heads: a signature by `publicKey` that does not verify (`signature-invalid`), a head the log no
 *   longer yields (`ledger-mismatch`), a signed position with no event (`missing-event`).
 *
 * Usable from the API (`GET /api/audit/verify`) and the CLI (`audit verify`).
 */
export async function verifyIntegrity(store: EventStore, options: VerifyIntegrityOptions): Promise<IntegrityReport> {
  const { db, publicKey } = options;
  const stored = storedEventsOf(store);
  const upTo = options.upTo ?? (await stored.headPosition());
  const wholeLog = options.upTo === undefined;
  const keyId = keyIdOf(publicKey);
  const witnessedTypes = new Set(LEDGERED_EVENT_TYPES);
  const checker = new ChainChecker(stored, { witnessed: (stream, version) => ledgerEntryOf(db, stream, version) });
  const entries = new EntryCursor(db, wholeLog ? Number.MAX_SAFE_INTEGER : upTo);
  const signed = storedSignedHeads(options.signatures, wholeLog ? Number.MAX_SAFE_INTEGER : upTo);
  let signedIndex = 0;
  let witnessedUpTo = 0;
  let head = GENESIS_HASH;
  let last: RecordedEvent | null = null;
  const broken = (problem: IntegrityProblem): IntegrityBroken => ({ ok: false, problem, events: checker.events });

  /** Checks the signed heads at positions up to `position` against the head recomputed so far. */
  const checkSigned = (position: number): IntegrityProblem | null => {
    for (; signedIndex < signed.length && signed[signedIndex].position <= position; signedIndex++) {
      const s = signed[signedIndex];
      const at = { stream: last?.streamId ?? null, position: s.position, eventId: last?.eventId ?? null };
      if (s.keyId === keyId && !verifyLedgerHead(publicKey, s)) {
        return { kind: 'signature-invalid', ...at, detail: `the signature of the ledger head at position ${s.position} does not verify` };
      }
      if (last?.position !== s.position) {
        const witnessed = ledgerEntryAtOrBefore(db, s.position);
        const named = witnessed?.position === s.position ? witnessed : undefined;
        return {
          kind: 'missing-event',
          stream: named?.streamId ?? null,
          position: s.position,
          eventId: named?.eventId ?? null,
          detail: `a ledger head was signed at position ${s.position}, where the log has no event`,
        };
      }
      if (s.head !== head) {
        return { kind: 'ledger-mismatch', ...at, expected: s.head, actual: head, detail: `the log no longer yields the head signed at position ${s.position}` };
      }
    }
    return null;
  };

  const missing = (entry: LedgerEntry, detail: string): IntegrityProblem => ({
    kind: 'missing-event',
    stream: entry.streamId,
    position: entry.position,
    eventId: entry.eventId,
    version: entry.version,
    detail,
  });

  const ledgerProblem = (event: RecordedEvent, detail: string, expected?: string | null, actual?: string | null): IntegrityProblem => ({
    kind: 'ledger-mismatch',
    stream: event.streamId,
    position: event.position,
    eventId: event.eventId,
    version: event.version,
    ...(expected === undefined ? {} : { expected: expected ?? 'null' }),
    ...(actual === undefined ? {} : { actual: actual ?? 'null' }),
    detail,
  });

  const batches = stored.readAll({ upTo })[Symbol.asyncIterator]();
  for (;;) {
    let batch: IteratorResult<RecordedEvent[]>;
    try {
      batch = await batches.next();
    } catch (error) {
      // An unreachable or locked store is not a finding; content that no longer parses is.
      if (error instanceof EventStoreError) throw error;
      const after = last?.position ?? 0;
      return broken({
        kind: 'hash-mismatch',
        stream: null,
        position: null,
        eventId: null,
        detail: `the log cannot be read after position ${after}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    if (batch.done) break;
    for (const event of batch.value) {
      let entry = entries.peek();
      if (entry && entry.position < event.position) {
        return broken(missing(entry, 'the ledger witnessed this event, which the log no longer holds'));
      }
      const before = checkSigned(event.position - 1);
      if (before) return broken(before);
      const chain = await checker.check(event);
      if (chain) return broken(chain);
      if (!witnessedTypes.has(event.type)) {
        return broken(ledgerProblem(event, `${event.type} is not an event type of this application: the ledger does not witness it`));
      }
      head = ledgerHead(head, event.position, event.eventId, event.integrity.hash);
      if (entry?.position === event.position) {
        entries.next();
        if (entry.eventId !== event.eventId) {
          return broken(ledgerProblem(event, `the ledger witnessed event ${entry.eventId} at this position`, entry.eventId, event.eventId));
        }
        if (entry.hash !== event.integrity.hash) {
          return broken(ledgerProblem(event, 'the event hash differs from the one the ledger witnessed', entry.hash, event.integrity.hash));
        }
        if (entry.head !== head) {
          return broken(ledgerProblem(event, "the ledger's stored head differs from the one recomputed from the log", entry.head, head));
        }
        witnessedUpTo = event.position;
      } else {
        entry = entries.peek();
        if (entry) return broken(ledgerProblem(event, 'the ledger never witnessed this event although it witnessed later ones: it was added afterwards'));
      }
      last = event;
      options.onEvent?.(event);
      const at = checkSigned(event.position);
      if (at) return broken(at);
    }
  }
  const leftover = entries.peek();
  if (leftover) return broken(missing(leftover, 'the ledger witnessed this event past the end of the log: the log was cut short'));
  const beyond = checkSigned(Number.MAX_SAFE_INTEGER);
  if (beyond) return broken(beyond);
  const own = signed.filter((s) => s.keyId === keyId);
  return {
    ok: true,
    streams: checker.streams,
    events: checker.events,
    unchained: checker.unchained,
    position: last?.position ?? 0,
    head,
    witnessedUpTo,
    signedHeads: signed.length,
    latestSignedHead: own.at(-1) ?? null,
  };
}
