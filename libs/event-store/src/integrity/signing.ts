import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { EventStoreError } from '../errors.js';
import { canonicalJson } from './canonical-json.js';

/** The tracker's Ed25519 key pair and its id. */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** {@link keyIdOf} the public key. */
  readonly keyId: string;
}

/** The key pair of an Ed25519 private key; throws when the key is of another kind. */
export function signingKeyOf(privateKey: KeyObject): SigningKey {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new EventStoreError(`expected an Ed25519 private key, got ${privateKey.type} ${privateKey.asymmetricKeyType ?? 'secret'} key`);
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/** A ledger head signed with the tracker's Ed25519 key. */
export interface SignedHead {
  /** Global position of the last event the head covers. */
  position: number;
  /** Ledger head after that event (hex). */
  head: string;
  /** recordedAt of the event at `position` (not the wall clock, so the same log always yields the same statement). */
  signedAt: string;
  /** Ed25519 signature (base64) over {@link ledgerHeadStatement}. */
  signature: string;
  /** {@link keyIdOf} the signing key. */
  keyId: string;
}

/** The signed bytes of a ledger head: `canonicalJson({head, position, signedAt, type: 'tracker-ledger-head/1'})`. */
export function ledgerHeadStatement(head: Pick<SignedHead, 'position' | 'head' | 'signedAt'>): string {
  return canonicalJson({ type: 'tracker-ledger-head/1', position: head.position, head: head.head, signedAt: head.signedAt });
}

/** Key id: SHA-256 (hex) of the public key in DER-encoded SubjectPublicKeyInfo form. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** Ed25519 signature (base64) of the UTF-8 bytes of `text`. */
export function signText(privateKey: KeyObject, text: string): string {
  return sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64');
}

/** True when `signature` (base64) is `publicKey`'s Ed25519 signature of `text`; false for anything malformed. */
export function verifyText(publicKey: KeyObject, text: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(text, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** Signs a ledger head. Ed25519 is deterministic: the same key and head always give the same signature. */
export function signLedgerHead(key: SigningKey, head: Pick<SignedHead, 'position' | 'head' | 'signedAt'>): SignedHead {
  return {
    position: head.position,
    head: head.head,
    signedAt: head.signedAt,
    signature: signText(key.privateKey, ledgerHeadStatement(head)),
    keyId: key.keyId,
  };
}

/** True when the signed head's signature is valid for `publicKey`. */
export function verifyLedgerHead(publicKey: KeyObject, signed: SignedHead): boolean {
  return verifyText(publicKey, ledgerHeadStatement(signed), signed.signature);
}
