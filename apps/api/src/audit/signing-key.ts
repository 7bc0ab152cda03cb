import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, signingKeyOf, type SigningKey } from '#event-store';
import { ConfigError, type AppConfig } from '../config/app-config.js';

/** Injection token of the tracker's Ed25519 {@link SigningKey}. */
export const SIGNING_KEY = Symbol('SIGNING_KEY');

/** File name of the key generated at first start when TRACKER_SIGNING_KEY_FILE is not set. */
export const GENERATED_KEY_FILE = 'signing-key.pem';

/**
 * The key that signs ledger heads and audit bundles: the PEM (PKCS#8) private key in TRACKER_SIGNING_KEY_FILE
 * when set, else `<data dir>/signing-key.pem`, generated at first start (mode 0600) and reused after. Throws a
 * ConfigError naming the variable or file when the key cannot be read or is not an Ed25519 private key, so
 * the start stops with that message.
 */
export function loadSigningKey(config: Pick<AppConfig, 'signingKeyFile' | 'dataDir'>): SigningKey {
  if (config.signingKeyFile !== null) return readKey(config.signingKeyFile, 'TRACKER_SIGNING_KEY_FILE');
  const file = join(config.dataDir, GENERATED_KEY_FILE);
  if (!existsSync(file)) {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      mkdirSync(config.dataDir, { recursive: true });
      // 'wx': never replace a key that exists (another process may have just created it).
      writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new ConfigError([`the signing key ${file} cannot be created: ${errorMessage(error)} (or set TRACKER_SIGNING_KEY_FILE)`]);
      }
    }
  }
  return readKey(file, 'the generated signing key');
}

function readKey(file: string, what: string): SigningKey {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`${what} ${file} cannot be read: ${errorMessage(error)}`]);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new ConfigError([`${what} ${file} is not a PEM private key (expected an Ed25519 key in PKCS#8 PEM)`]);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ConfigError([`${what} ${file} holds a ${key.asymmetricKeyType ?? 'non-asymmetric'} key; an Ed25519 key is required`]);
  }
  return signingKeyOf(key);
}

