import {
  ANY,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  type AppendExpectedRevision,
  type CurrentRevision,
  type Position,
  type ReadPosition,
} from '@eventstore/db-client';
import type { EventMetadata, IntegrityFields } from '../envelope.js';
import { EventStoreError } from '../errors.js';
import type { ExpectedVersion } from '../expected-version.js';

/*
 * Positions. EventStoreDB addresses the global log ($all) by {commit, prepare}: byte offsets into the
 * transaction file. Every event appended over gRPC is its own implicitly committed prepare record, so its
 * commit and prepare positions are equal and unique, and ordering $all by commit alone is exact. The port
 * therefore uses the commit position as its number. A JavaScript number holds integers exactly up to
 * 2^53 - 1 bytes, about 8 PiB of log (some 33 million 256 MiB chunks), which no single database reaches;
 * toPortPosition refuses anything larger instead of rounding. The prepare position only differs for
 * events written by legacy TCP explicit transactions (they share one commit position) and for
 * checkpoints, where it says how far into the log the server had looked; encodePosition keeps the exact
 * pair for callers that must resume from exactly there.
 */

/** Largest position the port's numbers carry exactly. */
export const MAX_PORT_POSITION = BigInt(Number.MAX_SAFE_INTEGER);

/** The port's number for an EventStoreDB position: its commit position. */
export function toPortPosition(position: Position): number {
  if (position.commit < 0n || position.commit > MAX_PORT_POSITION) {
    throw new EventStoreError(`EventStoreDB commit position ${position.commit} does not fit in a safe integer`);
  }
  return Number(position.commit);
}

/** The EventStoreDB position of a port position (an event's own position, where commit = prepare). */
export function fromPortPosition(position: number): Position {
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new EventStoreError(`Invalid position ${String(position)}: expected a whole number >= 0`);
  }
  return { commit: BigInt(position), prepare: BigInt(position) };
}

/** Orders positions as $all does: by commit, then prepare. */
export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

const TOKEN = /^(\d{1,20}):(\d{1,20})$/;
const MAX_U64 = 2n ** 64n - 1n;

/** Opaque checkpoint token that keeps the exact {commit, prepare} pair, e.g. for a stored checkpoint. */
export function encodePosition(position: Position): string {
  if (position.commit < 0n || position.prepare < 0n) throw new EventStoreError('A position cannot be negative');
  return `${position.commit}:${position.prepare}`;
}

/** Reads a token made by encodePosition; throws EventStoreError on anything else. */
export function decodePosition(token: string): Position {
  const match = TOKEN.exec(token);
  if (!match) throw new EventStoreError(`Invalid EventStoreDB position token ${JSON.stringify(token)}`);
  const position = { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
  if (position.commit > MAX_U64 || position.prepare > MAX_U64) {
    throw new EventStoreError(`EventStoreDB position token ${token} is out of range`);
  }
  return position;
}

/**
 * Where readAll starts for the port's exclusive `after`. EventStoreDB's readAll includes the event at
 * `fromPosition`, so the event at exactly `after` must be skipped: skip everything at or before `skipThrough`.
 */
export function readAllStart(after: number): { fromPosition: ReadPosition; skipThrough: Position | null } {
  if (after === 0) return { fromPosition: START, skipThrough: null };
  const position = fromPortPosition(after);
  return { fromPosition: position, skipThrough: position };
}

/** Where subscribeToAll starts for the port's exclusive `after`: its fromPosition is exclusive already. */
export function subscribeStart(after: number): Position | undefined {
  return after === 0 ? undefined : fromPortPosition(after);
}

/*
 * Versions. The port counts events (version n = n events, the first event has version 1); EventStoreDB
 * numbers them from 0 (revision = version - 1).
 */

/** The expected revision EventStoreDB checks for a port expected version. */
export function toExpectedRevision(expected: ExpectedVersion): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      if (!Number.isSafeInteger(expected) || expected < 0) {
        throw new EventStoreError(`Invalid expected version ${String(expected)}`);
      }
      // Version 0 means "no events", which EventStoreDB can only say as "no stream".
      return expected === 0 ? NO_STREAM : BigInt(expected - 1);
  }
}

/** The port version of a stream revision (index of an event, or of the last event). */
export function revisionToVersion(revision: bigint): number {
  if (revision < -1n || revision >= MAX_PORT_POSITION) throw new EventStoreError(`Stream revision ${revision} is out of range`);
  return Number(revision) + 1;
}

/** Events in the stream as a WrongExpectedVersionError reports them ('no_stream' = 0). */
export function currentRevisionToVersion(current: CurrentRevision): number {
  return current === NO_STREAM ? 0 : revisionToVersion(current);
}

/** The revision to read for a port version (inclusive lower or upper bound of a stream read). */
export function versionToRevision(version: number): bigint {
  return BigInt(Math.max(0, version - 1));
}

/*
 * Metadata. The envelope's metadata is stored as the event's JSON metadata, with EventStoreDB's own
 * conventions added so its tools (projections, UI) follow correlation chains: `$correlationId` and
 * `$causationId` (left out for a root event). The integrity chain travels as `previousHash` and `hash`.
 * EventStoreDB stamps its own `created` time; an event copied from another store (`migrate`) carries its
 * original store time as `recordedAt`, which reads back as the event's recordedAt, not as metadata, so the
 * hash chain covers the same metadata as in the source store.
 */

const RESERVED_KEYS = ['$correlationId', '$causationId', 'previousHash', 'hash', 'recordedAt'] as const;

/** The JSON metadata stored with an event. */
export function toEsdbMetadata(metadata: EventMetadata, integrity?: IntegrityFields): Record<string, unknown> {
  const stored: Record<string, unknown> = {
    ...metadata,
    $correlationId: metadata.correlationId,
    previousHash: integrity?.previousHash ?? null,
    hash: integrity?.hash ?? null,
  };
  if (metadata.causationId !== null) stored.$causationId = metadata.causationId;
  return stored;
}

/** What stored metadata holds besides the envelope's metadata. */
export interface EsdbEnvelope {
  metadata: EventMetadata;
  integrity: IntegrityFields;
  /** The original store time of a copied event (an ISO instant); null for an event first recorded here. */
  recordedAt: string | null;
}

/** The envelope metadata, integrity fields and carried store time of stored metadata; null when it is not a JSON object. */
export function fromEsdbMetadata(stored: unknown): EsdbEnvelope | null {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored) || stored instanceof Uint8Array) return null;
  const copy: Record<string, unknown> = { ...(stored as Record<string, unknown>) };
  const integrity: IntegrityFields = { previousHash: stringOrNull(copy.previousHash), hash: stringOrNull(copy.hash) };
  const carried = stringOrNull(copy.recordedAt);
  const recordedAt = carried !== null && !Number.isNaN(Date.parse(carried)) ? new Date(carried).toISOString() : null;
  for (const key of RESERVED_KEYS) delete copy[key];
  return { metadata: copy as unknown as EventMetadata, integrity, recordedAt };
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/*
 * Connection strings.
 */

/** The connection string for @eventstore/db-client, which knows `esdb://` and `esdb+discover://` only. */
export function toClientConnectionString(url: string): string {
  return url.replace(/^kurrentdb(\+discover)?:\/\//i, (_, discover: string | undefined) => `esdb${discover ?? ''}://`);
}

/** The connection string without user name and password, for messages. */
export function redactConnectionString(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)[^@/?#]*@/i, '$1');
}
