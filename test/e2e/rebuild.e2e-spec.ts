import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '#event-store';
import { openReadModelDb, projectionTablePrefix, shadowDbPath, type Projection, type ReadModelDb } from '#projections';
import { PROJECTIONS } from '../../apps/api/src/infrastructure/infrastructure.module.js';
import { ServerProcess } from '../support/server-process.js';
import { testCard } from '../support/test-app.js';

const CLI = resolve('dist/apps/cli/src/main.js');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled CLI; `onStderr` sees stderr as it arrives and may kill the child. */
function cli(args: string[], env: Record<string, string>, onStderr?: (text: string, kill: () => void) => void): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      onStderr?.(stderr, () => child.kill('SIGKILL'));
    });
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

async function post(base: string, path: string, body: unknown = {}): Promise<Response> {
  return fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function json<T>(base: string, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, body: (await response.json()) as T };
}

interface Health {
  store: { lastPosition: number };
  projections: Array<{ name: string; state: string; checkpoint: number }>;
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Every row of every table of the projection, as sorted JSON lines per table. Full-text tables are compared
 * through the module (rowid and columns), not by their storage, whose segments depend on how they were built.
 */
function dumpProjection(db: ReadModelDb, projection: Projection): Record<string, string[]> {
  const prefix = `${projectionTablePrefix(projection.name)}${projection.version}__`;
  const tables = db
    .prepare<[], { name: string; type: string }>('PRAGMA main.table_list')
    .all()
    .filter((t) => t.name.startsWith(prefix) && (t.type === 'table' || t.type === 'virtual'));
  const dump: Record<string, string[]> = {};
  for (const table of tables) {
    dump[table.name] = db
      .prepare(`SELECT ${table.type === 'virtual' ? 'rowid, ' : ''}* FROM "${table.name}"`)
      .raw()
      .all()
      .map((row) => JSON.stringify(row))
      .sort();
  }
  return dump;
}

describe('projections rebuild (CLI) while the API serves reads and writes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tracker-rebuild-'));
  const env = { TRACKER_DATA_DIR: dataDir, TRACKER_DEMO: '0', TRACKER_DURABILITY: 'normal' };
  const experiments: string[] = [];
  let server: ServerProcess;

  const health = async () => (await json<Health>(server.baseUrl, '/health')).body;
  const caughtUp = async () => {
    const h = await health();
    return h.projections.every((p) => p.state === 'running' && p.checkpoint === h.store.lastPosition) ? h : undefined;
  };

  /** Replays the log up to `head` into an in-memory database and compares every projection's tables with the live ones. */
  async function compareWithFreshReplay(head: number): Promise<void> {
    const store = new SqliteEventStore({ filename: join(dataDir, 'events.db'), durability: 'normal' });
    const fresh = openReadModelDb(':memory:');
    const live = new Database(join(dataDir, 'read-models.db'), { readonly: true });
    try {
      for (const projection of PROJECTIONS) projection.setup(fresh);
      for await (const batch of store.readAll({ upTo: head, batchSize: 1000 })) {
        fresh.transaction(() => {
          for (const event of batch) {
            for (const projection of PROJECTIONS) if (projection.handles.includes(event.type)) projection.apply(fresh, event);
          }
        })();
      }
      for (const projection of PROJECTIONS) {
        const expected = dumpProjection(fresh, projection);
        expect(Object.keys(expected).length).toBeGreaterThan(0);
        expect(dumpProjection(live, projection)).toEqual(expected);
      }
      const leases = live.prepare('SELECT * FROM projection_leases').all();
      expect(leases).toEqual([]);
    } finally {
      live.close();
      fresh.close();
      await store.close();
    }
  }

  beforeAll(async () => {
    server = await ServerProcess.start(env);
    const create = async (n: number) => {
      const reply = await post(server.baseUrl, '/api/experiments', testCard({ title: `Experiment ${n}`, themes: [`theme ${n % 4}`] }));
      const { id } = (await reply.json()) as { id: string };
      await post(server.baseUrl, `/api/experiments/${id}/start`);
      for (let s = 0; s < 10; s++) await post(server.baseUrl, `/api/experiments/${id}/steps`, { description: `step ${s}` });
      await post(server.baseUrl, `/api/experiments/${id}/learnings`, {
        observation: `Residents in block ${n} joined when asked in person`,
        learning: `Personal invitations work in block ${n}`,
        decision: 'persevere',
        reliability: 'medium',
      });
      return id;
    };
    const ids = await Promise.all(Array.from({ length: 16 }, (_, n) => create(n)));
    experiments.push(...ids);
    await Promise.all(
      Array.from({ length: 5 }, (_, n) => post(server.baseUrl, '/api/organisations', { name: `Organisation ${n}`, kind: 'ngo' })),
    );
  }, 60_000);

  afterAll(async () => {
    await server?.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('swaps in rebuilt read models equal to a fresh replay, with every read answered in full throughout', async () => {
    await until(caughtUp, 'the API to catch up');
    const quiet = experiments[experiments.length - 1];
    const quietTimeline = (await json<{ items: unknown[] }>(server.baseUrl, `/api/experiments/${quiet}/timeline`)).body.items.length;
    expect(quietTimeline).toBe(13);

    let stop = false;
    const reads: Array<{ status: number; complete: boolean }> = [];
    const writes: number[] = [];
    const reader = (async () => {
      for (let i = 0; !stop; i++) {
        if (i % 2 === 0) {
          const { status, body } = await json<{ items: unknown[] }>(server.baseUrl, `/api/experiments/${quiet}/timeline`);
          reads.push({ status, complete: body.items?.length === quietTimeline });
        } else {
          const { status, body } = await json<{ items: unknown[] }>(server.baseUrl, '/api/experiments?limit=100');
          reads.push({ status, complete: body.items?.length === experiments.length });
        }
      }
    })();
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const reply = await post(server.baseUrl, `/api/experiments/${experiments[i % 10]}/steps`, { description: `during rebuild ${i}` });
        writes.push(reply.status);
      }
    })();

    try {
      // A rebuild killed mid-way leaves the live read model as it was; its lease lapses and the next rebuild
      // replaces the shadow file it left behind.
      const killed = await cli(['projections', 'rebuild', 'catalogue', '--batch-size', '1', '--lease-ttl', '1'], env, (text, kill) => {
        if (text.includes('catalogue')) kill();
      });
      expect(killed.code).toBeNull();
      const readModels = new Database(join(dataDir, 'read-models.db'), { readonly: true });
      try {
        await until(async () => {
          const lease = readModels.prepare<[], number>('SELECT max(expires_at) FROM projection_leases').pluck().get();
          return lease === null || lease === undefined || lease < Date.now() ? true : undefined;
        }, 'the killed rebuild lease to lapse');
      } finally {
        readModels.close();
      }

      const rebuilt = await cli(['projections', 'rebuild'], env);
      expect(rebuilt.stderr).not.toContain('error');
      expect(rebuilt.code).toBe(0);
      const summaries = rebuilt.stdout.trim().split('\n');
      expect(summaries).toHaveLength(PROJECTIONS.length);
      for (const [i, projection] of PROJECTIONS.entries()) {
        expect(summaries[i]).toMatch(new RegExp(`^${projection.name} v${projection.version}: rebuilt from [\\d,]+ events .* events/s`));
      }
      expect(rebuilt.stderr).toMatch(/100%.*events\/s  done in/);
      process.stdout.write(`rebuild under load:\n${rebuilt.stdout}`);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      stop = true;
      await Promise.all([reader, writer]);
    }

    expect(reads.length).toBeGreaterThan(20);
    expect(reads.filter((r) => r.status !== 200)).toEqual([]);
    expect(reads.filter((r) => !r.complete)).toEqual([]);
    expect(writes.length).toBeGreaterThan(5);
    expect(writes.filter((status) => status !== 200)).toEqual([]);

    const settled = await until(caughtUp, 'the API to catch up after the rebuild');
    const statusJson = cli(['projections', 'status', '--json'], env);
    try {
      await compareWithFreshReplay(settled.store.lastPosition);
    } finally {
      await statusJson;
    }
    for (const projection of PROJECTIONS) expect(existsSync(shadowDbPath(join(dataDir, 'read-models.db'), projection.name))).toBe(false);

    const status = await statusJson;
    expect(status.code).toBe(0);
    const rows = JSON.parse(status.stdout) as Array<{ name: string; state: string; checkpoint: number; lag: number }>;
    expect(rows.map((r) => [r.name, r.state, r.checkpoint, r.lag])).toEqual(
      PROJECTIONS.map((p) => [p.name, 'running', settled.store.lastPosition, 0]),
    );

    const steps = (await json<{ items: Array<{ type: string }> }>(server.baseUrl, `/api/experiments/${experiments[0]}/timeline`)).body;
    expect(steps.items.filter((e) => e.type === 'StepLogged').length).toBeGreaterThan(10);
  }, 90_000);

  it('status shows a park with its event and error; resume clears it and the running API follows; bad calls exit 1', async () => {
    const parked = PROJECTIONS[0].name;
    const position = (await until(caughtUp, 'the API to catch up')).store.lastPosition;
    const db = new Database(join(dataDir, 'read-models.db'));
    try {
      db.prepare(
        `UPDATE projection_checkpoints SET state = 'parked', parked_event_id = 'event-x', parked_position = ?, error = 'simulated poison'
         WHERE name = ?`,
      ).run(position + 1, parked);
    } finally {
      db.close();
    }
    await until(async () => ((await health()).projections.find((p) => p.name === parked)?.state === 'parked' ? true : undefined), 'the API to see the park');

    const [status, help, unknown] = await Promise.all([
      cli(['projections', 'status'], env),
      cli(['--help'], env),
      cli(['projections', 'resume', 'no-such-projection'], env),
    ]);
    expect(status.code).toBe(0);
    const line = status.stdout.split('\n').find((l) => l.startsWith(`${parked} `)) ?? '';
    expect(line).toMatch(new RegExp(`parked\\s+${position}\\s+0\\s+position ${position + 1}, event event-x: simulated poison`));
    expect(status.stdout.split('\n')[0]).toMatch(/^NAME\s+VERSION\s+STATE\s+CHECKPOINT\s+LAG\s+PARKED AT/);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('projections');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('error: Unknown projection "no-such-projection"');

    const resumed = await cli(['projections', 'resume', parked], env);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`${parked} resumed`);
    await until(async () => ((await health()).projections.find((p) => p.name === parked)?.state === 'running' ? true : undefined), 'the API to follow the resume', 5000);
    const notParkedRun = cli(['projections', 'resume', parked], env);
    try {
      const { id } = (await (await post(server.baseUrl, '/api/experiments', testCard())).json()) as { id: string };
      const timeline = await json<{ items: unknown[] }>(server.baseUrl, `/api/experiments/${id}/timeline`);
      expect(timeline.body.items).toHaveLength(1);
    } finally {
      await notParkedRun;
    }
    const notParked = await notParkedRun;
    expect(notParked.code).toBe(0);
    expect(notParked.stdout).toContain(`${parked} is not parked`);
  }, 60_000);
});
