import { createHash } from 'node:crypto';
import type { RecordedEvent } from '../envelope.js';
import { canonicalJson } from './canonical-json.js';

/**
 * The per-stream hash chain and the global ledger head (see README, "Verifying the audit trail").
 *
 * Event hash: `hash = SHA-256(previousHash ‖ canonicalJson({data, eventId, metadata, streamId, type, version}))`
 * as lower-case hex, where `previousHash` is the hash of the stream's previous event (64 hex characters, so the
 * concatenation is unambiguous) or {@link GENESIS_HASH} for the first event of a stream. `recordedAt` (store
 * time, unknown to EventStoreDB's client before the write) and the global `position` are not part of it: the
 * ledger covers the order of the global log.
 *
 * Ledger head: `head = SHA-256(canonicalJson([previousHead, position, eventId, hash]))`, starting from
 * {@link GENESIS_HASH}, over the global log in position order (`hash` is null for an unchained legacy event).
 */

/** The "previous hash" of a stream's first event, and the ledger head before the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** A SHA-256 hex digest: 64 lower-case hex characters. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** SHA-256 of the UTF-8 bytes of `text`, as lower-case hex. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** What the event hash covers besides the previous hash. */
export interface ChainedContent {
  eventId: string;
  type: string;
  data: unknown;
  metadata: unknown;
  streamId: string;
  version: number;
}

/** An event's type, data and metadata in canonical form, prepared before its stream version is known. */
export interface PreparedContent {
  readonly eventId: string;
  readonly type: string;
  readonly dataJson: string;
  readonly metadataJson: string;
}

/** Canonicalises the parts of an event that do not depend on where it lands (throws like canonicalJson). */
export function prepareContent(event: Pick<ChainedContent, 'eventId' | 'type' | 'data' | 'metadata'>): PreparedContent {
  return { eventId: event.eventId, type: event.type, dataJson: canonicalJson(event.data), metadataJson: canonicalJson(event.metadata) };
}

/** The event hash of prepared content stored at `version` of `streamId` after `previousHash`. */
export function hashPrepared(previousHash: string, content: PreparedContent, streamId: string, version: number): string {
  // Keys in canonical (sorted) order: data, eventId, metadata, streamId, type, version.
  const canonical =
    `{"data":${content.dataJson},"eventId":${JSON.stringify(content.eventId)},"metadata":${content.metadataJson},` +
    `"streamId":${JSON.stringify(streamId)},"type":${JSON.stringify(content.type)},"version":${JSON.stringify(version)}}`;
  return sha256Hex(previousHash + canonical);
}

/** The event hash of `event` after `previousHash`. */
export function eventHash(previousHash: string, event: ChainedContent): string {
  return hashPrepared(previousHash, prepareContent(event), event.streamId, event.version);
}

/** Integrity fields as the stores write them: never null. */
export interface ChainLink {
  previousHash: string;
  hash: string;
}

/**
 * Chains a batch appended to a stream whose last event has `lastHash` (null when the stream is empty or its
 * last event is an unchained legacy event: the chain then starts at the genesis value).
 */
export function chainBatch(
  lastHash: string | null,
  contents: readonly PreparedContent[],
  streamId: string,
  firstVersion: number,
): ChainLink[] {
  let previousHash = lastHash ?? GENESIS_HASH;
  return contents.map((content, i) => {
    const hash = hashPrepared(previousHash, content, streamId, firstVersion + i);
    const fields = { previousHash, hash };
    previousHash = hash;
    return fields;
  });
}

/** The ledger head after `previousHead` once the event at `position` (with its event hash) is added. */
export function ledgerHead(previousHead: string, position: number, eventId: string, hash: string | null): string {
  return sha256Hex(canonicalJson([previousHead, position, eventId, hash]));
}

/** True when the event was written before the hash chain existed (both integrity fields null). */
export function isUnchained(event: Pick<RecordedEvent, 'integrity'>): boolean {
  return event.integrity.hash === null && event.integrity.previousHash === null;
}
