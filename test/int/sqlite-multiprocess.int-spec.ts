import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SqliteEventStore, type RecordedEvent } from '#event-store';

const root = fileURLToPath(new URL('../../', import.meta.url));
const worker = fileURLToPath(new URL('./fixtures/sqlite-writer.mjs', import.meta.url));
const WRITERS = 3;
const EVENTS_PER_WRITER = 200;
const STREAMS = ['experiment-a', 'experiment-b', 'experiment-c', 'experiment-d'];

interface Acknowledged {
  eventId: string;
  streamId: string;
  version: number;
  position: number;
}

interface WriterResult {
  writerId: string;
  acknowledged: Acknowledged[];
  conflicts: number;
}

/** The workers run the compiled adapter: fail loudly when it is missing or older than its source. */
function assertBuiltEventStore(): void {
  const source = join(root, 'libs/event-store/src');
  const problems: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'testing') walk(path);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
        const compiled = join(root, 'dist', relative(root, path)).replace(/\.ts$/, '.js');
        if (!existsSync(compiled)) problems.push(`${relative(root, compiled)} is missing`);
        else if (statSync(compiled).mtimeMs < statSync(path).mtimeMs) problems.push(`${relative(root, compiled)} is older than its source`);
      }
    }
  };
  walk(source);
  if (problems.length > 0) {
    throw new Error(`The multi-process test runs the compiled event store: run \`npm run build\` first.\n${problems.join('\n')}`);
  }
}

function startWriter(filename: string, writerId: number): { child: ChildProcessWithoutNullStreams; ready: Promise<void>; result: Promise<WriterResult> } {
  const child = spawn(process.execPath, [worker, filename, String(writerId), String(EVENTS_PER_WRITER), STREAMS.join(','), 'full'], {
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.includes('{"ready":true}\n')) markReady();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const result = new Promise<WriterResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`Writer ${writerId} exited with ${code ?? signal}:\n${stderr}`));
        return;
      }
      const last = stdout.trim().split('\n').at(-1) ?? '';
      resolve(JSON.parse(last) as WriterResult);
    });
  });
  // Surface an early crash while still waiting for readiness.
  const readyOrCrash = Promise.race([ready, result.then(() => Promise.reject(new Error(`Writer ${writerId} ended before ready`)))]);
  return { child, ready: readyOrCrash, result };
}

function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) => {
    setTimeout(() => reject(new Error(`Subscription did not deliver every event within the deadline`)), Math.max(0, ms)).unref();
  });
}

describe('SqliteEventStore shared by several OS processes', () => {
  let dir: string;

  beforeAll(() => {
    assertBuiltEventStore();
    dir = mkdtempSync(join(tmpdir(), 'event-store-multiprocess-'));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`${WRITERS} processes × ${EVENTS_PER_WRITER} appends with retry: no gaps, no duplicates, nothing lost`, async () => {
    const filename = join(dir, 'events.db');
    const store = new SqliteEventStore({ filename, durability: 'full', pollIntervalMs: 50 });
    const subscription = store.subscribe({ batchSize: 100 });
    const iterator = subscription[Symbol.asyncIterator]();
    const writers = Array.from({ length: WRITERS }, (_, i) => startWriter(filename, i));
    try {
      await Promise.all(writers.map((w) => w.ready));
      for (const w of writers) w.child.stdin.end('go\n');

      const total = WRITERS * EVENTS_PER_WRITER;
      const anyWriterFailed = new Promise<never>((_, reject) => writers.forEach((w) => w.result.catch(reject)));
      const delivered: RecordedEvent[] = [];
      const deadline = Date.now() + 40_000;
      while (delivered.length < total) {
        const next = await Promise.race([iterator.next(), anyWriterFailed, timeout(deadline - Date.now())]);
        if (next.done) break;
        delivered.push(...next.value.events);
      }
      const results = await Promise.all(writers.map((w) => w.result));

      const all: RecordedEvent[] = [];
      for await (const batch of store.readAll({ batchSize: 250 })) all.push(...batch);
      expect(all).toHaveLength(total);
      expect(await store.headPosition()).toBe(all[all.length - 1].position);
      expect(new Set(all.map((e) => e.eventId)).size).toBe(total);
      const positions = all.map((e) => e.position);
      expect(positions.every((p, i) => i === 0 || p > positions[i - 1])).toBe(true);

      for (const streamId of STREAMS) {
        const stream = await store.readStream(streamId);
        expect(stream.map((e) => e.version)).toEqual(stream.map((_, i) => i + 1));
      }
      expect(STREAMS.reduce((n, s) => n + all.filter((e) => e.streamId === s).length, 0)).toBe(total);

      const byId = new Map(all.map((e) => [e.eventId, e]));
      for (const result of results) {
        expect(result.acknowledged).toHaveLength(EVENTS_PER_WRITER);
        for (const ack of result.acknowledged) {
          expect(byId.get(ack.eventId)).toMatchObject({ streamId: ack.streamId, version: ack.version, position: ack.position });
        }
      }

      expect(delivered.map((e) => e.eventId)).toEqual(all.map((e) => e.eventId));
    } finally {
      for (const w of writers) if (w.child.exitCode === null) w.child.kill();
      await subscription.close();
      await store.close();
    }
  }, 60_000);
});
