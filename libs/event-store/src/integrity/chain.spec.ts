import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { chainBatch, eventHash, GENESIS_HASH, ledgerHead, prepareContent, SHA256_HEX } from './chain.js';
import { keyIdOf, ledgerHeadStatement, signingKeyOf, signLedgerHead, verifyLedgerHead } from './signing.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const event = {
  eventId: '0192f1e2-0000-7000-8000-000000000001',
  type: 'StepLogged',
  data: { stepId: 's1', description: 'Intervjuet 12 beboere på Tøyen' },
  metadata: { source: 'api', actor: { role: 'lead', id: 'p1' } },
  streamId: 'experiment-0192f1e2-0000-7000-8000-0000000000aa',
  version: 2,
};

describe('event hash', () => {
  it('is SHA-256 of the previous hash followed by the canonical JSON of the event', () => {
    const canonical =
      '{"data":{"description":"Intervjuet 12 beboere på Tøyen","stepId":"s1"},"eventId":"0192f1e2-0000-7000-8000-000000000001",' +
      '"metadata":{"actor":{"id":"p1","role":"lead"},"source":"api"},"streamId":"experiment-0192f1e2-0000-7000-8000-0000000000aa",' +
      '"type":"StepLogged","version":2}';
    expect(eventHash(GENESIS_HASH, event)).toBe(sha256(GENESIS_HASH + canonical));
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(eventHash(GENESIS_HASH, event)).toMatch(SHA256_HEX);
  });

  it('binds every covered field and the previous hash', () => {
    const base = eventHash(GENESIS_HASH, event);
    const variants = [
      { ...event, eventId: '0192f1e2-0000-7000-8000-000000000002' },
      { ...event, type: 'StepRetracted' },
      { ...event, data: { ...event.data, description: 'Intervjuet 13 beboere på Tøyen' } },
      { ...event, metadata: { ...event.metadata, source: 'web' } },
      { ...event, streamId: 'experiment-other' },
      { ...event, version: 3 },
    ];
    for (const variant of variants) expect(eventHash(GENESIS_HASH, variant)).not.toBe(base);
    expect(eventHash('f'.repeat(64), event)).not.toBe(base);
  });

  it('chains a batch from the stream tip, or from the genesis value after none or after a legacy event', () => {
    const contents = [prepareContent(event), prepareContent({ ...event, eventId: 'second' })];
    const fromGenesis = chainBatch(null, contents, event.streamId, 2);
    expect(fromGenesis[0]).toEqual({ previousHash: GENESIS_HASH, hash: eventHash(GENESIS_HASH, event) });
    expect(fromGenesis[1]).toEqual({
      previousHash: fromGenesis[0].hash,
      hash: eventHash(fromGenesis[0].hash, { ...event, eventId: 'second', version: 3 }),
    });
    const tip = 'a'.repeat(64);
    expect(chainBatch(tip, contents, event.streamId, 2)[0].previousHash).toBe(tip);
  });
});

describe('ledger head', () => {
  it('is SHA-256 of the canonical JSON of [previous head, position, event id, event hash]', () => {
    const hash = 'b'.repeat(64);
    expect(ledgerHead(GENESIS_HASH, 7, 'e1', hash)).toBe(sha256(`["${GENESIS_HASH}",7,"e1","${hash}"]`));
    expect(ledgerHead(GENESIS_HASH, 7, 'e1', null)).toBe(sha256(`["${GENESIS_HASH}",7,"e1",null]`));
    expect(ledgerHead(GENESIS_HASH, 8, 'e1', hash)).not.toBe(ledgerHead(GENESIS_HASH, 7, 'e1', hash));
  });
});

describe('signed ledger heads', () => {
  const key = signingKeyOf(generateKeyPairSync('ed25519').privateKey);
  const head = { position: 12, head: 'c'.repeat(64), signedAt: '2019-01-20T10:00:00.000Z' };

  it('are deterministic Ed25519 signatures over a canonical statement, with the key id of the public key', () => {
    const signed = signLedgerHead(key, head);
    expect(signLedgerHead(key, head)).toEqual(signed);
    expect(ledgerHeadStatement(head)).toBe(`{"head":"${'c'.repeat(64)}","position":12,"signedAt":"2019-01-20T10:00:00.000Z","type":"tracker-ledger-head/1"}`);
    expect(signed.keyId).toBe(createHash('sha256').update(key.publicKey.export({ type: 'spki', format: 'der' })).digest('hex'));
    expect(keyIdOf(key.privateKey)).toBe(signed.keyId);
    expect(verifyLedgerHead(key.publicKey, signed)).toBe(true);
  });

  it('do not verify once anything signed changed, or with another key, or with a malformed signature', () => {
    const signed = signLedgerHead(key, head);
    const other = signingKeyOf(generateKeyPairSync('ed25519').privateKey);
    expect(verifyLedgerHead(key.publicKey, { ...signed, position: 13 })).toBe(false);
    expect(verifyLedgerHead(key.publicKey, { ...signed, head: 'd'.repeat(64) })).toBe(false);
    expect(verifyLedgerHead(key.publicKey, { ...signed, signedAt: '2019-01-20T10:00:00.001Z' })).toBe(false);
    expect(verifyLedgerHead(other.publicKey, signed)).toBe(false);
    expect(verifyLedgerHead(key.publicKey, { ...signed, signature: 'not base64 !' })).toBe(false);
  });

  it('need an Ed25519 private key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => signingKeyOf(rsa)).toThrow(/Ed25519/);
    expect(() => signingKeyOf(createPublicKey(key.privateKey))).toThrow(/Ed25519 private key/);
  });
});
