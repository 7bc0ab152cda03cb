import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { eventHash, GENESIS_HASH, type RecordedEvent } from '#event-store';
import { loadSigningKey } from '../../apps/api/src/audit/signing-key.js';
import { AppConfig, ConfigError } from '../../apps/api/src/config/app-config.js';
import { TestApp, testCard } from '../support/test-app.js';

const run = promisify(execFile);
const VERIFIER = join(process.cwd(), 'tools', 'verify-bundle.mjs');

interface Bundle {
  statement: { complete: boolean; events: number; keyId: string; ledger: { position: number; head: string }; previous: { position: number; head: string } | null };
  events: RecordedEvent[];
}

/** Runs the offline verifier as a partner would. */
async function verifier(dir: string, bundle: unknown, pem: string, previous?: unknown): Promise<{ code: number; out: string }> {
  const name = `bundle-${Math.random().toString(36).slice(2)}`;
  writeFileSync(join(dir, `${name}.json`), typeof bundle === 'string' ? bundle : JSON.stringify(bundle));
  writeFileSync(join(dir, `${name}.pem`), pem);
  const args = [VERIFIER, join(dir, `${name}.json`), join(dir, `${name}.pem`)];
  if (previous !== undefined) {
    writeFileSync(join(dir, `${name}.previous.json`), JSON.stringify(previous));
    args.push('--previous', join(dir, `${name}.previous.json`));
  }
  try {
    return { code: 0, out: (await run(process.execPath, args)).stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, out: failed.stdout };
  }
}

describe('tamper evidence over HTTP: GET /api/audit/verify, /export, /public-key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tracker-integrity-'));
  const dataDir = join(dir, 'data');
  let app: TestApp;
  let experiment: string;
  let pem: string;
  let partnerOrganisation: string;

  beforeAll(async () => {
    app = await TestApp.start({}, dataDir);
    const created = await app.post('/api/experiments', testCard({ title: 'Bydelsmat på Tøyen' }));
    expect(created.status).toBe(201);
    experiment = created.json<{ id: string }>().id;
    expect((await app.post(`/api/experiments/${experiment}/start`, {})).status).toBe(200);
    expect((await app.post(`/api/experiments/${experiment}/steps`, { description: 'Intervjuet 12 beboere' })).status).toBe(200);
    const organisation = await app.post('/api/organisations', { name: 'Trondheim kommune', kind: 'municipality' });
    expect(organisation.status).toBe(201);
    partnerOrganisation = organisation.json<{ id: string }>().id;
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the generated public key as PEM or JSON, with its key id; the private key file is 0600', async () => {
    const text = await app.get('/api/audit/public-key');
    expect(text.status).toBe(200);
    expect(text.headers['content-type']).toMatch(/^text\/plain/);
    expect(text.body).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
    pem = text.body;
    const json = await app.get('/api/audit/public-key', { accept: 'application/json' });
    const keyId = createHash('sha256').update(Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64')).digest('hex');
    expect(json.json()).toEqual({ keyId, algorithm: 'Ed25519', pem });
    expect(text.headers['x-key-id']).toBe(keyId);
    expect(statSync(join(dataDir, 'signing-key.pem')).mode & 0o777).toBe(0o600);
    expect((await app.anonymous().get('/api/audit/public-key')).body).toBe(pem);
    expect((await app.anonymous().get('/api/audit/verify')).status).toBe(401);
    expect((await app.anonymous().get('/api/audit/export')).status).toBe(401);
  });

  it('verifies an untouched log: every stream, event and the ledger head', async () => {
    const reply = await app.get('/api/audit/verify');
    expect(reply.status).toBe(200);
    expect(reply.json()).toMatchObject({ ok: true, streams: 2, events: 4, unchained: 0, position: 4, witnessedUpTo: 4, head: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await app.get('/api/audit/verify?upTo=2')).json()).toMatchObject({ ok: true, events: 2, position: 2 });
    const unknown = await app.get('/api/audit/verify?full=yes');
    expect(unknown.status).toBe(400);
    expect(unknown.json()).toMatchObject({ errors: [{ field: 'full' }] });
  });

  it('exports a signed bundle that verifies offline; a tampered copy does not', async () => {
    const reply = await app.get('/api/audit/export');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-disposition']).toBe('attachment; filename="audit-bundle-4.json"');
    const bundle = reply.json<Bundle>();
    expect(bundle.statement).toMatchObject({ complete: true, events: 4, ledger: { position: 4 }, previous: null });
    expect(await verifier(dir, reply.body, pem)).toEqual({ code: 0, out: expect.stringMatching(/^OK 4 events in 2 streams \(0 redacted\)/) });

    const tampered = reply.body.replace('Intervjuet 12 beboere', 'Intervjuet 13 beboere');
    expect(tampered).not.toBe(reply.body);
    expect(await verifier(dir, tampered, pem)).toEqual({ code: 1, out: expect.stringMatching(/^FAILED digest-mismatch/) });
    const otherKey = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(await verifier(dir, reply.body, otherKey)).toEqual({ code: 1, out: expect.stringMatching(/^FAILED key-mismatch/) });
  });

  it('exports with the audit filters and refuses a previous position past the bundle', async () => {
    const filtered = await app.get(`/api/audit/export?stream=experiment-${experiment}&previous=1`);
    expect(filtered.status).toBe(200);
    expect(filtered.json<Bundle>().statement).toMatchObject({ complete: false, events: 3, previous: { position: 1 } });
    expect(await verifier(dir, filtered.body, pem)).toMatchObject({ code: 0 });
    const beyond = await app.get(`/api/audit/export?stream=experiment-${experiment}&previous=4`);
    expect(beyond.status).toBe(400);
    expect(beyond.json()).toMatchObject({ errors: [{ field: 'previous' }] });
    expect((await app.get('/api/audit/export?previous=first')).status).toBe(400);
  });

  it('after the events file is rewritten (hashes recomputed) behind its back: verify names the event, export refuses', async () => {
    const earlier = (await app.get('/api/audit/export')).json<Bundle>();
    const partner = await app.newUser({ role: 'partner', organisationId: partnerOrganisation });
    await app.close();
    const db = new Database(join(dataDir, 'events.db'));
    const [row] = db.prepare<[], { position: number; event_id: string; stream_id: string }>("SELECT position, event_id, stream_id FROM events WHERE type = 'StepLogged'").all();
    db.prepare("UPDATE events SET data = replace(data, 'Intervjuet 12', 'Intervjuet 40') WHERE position = ?").run(row.position);
    const rows = db.prepare<[string], RecordedEvent & { data: string; metadata: string; stream_id: string; event_id: string }>(
      'SELECT event_id, stream_id, version, type, data, metadata FROM events WHERE stream_id = ? ORDER BY version',
    ).all(row.stream_id);
    let previous = GENESIS_HASH;
    for (const r of rows) {
      const hash = eventHash(previous, { eventId: r.event_id, streamId: r.stream_id, version: r.version, type: r.type, data: JSON.parse(r.data), metadata: JSON.parse(r.metadata) });
      db.prepare('UPDATE events SET previous_hash = ?, hash = ? WHERE event_id = ?').run(previous, hash, r.event_id);
      previous = hash;
    }
    db.close();

    app = await TestApp.start({}, dataDir);
    const report = (await app.get('/api/audit/verify')).json();
    expect(report).toMatchObject({ ok: false, problem: { kind: 'ledger-mismatch', stream: row.stream_id, position: row.position, eventId: row.event_id } });
    // A partner learns that, and where in log order, but not which stream or event of someone else's.
    const partnerReply = await app.as({ token: partner.token }).get('/api/audit/verify');
    expect(partnerReply.status).toBe(200);
    expect(partnerReply.json()).toMatchObject({ ok: false, problem: { kind: 'ledger-mismatch', position: row.position, stream: null, eventId: null } });
    expect(partnerReply.body).not.toContain(row.stream_id);
    expect(partnerReply.body).not.toContain(row.event_id);
    const refused = await app.get('/api/audit/export');
    expect(refused.status).toBe(422);
    expect(refused.json()).toMatchObject({ rule: 'audit.trail-broken' });

    // Rebuilding the read models does not launder it: the heads signed before still show it.
    await app.close();
    rmSync(join(dataDir, 'read-models.db'));
    app = await TestApp.start({}, dataDir);
    const afterRebuild = (await app.get('/api/audit/verify')).json<{ ok: boolean; problem: { kind: string; position: number } }>();
    expect(afterRebuild).toMatchObject({ ok: false, problem: { kind: 'ledger-mismatch' } });
    expect(afterRebuild.problem.position).toBeGreaterThanOrEqual(row.position);

    // Deleting the signatures as well (with the key at hand) re-signs the rewrite; a partner's earlier bundle still shows it.
    await app.close();
    rmSync(join(dataDir, 'read-models.db'));
    rmSync(join(dataDir, 'ledger-signatures.db'));
    app = await TestApp.start({}, dataDir);
    expect((await app.get('/api/audit/verify')).json()).toMatchObject({ ok: true });
    const later = await app.get(`/api/audit/export?previous=${earlier.statement.ledger.position}`);
    expect(later.status).toBe(200);
    expect(await verifier(dir, later.body, pem)).toMatchObject({ code: 0 });
    expect(await verifier(dir, later.body, pem, earlier)).toEqual({ code: 1, out: expect.stringMatching(/^FAILED previous-mismatch \(position=4\)/) });
  });
});

describe('TRACKER_SIGNING_KEY_FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tracker-signing-key-'));
  const config = (file: string) => ({ signingKeyFile: file, dataDir: join(dir, 'data') });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses the Ed25519 key in the file the variable names', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const file = join(dir, 'key.pem');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const key = loadSigningKey(AppConfig.fromEnvironment({ TRACKER_DATA_DIR: join(dir, 'data'), TRACKER_SIGNING_KEY_FILE: file }));
    expect(key.publicKey.export({ type: 'spki', format: 'pem' })).toEqual(publicKey.export({ type: 'spki', format: 'pem' }));
    expect(existsSync(join(dir, 'data', 'signing-key.pem'))).toBe(false);
  });

  it('refuses a missing file, a file that is no key, and a key that is not Ed25519, naming the variable', () => {
    expect(() => loadSigningKey(config(join(dir, 'absent.pem')))).toThrow(/TRACKER_SIGNING_KEY_FILE .*absent\.pem cannot be read/);
    writeFileSync(join(dir, 'text.pem'), 'not a key');
    expect(() => loadSigningKey(config(join(dir, 'text.pem')))).toThrow(/TRACKER_SIGNING_KEY_FILE .*text\.pem is not a PEM private key/);
    writeFileSync(join(dir, 'rsa.pem'), generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => loadSigningKey(config(join(dir, 'rsa.pem')))).toThrow(ConfigError);
    expect(() => loadSigningKey(config(join(dir, 'rsa.pem')))).toThrow(/holds a rsa key; an Ed25519 key is required/);
  });
});
