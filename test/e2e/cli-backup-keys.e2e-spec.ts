import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectEventsFile, inspectKeysFile, SqlitePersonalDataKeys } from '#event-store';
import { runCli as cli } from '../support/cli-process.js';
import { ServerProcess } from '../support/server-process.js';
import { rawFetch } from '../support/signed-in-fetch.js';

const KEPT = 'Kari Beholdt';
const FORGOTTEN_BEFORE = 'Per Tidligglemt';
const FORGOTTEN_AFTER = 'Ola Senereglemt';
const USER = { email: 'siri@example.org', name: 'Siri Brukersen', password: 'a passphrase of her own' };

/** A running API on one data directory, with the test staff user's token. */
class Api {
  constructor(readonly server: ServerProcess) {}

  async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const response = await rawFetch(`${this.server.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.server.staffToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null };
  }

  async post<T = { id: string }>(path: string, body: unknown = {}): Promise<T> {
    const reply = await this.request('POST', path, body);
    if (reply.status >= 300) throw new Error(`POST ${path}: ${reply.status} ${JSON.stringify(reply.json)}`);
    return reply.json as T;
  }

  /** Signs in with a password (no token): the status, the session cookie and CSRF token. */
  async signIn(email: string, password: string): Promise<{ status: number; cookie: string; csrf: string }> {
    const response = await rawFetch(`${this.server.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const body = (await response.json()) as { csrfToken?: string };
    return { status: response.status, cookie: (response.headers.get('set-cookie') ?? '').split(';')[0], csrf: body.csrfToken ?? '' };
  }
}

const env = (dir: string) => ({ TRACKER_DATA_DIR: dir, TRACKER_DEMO: '0', TRACKER_DURABILITY: 'normal', TRACKER_LOGIN_ATTEMPTS_PER_MINUTE: '0' });

describe('CLI backup and restore of the key store and accounts, with forgettings re-applied', () => {
  const root = mkdtempSync(join(tmpdir(), 'tracker-cli-keys-'));
  const dirA = join(root, 'a');
  const first = join(root, 'backups', 'first.db');
  const second = join(root, 'backups', 'second.db');
  let api: Api;
  let kept: string;
  let forgottenBefore: string;
  let forgottenAfter: string;
  let userId: string;
  let firstRun: { code: number | null; stdout: string; stderr: string };
  let secondRun: { code: number | null; stdout: string; stderr: string };

  beforeAll(async () => {
    api = new Api(await ServerProcess.start(env(dirA)));
    kept = (await api.post('/api/people', { name: KEPT, background: 'Planner in Tromsø' })).id;
    forgottenBefore = (await api.post('/api/people', { name: FORGOTTEN_BEFORE })).id;
    forgottenAfter = (await api.post('/api/people', { name: FORGOTTEN_AFTER })).id;
    const user = await api.post<{ id: string; oneTimePassword: string }>('/api/users', { email: USER.email, name: USER.name, role: 'staff' });
    userId = user.id;
    const session = await api.signIn(USER.email, user.oneTimePassword);
    const changed = await rawFetch(`${api.server.baseUrl}/api/auth/password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
      body: JSON.stringify({ currentPassword: user.oneTimePassword, newPassword: USER.password }),
    });
    if (changed.status >= 300) throw new Error(`password change: ${changed.status} ${await changed.text()}`);
    await api.post(`/api/people/${forgottenBefore}/forget`, { reason: 'Asked to be forgotten' });

    // The full backup holds the key of the person forgotten after it; the second backup has the events only.
    firstRun = await cli(['backup', first], env(dirA));
    await api.post(`/api/people/${forgottenAfter}/forget`, { reason: 'Asked to be forgotten' });
    secondRun = await cli(['backup', second, '--events-only'], env(dirA));
  }, 120_000);

  afterAll(async () => {
    await api?.server.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  });

  it('backs up events.db, keys.db and accounts.db while the API runs, and says what it left out', async () => {
    expect({ code: firstRun.code, stderr: firstRun.stderr }).toEqual({ code: 0, stderr: '' });
    const lines = firstRun.stdout.trimEnd().split('\n');
    const events = inspectEventsFile(first);
    expect(lines[0]).toMatch(new RegExp(`^Backed up ${events.events} events \\(\\d+ streams, up to position ${events.headPosition}\\) from .*events\\.db to ${first} `));
    expect(firstRun.stdout).toMatch(new RegExp(`Backed up the accounts \\(2 users\\) from ${join(dirA, 'accounts.db')} to ${first}\\.accounts\\.db \\(`));
    // Three people and one user have keys; one person was forgotten.
    expect(firstRun.stdout).toContain(`Backed up the key store (3 keys, 1 subjects forgotten) from ${join(dirA, 'keys.db')} to ${first}.keys.db (`);
    expect(firstRun.stdout).toContain(`Not included: the signing key ${join(dirA, 'signing-key.pem')}`);
    expect(firstRun.stdout).toContain('Not needed: read-models.db and ledger-signatures.db');
    expect(inspectKeysFile(`${first}.keys.db`)).toMatchObject({ keys: 3, forgotten: 1 });
    for (const file of [`${first}.keys.db`, `${first}.accounts.db`]) expect(statSync(file).mode & 0o777).toBe(0o600);
    for (const suffix of ['-wal', '.partial', '.signing-key.pem']) expect(existsSync(`${first}${suffix}`)).toBe(false);

    expect({ code: secondRun.code, stderr: secondRun.stderr }).toEqual({ code: 0, stderr: '' });
    expect(secondRun.stdout).toContain('Events only (--events-only)');
    expect(existsSync(`${second}.keys.db`)).toBe(false);
    expect(inspectEventsFile(second).events).toBe(events.events + 1);

    const again = await cli(['backup', second], env(dirA));
    expect(again).toMatchObject({ code: 1, stderr: `error: ${second} already exists: pass --force to overwrite it\n` });
  });

  it('restores the newer events with the older key store: the forgettings since are applied again, the rest reads back', async () => {
    copyFileSync(`${first}.keys.db`, join(root, 'probe.db'));
    const probe = new SqlitePersonalDataKeys(join(root, 'probe.db'));
    try {
      expect(await probe.isForgotten(`person-${forgottenAfter}`)).toBe(false);
    } finally {
      await probe.close();
    }

    const dirB = join(root, 'b');
    const restored = await cli(['restore', second, '--keys', `${first}.keys.db`, '--accounts', `${first}.accounts.db`], env(dirB));
    expect({ code: restored.code, stderr: restored.stderr }).toEqual({ code: 0, stderr: '' });
    expect(restored.stdout).toContain(`Restored the key store (3 keys, 1 subjects forgotten) from ${first}.keys.db into ${join(dirB, 'keys.db')}`);
    expect(restored.stdout).toContain(`Restored the accounts (2 users) from ${first}.accounts.db into ${join(dirB, 'accounts.db')}`);
    expect(restored.stdout).toMatch(/Re-applied 2 forgettings \(2 subjects\) recorded in .* 1 keys destroyed that were still held, 0 subjects without a key marked forgotten, 1 already forgotten/);
    expect(statSync(join(dirB, 'keys.db')).mode & 0o777).toBe(0o600);

    const apiB = new Api(await ServerProcess.start(env(dirB)));
    try {
      expect((await apiB.signIn(USER.email, USER.password)).status).toBe(200);
      expect((await apiB.signIn(USER.email, 'not her passphrase at all')).status).toBe(401);
      expect((await apiB.request('GET', `/api/users/${userId}`)).json).toMatchObject({ email: USER.email, name: USER.name });
      expect((await apiB.request('GET', `/api/people/${kept}`)).json).toMatchObject({ name: KEPT, background: 'Planner in Tromsø', forgotten: false });
      expect((await apiB.request('GET', `/api/people/${forgottenBefore}`)).json).toMatchObject({ name: null, forgotten: true });
      expect((await apiB.request('GET', `/api/people/${forgottenAfter}`)).json).toMatchObject({ name: null, forgotten: true });
      // The view hides a forgotten person's name anyway: the export shows that their key is gone from the key store.
      const exported = (await apiB.request('GET', `/api/people/${forgottenAfter}/export`)).json;
      expect(exported).toMatchObject({ keyState: 'forgotten', forgotten: true });
      expect(JSON.stringify(exported)).not.toContain(FORGOTTEN_AFTER);
      expect((await apiB.request('GET', `/api/people/${kept}/export`)).json).toMatchObject({ keyState: 'active' });

      // Idempotent, and safe while the API runs.
      const reforget = await cli(['people', 'reforget'], env(dirB));
      expect({ code: reforget.code, stderr: reforget.stderr }).toEqual({ code: 0, stderr: '' });
      expect(reforget.stdout).toMatch(/^Re-applied 2 forgettings \(2 subjects\) .* 0 keys destroyed that were still held, 0 subjects without a key marked forgotten, 2 already forgotten\n$/);
    } finally {
      await apiB.server.kill('SIGTERM');
    }

    const refused = await cli(['restore', first], { ...env(join(root, 'c')), TRACKER_KEYS_FILE: join(dirB, 'keys.db') });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`error: ${join(dirB, 'keys.db')} already holds keys of 4 subjects: pass --force to replace it with the backup's\n`);
    expect(existsSync(join(root, 'c', 'events.db'))).toBe(false);
  }, 120_000);

  it('restores a full backup by its name alone; `people reforget` completes a key store restored by other means', async () => {
    const dirD = join(root, 'd');
    const restored = await cli(['restore', first], env(dirD));
    expect({ code: restored.code, stderr: restored.stderr }).toEqual({ code: 0, stderr: '' });
    expect(restored.stdout).toContain(`Restored the key store (3 keys, 1 subjects forgotten) from ${first}.keys.db`);
    expect(restored.stdout).toMatch(/Re-applied 1 forgettings \(1 subjects\) .* 0 keys destroyed that were still held, 0 subjects without a key marked forgotten, 1 already forgotten/);

    // Someone copies the newer events in by hand, keeping the older keys: reforget destroys the key the log says is gone.
    copyFileSync(second, join(dirD, 'events.db'));
    for (const suffix of ['-wal', '-shm']) rmSync(join(dirD, `events.db${suffix}`), { force: true });
    const reforget = await cli(['people', 'reforget'], env(dirD));
    expect(reforget.stdout).toMatch(/1 keys destroyed that were still held/);
    const keys = new SqlitePersonalDataKeys(join(dirD, 'keys.db'));
    try {
      expect(await keys.isForgotten(`person-${forgottenAfter}`)).toBe(true);
      expect(await keys.isForgotten(`person-${kept}`)).toBe(false);
    } finally {
      await keys.close();
    }
  }, 60_000);
});
