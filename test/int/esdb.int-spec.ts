import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStoreDBClient } from '@eventstore/db-client';
import type { StartedTestContainer } from 'testcontainers';
import { EsdbEventStore, GENESIS_HASH, InvalidAppend, SHA256_HEX, type EsdbEventStoreOptions, type SubscriptionBatch } from '#event-store';
import { describeEventStoreContract, testEvent, testEvents } from '#event-store/testing';
import { describeWithContainers, detectContainerRuntime } from '../support/container-runtime.js';
import { tcpProxy } from './tcp-proxy.js';

const IMAGE = 'eventstore/eventstore:24.10';
const runtime = await detectContainerRuntime();
const describeWithEsdb = describeWithContainers('EventStoreDB contract suite', runtime);

/** A namespace of its own for each store, so one container serves every test with an empty store. */
function namespace(): string {
  return `t${randomUUID().replaceAll('-', '')}_`;
}

describeWithEsdb(`EventStoreDB (${IMAGE} via testcontainers)`, () => {
  let container: StartedTestContainer;
  let connectionString: string;

  beforeAll(async () => {
    const { GenericContainer, Wait } = await import('testcontainers');
    container = await new GenericContainer(IMAGE)
      .withEnvironment({
        EVENTSTORE_INSECURE: 'true',
        EVENTSTORE_RUN_PROJECTIONS: 'None',
        EVENTSTORE_MEM_DB: 'true',
      })
      .withExposedPorts(2113)
      .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCodeMatching((status) => status >= 200 && status < 300))
      .withStartupTimeout(120_000)
      .start();
    connectionString = `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`;
  }, 240_000);

  afterAll(async () => {
    await container?.stop();
  });

  // The contract checks that every batch carries events (`checkpoint` = its last event's position), so the
  // checkpoint-only batches this adapter yields by default are switched off here and tested below.
  describeEventStoreContract(
    'EsdbEventStore',
    async () => {
      const options: EsdbEventStoreOptions = { connectionString, streamPrefix: namespace(), checkpointBatches: false };
      const store = await EsdbEventStore.open(options);
      const handles = [store];
      return {
        store,
        openSecondWriter: async () => {
          const handle = await EsdbEventStore.open(options);
          handles.push(handle);
          return handle;
        },
        cleanup: async () => {
          for (const handle of handles) await handle.close();
        },
      };
    },
    { maxAppendBytes: 1024 * 1024, reappendRequiresExactExpectedVersion: true, eventIdsUniquePerStreamOnly: true },
  );

  describe('EsdbEventStore specifics', () => {
    const open: Array<{ close(): Promise<unknown> }> = [];

    async function store(options: Partial<EsdbEventStoreOptions> = {}): Promise<EsdbEventStore> {
      const opened = await EsdbEventStore.open({ connectionString, streamPrefix: namespace(), ...options });
      open.push(opened);
      return opened;
    }

    afterEach(async () => {
      for (const handle of open.splice(0).reverse()) await handle.close();
    });

    it('yields checkpoint-only batches when the server reports progress past other streams', async () => {
      const mine = await store({ checkpointInterval: 1 });
      const other = await store();
      const { position: mineAt } = await mine.appendToStream(`experiment-${randomUUID()}`, [testEvent()]);
      const subscription = mine.subscribe();
      open.push(subscription);
      const iterator = subscription[Symbol.asyncIterator]();
      const seen = await until(iterator, (batches) => batches.some((b) => b.events.some((e) => e.position === mineAt)));
      expect(seen.flatMap((b) => b.events).map((e) => e.position)).toEqual([mineAt]);

      const { position: otherHead } = await other.appendToStream(`experiment-${randomUUID()}`, testEvents(200));
      const gap = await until(iterator, (batches) => batches.some((b) => b.events.length === 0 && b.checkpoint > mineAt));
      const checkpoint = gap.find((b) => b.events.length === 0)?.checkpoint ?? 0;
      expect(gap.flatMap((b) => b.events)).toEqual([]);
      expect(checkpoint).toBeGreaterThan(mineAt);
      expect(checkpoint).toBeLessThanOrEqual(otherHead);

      // A projection that stored that checkpoint resumes there: nothing before it comes again.
      const next = await mine.appendToStream(`experiment-${randomUUID()}`, [testEvent()]);
      const resumed = mine.subscribe({ after: checkpoint });
      open.push(resumed);
      const after = await until(resumed[Symbol.asyncIterator](), (batches) => batches.some((b) => b.events.length > 0));
      expect(after.flatMap((b) => b.events).map((e) => e.position)).toEqual([next.position]);
    });

    it('resubscribes after the connection drops, without gaps or duplicates', async () => {
      const proxy = await tcpProxy(container.getMappedPort(2113), container.getHost());
      open.push(proxy);
      const prefix = namespace();
      const viaProxy = await store({
        connectionString: `esdb://127.0.0.1:${proxy.port}?tls=false`,
        streamPrefix: prefix,
        resubscribe: { initialDelayMs: 50, maxDelayMs: 500 },
      });
      const direct = await store({ streamPrefix: prefix });
      const stream = `experiment-${randomUUID()}`;
      await direct.appendToStream(stream, testEvents(5), { expectedVersion: 'no_stream' });

      const subscription = viaProxy.subscribe({ batchSize: 2 });
      open.push(subscription);
      const iterator = subscription[Symbol.asyncIterator]();
      const before = await until(iterator, (batches) => countEvents(batches) >= 5);
      proxy.dropConnections();
      await direct.appendToStream(stream, testEvents(5), { expectedVersion: 5 });
      const afterDrop = await until(iterator, (batches) => countEvents(batches) >= 5, 20_000);

      const delivered = [...before, ...afterDrop].flatMap((b) => b.events);
      const stored = await direct.readStream(stream);
      expect(delivered.map((e) => e.eventId)).toEqual(stored.map((e) => e.eventId));
      expect(proxy.connections).toBeGreaterThan(1);
    });

    it('knows which position the log had reached at a given time', async () => {
      const known = await store();
      expect(await known.positionAt(new Date())).toBe(0);
      const first = await known.appendToStream(`experiment-${randomUUID()}`, [testEvent()]);
      await delay(50);
      const between = new Date();
      await delay(50);
      const second = await known.appendToStream(`experiment-${randomUUID()}`, [testEvent()]);
      expect(await known.positionAt(between)).toBe(first.position);
      expect(await known.positionAt(new Date(Date.now() + 60_000))).toBe(second.position);
      expect(await known.positionAt('2000-01-01T00:00:00Z')).toBe(0);
    });

    it("stores EventStoreDB's correlation metadata and the integrity fields beside the envelope", async () => {
      const prefix = namespace();
      const writer = await store({ streamPrefix: prefix });
      const root = testEvent();
      const caused = testEvent({ metadata: { correlationId: root.metadata.correlationId, causationId: root.eventId } });
      const stream = `experiment-${randomUUID()}`;
      await writer.appendToStream(stream, [root, caused]);
      const client = EventStoreDBClient.connectionString(connectionString);
      try {
        const raw: unknown[] = [];
        for await (const resolved of client.readStream(prefix + stream)) raw.push(resolved.event?.metadata);
        expect(raw).toEqual([
          expect.objectContaining({ $correlationId: root.metadata.correlationId, previousHash: GENESIS_HASH, hash: expect.stringMatching(SHA256_HEX) }),
          expect.objectContaining({ $correlationId: root.metadata.correlationId, $causationId: root.eventId, hash: expect.stringMatching(SHA256_HEX) }),
        ]);
        expect(raw[0]).not.toHaveProperty('$causationId');
      } finally {
        await client.dispose();
      }
    });

    it('rejects an append above the size limit before sending it', async () => {
      const limited = await store();
      const stream = `experiment-${randomUUID()}`;
      await expect(limited.appendToStream(stream, [testEvent({ data: { text: 'x'.repeat(1024 * 1024) } })])).rejects.toBeInstanceOf(
        InvalidAppend,
      );
      expect(await limited.readStream(stream)).toEqual([]);
    });
  });
});

/** Pulls batches until `done` holds for the batches pulled by this call; fails after `ms`. */
async function until(
  iterator: AsyncIterator<SubscriptionBatch>,
  done: (batches: SubscriptionBatch[]) => boolean,
  ms = 10_000,
): Promise<SubscriptionBatch[]> {
  const batches: SubscriptionBatch[] = [];
  const deadline = Date.now() + ms;
  while (!done(batches)) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`Timed out after ${ms} ms with ${batches.length} batches`);
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms`)), left))),
    ]).finally(() => clearTimeout(timer));
    if (next.done) throw new Error('Subscription ended');
    batches.push(next.value);
  }
  return batches;
}

function countEvents(batches: SubscriptionBatch[]): number {
  return batches.reduce((n, b) => n + b.events.length, 0);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
