import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, type EventToAppend } from '#event-store';

const CHILD = resolve('test/support/projection-runner-child.mjs');
const EVENTS = 12_000;
const PROJECTIONS = { 'crash-all': ['Tick', 'Tock'], 'crash-ticks': ['Tick'] } as const;
type Name = keyof typeof PROJECTIONS;
const tableOf = (name: Name) => `${name.replace('-', '_')}__v1__applied`;

/** The runner child process; resolves lines of its stdout as they come. */
class RunnerChild {
  readonly child: ChildProcess;
  private output = '';
  private readonly exited: Promise<number | null>;

  /** `stallAt`: block inside the batch holding this position; `paceEvery`: pause 1 ms after every that many applies. */
  constructor(dataDir: string, options: { stallAt?: number; paceEvery?: number } = {}) {
    const args = [dataDir, String(options.stallAt ?? -1), String(options.paceEvery ?? 0)];
    this.child = spawn(process.execPath, [CHILD, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((done) => this.child.once('exit', (code) => done(code)));
  }

  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.output.match(pattern);
      if (match) return match;
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`runner child: no ${String(pattern)} (exit ${this.child.exitCode}):\n${this.output}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  exit(): Promise<number | null> {
    return this.exited;
  }
}

describe('projection runner killed mid-batch (SIGKILL), then restarted', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tracker-projection-crash-'));
  const positionsOf: Record<Name, number[]> = { 'crash-all': [], 'crash-ticks': [] };
  let head = 0;

  const readModels = () => new Database(join(dataDir, 'read-models.db'), { readonly: true, fileMustExist: true });
  const checkpointOf = (db: Database.Database, name: Name) =>
    db.prepare<[string], number>('SELECT position FROM projection_checkpoints WHERE name = ?').pluck().get(name) ?? 0;
  const appliedOf = (db: Database.Database, name: Name) =>
    db.prepare<[], { position: number; pid: number }>(`SELECT position, pid FROM "${tableOf(name)}" ORDER BY id`).all();

  beforeAll(async () => {
    const store = new SqliteEventStore({ filename: join(dataDir, 'events.db'), durability: 'normal' });
    for (let batch = 0; batch < EVENTS / 500; batch++) {
      const events: EventToAppend[] = Array.from({ length: 500 }, (_, i) => ({
        eventId: `00000000-0000-7000-8000-${String(batch * 500 + i + 1).padStart(12, '0')}`,
        type: i % 3 === 0 ? 'Tock' : 'Tick',
        data: { i },
        metadata: {
          correlationId: 'c',
          causationId: null,
          actor: { id: 'system', role: 'system' },
          occurredAt: '2024-01-01T00:00:00.000Z',
          schemaVersion: 1,
          source: 'test',
        },
      }));
      const { position } = await store.appendToStream(`tick-${batch % 7}`, events);
      events.forEach((e, i) => {
        const at = position - events.length + 1 + i;
        positionsOf['crash-all'].push(at);
        if (e.type === 'Tick') positionsOf['crash-ticks'].push(at);
      });
    }
    head = await store.headPosition();
    await store.close();
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('applies every event exactly once across a kill inside an open batch, a kill at a random point and a restart', async () => {
    expect(head).toBe(EVENTS);
    expect(existsSync(CHILD)).toBe(true);

    // 1. Blocked inside the batch transaction that holds position 4777: everything up to the checkpoint is
    //    committed, the rows of the open batch are not.
    const stallAt = 4777;
    const first = new RunnerChild(dataDir, { stallAt });
    await first.waitFor(/STALL 4777/);
    const firstPid = first.child.pid;
    await first.kill();
    let db = readModels();
    const atKill = checkpointOf(db, 'crash-all');
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(stallAt);
    expect(appliedOf(db, 'crash-all').map((r) => r.position)).toEqual(positionsOf['crash-all'].filter((p) => p <= atKill));
    expect(appliedOf(db, 'crash-all').filter((r) => r.position >= stallAt)).toEqual([]);
    db.close();

    // 2. Killed at whatever it is doing once it has made some progress; paced, so that the rest of the log
    //    takes it well over a second and the kill lands before the head however fast the runner is.
    const second = new RunnerChild(dataDir, { paceEvery: 5 });
    db = readModels();
    while (checkpointOf(db, 'crash-all') < atKill + 1500) await new Promise((r) => setTimeout(r, 1));
    await second.kill();
    const secondKill = checkpointOf(db, 'crash-all');
    db.close();
    expect(secondKill).toBeLessThan(head);

    // 3. Runs to the head.
    const third = new RunnerChild(dataDir);
    await third.waitFor(/DONE true/);
    expect(await third.exit()).toBe(0);

    db = readModels();
    try {
      for (const name of Object.keys(PROJECTIONS) as Name[]) {
        const applied = appliedOf(db, name);
        const twice = db
          .prepare<[], { position: number }>(
            `SELECT position FROM "${tableOf(name)}" GROUP BY position HAVING count(*) > 1 LIMIT 5`,
          )
          .all();
        expect(twice).toEqual([]);
        expect(applied.map((r) => r.position)).toEqual(positionsOf[name]);
        expect(checkpointOf(db, name)).toBe(head);
        expect(applied.filter((r) => r.pid === firstPid).every((r) => r.position <= atKill)).toBe(true);
      }
    } finally {
      db.close();
    }
  }, 30_000);
});
