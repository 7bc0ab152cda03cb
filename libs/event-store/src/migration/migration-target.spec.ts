import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { testEvent } from '../testing/test-event.js';
import { MigrationError, RecordedAtClock } from './migrate-events.js';
import { openMigrationTarget, parseMigrationEndpoint } from './migration-target.js';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('parseMigrationEndpoint', () => {
  it('knows EventStoreDB and SQLite targets, hides credentials and refuses anything else', () => {
    expect(parseMigrationEndpoint('esdb://admin:changeit@db:2113?tls=false')).toEqual({
      kind: 'esdb',
      connectionString: 'esdb://admin:changeit@db:2113?tls=false',
      description: 'esdb://db:2113?tls=false',
    });
    expect(parseMigrationEndpoint('esdb+discover://a:2113,b:2113').kind).toBe('esdb');
    expect(parseMigrationEndpoint('kurrentdb://db:2113?tls=false').kind).toBe('esdb');
    expect(parseMigrationEndpoint('sqlite:copy/events.db')).toEqual({
      kind: 'sqlite',
      filename: resolve('copy/events.db'),
      description: `sqlite:${resolve('copy/events.db')}`,
    });
    for (const bad of ['http://db:2113', 'postgres://x', 'sqlite:', 'db:2113', '']) {
      expect(() => parseMigrationEndpoint(bad)).toThrow(/Unsupported migration target .*use esdb:\/\/host:2113\?tls=false/);
    }
  });
});

describe('openMigrationTarget', () => {
  let hanging: Server;
  let hangingPort: number;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    // Accepts connections and never answers: the case the client's own deadlines do not cover.
    hanging = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((done) => hanging.listen(0, '127.0.0.1', done));
    const address = hanging.address();
    hangingPort = typeof address === 'object' && address ? address.port : 0;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((done) => hanging.close(done));
  });

  it('fails fast with a clear message when nothing listens on the EventStoreDB port', async () => {
    const port = await closedPort();
    const started = Date.now();
    const error = await openMigrationTarget(parseMigrationEndpoint(`esdb://127.0.0.1:${port}?tls=false`), {
      durability: 'normal',
      connectTimeoutMs: 10_000,
    }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(
      new RegExp(`^Cannot reach the target EventStoreDB at esdb://127\\.0\\.0\\.1:${port}\\?tls=false \\(.+\\)\\. Check --to and that the server is running$`),
    );
  });

  it('gives up after the connect timeout when the port accepts but never answers', async () => {
    const started = Date.now();
    const error = await openMigrationTarget(parseMigrationEndpoint(`esdb://127.0.0.1:${hangingPort}?tls=false`), {
      durability: 'normal',
      connectTimeoutMs: 700,
    }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toContain('(no answer within 700 ms)');
  });

  it('opens an SQLite target whose clock gives each copy its original recordedAt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracker-target-'));
    try {
      const target = await openMigrationTarget(parseMigrationEndpoint(`sqlite:${join(dir, 'sub', 'events.db')}`), { durability: 'normal' });
      expect(target.recordedAt).toBeInstanceOf(RecordedAtClock);
      if (!(target.recordedAt instanceof RecordedAtClock)) return;
      target.recordedAt.set('2018-11-02T09:30:00.123Z');
      await target.store.appendToStream('experiment-x', [testEvent()]);
      const [event] = await target.store.readStream('experiment-x');
      expect(event.recordedAt).toBe('2018-11-02T09:30:00.123Z');
      await target.store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
