import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { runCli } from '../support/cli-process.js';
import { ServerProcess } from '../support/server-process.js';
import { rawFetch } from '../support/signed-in-fetch.js';

const VERIFY_BUNDLE = resolve('tools/verify-bundle.mjs');
/** Each CLI run boots Nest and opens the stores (1–4 s on a busy machine); these tests run a dozen. */
const CLI_TEST_TIMEOUT_MS = 240_000;

function oneTimePasswordIn(output: string): string {
  const match = /^ {2}(\S+)$/m.exec(output);
  if (match === null) throw new Error(`no one-time password in:\n${output}`);
  return match[1];
}

describe('command line: users and audit, beside a running API', () => {
  let dir: string;
  let env: Record<string, string>;
  let api: ServerProcess;

  const signIn = (email: string, password: string) =>
    rawFetch(`${api.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
  const me = (token: string) => rawFetch(`${api.baseUrl}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tracker-cli-audit-'));
    env = { TRACKER_DATA_DIR: dir, TRACKER_DEMO: '1', TRACKER_DURABILITY: 'normal' };
    api = await ServerProcess.start(env);
  });

  afterAll(async () => {
    await api?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }, CLI_TEST_TIMEOUT_MS);

  it('adds a user whose one-time password signs in on the API, issues a token and takes it away with a role change', async () => {
    const added = await runCli(['users', 'add', 'Kari.Lead@Example.org', '--name', 'Kari Lead', '--role', 'lead'], env);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const password = oneTimePasswordIn(added.stdout);

    const signedIn = await signIn('kari.lead@example.org', password);
    expect(signedIn.status).toBe(200);
    expect(((await signedIn.json()) as { user: { role: string; mustChangePassword: boolean } }).user).toMatchObject({ role: 'lead', mustChangePassword: true });

    const issued = await runCli(['users', 'token', 'kari.lead@example.org', '--name', 'nightly export'], env);
    expect(issued.code).toBe(0);
    const token = /trk_\S+/.exec(issued.stdout)?.[0] ?? '';
    expect((await me(token)).status).toBe(200);

    const listed = await runCli(['users', 'list'], env);
    expect(listed.stdout).toMatch(/kari\.lead@example\.org\tKari Lead\tlead\t-\tactive/);

    const promoted = await runCli(['users', 'role', 'kari.lead@example.org', 'staff'], env);
    expect(promoted.code).toBe(0);
    expect((await me(token)).status).toBe(401);

    const reset = await runCli(['users', 'passwd', 'kari.lead@example.org'], env);
    expect(reset.code).toBe(0);
    const second = oneTimePasswordIn(reset.stdout);
    expect(second).not.toBe(password);
    expect((await signIn('kari.lead@example.org', password)).status).toBe(401);
    expect((await signIn('kari.lead@example.org', second)).status).toBe(200);

    expect((await runCli(['users', 'disable', 'kari.lead@example.org'], env)).code).toBe(0);
    expect((await signIn('kari.lead@example.org', second)).status).toBe(401);

    const history = (await (await fetch(`${api.baseUrl}/api/audit?stream=user&limit=50`)).json()) as { items: { type: string; actor: { id: string } }[] };
    const types = history.items.filter((item) => item.actor.id === 'system').map((item) => item.type);
    expect(types).toEqual(expect.arrayContaining(['UserRegistered', 'ApiTokenIssued', 'UserRoleChanged', 'PasswordReset', 'UserDisabled']));
  }, CLI_TEST_TIMEOUT_MS);

  it('refuses bad input with a message and exit code 1, writing nothing', async () => {
    const before = (await runCli(['users', 'list'], env)).stdout;
    const cases = [
      [['users', 'add', 'x@example.org', '--name', 'X', '--role', 'boss'], /role must be one of staff, lead, partner/],
      [['users', 'add', 'x@example.org', '--role', 'lead'], /--name <name> is required/],
      [['users', 'add', 'p@example.org', '--name', 'P', '--role', 'partner'], /organisationId is required/],
      [['users', 'add', 'Kari.Lead@example.org', '--name', 'K', '--role', 'lead'], /another user has this e-mail address/],
      [['users', 'passwd', 'nobody@example.org'], /does not exist/],
      [['users', 'token', 'kari.lead@example.org', '--name', 't', '--expires', 'soon'], /--expires must be an ISO 8601 date-time/],
      [['audit', 'verify', '--up-to', '-3'], /--up-to must be a whole number/],
    ] as const;
    for (const [args, message] of cases) {
      const run = await runCli([...args], env);
      expect({ args, code: run.code }).toEqual({ args, code: 1 });
      expect(run.stderr).toMatch(message);
    }
    expect((await runCli(['users', 'list'], env)).stdout).toBe(before);
  }, CLI_TEST_TIMEOUT_MS);

  it('verifies the log, exports a bundle that verifies offline, and names the first broken link after tampering', async () => {
    const verified = await runCli(['audit', 'verify'], env);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^OK: \d+ events in \d+ streams verify/);
    const report = JSON.parse((await runCli(['audit', 'verify', '--json'], env)).stdout) as { ok: boolean; events: number };
    expect(report.ok).toBe(true);
    expect(report.events).toBeGreaterThan(17);

    const bundleFile = join(dir, 'bundle.json');
    const exported = await runCli(['audit', 'export', '--out', bundleFile], env);
    expect(exported.code).toBe(0);
    const keyFile = join(dir, 'public-key.pem');
    writeFileSync(keyFile, await (await fetch(`${api.baseUrl}/api/audit/public-key`)).text());
    const offline = spawnSync(process.execPath, [VERIFY_BUNDLE, bundleFile, keyFile], { encoding: 'utf8' });
    expect(offline.stdout).toMatch(/^OK /);
    expect(offline.status).toBe(0);
    expect((await runCli(['audit', 'export', '--out', bundleFile], env)).code).toBe(1);

    await api.kill('SIGTERM');
    const raw = new Database(join(dir, 'events.db'));
    const victim = raw.prepare("SELECT position, stream_id AS stream, event_id AS eventId FROM events WHERE json_extract(metadata, '$.source') = 'demo' ORDER BY position LIMIT 1 OFFSET 4").get() as {
      position: number;
      stream: string;
      eventId: string;
    };
    raw.prepare("UPDATE events SET data = json_set(data, '$.tampered', 1) WHERE position = ?").run(victim.position);
    raw.close();

    const broken = await runCli(['audit', 'verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^BROKEN: /);
    expect(broken.stdout).toContain(`stream ${victim.stream}`);
    expect(broken.stdout).toContain(`position ${victim.position}`);
    expect(broken.stdout).toContain(`event ${victim.eventId}`);

    const refused = join(dir, 'refused.json');
    const exportBroken = await runCli(['audit', 'export', '--out', refused], env);
    expect(exportBroken.code).toBe(1);
    expect(exportBroken.stderr).toMatch(/Nothing was signed/);
    expect(existsSync(refused)).toBe(false);
  }, CLI_TEST_TIMEOUT_MS);
});
