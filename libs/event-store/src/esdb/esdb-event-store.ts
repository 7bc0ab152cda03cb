import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type JSONType,
  type Position,
  type ReadPosition,
  type ReadRevision,
  type RecordedEvent as EsdbRecordedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import type { EventToAppend, RecordedEvent } from '../envelope.js';
import {
  errorMessage,
  EventStoreError,
  EventStoreUnavailable,
  ExpectedVersionConflict,
  InvalidAppend,
} from '../errors.js';
import {
  EventStore,
  type AppendOptions,
  type AppendResult,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port.js';
import { isValidExpectedVersion, satisfiesExpectedVersion, type ExpectedVersion } from '../expected-version.js';
import { chainBatch, GENESIS_HASH, prepareContent, type PreparedContent } from '../integrity/chain.js';
import { resolveReappend, type StoredLocation } from '../reappend.js';
import { CatchUpSubscription, type ResubscribePolicy, type SourceHandle, type SourceSink } from './catch-up-subscription.js';
import { EsdbTimeout, isConnectionError, toStoreError, withTimeout } from './esdb-errors.js';
import {
  comparePositions,
  currentRevisionToVersion,
  fromEsdbMetadata,
  readAllStart,
  redactConnectionString,
  revisionToVersion,
  subscribeStart,
  toClientConnectionString,
  toEsdbMetadata,
  toExpectedRevision,
  toPortPosition,
  versionToRevision,
} from './esdb-mapping.js';

/** Options of the EventStoreDB adapter. */
export interface EsdbEventStoreOptions {
  /** `esdb://host:2113?tls=false`, `esdb+discover://…`, or the same with `kurrentdb`. */
  connectionString: string;
  /** Our own limit on every call (streaming reads: on each wait for the next event). Defaults to 5000 ms. */
  timeoutMs?: number;
  /** Limit for the first contact in `open()`. Defaults to `timeoutMs`. */
  connectTimeoutMs?: number;
  /**
   * Prepended to every stream name; `$all` is then filtered to it. Gives tests or tenants their own store in
   * one database. Defaults to '' (every stream whose name does not start with `$`).
   */
  streamPrefix?: string;
  /** Largest append in bytes of JSON (data + metadata), rejected before sending. Defaults to 1 MiB, the server's default. */
  maxAppendBytes?: number;
  /**
   * How many of a stream's newest events are read before an append with an exact (non-zero) expected version,
   * to apply the port's re-append rules to ids already stored (EventStoreDB itself would store them again when
   * the expected version equals the current one). At least as many as the append are read, since the hash chain
   * needs the stream's last event anyway; 'any' and 'stream_exists' read the whole stream. Defaults to 8: a
   * retried command re-appends right after its first attempt.
   */
  duplicateCheckWindow?: number;
  /** Events read per `$all` request. Defaults to 500. */
  readPageSize?: number;
  /** Yield checkpoint-only batches when the server reports progress past filtered events. Defaults to true. */
  checkpointBatches?: boolean;
  /** Server checkpoint every `checkpointInterval` × 32 filtered events. Defaults to 32. */
  checkpointInterval?: number;
  resubscribe?: ResubscribePolicy;
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_BATCH_SIZE = 500;
const MAX_APPEND_BYTES = 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Attempts of an 'any' or 'stream_exists' append while other writers keep extending the stream. */
const MAX_CHAIN_ATTEMPTS = 50;

/** Carries a server checkpoint through the subscription's own (ordered) readable buffer. */
class CheckpointMarker {
  constructor(readonly position: Position) {}
}

/**
 * Event store on EventStoreDB / KurrentDB (gRPC, @eventstore/db-client). Several API instances may share one
 * database; each follows `$all` for its own read models. Differences from the SQLite store: event ids must
 * be UUIDs (read back in lower case); ids are deduplicated per stream only; a re-append with an exact expected
 * version is recognised as such for the version of the original append, or while its events are among the
 * stream's newest `duplicateCheckWindow`; an append holds at most `maxAppendBytes`. The hash chain's fields
 * travel in the event metadata as `previousHash` and `hash`.
 */
export class EsdbEventStore extends EventStore {
  readonly kind = 'esdb';
  /** The connection string without credentials. */
  readonly server: string;
  private readonly client: EventStoreDBClient;
  private readonly timeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly prefix: string;
  private readonly maxAppendBytes: number;
  private readonly duplicateCheckWindow: number;
  private readonly readPageSize: number;
  private readonly checkpointBatches: boolean;
  private readonly checkpointInterval: number;
  private readonly resubscribe: ResubscribePolicy | undefined;
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  constructor(options: EsdbEventStoreOptions) {
    super();
    this.server = redactConnectionString(options.connectionString);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.connectTimeoutMs = options.connectTimeoutMs ?? this.timeoutMs;
    this.prefix = options.streamPrefix ?? '';
    this.maxAppendBytes = options.maxAppendBytes ?? MAX_APPEND_BYTES;
    this.duplicateCheckWindow = Math.max(0, Math.floor(options.duplicateCheckWindow ?? 8));
    this.readPageSize = Math.max(2, Math.floor(options.readPageSize ?? 500));
    this.checkpointBatches = options.checkpointBatches ?? true;
    this.checkpointInterval = Math.max(1, Math.floor(options.checkpointInterval ?? 32));
    this.resubscribe = options.resubscribe;
    if (this.prefix.startsWith('$')) throw new EventStoreError('streamPrefix must not start with $ (system streams)');
    try {
      this.client = EventStoreDBClient.connectionString(toClientConnectionString(options.connectionString));
    } catch (error) {
      throw new EventStoreError(`Invalid EventStoreDB connection string ${this.server}: ${errorMessage(error)}`, { cause: error });
    }
  }

  /** Connects and checks that the server answers (within `connectTimeoutMs`); closes again on failure. */
  static async open(options: EsdbEventStoreOptions): Promise<EsdbEventStore> {
    const store = new EsdbEventStore(options);
    try {
      await store.ping();
      return store;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /** Reads the newest entry of `$all`: proves the server answers and the user may read `$all`. */
  async ping(): Promise<void> {
    this.assertOpen();
    try {
      await this.collect(
        () => this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }),
        'connecting',
        this.connectTimeoutMs,
      );
    } catch (error) {
      if (error instanceof EsdbTimeout || isConnectionError(error)) {
        throw new EventStoreUnavailable(
          `Cannot reach EventStoreDB at ${this.server}` +
            (error instanceof EsdbTimeout ? ` (no answer within ${this.connectTimeoutMs} ms)` : `: ${errorMessage(error)}`) +
            '. Check EVENT_STORE_URL and that the server is running.',
          { cause: error },
        );
      }
      throw toStoreError(error, this.server, 'connecting');
    }
  }

  /**
   * Appends with the hash chain filled in: the events chain from the stream's last stored event, so the append
   * always names the exact revision it read (never ANY): a writer that extended the stream meanwhile makes it
   * fail instead of leaving a chain that forks. A conflict with an exact expected version is the caller's to
   * retry (handleCommand does); with 'any' or 'stream_exists' the adapter re-reads and chains again itself.
   */
  async appendToStream(streamId: string, events: readonly EventToAppend[], options: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    const expected = options.expectedVersion ?? 'any';
    if (!isValidExpectedVersion(expected)) throw new InvalidAppend(`Invalid expected version ${String(expected)}`);
    this.assertStreamId(streamId);
    if (new Set(events.map((e) => String(e.eventId).toLowerCase())).size !== events.length) {
      throw new InvalidAppend('An append must not repeat an event id');
    }
    const contents = this.prepare(streamId, events);
    if (events.length === 0) return this.checkVersion(streamId, expected);
    const action = `appending to ${streamId}`;
    for (let attempt = 1; ; attempt++) {
      const tip = await this.tipFor(streamId, events, expected);
      if ('replay' in tip) return tip.replay;
      const chain = chainBatch(tip.lastHash, contents, streamId, tip.current + 1);
      const proposed = events.map((event, i) =>
        jsonEvent({ id: contents[i].eventId, type: event.type, data: event.data as JSONType, metadata: toEsdbMetadata(event.metadata, chain[i]) }),
      );
      try {
        const result = await withTimeout(
          this.client.appendToStream(this.physical(streamId), proposed, { expectedRevision: toExpectedRevision(tip.current) }),
          this.timeoutMs,
          `EventStoreDB at ${this.server} (${action}; the append may or may not be stored, retrying it with the same event ids is safe)`,
        );
        const nextExpectedVersion = revisionToVersion(result.nextExpectedRevision);
        // The reply carries the position of the last event written (or, for a replay, of the original's last).
        const position = result.position ? toPortPosition(result.position) : await this.positionOfVersion(streamId, nextExpectedVersion);
        return { nextExpectedVersion, position };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw toStoreError(error, this.server, action);
        const actual = currentRevisionToVersion(error.actualVersion);
        // An exact version was just checked against the stream's newest events (none of the ids among them).
        if (typeof expected === 'number' && expected > 0) throw new ExpectedVersionConflict(streamId, expected, actual);
        if (typeof expected === 'number' || expected === 'no_stream') return this.explainConflict(streamId, events, expected, actual);
        if (attempt >= MAX_CHAIN_ATTEMPTS) throw new ExpectedVersionConflict(streamId, expected, actual);
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5 * attempt)));
      }
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    let maxCount: number | undefined;
    if (options.maxCount !== undefined && !Number.isNaN(options.maxCount)) {
      maxCount = Math.floor(options.maxCount);
      if (maxCount <= 0) return [];
    }
    let fromRevision: ReadRevision = backwards ? END : START;
    const fromVersion = options.fromVersion;
    if (fromVersion !== undefined && !Number.isNaN(fromVersion)) {
      const from = backwards ? Math.floor(fromVersion) : Math.ceil(fromVersion);
      if (backwards ? from <= 0 : from > Number.MAX_SAFE_INTEGER) return [];
      if (from >= 1 && from <= Number.MAX_SAFE_INTEGER) fromRevision = versionToRevision(from);
    }
    const read = await this.readStreamFrom(streamId, backwards, fromRevision, maxCount);
    if (read.length > 0 || !backwards || fromRevision === END || maxCount === undefined) return read;
    // Backwards from beyond the last event with a count: read the newest events and keep those at or before it.
    const newest = await this.readStreamFrom(streamId, true, END, maxCount);
    return newest.filter((e) => fromVersion === undefined || e.version <= fromVersion);
  }

  private async readStreamFrom(
    streamId: string,
    backwards: boolean,
    fromRevision: ReadRevision,
    maxCount: number | undefined,
  ): Promise<RecordedEvent[]> {
    const action = `reading ${streamId}`;
    try {
      const resolved = await this.collect(
        () =>
          this.client.readStream(this.physical(streamId), {
            direction: backwards ? BACKWARDS : FORWARDS,
            fromRevision,
            ...(maxCount === undefined ? {} : { maxCount }),
          }),
        action,
      );
      return resolved.flatMap((r) => (r.event ? [this.ownEvent(r.event, streamId)] : []));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw toStoreError(error, this.server, action);
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent[]> {
    this.assertOpen();
    const batchSize = batchSizeOf(options.batchSize);
    const upTo = options.upTo ?? Number.MAX_SAFE_INTEGER;
    const start = readAllStart(options.after ?? 0);
    const pageSize = Math.max(batchSize, this.readPageSize);
    let from: ReadPosition = start.fromPosition;
    let seen = start.skipThrough;
    let pending: RecordedEvent[] = [];
    for (;;) {
      const page = await this.readAllPage(from, 'forwards', pageSize, 'reading $all');
      for (const raw of page) {
        // readAll includes the event at `from`: skip what an earlier page (or `after`) already covered.
        if (seen && comparePositions(raw.position, seen) <= 0) continue;
        seen = raw.position;
        if (toPortPosition(raw.position) > upTo) {
          if (pending.length > 0) yield pending;
          return;
        }
        const event = this.toRecorded(raw);
        if (!event) continue;
        pending.push(event);
        if (pending.length === batchSize) {
          yield pending;
          pending = [];
        }
      }
      if (page.length < pageSize || !seen) break;
      from = seen;
    }
    if (pending.length > 0) yield pending;
  }

  subscribe(options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const inner = new CatchUpSubscription({
      after: subscribeStart(options.after ?? 0),
      batchSize: batchSizeOf(options.batchSize),
      checkpointBatches: this.checkpointBatches,
      open: (from, sink) => this.openAllSubscription(from, sink),
      resubscribe: this.resubscribe,
      isRetryable: isConnectionError,
      toError: (error) => toStoreError(error, this.server, 'following $all'),
    });
    const subscription: Subscription = {
      [Symbol.asyncIterator]: () => inner[Symbol.asyncIterator](),
      close: async () => {
        this.subscriptions.delete(subscription);
        await inner.close();
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<number> {
    const newest = await this.findBackwards(() => true, 'reading the head position');
    return newest ? newest.position : 0;
  }

  /**
   * The position of the newest event the server recorded at or before `date` (its `created` time), 0 when
   * there is none: the log as it was known then (`knownAt`). Scans `$all` backwards from the end.
   */
  async positionAt(date: Date | string): Promise<number> {
    const instant = new Date(date).getTime();
    if (Number.isNaN(instant)) throw new EventStoreError(`Invalid date ${String(date)}`);
    const found = await this.findBackwards((e) => Date.parse(e.recordedAt) <= instant, `finding the position at ${String(date)}`);
    return found ? found.position : 0;
  }

  /** Ends open subscriptions and the client. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const open = [...this.subscriptions];
    this.subscriptions.clear();
    await Promise.all(open.map((s) => s.close()));
    await withTimeout(this.client.dispose(), 2000, 'disposing the client').catch(() => undefined);
  }

  /** Empty append: a version check that writes nothing. */
  private async checkVersion(streamId: string, expected: ExpectedVersion): Promise<AppendResult> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    const current = last?.version ?? 0;
    if (!satisfiesExpectedVersion(expected, current)) throw new ExpectedVersionConflict(streamId, expected, current);
    return { nextExpectedVersion: current, position: last?.position ?? 0 };
  }

  /**
   * The stream's tip to chain from, after applying the port's re-append rules to the ids already stored: the
   * original result for a replay. 'no_stream' (or 0) reads nothing (the server recognises a replay of the
   * stream's first events itself); an exact version reads the newest `duplicateCheckWindow` events (at least
   * as many as the append); 'any' and 'stream_exists' read the whole stream, since EventStoreDB's own id check
   * for them is not used.
   */
  private async tipFor(
    streamId: string,
    events: readonly EventToAppend[],
    expected: ExpectedVersion,
  ): Promise<{ replay: AppendResult } | { current: number; lastHash: string | null }> {
    if (expected === 'no_stream' || expected === 0) return { current: 0, lastHash: null };
    const { current, stored, last } =
      typeof expected === 'number' ? await this.locate(streamId, events) : await this.locate(streamId, events, 'whole stream');
    const replay = resolveReappend(streamId, events, expected, current, stored);
    if (replay) return { replay };
    if (!satisfiesExpectedVersion(expected, current)) throw new ExpectedVersionConflict(streamId, expected, current);
    return { current, lastHash: last?.integrity.hash ?? null };
  }

  /** After a WrongExpectedVersion: the original result of a replay, or the error that explains the refusal. */
  private async explainConflict(
    streamId: string,
    events: readonly EventToAppend[],
    expected: ExpectedVersion,
    actual: number,
  ): Promise<AppendResult> {
    const { stored } = await this.locate(streamId, events);
    const replay = resolveReappend(streamId, events, expected, actual, stored);
    if (replay) return replay;
    throw new ExpectedVersionConflict(streamId, expected, actual);
  }

  /** Where the append's ids sit among the stream's newest events (or all of them), and the stream's last event. */
  private async locate(
    streamId: string,
    events: readonly EventToAppend[],
    scope: 'window' | 'whole stream' = 'window',
  ): Promise<{ current: number; stored: Array<StoredLocation | undefined>; last: RecordedEvent | undefined }> {
    const tail = await this.readStream(streamId, {
      direction: 'backwards',
      maxCount: scope === 'window' ? Math.max(this.duplicateCheckWindow, events.length, 1) : undefined,
    });
    const byId = new Map(tail.map((e) => [e.eventId.toLowerCase(), e]));
    const stored = events.map((event): StoredLocation | undefined => {
      const found = byId.get(event.eventId.toLowerCase());
      return found && { eventId: event.eventId, streamId, version: found.version, position: found.position };
    });
    return { current: tail[0]?.version ?? 0, stored, last: tail[0] };
  }

  private async positionOfVersion(streamId: string, version: number): Promise<number> {
    const [event] = await this.readStream(streamId, { fromVersion: version, maxCount: 1 });
    if (!event) throw new EventStoreError(`EventStoreDB at ${this.server}: event ${version} of ${streamId} is missing after the append`);
    return event.position;
  }

  /**
   * Validates the append and canonicalises each event for the hash chain as it will read back: id in lower case
   * (EventStoreDB returns UUIDs so), metadata without the keys this adapter reserves.
   */
  private prepare(streamId: string, events: readonly EventToAppend[]): PreparedContent[] {
    let bytes = 0;
    const placeholder = { previousHash: GENESIS_HASH, hash: GENESIS_HASH };
    const contents = events.map((event, index) => {
      if (typeof event.eventId !== 'string' || !UUID.test(event.eventId)) {
        throw new InvalidAppend(`Event ${index}: eventId must be a UUID (EventStoreDB stores ids as UUIDs), got ${String(event.eventId)}`);
      }
      if (typeof event.type !== 'string' || event.type.length === 0 || event.type.startsWith('$')) {
        throw new InvalidAppend(`Event ${event.eventId}: type must be a non-empty string not starting with $`);
      }
      if (typeof event.metadata !== 'object' || event.metadata === null) {
        throw new InvalidAppend(`Event ${event.eventId}: metadata must be an object`);
      }
      const stored = toEsdbMetadata(event.metadata, placeholder);
      bytes += jsonBytes(event, 'data', event.data) + jsonBytes(event, 'metadata', stored);
      const readBack = fromEsdbMetadata(stored)?.metadata;
      return prepareContent({ eventId: event.eventId.toLowerCase(), type: event.type, data: event.data, metadata: readBack });
    });
    if (bytes > this.maxAppendBytes) {
      throw new InvalidAppend(
        `Append to ${streamId} is ${bytes} bytes of JSON; EventStoreDB accepts at most ${this.maxAppendBytes} bytes per append`,
      );
    }
    return contents;
  }

  private async readAllPage(
    from: ReadPosition,
    direction: 'forwards' | 'backwards',
    maxCount: number,
    action: string,
  ): Promise<Array<NonNullable<AllStreamResolvedEvent['event']>>> {
    try {
      const resolved = await this.collect(
        () => this.client.readAll({ fromPosition: from, direction: direction === 'forwards' ? FORWARDS : BACKWARDS, maxCount }),
        action,
      );
      // Every $all entry has a position; one without could not be ordered, so it is left out.
      return resolved.flatMap((r) => (r.event?.position ? [r.event] : []));
    } catch (error) {
      throw toStoreError(error, this.server, action);
    }
  }

  /** The newest of our events matching `predicate`, scanning `$all` backwards page by page. */
  private async findBackwards(predicate: (event: RecordedEvent) => boolean, action: string): Promise<RecordedEvent | null> {
    this.assertOpen();
    let from: ReadPosition = END;
    let oldest: Position | undefined;
    for (;;) {
      const page = await this.readAllPage(from, 'backwards', this.readPageSize, action);
      let moved = false;
      for (const raw of page) {
        if (oldest && comparePositions(raw.position, oldest) >= 0) continue;
        oldest = raw.position;
        moved = true;
        const event = this.toRecorded(raw);
        if (event && predicate(event)) return event;
      }
      if (!moved || page.length < this.readPageSize || !oldest) return null;
      from = oldest;
    }
  }

  private openAllSubscription(from: Position | undefined, sink: SourceSink): SourceHandle {
    this.assertOpen();
    const checkpointReached = (subscription: AllStreamSubscription, position: Position): void => {
      // Pushed into the subscription's own buffer, so it stays behind the events received before it.
      subscription.push(new CheckpointMarker(position));
    };
    const filterOptions = { checkpointInterval: this.checkpointInterval, checkpointReached };
    const subscription = this.client.subscribeToAll({
      fromPosition: from ?? START,
      resolveLinkTos: false,
      filter: this.prefix
        ? streamNameFilter({ ...filterOptions, prefixes: [this.prefix] })
        : streamNameFilter({ ...filterOptions, regex: '^[^$]' }),
    });
    const confirmation = setTimeout(
      () => sink.failed(new EsdbTimeout(`EventStoreDB at ${this.server} (subscribing to $all)`, this.timeoutMs)),
      this.timeoutMs,
    );
    const confirmed = () => {
      clearTimeout(confirmation);
      sink.confirmed();
    };
    subscription.on('confirmation', confirmed);
    subscription.on('data', (item: unknown) => {
      clearTimeout(confirmation);
      if (item instanceof CheckpointMarker) {
        sink.checkpoint(item.position);
        return;
      }
      const raw = (item as AllStreamResolvedEvent).event;
      if (!raw?.position) return;
      let event: RecordedEvent | null;
      try {
        event = this.toRecorded(raw);
      } catch (error) {
        sink.failed(error);
        return;
      }
      if (event) sink.event(event, raw.position);
      else sink.checkpoint(raw.position);
    });
    subscription.on('error', (error: Error) => {
      clearTimeout(confirmation);
      sink.failed(error);
    });
    subscription.on('end', () => sink.ended());
    return {
      pause: () => subscription.pause(),
      resume: () => subscription.resume(),
      close: () => {
        clearTimeout(confirmation);
        subscription.removeAllListeners();
        subscription.on('error', () => undefined);
        void withTimeout(subscription.unsubscribe(), 1000, 'unsubscribing').catch(() => undefined);
      },
    };
  }

  /** Collects a streaming read; every wait for the next item is limited by our own timeout. */
  private async collect<T>(open: () => StreamingRead<T>, action: string, timeoutMs = this.timeoutMs): Promise<T[]> {
    this.assertOpen();
    const what = `EventStoreDB at ${this.server} (${action})`;
    const stream = open();
    const items: T[] = [];
    const iterator = stream[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await withTimeout(iterator.next(), timeoutMs, what);
        if (next.done) return items;
        items.push(next.value);
      }
    } catch (error) {
      void withTimeout(stream.cancel(), 1000, 'cancelling a read').catch(() => undefined);
      throw error;
    }
  }

  /** Our event from `$all`; null for system events and anything this application did not write. */
  private toRecorded(raw: EsdbRecordedEvent): RecordedEvent | null {
    const streamId = this.logical(raw.streamId);
    if (streamId === null || !raw.isJson || raw.type.startsWith('$')) return null;
    const envelope = fromEsdbMetadata(raw.metadata);
    if (!envelope || !raw.position) return null;
    return {
      eventId: raw.id,
      type: raw.type,
      data: raw.data,
      metadata: envelope.metadata,
      streamId,
      version: revisionToVersion(raw.revision),
      position: toPortPosition(raw.position),
      recordedAt: envelope.recordedAt ?? raw.created.toISOString(),
      integrity: envelope.integrity,
    };
  }

  /** An event of one of our streams, which must have been written by this adapter. */
  private ownEvent(raw: EsdbRecordedEvent, streamId: string): RecordedEvent {
    const event = this.toRecorded(raw);
    if (!event) {
      throw new EventStoreError(
        `EventStoreDB at ${this.server}: event ${raw.id} in ${streamId} was not written by this application` +
          (raw.position ? '' : ' (or the server reports no position for it)'),
      );
    }
    return event;
  }

  private physical(streamId: string): string {
    return this.prefix + streamId;
  }

  private logical(physical: string): string | null {
    if (this.prefix) return physical.startsWith(this.prefix) ? physical.slice(this.prefix.length) : null;
    return physical.startsWith('$') ? null : physical;
  }

  private assertStreamId(streamId: string): void {
    if (typeof streamId !== 'string' || streamId.length === 0) throw new InvalidAppend('Stream id must be a non-empty string');
    if (streamId.startsWith('$')) throw new InvalidAppend(`Stream id ${streamId} is reserved for EventStoreDB system streams`);
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailable(`EventStoreDB event store ${this.server} is closed`);
  }
}

function jsonBytes(event: EventToAppend, field: string, value: unknown): number {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new InvalidAppend(`Event ${event.eventId}: ${field} is not serialisable as JSON`, { cause: error });
  }
  if (json === undefined) throw new InvalidAppend(`Event ${event.eventId}: ${field} is not serialisable as JSON`);
  return Buffer.byteLength(json);
}

function batchSizeOf(requested: number | undefined): number {
  return requested === undefined || Number.isNaN(requested) ? DEFAULT_BATCH_SIZE : Math.max(1, Math.min(Math.floor(requested), 100_000));
}

