import type { EventMetadata, EventToAppend, RecordedEvent } from '../envelope.js';
import { EventStoreError } from '../errors.js';
import type { EventStore } from '../event-store.port.js';

/** A migration cannot go on: the target does not match the source, or the checkpoint does not match the target. */
export class MigrationError extends EventStoreError {}

/** The migration stopped on request (AbortSignal); everything up to `summary.position` is in the target. */
export class MigrationInterrupted extends EventStoreError {
  constructor(readonly summary: MigrationSummary) {
    super(`Migration interrupted after position ${summary.position}`);
  }
}

/** Where a migration stands: everything at or below `position` of the source is in the target. */
export interface MigrationCheckpoint {
  /** Source position of the last event handled (copied or found present). */
  position: number;
  /** That event, so that a resumed run can check the target still holds it. */
  last: { streamId: string; version: number; eventId: string } | null;
  /** Events copied by every run so far. */
  copied: number;
  /** Events found already present by every run so far. */
  skipped: number;
  /** True once a run reached the end of the source. */
  completed: boolean;
}

/** Keeps the checkpoint between runs (a file, or memory in tests). */
export interface MigrationCheckpointStore {
  load(): MigrationCheckpoint | null | Promise<MigrationCheckpoint | null>;
  save(checkpoint: MigrationCheckpoint): void | Promise<void>;
}

/**
 * The target's own `recordedAt`, set per append: give {@link clock} to an adapter that takes a clock (SQLite,
 * in-memory) and each copied event keeps its original store time.
 */
export class RecordedAtClock {
  private current: Date | null = null;

  /** Pass as the target adapter's `clock`. */
  readonly clock = (): Date => (this.current === null ? new Date() : new Date(this.current));

  set(recordedAt: string | null): void {
    this.current = recordedAt === null ? null : new Date(recordedAt);
  }
}

/** How a running migration is doing, reported after every append. */
export interface MigrationProgress {
  /** Source position reached. */
  position: number;
  /** Where this run started (exclusive). */
  startPosition: number;
  /** Source head when this run started. */
  head: number;
  copied: number;
  skipped: number;
  elapsedMs: number;
}

/** What one run did. */
export interface MigrationSummary {
  /** Events appended to the target by this run. */
  copied: number;
  /** Events this run found already in the target (same id at the same stream version) and left alone. */
  skipped: number;
  /** Events handled by earlier runs, per the checkpoint this run resumed from. */
  earlier: number;
  /** Streams this run appended to. */
  streams: number;
  /** Copied events the target hashed exactly as the source had stored (the target computes its own chain). */
  hashesKept: number;
  /**
   * Copied events whose hash in the target differs from the one the source stored: the source's chain is
   * broken there (or it was never chained), or the target hashed other metadata (a carried `recordedAt`).
   */
  hashesChanged: number;
  /** The first of them, for the message. */
  firstHashChange: string | null;
  /** Where this run started (exclusive): 0, or the checkpoint it resumed from. */
  startPosition: number;
  /** Source position of the last event handled. */
  position: number;
  /** Source head when the run started. */
  head: number;
  durationMs: number;
}

/** Options of {@link migrateEvents}. */
export interface MigrateEventsOptions {
  /** The store to copy from: the adapter itself, not an upcasting wrapper, so events are copied as stored. */
  source: EventStore;
  /** The store to copy into (its adapter). Nothing else should write to it meanwhile. */
  target: EventStore;
  /**
   * How the original `recordedAt` survives: through the target's clock (SQLite, in-memory), or as
   * `metadata.recordedAt` (EventStoreDB, which stamps its own `created` time).
   */
  recordedAt: RecordedAtClock | 'metadata';
  /** Where the checkpoint is kept between runs; without one every run starts from the beginning. */
  checkpoints?: MigrationCheckpointStore;
  /** Ignore a stored checkpoint and read the source from the start (events already present are checked and skipped). */
  restart?: boolean;
  /** Source events read per batch; the checkpoint is saved after each. Defaults to 1000. */
  readBatchSize?: number;
  /** Most events per append. Defaults to 100. */
  maxAppendEvents?: number;
  /** Most bytes of JSON (data and metadata) per append. Defaults to 512 KiB (EventStoreDB takes up to 1 MiB). */
  maxAppendBytes?: number;
  onProgress?: (progress: MigrationProgress) => void;
  /** Stops after the current append; the run then throws {@link MigrationInterrupted}. */
  signal?: AbortSignal;
  /** Milliseconds, for durations. */
  now?: () => number;
}

/** Metadata with the original store time, as written to a target that cannot keep it otherwise. */
type MetadataWithRecordedAt = EventMetadata & { recordedAt?: string };

/**
 * Copies every event of `source` into `target` in global order: same event ids, types, data and metadata,
 * same stream versions (each stream is appended with its exact expected version), the original recordedAt.
 * The target hashes what it stores itself; every append is read back and its hashes compared with those the
 * source stored ({@link MigrationSummary.hashesChanged}). Resumable and idempotent: each stream's
 * version in the target is checked before appending to it, so events already there (from an interrupted or
 * earlier run) are verified by id and skipped, never written twice; with a checkpoint store a resumed run
 * starts where the last one stopped.
 */
export async function migrateEvents(options: MigrateEventsOptions): Promise<MigrationSummary> {
  const { source, target, signal } = options;
  const now = options.now ?? Date.now;
  const started = now();
  const readBatchSize = Math.max(1, options.readBatchSize ?? 1000);
  const maxEvents = Math.max(1, options.maxAppendEvents ?? 100);
  const maxBytes = Math.max(1, options.maxAppendBytes ?? 512 * 1024);

  const stored = options.restart ? null : ((await options.checkpoints?.load()) ?? null);
  if (stored?.last) await assertTargetHolds(target, stored);
  const startPosition = stored?.position ?? 0;
  const head = await source.headPosition();
  const targetWasEmpty = (await target.headPosition()) === 0;

  let checkpoint: MigrationCheckpoint = stored ?? { position: 0, last: null, copied: 0, skipped: 0, completed: false };
  const earlier = stored ? stored.copied + stored.skipped : 0;
  const versions = new Map<string, number>();
  const touched = new Set<string>();
  let copied = 0;
  let skipped = 0;
  let hashesKept = 0;
  let hashesChanged = 0;
  let firstHashChange: string | null = null;

  const summary = (): MigrationSummary => ({
    copied,
    skipped,
    earlier,
    streams: touched.size,
    hashesKept,
    hashesChanged,
    firstHashChange,
    startPosition,
    position: checkpoint.position,
    head,
    durationMs: now() - started,
  });
  const report = () =>
    options.onProgress?.({ position: checkpoint.position, startPosition, head, copied, skipped, elapsedMs: now() - started });
  const save = async (completed = false) => {
    checkpoint = { ...checkpoint, copied: (stored?.copied ?? 0) + copied, skipped: (stored?.skipped ?? 0) + skipped, completed };
    await options.checkpoints?.save(checkpoint);
  };

  const targetVersion = async (streamId: string): Promise<number> => {
    const known = versions.get(streamId);
    if (known !== undefined) return known;
    if (targetWasEmpty) return 0;
    const [newest] = await target.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return newest?.version ?? 0;
  };

  try {
    for await (const batch of source.readAll({ after: startPosition, batchSize: readBatchSize })) {
      for (const group of appendGroups(batch, maxEvents, maxBytes)) {
        if (signal?.aborted) throw new MigrationInterrupted(summary());
        const streamId = group[0].streamId;
        const current = await targetVersion(streamId);
        const present = group.filter((event) => event.version <= current);
        const missing = group.filter((event) => event.version > current);
        if (present.length > 0) await assertPresent(target, present);
        if (missing.length > 0) {
          if (missing[0].version !== current + 1) {
            throw new MigrationError(
              `The target's stream ${streamId} has ${current} events, but the next event to copy (${missing[0].eventId}) is its ` +
                `event ${missing[0].version}: the target lacks earlier events of this stream, so it is not a copy of this source`,
            );
          }
          if (options.recordedAt instanceof RecordedAtClock) options.recordedAt.set(originalRecordedAt(missing[0]));
          const result = await target.appendToStream(streamId, missing.map((e) => toCopy(e, options.recordedAt)), { expectedVersion: current });
          if (result.nextExpectedVersion !== missing[missing.length - 1].version) {
            throw new MigrationError(
              `The target stored ${streamId} up to version ${result.nextExpectedVersion}, expected ${missing[missing.length - 1].version}`,
            );
          }
          const changes = await compareWritten(target, missing);
          hashesChanged += changes.length;
          hashesKept += missing.length - changes.length;
          firstHashChange ??= changes[0] ?? null;
          touched.add(streamId);
        }
        const last = group[group.length - 1];
        versions.set(streamId, Math.max(current, last.version));
        copied += missing.length;
        skipped += present.length;
        checkpoint = { ...checkpoint, position: last.position, last: { streamId, version: last.version, eventId: last.eventId } };
        report();
      }
      await save();
    }
  } catch (error) {
    // Keep what was done; a failing save must not hide why the run stopped.
    await save().catch(() => undefined);
    throw error;
  } finally {
    if (options.recordedAt instanceof RecordedAtClock) options.recordedAt.set(null);
  }
  await save(true);
  return summary();
}

/**
 * Consecutive events (in global order) of one stream recorded at the same time, as one append of at most
 * `maxEvents` events and about `maxBytes` of JSON (a larger single event goes alone).
 */
export function appendGroups(events: readonly RecordedEvent[], maxEvents: number, maxBytes: number): RecordedEvent[][] {
  const groups: RecordedEvent[][] = [];
  let group: RecordedEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = jsonBytes(event.data) + jsonBytes(event.metadata) + 256;
    const previous = group[group.length - 1];
    const fits =
      previous !== undefined &&
      previous.streamId === event.streamId &&
      originalRecordedAt(previous) === originalRecordedAt(event) &&
      group.length < maxEvents &&
      bytes + size <= maxBytes;
    if (!fits && group.length > 0) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(event);
    bytes += size;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/**
 * The event as appended to the target: metadata as stored, plus `recordedAt` when the target cannot keep the
 * original store time itself (a `recordedAt` carried by an earlier migration is kept, or dropped again when
 * the target's clock takes it).
 */
function toCopy(event: RecordedEvent, recordedAt: RecordedAtClock | 'metadata'): EventToAppend {
  const { recordedAt: _carried, ...metadata } = event.metadata as MetadataWithRecordedAt;
  const copied: MetadataWithRecordedAt = recordedAt === 'metadata' ? { ...metadata, recordedAt: originalRecordedAt(event) } : metadata;
  return { eventId: event.eventId, type: event.type, data: event.data, metadata: copied };
}

/** When the event was first recorded: its own `recordedAt`, or the one an earlier migration kept in its metadata. */
function originalRecordedAt(event: RecordedEvent): string {
  const carried = (event.metadata as MetadataWithRecordedAt).recordedAt;
  return typeof carried === 'string' ? carried : event.recordedAt;
}

/** Reads the events just appended back; throws when one is not there, describes those whose hash differs from the source's. */
async function compareWritten(target: EventStore, events: readonly RecordedEvent[]): Promise<string[]> {
  const { streamId } = events[0];
  const written = await target.readStream(streamId, { fromVersion: events[0].version, maxCount: events.length });
  const mismatches: string[] = [];
  events.forEach((event, i) => {
    const copy = written[i];
    if (!copy || copy.version !== event.version || copy.eventId.toLowerCase() !== event.eventId.toLowerCase()) {
      throw new MigrationError(`Event ${event.eventId} (${streamId} version ${event.version}) is not in the target after appending it`);
    }
    if (copy.integrity.hash !== event.integrity.hash) {
      mismatches.push(
        `${event.eventId} (${streamId} version ${event.version}): source hash ${event.integrity.hash ?? 'none'}, target ${copy.integrity.hash ?? 'none'}`,
      );
    }
  });
  return mismatches;
}

/** The target holds these events (one stream, consecutive versions) with the same ids and types. */
async function assertPresent(target: EventStore, events: readonly RecordedEvent[]): Promise<void> {
  const { streamId } = events[0];
  const held = await target.readStream(streamId, { fromVersion: events[0].version, maxCount: events.length });
  events.forEach((event, i) => {
    const other = held[i];
    if (!other || other.version !== event.version || other.eventId.toLowerCase() !== event.eventId.toLowerCase() || other.type !== event.type) {
      throw new MigrationError(
        `The target's stream ${streamId} holds ${other ? `event ${other.eventId} (${other.type})` : 'no event'} at version ${event.version} ` +
          `where the source has ${event.eventId} (${event.type}): the target is not a copy of this source`,
      );
    }
  });
}

/** A checkpoint's last event is in the target: it is the target the checkpoint was written for. */
async function assertTargetHolds(target: EventStore, checkpoint: MigrationCheckpoint): Promise<void> {
  const last = checkpoint.last;
  if (!last) return;
  const [held] = await target.readStream(last.streamId, { fromVersion: last.version, maxCount: 1 });
  if (!held || held.version !== last.version || held.eventId.toLowerCase() !== last.eventId.toLowerCase()) {
    throw new MigrationError(
      `The checkpoint says events up to position ${checkpoint.position} were copied, but the target lacks event ${last.eventId} ` +
        `(stream ${last.streamId}, version ${last.version}): it is not the target of that run, or it lost events. ` +
        'Start over from the beginning (events the target holds are checked and skipped)',
    );
  }
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '');
}
