import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { EsdbEventStore, EventStoreError, EventStoreUnavailable, InvalidAppend, type EsdbEventStoreOptions } from '#event-store';
import { testEvent } from '#event-store/testing';

// Loopback only: a server that accepts TCP and never answers, and a port where nothing listens.
const HOST = '127.0.0.1';
const TIMEOUT_MS = 300;

let silent: Server;
const sockets = new Set<Socket>();
let silentPort: number;
let closedPort: number;
const stores: EsdbEventStore[] = [];

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

beforeAll(async () => {
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  silentPort = await listen(silent);
  const probe = createServer();
  closedPort = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
});

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

function url(port: number, credentials = ''): string {
  return `esdb://${credentials}${HOST}:${port}?tls=false`;
}

function store(port: number, options: Partial<EsdbEventStoreOptions> = {}): EsdbEventStore {
  const created = new EsdbEventStore({ connectionString: url(port), timeoutMs: TIMEOUT_MS, ...options });
  stores.push(created);
  return created;
}

/** The rejection of `operation` and how long it took. */
async function failure(operation: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  const error = await operation().then(
    () => new Error('expected a failure, got success'),
    (e: unknown) => e,
  );
  return { error, ms: Date.now() - started };
}

async function drain(iterable: AsyncIterable<unknown>): Promise<void> {
  for await (const item of iterable) void item;
}

describe('EsdbEventStore without a reachable server', () => {
  it('open() gives up within its timeout on a server that accepts TCP and never answers, naming the URL without credentials', async () => {
    const { error, ms } = await failure(() =>
      EsdbEventStore.open({ connectionString: url(silentPort, 'admin:changeit@'), timeoutMs: TIMEOUT_MS }),
    );
    expect(error).toBeInstanceOf(EventStoreUnavailable);
    const message = (error as Error).message;
    expect(message).toContain(`Cannot reach EventStoreDB at ${url(silentPort)}`);
    expect(message).toContain(`no answer within ${TIMEOUT_MS} ms`);
    expect(message).not.toContain('changeit');
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(TIMEOUT_MS + 1500);
  });

  it('open() fails fast when nothing listens on the port (connection refused)', async () => {
    const { error, ms } = await failure(() => EsdbEventStore.open({ connectionString: url(closedPort), timeoutMs: 5000 }));
    expect(error).toBeInstanceOf(EventStoreUnavailable);
    expect((error as Error).message).toContain(`Cannot reach EventStoreDB at ${url(closedPort)}`);
    expect(ms).toBeLessThan(2000);
  });

  it('every operation rejects as unavailable within the timeout on the silent server', async () => {
    const silentStore = store(silentPort);
    const stream = 'experiment-0192a6f0-0000-7000-8000-000000000001';
    const operations: Array<[string, () => Promise<unknown>]> = [
      ['appendToStream', () => silentStore.appendToStream(stream, [testEvent()], { expectedVersion: 'no_stream' })],
      ['appendToStream (exact version)', () => silentStore.appendToStream(stream, [testEvent()], { expectedVersion: 3 })],
      ['readStream', () => silentStore.readStream(stream)],
      ['readAll', () => drain(silentStore.readAll())],
      ['headPosition', () => silentStore.headPosition()],
      ['positionAt', () => silentStore.positionAt(new Date())],
    ];
    for (const [name, operation] of operations) {
      const { error, ms } = await failure(operation);
      expect([name, error]).toEqual([name, expect.any(EventStoreUnavailable)]);
      expect([name, ms < TIMEOUT_MS + 1500]).toEqual([name, true]);
    }
  });

  it('a subscription that is never confirmed ends with EventStoreUnavailable after its resubscribe attempts', async () => {
    const silentStore = store(silentPort, { resubscribe: { initialDelayMs: 10, maxAttempts: 1 } });
    const subscription = silentStore.subscribe();
    const { error, ms } = await failure(() => subscription[Symbol.asyncIterator]().next());
    expect(error).toBeInstanceOf(EventStoreUnavailable);
    expect(ms).toBeLessThan(2 * TIMEOUT_MS + 1500);
  });

  it('refused connections fail fast for every operation', async () => {
    const refused = store(closedPort, { timeoutMs: 5000 });
    for (const operation of [() => refused.readStream('experiment-1'), () => refused.appendToStream('experiment-1', [testEvent()])]) {
      const { error, ms } = await failure(operation);
      expect(error).toBeInstanceOf(EventStoreUnavailable);
      expect(ms).toBeLessThan(2000);
    }
  });

  it('rejects appends it cannot send before contacting the server', async () => {
    const offline = store(closedPort);
    const big = testEvent({ data: { text: 'x'.repeat(1024 * 1024) } });
    const cases: Array<() => Promise<unknown>> = [
      () => offline.appendToStream('experiment-1', [big]),
      () => offline.appendToStream('experiment-1', [testEvent({ eventId: 'not-a-uuid' })]),
      () => offline.appendToStream('$settings', [testEvent()]),
      () => offline.appendToStream('experiment-1', [testEvent({ type: '$metadata' })]),
    ];
    for (const operation of cases) await expect(operation()).rejects.toBeInstanceOf(InvalidAppend);
  });

  it('refuses a malformed connection string at once', () => {
    for (const connectionString of ['esdb://', 'esdb://127.0.0.1:2113?tls=maybe', 'http://127.0.0.1:2113']) {
      expect(() => new EsdbEventStore({ connectionString })).toThrow(EventStoreError);
    }
  });

  it('after close() every operation fails as unavailable, and close() is idempotent', async () => {
    const closed = store(closedPort);
    await closed.close();
    await closed.close();
    await expect(closed.appendToStream('experiment-1', [testEvent()])).rejects.toBeInstanceOf(EventStoreUnavailable);
    await expect(closed.readStream('experiment-1')).rejects.toBeInstanceOf(EventStoreUnavailable);
    await expect(closed.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailable);
    await expect(drain(closed.readAll())).rejects.toBeInstanceOf(EventStoreUnavailable);
    expect(() => closed.subscribe()).toThrow(EventStoreUnavailable);
  });
});
