import { describe, expect, it } from '@jest/globals';
import { digest, hashPassword, newApiToken, oneTimePassword, sameSecret, verifyDecoy, verifyPassword } from './secrets.js';

describe('secrets', () => {
  it('hashes passwords with scrypt and a random salt; verifies them', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$15\$8\$3\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await hashPassword('correct horse battery staple')).not.toBe(hash);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await verifyPassword('x', 'not a hash')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$30$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA')).toBe(false);
    expect(await verifyDecoy('anything')).toBe(false);
  });

  it('makes one-time passwords and API tokens from enough randomness, and digests them', () => {
    const passwords = new Set(Array.from({ length: 50 }, oneTimePassword));
    expect(passwords.size).toBe(50);
    for (const password of passwords) expect(password).toMatch(/^([a-hj-km-np-z2-9]{5}-){4}[a-hj-km-np-z2-9]{5}$/);
    const token = newApiToken();
    expect(token).toMatch(/^trk_[A-Za-z0-9_-]{43}$/);
    expect(digest(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('abc', 'abcd')).toBe(false);
  });
});
