import { createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GENERATED_KEY_FILE } from '../../../api/src/audit/signing-key.js';
import { AccountsStore } from '../../../api/src/auth/accounts-store.js';
import type { AppConfig } from '../../../api/src/config/app-config.js';
import { errorMessage } from '#event-store';

/**
 * The files of one backup: `<file>` is the copy of events.db, and its companions sit beside it under the same
 * name plus a suffix, so `restore <file>` finds them without being told.
 */
export interface BackupFiles {
  events: string;
  /** `<file>.keys.db`: the personal-data key store. */
  keys: string;
  /** `<file>.accounts.db`: users, password hashes, sessions and tokens. */
  accounts: string;
  /** `<file>.signing-key.pem`: only with `backup --with-signing-key`. */
  signingKey: string;
}

/** The companions of the backup `<file>`. */
export function backupFiles(file: string): BackupFiles {
  return { events: file, keys: `${file}.keys.db`, accounts: `${file}.accounts.db`, signingKey: `${file}.signing-key.pem` };
}

/** The signing key the API uses: TRACKER_SIGNING_KEY_FILE, else `<data dir>/signing-key.pem`. */
export function signingKeyFile(config: AppConfig): string {
  return config.signingKeyFile ?? join(config.dataDir, GENERATED_KEY_FILE);
}

/** Owner-only: key stores, accounts and the signing key are secrets. */
export const SECRET_FILE_MODE = 0o600;

/** What an accounts database holds. */
export interface AccountsFileInfo {
  file: string;
  users: number;
  bytes: number;
}

/** Checks (read-only) that `file` is an accounts database and counts its users. */
export function inspectAccountsFile(file: string): AccountsFileInfo {
  if (!existsSync(file)) throw new Error(`${file} does not exist`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
  } catch (error) {
    throw new Error(`${file} cannot be opened as an SQLite database: ${errorMessage(error)}`, { cause: error });
  }
  try {
    const table = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'users'").pluck().get();
    if (table === undefined) throw new Error(`${file} is not an accounts database (it has no users table)`);
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`${file} is damaged: ${String(check)}`);
    const users = db.prepare<[], number>("SELECT count(*) FROM users WHERE status <> 'pending'").pluck().get() ?? 0;
    return { file, users, bytes: statSync(file).size };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith(file)) throw error;
    throw new Error(`${file} is not a usable accounts database: ${errorMessage(error)}`, { cause: error });
  } finally {
    db.close();
  }
}

/** Opens `file` as the API does (refusing a newer schema) and closes it again. */
export function openAccountsOnce(file: string): void {
  AccountsStore.open(file).close();
}

/** Throws unless `file` holds an Ed25519 private key in PEM, as the API needs. */
export function assertSigningKey(file: string): void {
  let key;
  try {
    key = createPrivateKey(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not a PEM private key: ${errorMessage(error)}`, { cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file} holds a ${key.asymmetricKeyType ?? 'symmetric'} key, not the Ed25519 key the tracker signs with`);
}

/** Copies a small secret file to `target` with owner-only mode, through a temporary file renamed into place. */
export function copySecretFile(source: string, target: string): number {
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const bytes = readFileSync(source);
  try {
    writeFileSync(partial, bytes, { mode: SECRET_FILE_MODE, flush: true });
    chmodSync(partial, SECRET_FILE_MODE);
    renameSync(partial, target);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return bytes.length;
}

/** True when both files exist with the same bytes. */
export function sameContent(a: string, b: string): boolean {
  return existsSync(a) && existsSync(b) && readFileSync(a).equals(readFileSync(b));
}

