import { streamName, type StreamCategory } from '#domain';
import type { EventStore, RecordedEvent } from '#event-store';
import { learningLibraryProjection } from '../learnings/learning-library.projection.js';
import { openReadModelDb, type ReadModelDb } from '../read-model-db.js';

/** `atPosition` lies beyond the newest event: a report there could still change, so it is refused. */
export class PositionBeyondHead extends Error {
  constructor(
    readonly position: number,
    readonly head: number,
  ) {
    super(`atPosition ${position} is beyond the newest event (position ${head})`);
    this.name = 'PositionBeyondHead';
  }
}

/** A projection or report model a report was built with. */
export interface VersionedName {
  name: string;
  version: number;
}

/** What a report was built from: enough to rebuild it byte for byte. */
export interface BuiltFrom {
  /** Every event at or below this global position was used, none above it. */
  position: number;
  /** Store time of the newest event used; null when there was none. */
  lastRecordedAt: string | null;
  /** Projections whose code built the report's read model (replayed in memory up to `position`). */
  projections: VersionedName[];
  /** The report model's own name and version. */
  report: VersionedName;
  /** The application's version (package.json). */
  appVersion: string;
}

/** Where an event can be checked: what a report line links to. */
export interface EventRef {
  eventId: string;
  type: string;
  streamId: string;
  position: number;
  occurredAt: string;
  recordedAt: string;
}

/** Projections a snapshot replays into memory, with the versions reports state. */
const SNAPSHOT_PROJECTIONS = [learningLibraryProjection];

/**
 * The event log cut at one global position, for reports: the streams (to fold with the entity views) and the
 * learning library replayed into an in-memory database by the same projection code the application runs.
 * Independent of the live read models, so a report at a position is the same whenever it is built.
 * Call {@link close} when done.
 */
export class ReportSnapshot {
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly byId = new Map<string, RecordedEvent>();
  /** Store time of the newest event in the snapshot. */
  readonly lastRecordedAt: string | null;

  private constructor(
    readonly position: number,
    readonly library: ReadModelDb,
    events: readonly RecordedEvent[],
  ) {
    for (const event of events) {
      this.byId.set(event.eventId, event);
      const stream = this.streams.get(event.streamId);
      if (stream) stream.push(event);
      else this.streams.set(event.streamId, [event]);
    }
    this.lastRecordedAt = events.at(-1)?.recordedAt ?? null;
  }

  /** Builds a snapshot from events already read (in position order). */
  static fromEvents(position: number, events: readonly RecordedEvent[]): ReportSnapshot {
    const library = openReadModelDb(':memory:');
    try {
      for (const projection of SNAPSHOT_PROJECTIONS) projection.setup(library);
      library.transaction(() => {
        for (const projection of SNAPSHOT_PROJECTIONS) {
          const handles = new Set(projection.handles);
          for (const event of events) if (handles.has(event.type)) projection.apply(library, event);
        }
      })();
      return new ReportSnapshot(position, library, events);
    } catch (error) {
      library.close();
      throw error;
    }
  }

  /**
   * Reads the log up to `atPosition` (default: the newest event) and builds the snapshot. Throws
   * {@link PositionBeyondHead} when `atPosition` is beyond the newest event.
   */
  static async load(store: EventStore, atPosition?: number): Promise<ReportSnapshot> {
    const head = await store.headPosition();
    const position = atPosition ?? head;
    if (position > head) throw new PositionBeyondHead(position, head);
    const events: RecordedEvent[] = [];
    if (position > 0) for await (const batch of store.readAll({ upTo: position })) events.push(...batch);
    return ReportSnapshot.fromEvents(position, events);
  }

  /** One entity's events in the snapshot (empty when it did not exist yet). */
  stream(category: StreamCategory, id: string): RecordedEvent[] {
    return this.streams.get(streamName(category, id)) ?? [];
  }

  /** Every stream of a category, in order of first appearance. */
  streamsOf(category: StreamCategory): RecordedEvent[][] {
    const prefix = `${category}-`;
    return [...this.streams.entries()].filter(([id]) => id.startsWith(prefix)).map(([, events]) => events);
  }

  /** Where to check an event of the snapshot. */
  ref(eventId: string): EventRef | null {
    const event = this.byId.get(eventId);
    if (!event) return null;
    const { type, streamId, position, recordedAt } = event;
    return { eventId, type, streamId, position, occurredAt: event.metadata.occurredAt, recordedAt };
  }

  /** The references of every listed event, in position order, each once. */
  refs(eventIds: Iterable<string>): EventRef[] {
    const refs = [...new Set(eventIds)].map((id) => this.ref(id)).filter((ref): ref is EventRef => ref !== null);
    return refs.sort((a, b) => a.position - b.position);
  }

  /** The provenance block of a report built from this snapshot. */
  builtFrom(report: VersionedName, appVersion: string): BuiltFrom {
    return {
      position: this.position,
      lastRecordedAt: this.lastRecordedAt,
      projections: SNAPSHOT_PROJECTIONS.map(({ name, version }) => ({ name, version })),
      report,
      appVersion,
    };
  }

  close(): void {
    this.library.close();
  }
}
