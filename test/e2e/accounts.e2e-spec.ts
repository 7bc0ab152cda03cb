import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EventStore, type RecordedEvent } from '#event-store';
import { createEntity } from '../support/entity-requests.js';
import { freePort } from '../support/server-process.js';
import { rawFetch } from '../support/signed-in-fetch.js';
import { TEST_STAFF, TestApp, testCard, type Reply, type SessionAuth, type TestUser } from '../support/test-app.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function allEvents(app: TestApp): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const batch of app.app.get(EventStore).readAll()) events.push(...batch);
  return events;
}

function cookie(reply: Reply, name = 'tracker_session'): string {
  const found = reply.cookies.find((c) => c.startsWith(`${name}=`));
  expect(found).toBeDefined();
  return found ?? '';
}

describe('accounts: sign-in, sessions, tokens, users', () => {
  let app: TestApp;
  let partnerOrg: string;
  let person: string;

  beforeAll(async () => {
    app = await TestApp.start({ TRACKER_LOGIN_ATTEMPTS_PER_MINUTE: '1000' });
    partnerOrg = await createEntity(app, '/api/organisations', { name: 'Trondheim kommune (test data)', kind: 'municipality' });
    person = await createEntity(app, '/api/people', { name: 'Lea Lead' });
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('registering users (staff)', () => {
    it('returns a one-time password once; the event records who granted what to whom, without secrets', async () => {
      const reply = await app.post('/api/users', { email: ' Kari@Example.org ', name: 'Kari Nordmann', role: 'partner', organisationId: partnerOrg });
      expect(reply.status).toBe(201);
      const body = reply.json<{ id: string; version: number; oneTimePassword: string; oneTimePasswordExpiresAt: string }>();
      expect(body).toMatchObject({ version: 1, oneTimePassword: expect.stringMatching(/^([a-z2-9]{5}-){4}[a-z2-9]{5}$/) });
      expect(reply.headers.location).toBe(`/api/users/${body.id}`);
      expect(reply.headers.etag).toBe('"1"');
      const [registered] = await app.app.get(EventStore).readStream(`user-${body.id}`);
      expect(registered).toMatchObject({
        type: 'UserRegistered',
        data: { userId: body.id, role: 'partner', organisationId: partnerOrg, personId: null, personal: { name: 'Kari Nordmann', email: 'kari@example.org' } },
        metadata: { actor: { id: TEST_STAFF.id, role: 'staff' }, source: 'api' },
      });
      expect(JSON.stringify(registered)).not.toContain(body.oneTimePassword);
      expect((await app.get(`/api/users/${body.id}`)).json()).toMatchObject({ email: 'kari@example.org', role: 'partner', status: 'active', mustChangePassword: true });
      const history = (await app.get(`/api/users/${body.id}/history`)).json<{ items: Array<{ type: string; actor: unknown; data: object }> }>().items;
      expect(history).toEqual([expect.objectContaining({ type: 'UserRegistered', actor: { id: TEST_STAFF.id, role: 'staff' } })]);
      expect(history[0].data).not.toHaveProperty('personal');
    });

    it('refuses a taken e-mail, a partner without organisation, unknown references and bad fields', async () => {
      const email = 'twice@example.org';
      expect((await app.post('/api/users', { email, name: 'First', role: 'staff' })).status).toBe(201);
      expect((await app.post('/api/users', { email: 'TWICE@example.org', name: 'Second', role: 'lead' })).json()).toMatchObject({ status: 422, rule: 'user.email-taken' });
      expect((await app.post('/api/users', { email: 'p@example.org', name: 'P', role: 'partner' })).json()).toMatchObject({ rule: 'user.organisation-required' });
      expect((await app.post('/api/users', { email: 'q@example.org', name: 'Q', role: 'partner', organisationId: person })).json()).toMatchObject({
        rule: 'user.unknown-organisation',
      });
      const bad = await app.post('/api/users', { email: 5, name: '', role: 'admin', isAdmin: true });
      expect(bad.status).toBe(400);
      expect(bad.json<{ errors: Array<{ field: string }> }>().errors.map((e) => e.field)).toEqual(expect.arrayContaining(['email', 'name', 'role', 'isAdmin']));
    });
  });

  describe('signing in with a session cookie', () => {
    let user: TestUser;

    beforeAll(async () => {
      user = await app.newUser({ role: 'lead', personId: person });
    });

    it('sets an HttpOnly, SameSite=Lax session cookie (not Secure over plain http) and answers who is signed in', async () => {
      const { reply, session } = await app.signIn(user.email.toUpperCase(), user.password);
      expect(reply.status).toBe(200);
      const set = cookie(reply);
      expect(set).toMatch(/; HttpOnly/i);
      expect(set).toMatch(/; SameSite=Lax/i);
      expect(set).toMatch(/; Path=\//i);
      expect(set).not.toMatch(/; Secure/i);
      expect(reply.json()).toMatchObject({ user: { id: user.id, role: 'lead', personId: person, authenticatedBy: 'session' }, csrfToken: expect.any(String) });
      const me = await app.as(session as SessionAuth).get('/api/auth/me');
      expect(me.json()).toMatchObject({ id: user.id, email: user.email, role: 'lead', authenticatedBy: 'session', mustChangePassword: false });
    });

    it('marks the cookie Secure (and __Host-) behind https or when configured', async () => {
      const viaProxy = await app.request('POST', '/api/auth/login', {
        body: { email: user.email, password: user.password },
        as: 'anonymous',
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(cookie(viaProxy, '__Host-tracker_session')).toMatch(/; Secure/i);
      const secureApp = await TestApp.start({ TRACKER_SECURE_COOKIES: '1' });
      try {
        const { email, oneTimePassword } = await secureApp.registerUser({ role: 'staff' });
        const reply = await secureApp.request('POST', '/api/auth/login', { body: { email, password: oneTimePassword }, as: 'anonymous' });
        expect(reply.status).toBe(200);
        expect(cookie(reply, '__Host-tracker_session')).toMatch(/; Secure/i);
      } finally {
        await secureApp.close();
      }
    });

    it('answers a wrong password, an unknown address and a disabled user alike (401)', async () => {
      const wrong = await app.signIn(user.email, 'not the password at all');
      const unknown = await app.signIn('nobody@example.org', user.password);
      expect(wrong.reply.status).toBe(401);
      expect(wrong.session).toBeNull();
      expect(unknown.reply.body).toBe(wrong.reply.body);
      expect(wrong.reply.json()).toMatchObject({ status: 401, type: '/problems/invalid-credentials' });
    });

    it('requires the CSRF token on state-changing requests signed in by cookie (not on reads, not with a token)', async () => {
      const { session } = await app.signIn(user.email, user.password);
      const auth = session as SessionAuth;
      const withoutToken = app.as({ session: auth.session, csrfToken: null });
      expect((await withoutToken.get('/api/experiments')).status).toBe(200);
      const refused = await withoutToken.post('/api/experiments', testCard());
      expect(refused.status).toBe(403);
      expect(refused.json()).toMatchObject({ type: '/problems/csrf-token-missing' });
      expect((await app.as({ session: auth.session, csrfToken: 'forged' }).post('/api/experiments', testCard())).status).toBe(403);
      const csrf = (await withoutToken.get('/api/auth/csrf')).json<{ csrfToken: string; header: string }>();
      expect(csrf).toEqual({ csrfToken: auth.csrfToken, header: 'x-csrf-token', field: '_csrf' });
      expect((await app.as(auth).post('/api/experiments', testCard())).status).toBe(201);
      expect((await user.client.post('/api/experiments', testCard())).status).toBe(201);
      expect((await user.client.get('/api/auth/csrf')).json()).toMatchObject({ csrfToken: null });
    });

    it('signs out: the session ends on the server, the cookie is cleared', async () => {
      const { session } = await app.signIn(user.email, user.password);
      const client = app.as(session as SessionAuth);
      const out = await client.post('/api/auth/logout');
      expect(out.status).toBe(204);
      expect(cookie(out)).toMatch(/tracker_session=;/);
      expect((await client.get('/api/auth/me')).status).toBe(401);
    });

    it('limits sign-in attempts per address and e-mail to 5 a minute by default (429 with Retry-After); other accounts are unaffected', async () => {
      const limited = await TestApp.start();
      try {
        const { email, oneTimePassword } = await limited.registerUser({ role: 'lead' });
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++) statuses.push((await limited.signIn(email, 'wrong password here')).reply.status);
        expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
        const blocked = await limited.signIn(email, oneTimePassword);
        expect(blocked.reply.status).toBe(429);
        expect(Number(blocked.reply.headers['retry-after'])).toBeGreaterThan(0);
        expect(blocked.reply.json()).toMatchObject({ status: 429, type: '/problems/too-many-attempts' });
        const other = await limited.registerUser({ role: 'lead' });
        expect((await limited.signIn(other.email, other.oneTimePassword)).reply.status).toBe(200);
      } finally {
        await limited.close();
      }
    });
  });

  describe('one-time passwords and password changes', () => {
    it('a one-time password only lets the user set their own; then it no longer works', async () => {
      const { email, oneTimePassword } = await app.registerUser({ role: 'lead', personId: person });
      const { session } = await app.signIn(email, oneTimePassword);
      const client = app.as(session as SessionAuth);
      expect((await client.get('/api/auth/me')).json()).toMatchObject({ mustChangePassword: true });
      const blocked = await client.get('/api/experiments');
      expect(blocked.status).toBe(403);
      expect(blocked.json()).toMatchObject({ type: '/problems/password-change-required' });
      expect((await client.post('/api/auth/tokens', { name: 'too early' })).status).toBe(403);
      const short = await client.post('/api/auth/password', { currentPassword: oneTimePassword, newPassword: 'short' });
      expect(short.status).toBe(400);
      const wrong = await client.post('/api/auth/password', { currentPassword: 'not it at all', newPassword: 'a long enough passphrase' });
      expect(wrong.json()).toMatchObject({ status: 422, rule: 'auth.current-password-wrong' });
      const changed = await client.post('/api/auth/password', { currentPassword: oneTimePassword, newPassword: 'a long enough passphrase' });
      expect(changed.status).toBe(200);
      expect((await client.get('/api/experiments')).status).toBe(200);
      expect((await app.signIn(email, oneTimePassword)).reply.status).toBe(401);
      expect((await app.signIn(email, 'a long enough passphrase')).reply.status).toBe(200);
    });

    it("a password change ends the user's other sessions, not the one making it", async () => {
      const user = await app.newUser({ role: 'lead', personId: person });
      const other = (await app.signIn(user.email, user.password)).session as SessionAuth;
      const current = (await app.signIn(user.email, user.password)).session as SessionAuth;
      expect((await app.as(current).post('/api/auth/password', { currentPassword: user.password, newPassword: 'another long passphrase' })).status).toBe(200);
      expect((await app.as(current).get('/api/auth/me')).status).toBe(200);
      expect((await app.as(other).get('/api/auth/me')).status).toBe(401);
      expect((await user.client.get('/api/auth/me')).status).toBe(200);
    });

    it('a staff reset issues a new one-time password and revokes every session and token of the user', async () => {
      const user = await app.newUser({ role: 'lead', personId: person });
      const reset = await app.post(`/api/users/${user.id}/password-reset`);
      expect(reset.status).toBe(200);
      const { oneTimePassword } = reset.json<{ oneTimePassword: string }>();
      expect((await user.client.get('/api/auth/me')).status).toBe(401);
      expect((await app.as(user.session).get('/api/auth/me')).status).toBe(401);
      expect((await app.signIn(user.email, user.password)).reply.status).toBe(401);
      const { session } = await app.signIn(user.email, oneTimePassword);
      expect((await app.as(session as SessionAuth).get('/api/auth/me')).json()).toMatchObject({ mustChangePassword: true });
      expect((await app.as(session as SessionAuth).get('/api/experiments')).status).toBe(403);
    });
  });

  describe('personal API tokens', () => {
    let user: TestUser;

    beforeAll(async () => {
      user = await app.newUser({ role: 'lead', personId: person });
    });

    it('shows the secret once, lists tokens without it, and stores only a digest', async () => {
      const issued = await app.as(user.session).post('/api/auth/tokens', { name: 'reporting script', expiresAt: '2099-01-01' });
      expect(issued.status).toBe(400);
      const inAMonth = new Date(Date.now() + 30 * 86_400_000).toISOString();
      const ok = await app.as(user.session).post('/api/auth/tokens', { name: 'reporting script', expiresAt: inAMonth });
      expect(ok.status).toBe(201);
      const { id, token, expiresAt } = ok.json<{ id: string; token: string; expiresAt: string }>();
      expect(token).toMatch(/^trk_[A-Za-z0-9_-]{43}$/);
      expect(expiresAt).toBe(inAMonth);
      const listed = (await app.as({ token }).get('/api/auth/tokens')).json<{ items: Array<Record<string, unknown>> }>().items;
      expect(listed.map((t) => t.id)).toContain(id);
      expect(JSON.stringify(listed)).not.toContain(token);
      for (const file of ['accounts.db', 'accounts.db-wal', 'read-models.db', 'read-models.db-wal']) {
        const path = join(app.dataDir, file);
        if (existsSync(path)) expect({ file, leaked: readFileSync(path).includes(Buffer.from(token)) }).toEqual({ file, leaked: false });
      }
      expect(JSON.stringify(await allEvents(app))).not.toContain(token);
      const [event] = (await app.app.get(EventStore).readStream(`user-${user.id}`)).filter((e) => e.type === 'ApiTokenIssued' && (e.data as { tokenId: string }).tokenId === id);
      expect(event.data).toEqual({ userId: user.id, tokenId: id, name: 'reporting script', expiresAt: inAMonth });
    });

    it('revokes a token at once; another user cannot revoke it (404)', async () => {
      const { id, token } = (await user.client.post('/api/auth/tokens', { name: 'short-lived' })).json<{ id: string; token: string }>();
      const other = await app.newUser({ role: 'lead', personId: person });
      expect((await other.client.delete(`/api/auth/tokens/${id}`)).status).toBe(404);
      expect((await app.as({ token }).get('/api/auth/me')).status).toBe(200);
      expect((await user.client.delete(`/api/auth/tokens/${id}`)).status).toBe(204);
      expect((await app.as({ token }).get('/api/auth/me')).status).toBe(401);
      expect((await user.client.delete(`/api/auth/tokens/${id}`)).status).toBe(404);
    });

    it('stops working when it expires', async () => {
      const expiresAt = new Date(Date.now() + 1500).toISOString();
      const { token } = (await user.client.post('/api/auth/tokens', { name: 'expiring', expiresAt })).json<{ token: string }>();
      expect((await app.as({ token }).get('/api/auth/me')).json()).toMatchObject({ expiresAt });
      await sleep(1700);
      expect((await app.as({ token }).get('/api/auth/me')).status).toBe(401);
    });
  });

  describe('disabling and role changes take effect at once', () => {
    it("a disabled user's token and session are refused immediately, and they cannot sign in", async () => {
      const user = await app.newUser({ role: 'lead', personId: person });
      expect((await user.client.get('/api/experiments')).status).toBe(200);
      const disabled = await app.post(`/api/users/${user.id}/disable`);
      expect(disabled.status).toBe(200);
      expect(disabled.headers.etag).toBe(`"${disabled.json<{ version: number }>().version}"`);
      expect((await user.client.get('/api/experiments')).status).toBe(401);
      expect((await app.as(user.session).get('/api/experiments')).status).toBe(401);
      expect((await app.signIn(user.email, user.password)).reply.status).toBe(401);
      expect((await app.post(`/api/users/${user.id}/disable`)).json()).toMatchObject({ status: 422, rule: 'user.disabled' });
      expect((await app.get(`/api/users/${user.id}`)).json()).toMatchObject({ status: 'disabled' });
    });

    it('a role change revokes sessions and tokens; after signing in again the new role applies', async () => {
      const user = await app.newUser({ role: 'lead', personId: person });
      const changed = await app.post(`/api/users/${user.id}/role`, { role: 'partner', organisationId: partnerOrg });
      expect(changed.status).toBe(200);
      expect((await user.client.get('/api/experiments')).status).toBe(401);
      expect((await app.as(user.session).get('/api/auth/me')).status).toBe(401);
      const { session } = await app.signIn(user.email, user.password);
      expect((await app.as(session as SessionAuth).get('/api/auth/me')).json()).toMatchObject({ role: 'partner', organisationId: partnerOrg });
      expect((await app.as(session as SessionAuth).get('/api/users')).status).toBe(404);
      const history = (await app.get(`/api/users/${user.id}/history`)).json<{ items: Array<{ type: string; data: Record<string, unknown> }> }>().items;
      expect(history.find((e) => e.type === 'UserRoleChanged')?.data).toEqual({
        userId: user.id,
        role: 'partner',
        organisationId: partnerOrg,
        personId: person,
        previous: { role: 'lead', organisationId: null, personId: person },
      });
      expect((await app.post(`/api/users/${user.id}/role`, { role: 'partner' })).json()).toMatchObject({ rule: 'user.no-changes' });
    });

    it('no event carries a password, a hash or a token secret', async () => {
      const events = (await allEvents(app)).filter((e) => e.streamId.startsWith('user-'));
      expect(events.length).toBeGreaterThan(10);
      const text = JSON.stringify(events.map((e) => e.data));
      expect(text).not.toMatch(/scrypt\$|trk_|password/i);
    });
  });
});

describe('two API instances sharing the event store and accounts.db', () => {
  let shared: string;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    shared = mkdtempSync(join(tmpdir(), 'tracker-shared-'));
    const env = { EVENT_STORE_URL: `sqlite:${join(shared, 'events.db')}`, TRACKER_ACCOUNTS_FILE: join(shared, 'accounts.db') };
    a = await TestApp.start(env);
    b = await TestApp.start(env);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    rmSync(shared, { recursive: true, force: true });
  });

  it('a session or token from one works on the other; a disabling on one is refused by the other at once', async () => {
    const user = await a.newUser({ role: 'lead' });
    expect((await b.as(user.session).get('/api/auth/me')).json()).toMatchObject({ id: user.id, authenticatedBy: 'session' });
    expect((await b.as({ token: user.token }).get('/api/experiments')).status).toBe(200);
    expect((await b.post(`/api/users/${user.id}/disable`)).status).toBe(200);
    expect((await a.as({ token: user.token }).get('/api/experiments')).status).toBe(401);
    expect((await a.as(user.session).get('/api/auth/me')).status).toBe(401);
    expect((await a.get(`/api/users/${user.id}`)).json()).toMatchObject({ status: 'disabled' });
  });
});

describe('first run: the first staff user and its one-time password', () => {
  const MAIN = resolve('dist/apps/api/src/main.js');
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracker-first-run-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the compiled server on an empty data directory until it answers; returns its output and a stop function. */
  async function serve(): Promise<{ base: string; output: () => string; stop: () => Promise<void> }> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, PORT: String(port), TRACKER_DATA_DIR: dir, TRACKER_DEMO: '0', TRACKER_ADMIN_EMAIL: 'Admin@Example.org', LOG_LEVEL: 'warn', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 200; i++) {
      if ((await rawFetch(`${base}/health`).catch(() => null))?.ok) break;
      await sleep(100);
    }
    const stop = async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    };
    return { base, output: () => output, stop };
  }

  it('prints a one-time password once (never a fixed default); it must be changed; a restart creates no other user', async () => {
    const first = await serve();
    let password = '';
    try {
      const match = /staff user admin@example\.org with the one-time password ([a-z2-9-]{29})/.exec(first.output());
      expect(match).not.toBeNull();
      password = match?.[1] ?? '';
      expect((await rawFetch(`${first.base}/api/experiments`)).status).toBe(401);
      const login = await rawFetch(`${first.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@example.org', password }),
      });
      expect(login.status).toBe(200);
      const session = /^tracker_session=([^;]+)/.exec(login.headers.getSetCookie()[0] ?? '')?.[1] ?? '';
      const { csrfToken, user } = (await login.json()) as { csrfToken: string; user: { id: string; mustChangePassword: boolean } };
      expect(user.mustChangePassword).toBe(true);
      const headers = { cookie: `tracker_session=${session}`, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
      expect((await rawFetch(`${first.base}/api/users`, { headers })).status).toBe(403);
      const changed = await rawFetch(`${first.base}/api/auth/password`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ currentPassword: password, newPassword: 'the administrator passphrase' }),
      });
      expect(changed.status).toBe(200);
      expect((await rawFetch(`${first.base}/api/users`, { headers })).status).toBe(200);
      const self = await rawFetch(`${first.base}/api/users/${user.id}/disable`, { method: 'POST', headers, body: '{}' });
      expect(((await self.json()) as { rule: string }).rule).toBe('user.last-staff');
      const events = await rawFetch(`${first.base}/api/users/${user.id}/history`, { headers });
      expect(((await events.json()) as { items: Array<{ type: string; actor: unknown }> }).items.map((e) => [e.type, e.actor])).toEqual([
        ['UserRegistered', { id: 'system', role: 'system' }],
        ['PasswordChanged', { id: user.id, role: 'staff' }],
      ]);
    } finally {
      await first.stop();
    }
    const second = await serve();
    try {
      expect(second.output()).not.toContain('one-time password');
      const login = await rawFetch(`${second.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@example.org', password: 'the administrator passphrase' }),
      });
      expect(login.status).toBe(200);
    } finally {
      await second.stop();
    }
  }, 60_000);
});
