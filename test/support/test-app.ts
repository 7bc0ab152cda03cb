import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../apps/api/src/app.factory.js';
import { AppConfig } from '../../apps/api/src/config/app-config.js';
import { provisionTestStaff } from './accounts-fixture.js';
import { rawFetch, signFetchesTo, stopSigningFetchesTo } from './signed-in-fetch.js';

export { TEST_STAFF } from './accounts-fixture.js';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  /** Every Set-Cookie header. */
  cookies: string[];
  body: string;
  json: <T = Record<string, unknown>>() => T;
}

/** A signed-in browser: the session cookie's value and the session's CSRF token (null: do not send one). */
export interface SessionAuth {
  session: string;
  csrfToken: string | null;
}

/** Who a request acts as: a bearer token, a browser session, or nobody. */
export type Auth = { token: string } | SessionAuth | 'anonymous';

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Raw payload; objects are sent as JSON. */
  body?: unknown;
  /** Default: the client's own principal (a TestApp's: the test staff user). */
  as?: Auth;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

function authHeaders(auth: Auth): Record<string, string> {
  if (auth === 'anonymous') return {};
  if ('token' in auth) return { authorization: `Bearer ${auth.token}` };
  return { cookie: `tracker_session=${auth.session}`, ...(auth.csrfToken === null ? {} : { 'x-csrf-token': auth.csrfToken }) };
}

/** Requests to the app under test, acting as one principal. */
export class TestClient {
  constructor(
    readonly baseUrl: string,
    readonly auth: Auth,
  ) {}

  async request(method: Method, url: string, options: RequestOptions = {}): Promise<Reply> {
    const json = options.body !== undefined && typeof options.body !== 'string' && !Buffer.isBuffer(options.body);
    const response = await rawFetch(`${this.baseUrl}${url}`, {
      method,
      headers: { ...(json ? { 'content-type': 'application/json' } : {}), ...authHeaders(options.as ?? this.auth), ...options.headers },
      body: json ? JSON.stringify(options.body) : (options.body as string | Buffer | undefined),
    });
    const body = await response.text();
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers.entries()),
      cookies: response.headers.getSetCookie(),
      body,
      json: <T>() => JSON.parse(body) as T,
    };
  }

  get(url: string, headers?: Record<string, string>): Promise<Reply> {
    return this.request('GET', url, { headers });
  }

  post(url: string, body: unknown = {}, headers?: Record<string, string>): Promise<Reply> {
    return this.request('POST', url, { body, headers });
  }

  delete(url: string, headers?: Record<string, string>): Promise<Reply> {
    return this.request('DELETE', url, { headers });
  }

  /** The same app, acting as someone else (or nobody). */
  as(auth: Auth): TestClient {
    return new TestClient(this.baseUrl, auth);
  }
}

/** A user created through the API, signed in, with a password of their own and a personal API token. */
export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
  session: SessionAuth;
  /** Acts with the user's token. */
  client: TestClient;
}

/** What `newUser` registers. */
export interface NewTestUser {
  role: 'staff' | 'lead' | 'partner';
  organisationId?: string;
  personId?: string;
  email?: string;
  name?: string;
}

let users = 0;

/**
 * The real application on a temporary data directory, listening on a loopback port, driven over HTTP. Requests
 * act as the test staff user ({@link TEST_STAFF}) unless they say otherwise (`as`, `anonymous()`, `newUser`).
 */
export class TestApp extends TestClient {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly dataDir: string,
    private readonly ownsDir: boolean,
    baseUrl: string,
    /** The test staff user's API token. */
    readonly staffToken: string,
  ) {
    super(baseUrl, { token: staffToken });
  }

  static async start(env: Record<string, string> = {}, dataDir?: string): Promise<TestApp> {
    const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'tracker-e2e-'));
    const config = AppConfig.fromEnvironment({
      TRACKER_DATA_DIR: dir,
      TRACKER_DEMO: '0',
      TRACKER_DURABILITY: 'normal',
      LOG_LEVEL: 'silent',
      ...env,
    });
    const staffToken = provisionTestStaff(config.accountsFile, config.durability);
    const app = await createApp(config, { docsUi: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const testApp = new TestApp(app, dir, dataDir === undefined, `http://127.0.0.1:${port}`, staffToken);
    signFetchesTo(testApp.baseUrl, staffToken);
    return testApp;
  }

  /** Nobody signed in. */
  anonymous(): TestClient {
    return this.as('anonymous');
  }

  /** Registers a user (as staff); returns their id, e-mail address and one-time password. */
  async registerUser(user: NewTestUser): Promise<{ id: string; email: string; oneTimePassword: string }> {
    users += 1;
    const email = user.email ?? `${user.role}-${users}-${Math.random().toString(36).slice(2, 8)}@example.org`;
    const reply = await this.post('/api/users', {
      email,
      name: user.name ?? `Test ${user.role} ${users}`,
      role: user.role,
      ...(user.organisationId ? { organisationId: user.organisationId } : {}),
      ...(user.personId ? { personId: user.personId } : {}),
    });
    if (reply.status !== 201) throw new Error(`registering a user failed: ${reply.status} ${reply.body}`);
    const { id, oneTimePassword } = reply.json<{ id: string; oneTimePassword: string }>();
    return { id, email, oneTimePassword };
  }

  /** Signs in; the session is the cookie the reply set. */
  async signIn(email: string, password: string): Promise<{ reply: Reply; session: SessionAuth | null }> {
    const reply = await this.request('POST', '/api/auth/login', { body: { email, password }, as: 'anonymous' });
    const cookie = reply.cookies.map((c) => /^tracker_session=([^;]+)/.exec(c)?.[1]).find((v) => v !== undefined && v !== '');
    if (reply.status !== 200 || cookie === undefined) return { reply, session: null };
    return { reply, session: { session: cookie, csrfToken: reply.json<{ csrfToken: string }>().csrfToken } };
  }

  /** Registers a user, signs them in, sets their own password and issues them a token. */
  async newUser(user: NewTestUser): Promise<TestUser> {
    const { id, email, oneTimePassword } = await this.registerUser(user);
    const { session, reply } = await this.signIn(email, oneTimePassword);
    if (session === null) throw new Error(`signing in failed: ${reply.status} ${reply.body}`);
    const password = `correct horse battery ${Math.random().toString(36).slice(2)}`;
    const changed = await this.request('POST', '/api/auth/password', { body: { currentPassword: oneTimePassword, newPassword: password }, as: session });
    if (changed.status !== 200) throw new Error(`setting a password failed: ${changed.status} ${changed.body}`);
    const issued = await this.request('POST', '/api/auth/tokens', { body: { name: 'tests' }, as: session });
    if (issued.status !== 201) throw new Error(`issuing a token failed: ${issued.status} ${issued.body}`);
    const token = issued.json<{ token: string }>().token;
    return { id, email, password, token, session, client: this.as({ token }) };
  }

  async close(): Promise<void> {
    stopSigningFetchesTo(this.baseUrl);
    await this.app.close();
    if (this.ownsDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** A valid Test Card body. */
export function testCard(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Green living made easy',
    hypothesis: 'We believe that residents will take initiative if the first step is small',
    test: 'To verify that, we will run a street-level pop-up for two weeks',
    metric: 'Households that sign up',
    successCriteria: 'At least 30 households sign up',
    themes: ['sustainable urban development'],
    ...overrides,
  };
}
