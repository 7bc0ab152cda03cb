import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inspectEventsFile, SqliteEventStore, type RecordedEvent } from '#event-store';
import { provisionTestStaff } from '../support/accounts-fixture.js';
import { runCli, type CliRun } from '../support/cli-process.js';
import { ServerProcess } from '../support/server-process.js';
import { rawFetch } from '../support/signed-in-fetch.js';

const cli = runCli;

/** The API of one data directory, as its test staff user. */
class Api {
  private constructor(
    readonly server: ServerProcess,
    private readonly token: string,
  ) {}

  static async start(env: Record<string, string>): Promise<Api> {
    const token = provisionTestStaff(join(env.TRACKER_DATA_DIR, 'accounts.db'));
    return new Api(await ServerProcess.start(env), token);
  }

  async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; text: string; bytes: Buffer }> {
    const response = await rawFetch(`${this.server.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    return { status: response.status, text: bytes.toString(), bytes };
  }

  async post<T = { id: string; version: number }>(path: string, body: unknown = {}): Promise<T> {
    const reply = await this.request('POST', path, body);
    if (reply.status >= 300) throw new Error(`POST ${path}: ${reply.status} ${reply.text}`);
    return JSON.parse(reply.text) as T;
  }

  async get<T>(path: string): Promise<T> {
    const reply = await this.request('GET', path);
    if (reply.status !== 200) throw new Error(`GET ${path}: ${reply.status} ${reply.text}`);
    return JSON.parse(reply.text) as T;
  }

  async head(): Promise<number> {
    return (await this.get<{ store: { lastPosition: number } }>('/health')).store.lastPosition;
  }

  stop(): Promise<void> {
    return this.server.kill('SIGTERM');
  }
}

async function readAll(filename: string): Promise<RecordedEvent[]> {
  const store = new SqliteEventStore({ filename, durability: 'normal' });
  try {
    const events: RecordedEvent[] = [];
    for await (const batch of store.readAll({ batchSize: 1000 })) events.push(...batch);
    return events;
  } finally {
    await store.close();
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  return typeof address === 'object' && address ? address.port : 0;
}

const testCard = (overrides: Record<string, unknown>) => ({
  hypothesis: 'We believe that residents will take initiative if the first step is small',
  test: 'To verify that, we will run a street-level pop-up for two weeks',
  metric: 'Households that sign up',
  successCriteria: 'At least 30 households sign up',
  ...overrides,
});

const LEARNING = (n: number, theme: string) => ({
  observation: `Residents in block ${n} joined when asked in person`,
  learning: `Personal invitations work in block ${n}`,
  decision: (['persevere', 'pivot', 'retire', 'continue-testing'] as const)[n % 4],
  reliability: (['low', 'medium', 'high'] as const)[n % 3],
  themes: [theme],
});

describe('CLI backup, restore, migrate and report on the compiled application', () => {
  const root = mkdtempSync(join(tmpdir(), 'tracker-cli-data-'));
  const dirA = join(root, 'a');
  const envA = { TRACKER_DATA_DIR: dirA, TRACKER_DEMO: '0', TRACKER_DURABILITY: 'normal' };
  const experiments: string[] = [];
  /** Experiments still running, which take more steps. */
  const running: string[] = [];
  let api: Api;

  beforeAll(async () => {
    api = await Api.start(envA);
    const org = await api.post('/api/organisations', { name: 'Trondheim kommune', kind: 'municipality' });
    const collaboration = await api.post('/api/collaborations', {
      title: 'Green living in Trondheim',
      partnerOrganisationId: org.id,
      themes: ['sustainable urban development'],
    });
    for (let n = 0; n < 6; n++) {
      const theme = n % 2 === 0 ? 'mobility' : 'sustainable urban development';
      const { id } = await api.post('/api/experiments', testCard({ title: `Experiment ${n}`, themes: [theme], collaborationId: collaboration.id }));
      await api.post(`/api/experiments/${id}/start`);
      for (let s = 0; s < 3; s++) await api.post(`/api/experiments/${id}/steps`, { description: `step ${s}` });
      await api.post(`/api/experiments/${id}/learnings`, LEARNING(n, theme));
      if (n % 3 === 0) await api.post(`/api/experiments/${id}/conclude`, { outcome: 'inconclusive', summary: 'Too early to say' });
      else running.push(id);
      experiments.push(id);
    }
    await api.post(`/api/collaborations/${collaboration.id}/learnings`, LEARNING(7, 'mobility'));
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('backs up while the API is writing: each backup opens and holds a consistent, gap-free prefix of the log', async () => {
    let stop = false;
    const writes: number[] = [];
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const reply = await api.request('POST', `/api/experiments/${running[i % running.length]}/steps`, { description: `during backup ${i}` });
        writes.push(reply.status);
      }
    })();
    const runs: CliRun[] = [];
    try {
      await new Promise((r) => setTimeout(r, 200));
      for (let i = 0; i < 3; i++) runs.push(await cli(['backup', join(root, `backup-${i}.db`)], envA));
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      stop = true;
      await writer;
    }
    expect(writes.length).toBeGreaterThan(5);
    expect(writes.filter((s) => s !== 200)).toEqual([]);

    const live = await readAll(join(dirA, 'events.db'));
    const heads: number[] = [];
    for (const [i, run] of runs.entries()) {
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      const file = join(root, `backup-${i}.db`);
      const info = inspectEventsFile(file);
      expect(run.stdout).toMatch(new RegExp(`^Backed up ${info.events.toLocaleString('en-US')} events \\(\\d+ streams, up to position [\\d,]+\\) from .*events\\.db to ${file} \\(.+\\) in \\d+ ms\\n`));
      expect(run.stdout).toContain(`Backed up the key store (0 keys, 0 subjects forgotten) from ${join(dirA, 'keys.db')} to ${file}.keys.db`);
      expect(run.stdout).toContain(`Backed up the accounts (1 users) from ${join(dirA, 'accounts.db')} to ${file}.accounts.db`);
      expect(existsSync(`${file}-wal`)).toBe(false);
      const copy = await readAll(file);
      expect(copy).toEqual(live.filter((e) => e.position <= info.headPosition));
      heads.push(info.headPosition);
    }
    // The backups were taken while the log grew.
    expect(heads[2]).toBeGreaterThan(heads[0]);
    expect(live.length).toBeGreaterThan(heads[2]);

    const [again, esdb] = await Promise.all([
      cli(['backup', join(root, 'backup-0.db')], envA),
      cli(['backup', join(root, 'never.db')], { ...envA, EVENT_STORE_URL: 'esdb://127.0.0.1:1?tls=false' }),
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`error: ${join(root, 'backup-0.db')} already exists: pass --force to overwrite it\n`);
    const forced = await cli(['backup', join(root, 'backup-0.db'), '--force'], envA);
    expect(forced.code).toBe(0);
    expect(inspectEventsFile(join(root, 'backup-0.db')).headPosition).toBe(await api.head());

    expect(esdb.code).toBe(1);
    expect(esdb.stderr).toContain("error: EVENT_STORE_URL points at EventStoreDB: back it up with EventStoreDB's own backup");
    expect(existsSync(join(root, 'never.db'))).toBe(false);
  }, 180_000);

  it('restores into an empty data directory; the API starts on it and serves the same entities', async () => {
    const backup = join(root, 'restore-me.db');
    expect((await cli(['backup', backup], envA)).code).toBe(0);
    const position = inspectEventsFile(backup).headPosition;

    const dirB = join(root, 'b');
    const envB = { TRACKER_DATA_DIR: dirB, TRACKER_DEMO: '0', TRACKER_DURABILITY: 'normal' };
    const restored = await cli(['restore', backup], envB);
    expect({ code: restored.code, stderr: restored.stderr }).toEqual({ code: 0, stderr: '' });
    expect(restored.stdout).toContain(`from ${backup} into ${join(dirB, 'events.db')}`);
    expect(restored.stdout).toContain('The API builds the read models from the events when it starts');
    expect(existsSync(join(dirB, 'read-models.db'))).toBe(false);

    // The source keeps changing after the backup; the restored copy is the log as it was at the backup.
    await api.post(`/api/experiments/${running[0]}/steps`, { description: 'after the backup' });

    const apiB = await Api.start(envB);
    try {
      expect(await apiB.head()).toBe(position);
      for (const id of experiments) {
        const there = await apiB.get<Record<string, unknown>>(`/api/experiments/${id}`);
        const here = await api.get<Record<string, unknown>>(`/api/experiments/${id}?knownAt=${position}`);
        expect(there).toEqual(here);
      }
      const list = await apiB.get<{ items: Array<{ id: string }> }>('/api/experiments?limit=100');
      expect(list.items.map((e) => e.id).sort()).toEqual([...experiments].sort());
      const timeline = await apiB.get<{ items: unknown[] }>(`/api/experiments/${experiments[0]}/timeline`);
      expect(timeline.items.length).toBeGreaterThan(5);

      const busy = await cli(['restore', backup, '--force'], envB);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toMatch(/^error: the event store .*events\.db is in use by another process \(is the API running\?\): stop it first\n$/);
    } finally {
      await apiB.stop();
    }

    const [refused, junk] = await Promise.all([
      cli(['restore', backup], envB),
      cli(['restore', join(root, 'no-such-backup.db')], { ...envB, TRACKER_DATA_DIR: join(root, 'c') }),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`already holds ${position} events: pass --force to replace them with the backup`));
    const forced = await cli(['restore', backup, '--force'], envB);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`Replaced the ${position} events it held before (--force)`);
    expect(forced.stdout).toContain('Deleted the stale read models');
    expect(existsSync(join(dirB, 'read-models.db'))).toBe(false);

    expect(junk.code).toBe(1);
    expect(junk.stderr).toContain('no-such-backup.db does not exist');
  }, 180_000);

  it('migrates to an SQLite target twice: the same events with the same ids and metadata, no duplicates', async () => {
    const target = join(root, 'migrated', 'events.db');
    const first = await cli(['migrate', '--to', `sqlite:${target}`], envA);
    expect({ code: first.code, stderr: first.stderr.replace(/^migrate .*\n/gm, '') }).toEqual({ code: 0, stderr: '' });
    const source = await readAll(join(dirA, 'events.db'));
    const copy = await readAll(target);
    expect(first.stdout).toContain(`${source.length.toLocaleString('en-US')} events copied, 0 skipped as already present`);
    expect(first.stdout).toContain(`Hashes: ${source.length.toLocaleString('en-US')} copied events hashed in the target exactly as in the source, 0 differently`);
    expect(copy).toEqual(source);
    const progress = JSON.parse(readFileSync(join(dirA, 'migration-progress.json'), 'utf8')) as Record<string, unknown>;
    expect(progress).toMatchObject({ target: `sqlite:${target}`, position: source[source.length - 1].position, completed: true });

    await api.post(`/api/experiments/${running[1]}/steps`, { description: 'after the first migration' });
    const second = await cli(['migrate', '--to', `sqlite:${target}`], envA);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('1 events copied, 0 skipped as already present');
    expect(second.stdout).toContain(`Continued after position ${source[source.length - 1].position.toLocaleString('en-US')}`);

    const restart = await cli(['migrate', '--to', `sqlite:${target}`, '--restart'], envA);
    expect(restart.code).toBe(0);
    expect(restart.stdout).toContain(`0 events copied, ${(source.length + 1).toLocaleString('en-US')} skipped as already present`);

    const after = await readAll(join(dirA, 'events.db'));
    const copied = await readAll(target);
    expect(copied).toEqual(after);
    expect(new Set(copied.map((e) => e.eventId)).size).toBe(copied.length);

    const itself = await cli(['migrate', '--to', `sqlite:${join(dirA, 'events.db')}`], envA);
    expect(itself.code).toBe(1);
    expect(itself.stderr).toContain('error: --to names the configured store itself');
  }, 180_000);

  it('refuses an unsupported or unreachable migration target quickly and clearly', async () => {
    const port = await closedPort();
    const started = Date.now();
    const [unreachable, unsupported, missing, help] = await Promise.all([
      // A closed port fails at once, well before this timeout (the bound below leaves room for a slow start).
      cli(['migrate', '--to', `esdb://127.0.0.1:${port}?tls=false`, '--connect-timeout', '120'], envA),
      cli(['migrate', '--to', 'postgres://db/tracker'], envA),
      cli(['migrate'], envA),
      cli(['migrate', '--help'], envA),
    ]);
    expect(Date.now() - started).toBeLessThan(100_000);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(
      new RegExp(`^error: Cannot reach the target EventStoreDB at esdb://127\\.0\\.0\\.1:${port}\\?tls=false \\(.+\\)\\. Check --to and that the server is running\\n$`),
    );

    expect(unsupported.code).toBe(1);
    expect(unsupported.stderr).toMatch(/^error: Unsupported migration target "postgres:\/\/db\/tracker": use esdb:\/\/host:2113\?tls=false/);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--to <url> is required');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--restart');
  }, 180_000);

  it('prints the learning summary exactly as the API serves it for the same position', async () => {
    const position = await api.head();
    await api.post(`/api/experiments/${experiments[4]}/learnings`, LEARNING(9, 'mobility'));

    const cases: Array<{ args: string[]; query: string }> = [
      { args: [], query: 'format=md&lang=en' },
      { args: ['--theme', 'Mobility', '--lang', 'nb'], query: 'format=md&lang=nb&theme=Mobility' },
      { args: ['--format', 'html', '--from', '2000-01-01', '--to', '2100-12-31'], query: 'format=html&lang=en&from=2000-01-01&to=2100-12-31' },
      { args: ['--format', 'json'], query: 'format=json&lang=en' },
    ];
    const pdfFile = join(root, 'summary.pdf');
    const at = ['report', 'learning-summary', '--at-position', String(position)];
    // Child processes in parallel: each CLI start loads the whole application.
    const [runs, served, newest, pdf, servedPdf, beyond] = await Promise.all([
      Promise.all(cases.map(({ args }) => cli([...at, ...args], envA))),
      Promise.all(cases.map(({ query }) => api.request('GET', `/api/reports/learning-summary?${query}&atPosition=${position}`))),
      cli(['report', 'learning-summary'], envA),
      cli([...at, '--format', 'pdf', '--out', pdfFile], envA),
      api.request('GET', `/api/reports/learning-summary?format=pdf&lang=en&atPosition=${position}`),
      cli(['report', 'learning-summary', '--at-position', String(position + 1000)], envA),
    ]);
    for (const [i, { args }] of cases.entries()) {
      expect({ args, code: runs[i].code, stderr: runs[i].stderr }).toEqual({ args, code: 0, stderr: '' });
      expect(served[i].status).toBe(200);
      expect(runs[i].stdout).toBe(served[i].text);
    }
    expect(runs[0].stdout).toContain('Personal invitations work in block');
    expect(runs[0].stdout).not.toContain('block 9');
    expect(newest.stdout).toContain('block 9');

    expect({ code: pdf.code, stdout: pdf.stdout }).toEqual({ code: 0, stdout: '' });
    expect(pdf.stderr).toContain(`Wrote ${pdfFile}`);
    expect(readFileSync(pdfFile).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readFileSync(pdfFile).equals(servedPdf.bytes)).toBe(true);

    expect(beyond.code).toBe(1);
    expect(beyond.stderr).toBe(`error: --at-position ${position + 1000} is beyond the newest event (position ${position + 1})\n`);
    const [bad, badFormat] = await Promise.all([
      cli(['report', 'learning-summary', '--from', 'yesterday', '--collaboration', 'nope'], envA),
      cli(['report', 'learning-summary', '--format', 'docx'], envA),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: --from: from must be a date .*; --collaboration: collaborationId must be a UUID/);
    expect(badFormat.code).toBe(1);
    expect(badFormat.stderr).toBe('error: --format: format must be one of the following values: md, html, json, pdf\n');
  }, 180_000);
});
