#!/usr/bin/env node
// Verifies an audit bundle from GET /api/audit/export offline, with nothing but Node.js (20 or later):
//
//   node verify-bundle.mjs <bundle.json> <public-key.pem> [--previous <earlier-bundle.json>]
//
// Prints "OK …" and exits 0, or prints the first problem and exits 1 (2 for a usage error). Checks, in order:
// the key id, the bundle's signature, the signed ledger heads, the digest of the events, every event's hash,
// each stream's chain within the bundle, the ledger head recomputed from the events when the bundle is complete,
// and with --previous that the earlier bundle's ledger head is still the head at its position.
// The definitions are in README.md ("Verifying the audit trail"); this file must stay dependency-free.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

const FORMAT = 'tracker-audit-bundle/1';
const GENESIS = '0'.repeat(64);

/** Canonical JSON: JSON.stringify's reading of values, object keys sorted by UTF-16 code units, no whitespace. */
function canonicalJson(value, key = '') {
  if (value !== null && typeof value === 'object' && typeof value.toJSON === 'function') value = value.toJSON(key);
  if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf();
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (Array.isArray(value)) return `[${value.map((item, i) => canonicalJson(item, String(i)) ?? 'null').join(',')}]`;
      return `{${Object.keys(value)
        .sort()
        .flatMap((name) => {
          const member = canonicalJson(value[name], name);
          return member === undefined ? [] : [`${JSON.stringify(name)}:${member}`];
        })
        .join(',')}}`;
    default:
      return undefined;
  }
}

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** hash = SHA-256(previousHash ‖ canonicalJson({data, eventId, metadata, streamId, type, version})) */
function eventHash(previousHash, e) {
  return sha256(previousHash + canonicalJson({ data: e.data, eventId: e.eventId, metadata: e.metadata, streamId: e.streamId, type: e.type, version: e.version }));
}

/** head = SHA-256(canonicalJson([previousHead, position, eventId, hash])) */
function ledgerHead(previousHead, position, eventId, hash) {
  return sha256(canonicalJson([previousHead, position, eventId, hash]));
}

function signatureValid(publicKey, text, signature) {
  try {
    return typeof signature === 'string' && verify(null, Buffer.from(text, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

const headStatement = (h) => canonicalJson({ type: 'tracker-ledger-head/1', position: h.position, head: h.head, signedAt: h.signedAt });

class Problem extends Error {
  constructor(kind, detail, where = {}) {
    super(detail);
    this.kind = kind;
    this.where = where;
  }
}

const at = (e) => ({ stream: e.streamId, position: e.position, eventId: e.eventId });

function checkSignedHead(publicKey, signed, claimed, what) {
  if (claimed === null || claimed === undefined) {
    if (signed !== null && signed !== undefined) throw new Problem('malformed', `${what} is present but the statement has none`);
    return;
  }
  if (!signed || !signatureValid(publicKey, headStatement(signed), signed.signature)) {
    throw new Problem('signature-invalid', `the signature of ${what} does not verify`, { position: claimed.position });
  }
  if (signed.position !== claimed.position || signed.head !== claimed.head) {
    throw new Problem('ledger-mismatch', `${what} differs from the one in the signed statement`, { position: claimed.position });
  }
}

/** Verifies one bundle; returns a summary or throws a Problem. Also returns the ledger heads recomputed per position. */
function verifyBundle(bundle, publicKey) {
  const statement = bundle?.statement;
  if (bundle?.format !== FORMAT || statement?.format !== FORMAT || !Array.isArray(bundle.events)) {
    throw new Problem('malformed', `not an audit bundle (${FORMAT})`);
  }
  const keyId = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
  if (statement.keyId !== keyId) throw new Problem('key-mismatch', `the bundle was signed by key ${statement.keyId}, this public key is ${keyId}`);
  if (!signatureValid(publicKey, canonicalJson(statement), bundle.signature)) {
    throw new Problem('signature-invalid', 'the signature of the bundle statement does not verify');
  }
  checkSignedHead(publicKey, bundle.ledgerHead, statement.ledger, 'the ledger head');
  checkSignedHead(publicKey, bundle.previousSignedHead, statement.previous, 'the previous signed head');
  if (sha256(canonicalJson(bundle.events)) !== statement.digest || bundle.events.length !== statement.events) {
    throw new Problem('digest-mismatch', 'the events are not the ones the statement was signed over');
  }

  const tips = new Map();
  const heads = new Map();
  let head = GENESIS;
  let lastPosition = 0;
  let redacted = 0;
  for (const e of bundle.events) {
    if (!(e.position > lastPosition)) throw new Problem('reordered', `position ${e.position} does not follow ${lastPosition}`, at(e));
    lastPosition = e.position;
    const tip = tips.get(e.streamId);
    if (tip && e.version !== tip.version + 1) {
      const kind = e.version > tip.version + 1 ? 'missing-event' : 'reordered';
      throw new Problem(kind, `version ${e.version} follows version ${tip.version} of the stream`, at(e));
    }
    const { previousHash, hash } = e.integrity ?? {};
    const unchained = previousHash === null && hash === null;
    if (!unchained) {
      const expected = tip ? (tip.hash ?? GENESIS) : e.version === 1 ? GENESIS : previousHash;
      if (previousHash !== expected) throw new Problem('chain-break', `previousHash does not link to the stream's previous event`, at(e));
      if (e.redacted === undefined && eventHash(previousHash, e) !== hash) {
        throw new Problem('hash-mismatch', 'the content of the event does not match its hash', at(e));
      }
    }
    if (e.redacted !== undefined) redacted++;
    tips.set(e.streamId, { version: e.version, hash: unchained ? null : hash });
    head = ledgerHead(head, e.position, e.eventId, unchained ? null : hash);
    heads.set(e.position, head);
  }
  if (lastPosition > statement.ledger.position) {
    throw new Problem('ledger-mismatch', `events go past the ledger position ${statement.ledger.position}`, { position: lastPosition });
  }
  if (statement.complete) {
    if (lastPosition !== statement.ledger.position || head !== statement.ledger.head) {
      throw new Problem('ledger-mismatch', 'the ledger head recomputed from the events is not the signed one: events are missing or changed', {
        position: statement.ledger.position,
      });
    }
    const previous = statement.previous;
    if (previous && heads.has(previous.position) && heads.get(previous.position) !== previous.head) {
      throw new Problem('ledger-mismatch', 'the recomputed ledger head at the previous position is not the signed one', { position: previous.position });
    }
  }
  return { events: bundle.events.length, streams: tips.size, redacted, complete: Boolean(statement.complete), position: statement.ledger.position, head: statement.ledger.head, keyId, heads };
}

/** The earlier bundle's ledger head must still be the head at its position in the later one. */
function checkPrevious(later, laterSummary, earlier) {
  const old = earlier.statement.ledger;
  const where = { position: old.position };
  if (old.position > laterSummary.position && laterSummary.complete) {
    throw new Problem('previous-mismatch', `the earlier bundle reaches position ${old.position}, past the end of this complete bundle (${laterSummary.position}): history was cut short`, where);
  }
  const claimed = later.statement.previous;
  if (claimed && claimed.position === old.position) {
    if (claimed.head !== old.head) throw new Problem('previous-mismatch', `the ledger head at position ${old.position} changed since the earlier bundle: history was rewritten`, where);
    return;
  }
  if (laterSummary.complete && laterSummary.heads.has(old.position)) {
    if (laterSummary.heads.get(old.position) !== old.head) {
      throw new Problem('previous-mismatch', `the ledger head at position ${old.position} changed since the earlier bundle: history was rewritten`, where);
    }
    return;
  }
  throw new Problem('previous-not-covered', `this bundle does not carry the ledger head at position ${old.position}: export it with ?previous=${old.position}`, where);
}

function describe(problem) {
  const where = Object.entries(problem.where)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  return `FAILED ${problem.kind}${where ? ` (${where})` : ''}: ${problem.message}`;
}

function main(argv) {
  const args = [...argv];
  const flag = args.indexOf('--previous');
  const previousFile = flag >= 0 ? args.splice(flag, 2)[1] : undefined;
  if (args.length !== 2 || (flag >= 0 && !previousFile)) {
    process.stderr.write('usage: node verify-bundle.mjs <bundle.json> <public-key.pem> [--previous <earlier-bundle.json>]\n');
    return 2;
  }
  let bundle;
  let publicKey;
  let earlier;
  try {
    bundle = JSON.parse(readFileSync(args[0], 'utf8'));
    publicKey = createPublicKey(readFileSync(args[1], 'utf8'));
    if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error(`${args[1]} is not an Ed25519 public key`);
    if (previousFile) earlier = JSON.parse(readFileSync(previousFile, 'utf8'));
  } catch (error) {
    process.stdout.write(`FAILED unreadable: ${error.message}\n`);
    return 1;
  }
  try {
    const summary = verifyBundle(bundle, publicKey);
    if (earlier) {
      try {
        verifyBundle(earlier, publicKey);
      } catch (problem) {
        if (problem instanceof Problem) throw new Problem('previous-invalid', `the earlier bundle does not verify: ${describe(problem)}`);
        throw problem;
      }
      checkPrevious(bundle, summary, earlier);
    }
    process.stdout.write(
      `OK ${summary.events} events in ${summary.streams} streams (${summary.redacted} redacted), ` +
        `ledger head ${summary.head} at position ${summary.position}` +
        `${summary.complete ? ' recomputed from the events' : ' as signed'}` +
        `${earlier ? `, consistent with the earlier bundle at position ${earlier.statement.ledger.position}` : ''}; key ${summary.keyId}\n`,
    );
    return 0;
  } catch (problem) {
    if (!(problem instanceof Problem)) throw problem;
    process.stdout.write(`${describe(problem)}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
