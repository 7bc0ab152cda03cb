import type { RecordedEvent } from '../envelope.js';
import type { EventStore } from '../event-store.port.js';
import { storedEventsOf } from '../read-mapping-event-store.js';
import { eventHash, GENESIS_HASH, isUnchained } from './chain.js';

/** What kind of link of the audit trail is broken. */
export type IntegrityProblemKind =
  | 'hash-mismatch'
  | 'chain-break'
  | 'missing-event'
  | 'reordered'
  | 'ledger-mismatch'
  | 'signature-invalid';

/** The first broken link found: where it is, and what was expected there. */
export interface IntegrityProblem {
  kind: IntegrityProblemKind;
  /** The stream of the event at fault; null when only a global position is known. */
  stream: string | null;
  /** Global position of the event at fault (for a missing event: where it was witnessed). */
  position: number | null;
  eventId: string | null;
  /** The event's version within its stream, when known. */
  version?: number;
  expected?: string;
  actual?: string;
  /** One sentence for people. */
  detail: string;
}

/** Where an event was witnessed (by the ledger), to name a missing one. */
export interface WitnessedEvent {
  position: number;
  eventId: string;
}

/** Options of {@link ChainChecker}. */
export interface ChainCheckerOptions {
  /** Where the event at `version` of `stream` was seen before, if anywhere (the ledger's record). */
  witnessed?: (stream: string, version: number) => WitnessedEvent | undefined;
}

interface StreamTip {
  version: number;
  hash: string | null;
}

/**
 * Checks every stream's hash chain while the global log is walked once in position order (pass each event to
 * {@link ChainChecker.check}). Per event, in this order: its version follows the stream's previous event
 * (else `reordered` when that version sits later in the log, `missing-event` when it is gone); an unchained
 * legacy event (both integrity fields null) only before the first chained event of the whole log (else
 * `chain-break`); `previousHash` equals the previous event's hash, or the genesis value after none or after an
 * unchained event (else `chain-break`); the hash recomputed from the stored content equals `hash` (else
 * `hash-mismatch`). Memory: one entry per stream.
 */
export class ChainChecker {
  private readonly tips = new Map<string, StreamTip>();
  private chainedSeen = false;
  /** Events checked so far. */
  events = 0;
  /** Unchained legacy events seen (written before the chain existed). */
  unchained = 0;

  constructor(
    /** The adapter as stored (not upcast, see {@link storedEventsOf}): reads where a missing version went. */
    private readonly store: Pick<EventStore, 'readStream'>,
    private readonly options: ChainCheckerOptions = {},
  ) {}

  /** Streams seen so far. */
  get streams(): number {
    return this.tips.size;
  }

  /** Checks the next event of the global log; returns the problem, or null when its links hold. */
  async check(event: RecordedEvent): Promise<IntegrityProblem | null> {
    this.events++;
    const tip = this.tips.get(event.streamId);
    const expectedVersion = (tip?.version ?? 0) + 1;
    if (event.version !== expectedVersion) return this.versionProblem(event, expectedVersion);
    const at = { stream: event.streamId, position: event.position, eventId: event.eventId, version: event.version };
    const { previousHash, hash } = event.integrity;
    if (isUnchained(event)) {
      if (this.chainedSeen) {
        return { kind: 'chain-break', ...at, detail: 'the event carries no hash although events before it in the log do' };
      }
      this.unchained++;
      this.tips.set(event.streamId, { version: event.version, hash: null });
      return null;
    }
    this.chainedSeen = true;
    const expectedPrevious = tip?.hash ?? GENESIS_HASH;
    if (previousHash !== expectedPrevious || hash === null) {
      return {
        kind: 'chain-break',
        ...at,
        expected: expectedPrevious,
        actual: previousHash ?? 'null',
        detail:
          hash === null
            ? 'the event has a previous hash but no hash of its own'
            : `previousHash does not match the hash of ${tip ? `version ${tip.version}` : 'the genesis value'} of the stream`,
      };
    }
    const recomputed = eventHash(previousHash, event);
    if (recomputed !== hash) {
      return { kind: 'hash-mismatch', ...at, expected: hash, actual: recomputed, detail: 'the stored content no longer matches the stored hash' };
    }
    this.tips.set(event.streamId, { version: event.version, hash });
    return null;
  }

  private async versionProblem(event: RecordedEvent, expectedVersion: number): Promise<IntegrityProblem> {
    const at = { stream: event.streamId, position: event.position, eventId: event.eventId, version: event.version };
    const versions = { expected: `version ${expectedVersion}`, actual: `version ${event.version}` };
    if (event.version > expectedVersion) {
      const [later] = await this.store.readStream(event.streamId, { fromVersion: expectedVersion, maxCount: 1 });
      if (later?.version === expectedVersion && later.position > event.position) {
        return { kind: 'reordered', ...at, ...versions, detail: `version ${expectedVersion} of the stream comes later in the log than this event` };
      }
      const witnessed = this.options.witnessed?.(event.streamId, expectedVersion);
      return {
        kind: 'missing-event',
        stream: event.streamId,
        position: witnessed?.position ?? null,
        eventId: witnessed?.eventId ?? null,
        version: expectedVersion,
        ...versions,
        detail: `version ${expectedVersion} of the stream is missing (the log goes on with version ${event.version} at position ${event.position})`,
      };
    }
    return { kind: 'reordered', ...at, ...versions, detail: 'the stream already had this version earlier in the log' };
  }
}


/** Outcome of {@link verifyStreams}. */
export type StreamsReport =
  | { ok: true; streams: number; events: number; unchained: number }
  | { ok: false; problem: IntegrityProblem; events: number };

/**
 * Walks the whole global log once and checks every stream's hash chain (not the order of the log: that is the
 * ledger's part, see `verifyIntegrity` in #projections). Reads the adapter underneath any upcasting.
 */
export async function verifyStreams(store: EventStore, options: ChainCheckerOptions = {}): Promise<StreamsReport> {
  const stored = storedEventsOf(store);
  const checker = new ChainChecker(stored, options);
  for await (const batch of stored.readAll()) {
    for (const event of batch) {
      const problem = await checker.check(event);
      if (problem) return { ok: false, problem, events: checker.events };
    }
  }
  return { ok: true, streams: checker.streams, events: checker.events, unchained: checker.unchained };
}
