/*
 * Tampering with the SQLite events file directly (a raw better-sqlite3 connection, as someone holding the file
 * would) must always show in verifyIntegrity, naming the stream, position and event id of the first broken link.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import {
  eventHash,
  GENESIS_HASH,
  ledgerHead,
  signingKeyOf,
  signLedgerHead,
  SqliteEventStore,
  type RecordedEvent,
  type SigningKey,
} from '#event-store';
import { testEvent } from '#event-store/testing';
import {
  auditTrailProjection,
  buildAuditBundle,
  LEDGER_ENTRIES_TABLE,
  LEDGER_SIGNED_HEADS_TABLE,
  ledgerProjection,
  openLedgerSignatures,
  openReadModelDb,
  ProjectionRunner,
  sealLedger,
  verifyIntegrity,
  type AuditBundle,
  type IntegrityReport,
  type LedgerSignatureDb,
  type ReadModelDb,
} from '#projections';

const run = promisify(execFile);
const VERIFIER = join(process.cwd(), 'tools', 'verify-bundle.mjs');

/** Interleaved streams, one event per append: A1 B1 C1 A2 B2 C2 A3 B3 C3 A4 B4 A5 at positions 1..12. */
const A = 'experiment-0192f1e2-0000-7000-8000-00000000000a';
const B = 'collaboration-0192f1e2-0000-7000-8000-00000000000b';
const C = 'network-0192f1e2-0000-7000-8000-00000000000c';
const LAYOUT: Array<[string, string]> = [
  [A, 'StepLogged'], [B, 'PartyJoined'], [C, 'MemberJoined'],
  [A, 'StepLogged'], [B, 'PartyJoined'], [C, 'MemberJoined'],
  [A, 'MeasurementRecorded'], [B, 'MilestoneSet'], [C, 'MemberLeft'],
  [A, 'StepLogged'], [B, 'MilestoneAchieved'], [A, 'LearningRecorded'],
];

let dir: string;
let filename: string;
let store: SqliteEventStore;
let db: ReadModelDb;
let signatures: LedgerSignatureDb;
let raw: Database.Database;
let key: SigningKey;
let log: RecordedEvent[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tracker-tamper-'));
  filename = join(dir, 'events.db');
  store = new SqliteEventStore({ filename, durability: 'normal', pollIntervalMs: 10 });
  db = openReadModelDb(join(dir, 'read-models.db'));
  signatures = openLedgerSignatures(join(dir, 'ledger-signatures.db'));
  key = signingKeyOf(generateKeyPairSync('ed25519').privateKey);
  for (const [i, [stream, type]] of LAYOUT.entries()) {
    await store.appendToStream(stream, [testEvent({ type, data: { n: i + 1, note: `Bydelsmat på Tøyen ${i + 1}` } })]);
  }
  await witness();
  log = await everything();
  raw = new Database(filename);
});

afterEach(async () => {
  raw.close();
  await store.close();
  db.close();
  signatures.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Lets the ledger (and the audit trail) follow the log to its head, then signs: checkpoints every 4 events. */
async function witness(): Promise<void> {
  const runner = new ProjectionRunner({ store, db, projections: [ledgerProjection, auditTrailProjection], pollIntervalMs: 0 });
  await runner.start();
  const reached = await runner.waitFor(await store.headPosition(), 5000);
  await runner.stop();
  expect(reached).toBe(true);
  expect(sealLedger(db, signatures, key, 4)).toMatchObject({ sealed: expect.any(Number) });
}

async function everything(): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for await (const batch of store.readAll()) all.push(...batch);
  return all;
}

function verify(): Promise<IntegrityReport> {
  return verifyIntegrity(store, { db, signatures, publicKey: key.publicKey });
}

/** The event at `position` as first written. */
const at = (position: number): RecordedEvent => log[position - 1];

/** Rewrites the stored hashes of `stream` from `fromVersion` on so that its chain links again (an attacker's repair). */
async function rechain(stream: string, fromVersion: number): Promise<void> {
  const events = await store.readStream(stream);
  let previous = fromVersion === 1 ? GENESIS_HASH : (events[fromVersion - 2].integrity.hash as string);
  const update = raw.prepare('UPDATE events SET previous_hash = ?, hash = ? WHERE stream_id = ? AND version = ?');
  for (const event of events.slice(fromVersion - 1)) {
    const hash = eventHash(previous, event);
    update.run(previous, hash, stream, event.version);
    previous = hash;
  }
}

function problemOf(report: IntegrityReport) {
  if (report.ok) throw new Error(`expected a problem, verify reported ${JSON.stringify(report)}`);
  return report.problem;
}

describe('verifyIntegrity on an untouched log', () => {
  it('reports every stream, event and the ledger head, with the signed checkpoints verified', async () => {
    const report = await verify();
    let head = GENESIS_HASH;
    for (const event of log) head = ledgerHead(head, event.position, event.eventId, event.integrity.hash);
    expect(report).toMatchObject({ ok: true, streams: 3, events: 12, unchained: 0, position: 12, head, witnessedUpTo: 12, signedHeads: 3 });
    expect(report.ok && report.latestSignedHead).toMatchObject({ position: 12, head, keyId: key.keyId, signedAt: at(12).recordedAt });
  });
});

describe('tampering with the events file', () => {
  it('a changed data byte: hash-mismatch at that event', async () => {
    raw.prepare("UPDATE events SET data = replace(data, 'Tøyen 5', 'Tøyen 6') WHERE position = 5").run();
    expect(problemOf(await verify())).toMatchObject({ kind: 'hash-mismatch', stream: B, position: 5, eventId: at(5).eventId, expected: at(5).integrity.hash });
  });

  it('changed metadata: hash-mismatch at that event', async () => {
    raw.prepare(`UPDATE events SET metadata = json_set(metadata, '$.actor.id', 'mallory') WHERE position = 7`).run();
    expect(problemOf(await verify())).toMatchObject({ kind: 'hash-mismatch', stream: A, position: 7, eventId: at(7).eventId });
  });

  it('a middle event deleted: missing-event, named from the ledger', async () => {
    raw.prepare('DELETE FROM events WHERE position = 7').run();
    expect(problemOf(await verify())).toMatchObject({ kind: 'missing-event', stream: A, position: 7, eventId: at(7).eventId, version: 3 });
  });

  it("a stream's last event deleted: missing-event, caught by the ledger", async () => {
    raw.prepare('DELETE FROM events WHERE position = 9').run();
    expect(problemOf(await verify())).toMatchObject({ kind: 'missing-event', stream: C, position: 9, eventId: at(9).eventId });
  });

  it("two events' versions swapped: reordered", async () => {
    raw.exec(`UPDATE events SET version = 1000 WHERE position = 1;
              UPDATE events SET version = 1 WHERE position = 4;
              UPDATE events SET version = 2 WHERE position = 1;`);
    expect(problemOf(await verify())).toMatchObject({ kind: 'reordered', stream: A, position: 1, eventId: at(1).eventId, expected: 'version 1' });
  });

  it('an event rewritten and its stream re-hashed: the chain holds, the ledger shows it', async () => {
    raw.prepare("UPDATE events SET data = replace(data, 'Tøyen 8', 'Grønland 8') WHERE position = 8").run();
    await rechain(B, 3);
    expect(problemOf(await verify())).toMatchObject({ kind: 'ledger-mismatch', stream: B, position: 8, eventId: at(8).eventId, expected: at(8).integrity.hash });
  });

  it('a forged event inserted mid-stream, later positions shifted and every hash recomputed: ledger-mismatch', async () => {
    const forged = testEvent({ type: 'MilestoneSet', data: { n: 0, note: 'forged' } });
    raw.transaction(() => {
      // Make room: B3, B4 become versions 4 and 5; positions from 8 on move up by one.
      raw.exec(`UPDATE events SET version = version + 1000 WHERE stream_id = '${B}' AND version >= 3;
                UPDATE events SET version = version - 999 WHERE stream_id = '${B}' AND version > 1000;
                UPDATE events SET position = position + 1000 WHERE position >= 8;
                UPDATE events SET position = position - 999 WHERE position > 1000;`);
      raw
        .prepare('INSERT INTO events (position, event_id, stream_id, version, type, data, metadata, recorded_at) VALUES (8, ?, ?, 3, ?, ?, ?, ?)')
        .run(forged.eventId, B, forged.type, JSON.stringify(forged.data), JSON.stringify(forged.metadata), at(8).recordedAt);
    })();
    await rechain(B, 3);
    const problem = problemOf(await verify());
    expect(problem).toMatchObject({ kind: 'ledger-mismatch', stream: B, position: 8, eventId: forged.eventId, expected: at(8).eventId });
  });

  it('the end of the log cut off: missing-event at the first lost position', async () => {
    raw.prepare('DELETE FROM events WHERE position > 10').run();
    expect(problemOf(await verify())).toMatchObject({ kind: 'missing-event', stream: B, position: 11, eventId: at(11).eventId });
  });

  it("the log and the ledger's entries cut off together: the head signed at the end shows it", async () => {
    raw.prepare('DELETE FROM events WHERE position > 10').run();
    db.prepare(`DELETE FROM "${LEDGER_ENTRIES_TABLE}" WHERE position > 10`).run();
    expect(problemOf(await verify())).toMatchObject({ kind: 'missing-event', position: 12 });
  });

  it("a rewrite repaired in the ledger's entries as well, without the key: the signed heads show it", async () => {
    raw.prepare("UPDATE events SET data = replace(data, 'Tøyen 2', 'Grønland 2') WHERE position = 2").run();
    await rechain(B, 1);
    const events = await everything();
    let head = GENESIS_HASH;
    const update = db.prepare(`UPDATE "${LEDGER_ENTRIES_TABLE}" SET hash = ?, head = ? WHERE position = ?`);
    for (const event of events) {
      head = ledgerHead(head, event.position, event.eventId, event.integrity.hash);
      update.run(event.integrity.hash, head, event.position);
    }
    const problem = problemOf(await verify());
    expect(problem).toMatchObject({ kind: 'ledger-mismatch', position: 4, stream: A, eventId: at(4).eventId, detail: expect.stringMatching(/signed at position 4/) });
  });

  it('a rewrite, then the read models rebuilt, without the key: the ledger is not re-signed and the signed heads show it', async () => {
    raw.prepare("UPDATE events SET data = replace(data, 'Tøyen 6', 'Grønland 6') WHERE position = 6").run();
    await rechain(C, 2);
    db.exec(`DROP TABLE "${LEDGER_ENTRIES_TABLE}"; DELETE FROM projection_checkpoints WHERE name = 'ledger'`);
    const runner = new ProjectionRunner({ store, db, projections: [ledgerProjection], pollIntervalMs: 0 });
    await runner.start();
    expect(await runner.waitFor(12, 5000)).toBe(true);
    await runner.stop();
    expect(sealLedger(db, signatures, key, 4)).toEqual({ refused: expect.stringMatching(/head at position 12 is not the one signed/), changed: true });
    expect(problemOf(await verify())).toMatchObject({ kind: 'ledger-mismatch', stream: B, position: 8, eventId: at(8).eventId, expected: expect.any(String) });
  });

  it("a signed head's signature replaced by another key's: signature-invalid", async () => {
    const other = signingKeyOf(generateKeyPairSync('ed25519').privateKey);
    const row = signatures.prepare<[], { head: string; signed_at: string }>(`SELECT head, signed_at FROM ${LEDGER_SIGNED_HEADS_TABLE} WHERE position = 8`).get();
    const forged = signLedgerHead(other, { position: 8, head: row?.head ?? '', signedAt: row?.signed_at ?? '' });
    signatures.prepare(`UPDATE ${LEDGER_SIGNED_HEADS_TABLE} SET signature = ? WHERE position = 8`).run(forged.signature);
    expect(problemOf(await verify())).toMatchObject({ kind: 'signature-invalid', position: 8, stream: B, eventId: at(8).eventId });
  });

  it('an event appended with a previousHash that does not link: the ledger refuses to witness it (parks there)', async () => {
    await store.appendToStream(A, [testEvent({ type: 'StepLogged' })], { expectedVersion: 5 });
    raw.prepare('UPDATE events SET previous_hash = ? WHERE position = 13').run(GENESIS_HASH);
    const runner = new ProjectionRunner({ store, db, projections: [ledgerProjection], pollIntervalMs: 0 });
    await runner.start();
    expect(await runner.waitFor(13, 5000, { projections: ['ledger'] })).toBe(false);
    const [status] = await runner.status();
    await runner.stop();
    expect(status).toMatchObject({ state: 'parked', parked: { position: 13, error: expect.stringMatching(/refuses to witness/) } });
    expect(problemOf(await verify())).toMatchObject({ kind: 'chain-break', stream: A, position: 13 });
  });

  it('an event after chained ones stripped of its hashes: chain-break, not a legacy event', async () => {
    raw.prepare('UPDATE events SET previous_hash = NULL, hash = NULL WHERE position = 6').run();
    expect(problemOf(await verify())).toMatchObject({ kind: 'chain-break', stream: C, position: 6, eventId: at(6).eventId });
  });

});

describe('legacy events written before the chain', () => {
  it('are reported as unchained when they precede every chained event; later appends chain from the genesis value', async () => {
    await store.close();
    db.close();
    signatures.close();
    raw.close();
    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'tracker-legacy-'));
    filename = join(dir, 'events.db');
    store = new SqliteEventStore({ filename, durability: 'normal', pollIntervalMs: 10 });
    db = openReadModelDb(join(dir, 'read-models.db'));
    signatures = openLedgerSignatures(join(dir, 'ledger-signatures.db'));
    await store.appendToStream(A, [testEvent({ type: 'StepLogged' }), testEvent({ type: 'StepLogged' })]);
    raw = new Database(filename);
    raw.exec('UPDATE events SET previous_hash = NULL, hash = NULL');
    await store.appendToStream(A, [testEvent({ type: 'StepLogged' })], { expectedVersion: 2 });
    await store.appendToStream(B, [testEvent({ type: 'PartyJoined' })]);
    await witness();
    const [, , third] = await store.readStream(A);
    expect(third.integrity.previousHash).toBe(GENESIS_HASH);
    expect(await verify()).toMatchObject({ ok: true, events: 4, unchained: 2 });
  });
});

describe('bundles checked by tools/verify-bundle.mjs', () => {
  async function verifier(bundle: AuditBundle | unknown, ...extra: string[]): Promise<{ code: number; out: string }> {
    const file = join(dir, `bundle-${Math.random().toString(36).slice(2)}.json`);
    const pem = join(dir, 'public-key.pem');
    writeFileSync(file, JSON.stringify(bundle));
    writeFileSync(pem, key.publicKey.export({ type: 'spki', format: 'pem' }));
    try {
      const { stdout } = await run(process.execPath, [VERIFIER, file, pem, ...extra]);
      return { code: 0, out: stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string };
      return { code: failed.code, out: failed.stdout };
    }
  }

  it('a complete bundle verifies, the ledger head recomputed from its events; an altered one does not', async () => {
    const bundle = await buildAuditBundle(store, { db, signatures, key });
    expect(bundle.statement).toMatchObject({ complete: true, events: 12, ledger: { position: 12 } });
    const genuine = await verifier(bundle);
    expect(genuine).toEqual({ code: 0, out: expect.stringMatching(/^OK 12 events in 3 streams .*recomputed from the events/) });

    const altered = structuredClone(bundle);
    (altered.events[4] as RecordedEvent).data = { n: 5, note: 'Bydelsmat på Grønland 5' };
    expect(await verifier(altered)).toEqual({ code: 1, out: expect.stringMatching(/^FAILED digest-mismatch/) });
  });

  it('redacted events (partner scope) travel as their hashes and the bundle still verifies', async () => {
    const bundle = await buildAuditBundle(store, { db, signatures, key, redact: (event) => event.streamId !== A });
    const redacted = bundle.events.filter((e) => 'redacted' in e);
    expect(redacted).toHaveLength(7);
    expect(redacted[0]).toEqual({ redacted: 'scope', eventId: at(2).eventId, streamId: B, version: 1, position: 2, integrity: at(2).integrity });
    expect(await verifier(bundle)).toEqual({ code: 0, out: expect.stringMatching(/^OK 12 events in 3 streams \(7 redacted\)/) });
  });

  it("a filtered bundle carries each stream from its first to its last match, the gaps as stubs", async () => {
    const bundle = await buildAuditBundle(store, { db, signatures, key, filter: { type: 'StepLogged' } });
    expect(bundle.statement).toMatchObject({ complete: false, filter: { type: 'StepLogged' }, ledger: { position: 10 } });
    expect(bundle.events.map((e) => [e.position, 'redacted' in e ? e.redacted : 'full'])).toEqual([
      [1, 'full'], [4, 'full'], [7, 'filter'], [10, 'full'],
    ]);
    expect(await verifier(bundle)).toEqual({ code: 0, out: expect.stringMatching(/^OK 4 events in 1 streams .* as signed/) });
  });

  it('a history rewritten and re-signed with the key shows against the earlier bundle', async () => {
    const earlier = await buildAuditBundle(store, { db, signatures, key, filter: { stream: A } });
    // Someone holding the database and the key rewrites an event, re-hashes, and rebuilds and re-signs the ledger.
    raw.prepare("UPDATE events SET data = replace(data, 'Tøyen 1', 'Grønland 1') WHERE position = 1").run();
    await rechain(A, 1);
    db.exec(`DROP TABLE "${LEDGER_ENTRIES_TABLE}"; DELETE FROM projection_checkpoints WHERE name = 'ledger'`);
    signatures.exec(`DELETE FROM ${LEDGER_SIGNED_HEADS_TABLE}`);
    await witness();
    expect(await verify()).toMatchObject({ ok: true });

    const later = await buildAuditBundle(store, { db, signatures, key, previous: earlier.statement.ledger.position });
    expect(await verifier(later)).toMatchObject({ code: 0 });
    writeFileSync(join(dir, 'earlier.json'), JSON.stringify(earlier));
    expect(await verifier(later, '--previous', join(dir, 'earlier.json'))).toEqual({
      code: 1,
      out: expect.stringMatching(/^FAILED previous-mismatch \(position=12\): the ledger head at position 12 changed/),
    });
    const unlinked = await buildAuditBundle(store, { db, signatures, key, filter: { stream: B } });
    expect(await verifier(unlinked, '--previous', join(dir, 'earlier.json'))).toEqual({
      code: 1,
      out: expect.stringMatching(/^FAILED previous-not-covered .*export it with \?previous=12/),
    });
  });
});
