import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A personal field as stored: the field's JSON value encrypted with AES-256-GCM under its subject's key.
 * `key` is the id of that key, not the subject's id: once the key is destroyed, nothing links the ciphertext to
 * the person any more. `iv` (12 bytes), `tag` (16 bytes) and `data` are base64. The additional authenticated
 * data binds the ciphertext to its event and field (`tracker-personal-data/v1 <eventId> <path>`), so it cannot
 * be moved to another event unnoticed.
 */
export interface EncryptedField {
  $enc: 'v1';
  key: string;
  iv: string;
  tag: string;
  data: string;
}

const ALGORITHM = 'aes-256-gcm';

function aad(eventId: string, path: string): Buffer {
  return Buffer.from(`tracker-personal-data/v1 ${eventId} ${path}`, 'utf8');
}

/** True when `value` has the shape of an {@link EncryptedField} (of any version: see `$enc`). */
export function isEncryptedField(value: unknown): value is { $enc: string } & Partial<EncryptedField> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { $enc?: unknown }).$enc === 'string';
}

/** Encrypts the JSON value of the field at `path` of event `eventId`. */
export function encryptField(value: unknown, keyId: string, key: Buffer, eventId: string, path: string): EncryptedField {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(aad(eventId, path));
  const data = Buffer.concat([cipher.update(JSON.stringify(value ?? null), 'utf8'), cipher.final()]);
  return { $enc: 'v1', key: keyId, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/**
 * The field's value, or `undefined` when it cannot be decrypted: an unknown version, a malformed envelope, a
 * key that does not fit, or a ciphertext that was changed (the authentication tag does not match).
 */
export function decryptField(field: unknown, key: Buffer, eventId: string, path: string): unknown {
  if (!isEncryptedField(field) || field.$enc !== 'v1') return undefined;
  const { iv, tag, data } = field;
  if (typeof iv !== 'string' || typeof tag !== 'string' || typeof data !== 'string' || key.length !== 32) return undefined;
  try {
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64'), { authTagLength: 16 });
    decipher.setAAD(aad(eventId, path));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    const text = Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
