import { createHash, randomBytes, randomInt, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost (OWASP: N=2^15, r=8, p=3, 32 MiB); stored with each hash so it can be raised later. */
const COST = { logN: 15, r: 8, p: 3 } as const;
const KEY_LENGTH = 32;
const HASH = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{16,})$/;

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((done, fail) => {
    scryptCallback(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? fail(error) : done(key)));
  });
}

function scryptOptions(logN: number, r: number, p: number): ScryptOptions {
  const N = 2 ** logN;
  return { N, r, p, maxmem: 128 * N * r + 1024 * 1024 };
}

/** `scrypt$<log2 N>$<r>$<p>$<salt>$<key>` (base64url), from node:crypto's scrypt with a random 16-byte salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, scryptOptions(COST.logN, COST.r, COST.p));
  return `scrypt$${COST.logN}$${COST.r}$${COST.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when `password` matches a hash from {@link hashPassword} (compared in constant time). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = HASH.exec(stored);
  if (!match) return false;
  const [, logN, r, p, salt, key] = match;
  if (Number(logN) > 20 || Number(r) > 32 || Number(p) > 16) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), scryptOptions(Number(logN), Number(r), Number(p)));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let decoy: Promise<string> | undefined;

/** Spends the time of one password check, so an unknown e-mail answers as slowly as a wrong password. */
export async function verifyDecoy(password: string): Promise<false> {
  decoy ??= hashPassword(randomSecret());
  await verifyPassword(password, await decoy);
  return false;
}

/** A random secret, base64url (256 bits by default). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 of a high-entropy secret (session id, API token), hex: what the accounts store keeps. */
export function digest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of two strings. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

const READABLE = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A one-time password: five groups of five characters without look-alikes (about 122 bits), e.g. `k7m2p-…`. */
export function oneTimePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 5; g++) {
    let group = '';
    for (let c = 0; c < 5; c++) group += READABLE[randomInt(READABLE.length)];
    groups.push(group);
  }
  return groups.join('-');
}

/** Prefix of personal API tokens, so scanners recognise a leaked one. */
export const API_TOKEN_PREFIX = 'trk_';

/** A new personal API token: `trk_` and 256 random bits. */
export function newApiToken(): string {
  return `${API_TOKEN_PREFIX}${randomSecret()}`;
}
