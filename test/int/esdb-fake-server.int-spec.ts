/*
 * The adapter against a small in-process gRPC server that speaks EventStoreDB's Streams protocol (append, read,
 * filtered $all subscriptions with checkpoints), so the real client's wire path runs here without Docker.
 * The server's rules follow EventStoreDB 24.x as read from its source (IndexWriter.CheckCommit for expected
 * versions and idempotency, AllReader for positions, the filtered $all enumerator for checkpoints); it is a
 * model, not the server: test/int/esdb.int-spec.ts runs the contract against the real one.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DuplicateEventId,
  EsdbEventStore,
  eventHash,
  ExpectedVersionConflict,
  GENESIS_HASH,
  type EsdbEventStoreOptions,
  type RecordedEvent,
  type SubscriptionBatch,
} from '#event-store';
import { testEvent, testEvents } from '#event-store/testing';
import { tcpProxy } from './tcp-proxy.js';

// Loaded outside Jest's module registry: the server shares nothing in memory with the client under test.
const require = createRequire(import.meta.url);
const grpc = require('@grpc/grpc-js') as typeof import('@grpc/grpc-js');
const pb = require('@eventstore/db-client/generated/streams_pb.js') as typeof import('@eventstore/db-client/generated/streams_pb.js');
const shared = require('@eventstore/db-client/generated/shared_pb.js') as typeof import('@eventstore/db-client/generated/shared_pb.js');
const { StreamsService } = require('@eventstore/db-client/generated/streams_grpc_pb.js') as typeof import('@eventstore/db-client/generated/streams_grpc_pb.js');

type ReadReq = InstanceType<typeof pb.ReadReq>;
type ReadResp = InstanceType<typeof pb.ReadResp>;
type AppendReq = InstanceType<typeof pb.AppendReq>;
type AppendResp = InstanceType<typeof pb.AppendResp>;
type ProposedMessage = InstanceType<typeof pb.AppendReq.ProposedMessage>;

interface StoredRecord {
  stream: string;
  revision: number;
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
  created: bigint;
  /** Commit = prepare position, as for every event appended over gRPC. */
  position: bigint;
}

const ANY = -2;
const NO_STREAM = -1;
const STREAM_EXISTS = -4;
const SEARCH_WINDOW = 32;

class FakeEventStoreDb {
  readonly log: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  private readonly byId = new Map<string, StoredRecord>();
  private readonly live = new Set<(record: StoredRecord) => void>();
  private nextPosition = 1000n;
  private server = new grpc.Server();
  port = 0;

  async start(): Promise<void> {
    this.server.addService(StreamsService, {
      append: (call: import('@grpc/grpc-js').ServerReadableStream<AppendReq, AppendResp>, done: import('@grpc/grpc-js').sendUnaryData<AppendResp>) =>
        this.append(call, done),
      read: (call: import('@grpc/grpc-js').ServerWritableStream<ReadReq, ReadResp>) => this.read(call),
    });
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
    );
    // A system event first, as on a real server.
    this.write('$stats-127.0.0.1:2113', [{ id: randomUUID(), type: '$statsCollected', data: new Uint8Array([123, 125]), metadata: new Uint8Array(), contentType: 'application/json' }]);
  }

  async stop(): Promise<void> {
    this.server.forceShutdown();
  }

  private append(call: import('@grpc/grpc-js').ServerReadableStream<AppendReq, AppendResp>, done: import('@grpc/grpc-js').sendUnaryData<AppendResp>): void {
    let options: InstanceType<typeof pb.AppendReq.Options> | undefined;
    const messages: ProposedMessage[] = [];
    call.on('data', (request: AppendReq) => {
      if (request.hasOptions()) options = request.getOptions();
      const message = request.getProposedMessage();
      if (message) messages.push(message);
    });
    call.on('end', () => {
      if (!options) return done(new Error('no options'), null);
      const stream = Buffer.from(options.getStreamIdentifier()?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
      const expected = options.hasAny() ? ANY : options.hasNoStream() ? NO_STREAM : options.hasStreamExists() ? STREAM_EXISTS : Number(options.getRevision());
      done(null, this.commit(stream, expected, messages));
    });
  }

  /** IndexWriter.CheckCommit, then the write. */
  private commit(stream: string, expected: number, messages: ProposedMessage[]): AppendResp {
    const events = messages.map((m) => ({
      id: m.getId()?.getString() ?? '',
      type: m.getMetadataMap().get('type') ?? '',
      contentType: m.getMetadataMap().get('content-type') ?? 'application/octet-stream',
      data: m.getData_asU8(),
      metadata: m.getCustomMetadata_asU8(),
    }));
    const existing = this.streams.get(stream) ?? [];
    const current = existing.length - 1;
    const wrong = () => {
      const error = new pb.AppendResp.WrongExpectedVersion();
      if (current < 0) error.setCurrentNoStream(new shared.Empty());
      else error.setCurrentRevision(String(current));
      if (expected === ANY) error.setExpectedAny(new shared.Empty());
      else if (expected === NO_STREAM) error.setExpectedNoStream(new shared.Empty());
      else if (expected === STREAM_EXISTS) error.setExpectedStreamExists(new shared.Empty());
      else error.setExpectedRevision(String(expected));
      return new pb.AppendResp().setWrongExpectedVersion(error);
    };
    const success = (last: StoredRecord) =>
      new pb.AppendResp().setSuccess(
        new pb.AppendResp.Success()
          .setCurrentRevision(String(last.revision))
          .setPosition(new pb.AppendResp.Position().setCommitPosition(String(last.position)).setPreparePosition(String(last.position))),
      );
    if (expected === STREAM_EXISTS && current < 0) return wrong();
    if (expected === ANY || expected === STREAM_EXISTS) {
      let end: StoredRecord | undefined;
      for (const [i, event] of events.entries()) {
        const found = this.byId.get(event.id);
        if (!found || found.stream !== stream) {
          if (i === 0) return success(this.write(stream, events));
          return wrong();
        }
        end = found;
      }
      return end ? success(end) : wrong();
    }
    if (expected < current) {
      for (const [i, event] of events.entries()) {
        const at = existing[expected + 1 + i] as StoredRecord | undefined;
        if (at?.id === event.id) continue;
        return wrong();
      }
      return events.length === 0 ? wrong() : success(existing[expected + events.length]);
    }
    if (expected > current) return wrong();
    return success(this.write(stream, events));
  }

  write(stream: string, events: Array<Omit<StoredRecord, 'stream' | 'revision' | 'created' | 'position'>>): StoredRecord {
    const records = this.streams.get(stream) ?? [];
    this.streams.set(stream, records);
    let last: StoredRecord | undefined;
    for (const event of events) {
      last = { ...event, stream, revision: records.length, created: BigInt(Date.now()) * 10_000n, position: this.nextPosition };
      this.nextPosition += BigInt(100 + event.data.length + event.metadata.length);
      records.push(last);
      this.log.push(last);
      this.byId.set(last.id, last);
    }
    for (const record of this.log.slice(-events.length)) for (const listener of this.live) listener(record);
    return last as StoredRecord;
  }

  private read(call: import('@grpc/grpc-js').ServerWritableStream<ReadReq, ReadResp>): void {
    const options = call.request.getOptions();
    if (!options) return void call.end();
    const count = options.hasCount() ? Number(options.getCount()) : Number.MAX_SAFE_INTEGER;
    const backwards = options.getReadDirection() === pb.ReadReq.Options.ReadDirection.BACKWARDS;
    const streamOptions = options.getStream();
    if (streamOptions) {
      const stream = Buffer.from(streamOptions.getStreamIdentifier()?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
      const records = this.streams.get(stream);
      if (!records) {
        call.write(new pb.ReadResp().setStreamNotFound(new pb.ReadResp.StreamNotFound().setStreamIdentifier(streamOptions.getStreamIdentifier())));
        return void call.end();
      }
      const from = streamOptions.hasRevision() ? Number(streamOptions.getRevision()) : streamOptions.hasEnd() ? Number.MAX_SAFE_INTEGER : backwards ? Number.MAX_SAFE_INTEGER : 0;
      const selected = backwards ? records.filter((r) => r.revision <= from).reverse() : records.filter((r) => r.revision >= from);
      for (const record of selected.slice(0, count)) call.write(this.response(record));
      return void call.end();
    }
    const all = options.getAll();
    const from = all?.hasPosition() ? BigInt(all.getPosition()?.getCommitPosition() ?? '0') : undefined;
    if (!options.hasSubscription()) {
      const selected = backwards
        ? this.log.filter((r) => from === undefined || r.position < from).reverse()
        : this.log.filter((r) => from === undefined || r.position >= from);
      for (const record of (all?.hasEnd() && !backwards ? [] : selected).slice(0, count)) call.write(this.response(record));
      return void call.end();
    }
    this.subscribe(call, options, all?.hasStart() ? undefined : from);
  }

  /** Catch-up then live, filtered by stream name, with checkpoints every multiplier × 32 filtered events. */
  private subscribe(call: import('@grpc/grpc-js').ServerWritableStream<ReadReq, ReadResp>, options: InstanceType<typeof pb.ReadReq.Options>, after: bigint | undefined): void {
    const expression = options.getFilter()?.getStreamIdentifier();
    const prefixes = expression?.getPrefixList() ?? [];
    const regex = expression?.getRegex() ? new RegExp(expression.getRegex()) : undefined;
    const matches = (record: StoredRecord) =>
      (prefixes.length === 0 || prefixes.some((p) => record.stream.startsWith(p))) && (!regex || regex.test(record.stream));
    const interval = (options.getFilter()?.getCheckpointintervalmultiplier() || 1) * SEARCH_WINDOW;
    let considered = 0;
    let sentUpTo = after ?? -1n;
    const offer = (record: StoredRecord) => {
      if (record.position <= sentUpTo) return;
      if (matches(record)) {
        call.write(this.response(record));
        sentUpTo = record.position;
      } else if (options.hasFilter() && ++considered % interval === 0) {
        // Like the server's page checkpoints: a position before the next record (prepare 0).
        call.write(new pb.ReadResp().setCheckpoint(new pb.ReadResp.Checkpoint().setCommitPosition(String(record.position)).setPreparePosition('0')));
        sentUpTo = record.position;
      }
    };
    call.write(new pb.ReadResp().setConfirmation(new pb.ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
    for (const record of [...this.log]) offer(record);
    this.live.add(offer);
    call.on('cancelled', () => this.live.delete(offer));
    call.on('close', () => this.live.delete(offer));
  }

  private response(record: StoredRecord): ReadResp {
    const event = new pb.ReadResp.ReadEvent.RecordedEvent()
      .setId(new shared.UUID().setString(record.id))
      .setStreamIdentifier(new shared.StreamIdentifier().setStreamName(Buffer.from(record.stream, 'utf8')))
      .setStreamRevision(String(record.revision))
      .setCommitPosition(String(record.position))
      .setPreparePosition(String(record.position))
      .setData(record.data)
      .setCustomMetadata(record.metadata);
    event.getMetadataMap().set('type', record.type).set('content-type', record.contentType).set('created', String(record.created));
    return new pb.ReadResp().setEvent(new pb.ReadResp.ReadEvent().setEvent(event).setCommitPosition(String(record.position)));
  }
}

const server = new FakeEventStoreDb();
const open: Array<{ close(): Promise<unknown> }> = [];

beforeAll(async () => {
  await server.start();
});

afterEach(async () => {
  for (const handle of open.splice(0).reverse()) await handle.close();
});

afterAll(async () => {
  await server.stop();
});

async function store(options: Partial<EsdbEventStoreOptions> = {}): Promise<EsdbEventStore> {
  const opened = await EsdbEventStore.open({
    connectionString: `esdb://127.0.0.1:${server.port}?tls=false`,
    streamPrefix: `t${randomUUID().replaceAll('-', '')}_`,
    timeoutMs: 3000,
    ...options,
  });
  open.push(opened);
  return opened;
}

const stream = () => `experiment-${randomUUID()}`;

async function readAll(from: EsdbEventStore, options: { after?: number; upTo?: number; batchSize?: number } = {}): Promise<RecordedEvent[][]> {
  const batches: RecordedEvent[][] = [];
  for await (const batch of from.readAll(options)) batches.push(batch);
  return batches;
}

describe('EsdbEventStore over the EventStoreDB gRPC protocol (in-process fake server)', () => {
  it('appends, reads a stream both ways and reads an absent stream as empty', async () => {
    const es = await store();
    const s = stream();
    const first = await es.appendToStream(s, [testEvent()], { expectedVersion: 'no_stream' });
    const events = testEvents(3);
    const second = await es.appendToStream(s, events, { expectedVersion: 1 });
    expect(first.nextExpectedVersion).toBe(1);
    expect(second.nextExpectedVersion).toBe(4);
    const read = await es.readStream(s);
    expect(read.map((e) => e.version)).toEqual([1, 2, 3, 4]);
    expect(read.slice(1).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
    expect(read[0].position).toBe(first.position);
    expect(read[3].position).toBe(second.position);
    expect(read.every((e) => e.streamId === s)).toBe(true);
    expect((await es.readStream(s, { direction: 'backwards', fromVersion: 3, maxCount: 2 })).map((e) => e.version)).toEqual([3, 2]);
    expect((await es.readStream(s, { fromVersion: 2, maxCount: 2 })).map((e) => e.version)).toEqual([2, 3]);
    expect((await es.readStream(s, { direction: 'backwards', fromVersion: 99, maxCount: 2 })).map((e) => e.version)).toEqual([4, 3]);
    expect(await es.readStream(stream())).toEqual([]);
  });

  it('round-trips the envelope, with recordedAt from the server', async () => {
    const es = await store();
    const s = stream();
    const event = testEvent({ type: 'ExperimentStarted', data: { title: 'Bydelsmat 🫐', n: [1, null] }, metadata: { causationId: randomUUID() } });
    const before = Date.now();
    const { position } = await es.appendToStream(s, [event]);
    const [read] = await es.readStream(s);
    expect(read).toStrictEqual({ ...event, streamId: s, version: 1, position, recordedAt: read.recordedAt, integrity: read.integrity });
    expect(read.integrity.previousHash).toBe(GENESIS_HASH);
    expect(read.integrity.hash).toBe(eventHash(GENESIS_HASH, read));
    expect(Date.parse(read.recordedAt)).toBeGreaterThanOrEqual(before - 5);
    const raw = server.log.find((r) => r.id === event.eventId);
    expect(JSON.parse(Buffer.from(raw?.metadata ?? new Uint8Array()).toString())).toMatchObject({
      $correlationId: event.metadata.correlationId,
      $causationId: event.metadata.causationId,
    });
  });

  it('maps wrong expected versions to ExpectedVersionConflict with the actual version', async () => {
    const es = await store();
    const s = stream();
    await es.appendToStream(s, testEvents(2), { expectedVersion: 0 });
    await expect(es.appendToStream(s, [testEvent()], { expectedVersion: 'no_stream' })).rejects.toMatchObject({ expected: 'no_stream', actual: 2 });
    await expect(es.appendToStream(s, [testEvent()], { expectedVersion: 5 })).rejects.toMatchObject({ expected: 5, actual: 2 });
    await expect(es.appendToStream(stream(), [testEvent()], { expectedVersion: 'stream_exists' })).rejects.toMatchObject({ actual: 0 });
    await expect(es.appendToStream(s, [], { expectedVersion: 3 })).rejects.toBeInstanceOf(ExpectedVersionConflict);
    expect(await es.appendToStream(s, [], { expectedVersion: 2 })).toEqual({ nextExpectedVersion: 2, position: (await es.readStream(s))[1].position });
  });

  it('re-appends: the original result for a replay, a conflict or DuplicateEventId otherwise, and never a second copy', async () => {
    const es = await store({ duplicateCheckWindow: 0 });
    const guarded = await store({ duplicateCheckWindow: 32 });
    for (const handle of [es, guarded]) {
      const s = stream();
      const batch = testEvents(2);
      const original = await handle.appendToStream(s, batch, { expectedVersion: 'no_stream' });
      await handle.appendToStream(s, [testEvent()], { expectedVersion: 2 });
      expect(await handle.appendToStream(s, batch, { expectedVersion: 'no_stream' })).toEqual(original);
      expect(await handle.appendToStream(s, batch, { expectedVersion: 0 })).toEqual(original);
      await expect(handle.appendToStream(s, [batch[1], batch[0]])).rejects.toBeInstanceOf(DuplicateEventId);
      await expect(handle.appendToStream(s, [batch[0], testEvent()])).rejects.toBeInstanceOf(DuplicateEventId);
      expect(await handle.readStream(s)).toHaveLength(3);
    }
    // Same ids with the stream's current version: EventStoreDB alone would store them again; the tail check refuses.
    const s = stream();
    const batch = testEvents(2);
    await guarded.appendToStream(s, batch, { expectedVersion: 0 });
    await expect(guarded.appendToStream(s, batch, { expectedVersion: 2 })).rejects.toBeInstanceOf(ExpectedVersionConflict);
    expect(await guarded.readStream(s)).toHaveLength(2);
  });

  it("reads $all in position order, batched, with 'after' exclusive and 'upTo' inclusive, skipping other stores and system events", async () => {
    const es = await store();
    const other = await store();
    const written: string[] = [];
    for (let i = 0; i < 4; i++) {
      const events = testEvents(2);
      await es.appendToStream(stream(), events);
      await other.appendToStream(stream(), [testEvent()]);
      written.push(...events.map((e) => e.eventId));
    }
    const batches = await readAll(es, { batchSize: 3 });
    expect(batches.map((b) => b.length)).toEqual([3, 3, 2]);
    const all = batches.flat();
    expect(all.map((e) => e.eventId)).toEqual(written);
    const positions = all.map((e) => e.position);
    expect((await readAll(es, { after: positions[2] })).flat().map((e) => e.position)).toEqual(positions.slice(3));
    expect((await readAll(es, { after: positions[1], upTo: positions[4], batchSize: 1 })).flat().map((e) => e.position)).toEqual(positions.slice(2, 5));
    expect(await es.headPosition()).toBe(positions[7]);
    expect(await (await store()).headPosition()).toBe(0);
  });

  it('subscribes: catch-up then live, checkpoint-only batches over other streams, and close() ends it', async () => {
    const es = await store({ checkpointInterval: 1 });
    const other = await store();
    const first = await es.appendToStream(stream(), testEvents(3));
    const subscription = es.subscribe({ batchSize: 2 });
    open.push(subscription);
    const iterator = subscription[Symbol.asyncIterator]();
    const caughtUp = await until(iterator, (b) => events(b).length >= 3);
    expect(events(caughtUp).map((e) => e.position).at(-1)).toBe(first.position);
    for (const batch of caughtUp.filter((b) => b.events.length > 0)) expect(batch.checkpoint).toBe(batch.events.at(-1)?.position);

    await other.appendToStream(stream(), testEvents(40));
    const gap = await until(iterator, (b) => b.some((x) => x.events.length === 0 && x.checkpoint > first.position));
    expect(events(gap)).toEqual([]);

    const live = await es.appendToStream(stream(), [testEvent()]);
    expect(events(await until(iterator, (b) => events(b).length >= 1)).map((e) => e.position)).toEqual([live.position]);

    const pending = iterator.next();
    await subscription.close();
    expect(await pending).toEqual({ done: true, value: undefined });
  });

  it('resubscribes after the connection drops, without gaps or duplicates', async () => {
    const proxy = await tcpProxy(server.port);
    open.push(proxy);
    const prefix = `t${randomUUID().replaceAll('-', '')}_`;
    const viaProxy = await store({ connectionString: `esdb://127.0.0.1:${proxy.port}?tls=false`, streamPrefix: prefix, resubscribe: { initialDelayMs: 20 } });
    const direct = await store({ streamPrefix: prefix });
    const s = stream();
    await direct.appendToStream(s, testEvents(5), { expectedVersion: 'no_stream' });
    const subscription = viaProxy.subscribe({ batchSize: 2 });
    open.push(subscription);
    const iterator = subscription[Symbol.asyncIterator]();
    const before = await until(iterator, (b) => events(b).length >= 5);
    proxy.dropConnections();
    await direct.appendToStream(s, testEvents(5), { expectedVersion: 5 });
    const after = await until(iterator, (b) => events(b).length >= 5);
    expect(events([...before, ...after]).map((e) => e.eventId)).toEqual((await direct.readStream(s)).map((e) => e.eventId));
    expect(proxy.connections).toBeGreaterThan(1);
  });

  it('finds the position known at a given time', async () => {
    const es = await store();
    const first = await es.appendToStream(stream(), [testEvent()]);
    await new Promise((r) => setTimeout(r, 20));
    const between = new Date();
    await new Promise((r) => setTimeout(r, 20));
    const second = await es.appendToStream(stream(), [testEvent()]);
    expect(await es.positionAt(between)).toBe(first.position);
    expect(await es.positionAt(new Date(Date.now() + 1000))).toBe(second.position);
    expect(await es.positionAt(new Date(0))).toBe(0);
  });
});

function events(batches: SubscriptionBatch[]): RecordedEvent[] {
  return batches.flatMap((b) => b.events);
}

async function until(iterator: AsyncIterator<SubscriptionBatch>, done: (batches: SubscriptionBatch[]) => boolean, ms = 5000): Promise<SubscriptionBatch[]> {
  const batches: SubscriptionBatch[] = [];
  const deadline = Date.now() + ms;
  while (!done(batches)) {
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Timed out with ${batches.length} batches`)), Math.max(0, deadline - Date.now())))),
    ]).finally(() => clearTimeout(timer));
    if (next.done) throw new Error('Subscription ended');
    batches.push(next.value);
  }
  return batches;
}
