import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerProcess } from '../../support/server-process.js';
import { stopSigningFetchesTo } from '../../support/signed-in-fetch.js';
import { TestClient } from '../../support/test-app.js';

/** A user who can sign in through the web app's sign-in page. */
export interface BrowserUser {
  id: string;
  email: string;
  password: string;
}

let users = 0;

/**
 * The compiled server (`npm run build` first; `npm test` does) on a temporary data directory with the demo
 * workspace. The pages call the JSON API in process through Fastify's inject, whose light-my-request loads the
 * ESM-only cookie@2 — fine on Node 20.19+, but not inside Jest's module system — so browser tests drive the real
 * server process. `staff` acts as the test staff user (API token) to set things up.
 */
export class Tracker {
  private constructor(
    readonly server: ServerProcess,
    readonly dataDir: string,
    readonly staff: TestClient,
  ) {}

  static async start(): Promise<Tracker> {
    const dataDir = mkdtempSync(join(tmpdir(), 'tracker-browser-'));
    const server = await ServerProcess.start({ TRACKER_DATA_DIR: dataDir, TRACKER_DEMO: '1', TRACKER_DURABILITY: 'normal' });
    return new Tracker(server, dataDir, new TestClient(server.baseUrl, { token: server.staffToken }));
  }

  get baseUrl(): string {
    return this.server.baseUrl;
  }

  /** Registers a user (as staff) and sets a password of their own, as a person would at first sign-in. */
  async newUser(user: { role: 'staff' | 'lead' | 'partner'; name: string; personId?: string; organisationId?: string }): Promise<BrowserUser> {
    users += 1;
    const email = `${user.role}-${users}-${Math.random().toString(36).slice(2, 8)}@example.org`;
    const registered = await this.staff.post('/api/users', { email, ...user });
    if (registered.status !== 201) throw new Error(`registering a user failed: ${registered.status} ${registered.body}`);
    const { id, oneTimePassword } = registered.json<{ id: string; oneTimePassword: string }>();
    const login = await this.staff.request('POST', '/api/auth/login', { body: { email, password: oneTimePassword }, as: 'anonymous' });
    const session = login.cookies.map((c) => /^tracker_session=([^;]+)/.exec(c)?.[1]).find((v) => v !== undefined && v !== '');
    if (login.status !== 200 || session === undefined) throw new Error(`signing in failed: ${login.status} ${login.body}`);
    const password = `correct horse battery ${Math.random().toString(36).slice(2)}`;
    const changed = await this.staff.request('POST', '/api/auth/password', {
      body: { currentPassword: oneTimePassword, newPassword: password },
      as: { session, csrfToken: login.json<{ csrfToken: string }>().csrfToken },
    });
    if (changed.status !== 200) throw new Error(`setting a password failed: ${changed.status} ${changed.body}`);
    return { id, email, password };
  }

  /** Creates through the API as staff; returns the new id. */
  async create(path: string, body: object): Promise<string> {
    const reply = await this.staff.post(path, body);
    if (reply.status !== 201) throw new Error(`POST ${path} failed: ${reply.status} ${reply.body}`);
    return reply.json<{ id: string }>().id;
  }

  async stop(): Promise<void> {
    stopSigningFetchesTo(this.server.baseUrl);
    await this.server.kill('SIGTERM');
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
