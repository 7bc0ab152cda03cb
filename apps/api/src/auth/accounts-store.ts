import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { UserGrant, UserRole } from '#domain';

/** `pending`: reserved while its UserRegistered is being appended; `active`: may sign in; `disabled`: may not. */
export type AccountStatus = 'pending' | 'active' | 'disabled';

/** A user as the accounts store holds them: the current grant and the password state, never a plain secret. */
export interface Account extends UserGrant {
  id: string;
  email: string;
  name: string;
  status: AccountStatus;
  /** Version of the user's stream (`user-<id>`) this row reflects. */
  version: number;
  /** A one-time password was issued: only changing it is allowed until then. */
  mustChangePassword: boolean;
  /** When the one-time password stops working (ms since the epoch), or null. */
  passwordExpiresAt: number | null;
  createdAt: number;
}

/** A personal API token as listed to its owner (the secret is never stored, only its SHA-256). */
export interface ApiTokenInfo {
  id: string;
  name: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
}

/** How a request was authenticated. */
export type Credential =
  | { kind: 'session'; sessionHash: string; csrfToken: string; expiresAt: number }
  | { kind: 'token'; tokenId: string; expiresAt: number | null };

/** An authenticated account and the credential it used. */
export interface Authenticated {
  account: Account;
  credential: Credential;
}

/** A new account row. */
export interface NewAccount extends UserGrant {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  mustChangePassword: boolean;
  passwordExpiresAt: number | null;
  now: number;
}

/** The state of a user's stream that the store mirrors (see {@link AccountsStore.applyUserState}). */
export interface UserSnapshot extends UserGrant {
  status: 'active' | 'disabled';
  version: number;
  /** Ids of the tokens the stream has not revoked; every other token of the user is revoked. */
  tokenIds: readonly string[];
}

interface AccountRow {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  organisation_id: string | null;
  person_id: string | null;
  status: AccountStatus;
  version: number;
  password_hash: string | null;
  must_change_password: number;
  password_expires_at: number | null;
  created_at: number;
}

const SCHEMA_VERSION = 1;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    organisation_id TEXT,
    person_id TEXT,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    password_hash TEXT,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    password_expires_at INTEGER,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (user_id);
  CREATE TABLE IF NOT EXISTS api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER
  );
  CREATE INDEX IF NOT EXISTS api_tokens_by_user ON api_tokens (user_id);
  CREATE TABLE IF NOT EXISTS login_throttle (
    key TEXT PRIMARY KEY,
    hits INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    blocked_until INTEGER NOT NULL
  );
`;

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    organisationId: row.organisation_id,
    personId: row.person_id,
    status: row.status,
    version: row.version,
    mustChangePassword: row.must_change_password === 1,
    passwordExpiresAt: row.password_expires_at,
    createdAt: row.created_at,
  };
}

/** Options of {@link AccountsStore.open}. */
export interface AccountsStoreOptions {
  /** `full` (default): every commit is fsynced, so a revocation survives a power cut. */
  durability?: 'full' | 'normal';
}

/**
 * Credentials and sessions in their own SQLite file (`<data dir>/accounts.db`): users' current grants, scrypt
 * password hashes, SHA-256 digests of session ids and API tokens, CSRF tokens of sessions and the sign-in
 * throttle. Not the read-model database: that one is disposable, and these secrets are not in the events to
 * rebuild from. Several processes may share the file (WAL, busy timeout), so every instance sees a sign-in,
 * a sign-out or a revocation at once. Every statement binds its values.
 */
export class AccountsStore {
  private closed = false;

  /** Prepared statements by SQL text: authentication runs several on every request. */
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(readonly db: Database.Database) {}

  private statement<P extends unknown[] | {} = unknown[], R = unknown>(source: string): Database.Statement<P, R> {
    let prepared = this.statements.get(source);
    if (prepared === undefined) this.statements.set(source, (prepared = this.db.prepare(source)));
    return prepared as unknown as Database.Statement<P, R>;
  }

  /** Opens (creating if needed) the accounts database. */
  static open(file: string, options: AccountsStoreOptions = {}): AccountsStore {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
      db.transaction(() => {
        const version = Number(db.pragma('user_version', { simple: true }));
        if (version > SCHEMA_VERSION) throw new Error(`${file} was written by a newer version of the tracker (schema ${version})`);
        db.exec(SCHEMA);
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
      }).immediate();
      return new AccountsStore(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  // ---- users ----

  /** Number of users of every status. */
  countUsers(): number {
    return this.statement<[], number>('SELECT count(*) FROM users').pluck().get() ?? 0;
  }

  /** Active users with the staff role. */
  countActiveStaff(): number {
    return this.statement<[], number>("SELECT count(*) FROM users WHERE role = 'staff' AND status = 'active'").pluck().get() ?? 0;
  }

  /**
   * Reserves a new user's row (`pending`) before its UserRegistered is appended, which also reserves the
   * e-mail address. False when the address is taken, or, with `onlyIfEmpty`, when any user exists.
   */
  reserve(account: NewAccount, onlyIfEmpty = false): boolean {
    return this.db
      .transaction((): boolean => {
        if (onlyIfEmpty && this.countUsers() > 0) return false;
        const taken = this.statement<[string], number>('SELECT count(*) FROM users WHERE email = ?').pluck().get(account.email);
        if (taken) return false;
        this.statement(
            `INSERT INTO users (id, email, name, role, organisation_id, person_id, status, version, password_hash,
               must_change_password, password_expires_at, created_at)
             VALUES (@id, @email, @name, @role, @organisationId, @personId, 'pending', 0, @passwordHash,
               @mustChange, @passwordExpiresAt, @now)`,
          )
          .run({ ...account, mustChange: account.mustChangePassword ? 1 : 0 });
        return true;
      })
      .immediate();
  }

  /** Drops a reservation whose UserRegistered was not appended. */
  release(id: string): void {
    this.statement("DELETE FROM users WHERE id = ? AND status = 'pending'").run(id);
  }

  /**
   * Puts back the row of a user whose stream exists but whose row does not (an accounts.db restored from an older
   * backup, or lost), so that staff can issue them a new one-time password.
   */
  restore(account: Omit<NewAccount, 'passwordHash'>, status: 'active' | 'disabled', version: number): void {
    this.statement(
        `INSERT OR IGNORE INTO users (id, email, name, role, organisation_id, person_id, status, version, password_hash,
           must_change_password, password_expires_at, created_at)
         VALUES (@id, @email, @name, @role, @organisationId, @personId, @status, @version, NULL, 1, NULL, @now)`,
      )
      .run({ ...account, status, version });
  }

  /** Inserts an active user at once (fixtures in tests; no user stream is written). */
  insertActive(account: Omit<NewAccount, 'passwordHash'> & { passwordHash: string | null }): void {
    this.statement(
        `INSERT INTO users (id, email, name, role, organisation_id, person_id, status, version, password_hash,
           must_change_password, password_expires_at, created_at)
         VALUES (@id, @email, @name, @role, @organisationId, @personId, 'active', 0, @passwordHash, @mustChange, @passwordExpiresAt, @now)`,
      )
      .run({ ...account, mustChange: account.mustChangePassword ? 1 : 0 });
  }

  byId(id: string): Account | null {
    const row = this.statement<[string], AccountRow>('SELECT * FROM users WHERE id = ?').get(id);
    return row ? toAccount(row) : null;
  }

  byEmail(email: string): Account | null {
    const row = this.statement<[string], AccountRow>('SELECT * FROM users WHERE email = ?').get(email);
    return row ? toAccount(row) : null;
  }

  /** The password hash of an active user, or null. */
  passwordHashOf(id: string): string | null {
    return this.statement<[string], string | null>("SELECT password_hash FROM users WHERE id = ? AND status = 'active'").pluck().get(id) ?? null;
  }

  /** Every user but reservations, by e-mail address. */
  list(): Account[] {
    return this.statement<[], AccountRow>("SELECT * FROM users WHERE status <> 'pending' ORDER BY email").all().map(toAccount);
  }

  /** Users whose row may lag their stream: every non-pending row, and reservations older than `before`. */
  rowsToReconcile(before: number): Account[] {
    return this.statement<[number], AccountRow>("SELECT * FROM users WHERE status <> 'pending' OR created_at < ?")
      .all(before)
      .map(toAccount);
  }

  /**
   * Mirrors the user's stream at `snapshot.version`, unless the row already reflects that version or a later
   * one (instances and requests may finish out of order). A changed grant or status also deletes every
   * session; tokens the stream no longer holds are revoked. Returns whether the row changed.
   */
  applyUserState(id: string, snapshot: UserSnapshot, now: number, options: { endSessions?: boolean } = {}): boolean {
    return this.db
      .transaction((): boolean => {
        const row = this.statement<[string], AccountRow>('SELECT * FROM users WHERE id = ?').get(id);
        if (!row || row.version >= snapshot.version) return false;
        const grantChanged =
          row.status !== snapshot.status ||
          row.role !== snapshot.role ||
          row.organisation_id !== snapshot.organisationId ||
          row.person_id !== snapshot.personId;
        this.statement(
            `UPDATE users SET status = @status, role = @role, organisation_id = @organisationId, person_id = @personId,
               version = @version WHERE id = @id`,
          )
          .run({ id, status: snapshot.status, role: snapshot.role, organisationId: snapshot.organisationId, personId: snapshot.personId, version: snapshot.version });
        if (grantChanged || options.endSessions === true) this.endSessions(id);
        this.statement(
            `UPDATE api_tokens SET revoked_at = @now
             WHERE user_id = @id AND revoked_at IS NULL AND id NOT IN (SELECT value FROM json_each(@keep))`,
          )
          .run({ id, now, keep: JSON.stringify(snapshot.tokenIds) });
        return true;
      })
      .immediate();
  }

  /** Sets a password hash; a one-time password must be changed (and may expire). */
  setPassword(id: string, hash: string, oneTime: { mustChange: boolean; expiresAt: number | null }): void {
    this.statement('UPDATE users SET password_hash = ?, must_change_password = ?, password_expires_at = ? WHERE id = ?')
      .run(hash, oneTime.mustChange ? 1 : 0, oneTime.expiresAt, id);
  }

  // ---- sessions ----

  createSession(session: { idHash: string; userId: string; csrfToken: string; now: number; expiresAt: number }): void {
    this.statement('INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (@idHash, @userId, @csrfToken, @now, @expiresAt)')
      .run(session);
  }

  /** The active user of a live session. */
  bySession(idHash: string, now: number): Authenticated | null {
    const row = this.statement<[string, number], AccountRow & { csrf_token: string; session_expires_at: number }>(
        `SELECT u.*, s.csrf_token, s.expires_at AS session_expires_at FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id_hash = ? AND s.expires_at > ? AND u.status = 'active'`,
      )
      .get(idHash, now);
    if (!row) return null;
    return { account: toAccount(row), credential: { kind: 'session', sessionHash: idHash, csrfToken: row.csrf_token, expiresAt: row.session_expires_at } };
  }

  endSession(idHash: string): void {
    this.statement('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }

  /** Ends every session of a user, but `keep` (the session changing its own password). */
  endSessions(userId: string, keep: string | null = null): void {
    this.statement('DELETE FROM sessions WHERE user_id = ? AND id_hash IS NOT ?').run(userId, keep);
  }

  /** Deletes expired sessions and stale throttle records. */
  purgeExpired(now: number): void {
    this.statement('DELETE FROM sessions WHERE expires_at <= ?').run(now);
    this.statement('DELETE FROM login_throttle WHERE expires_at <= ? AND blocked_until <= ?').run(now, now);
  }

  // ---- API tokens ----

  createToken(token: { id: string; userId: string; name: string; secretHash: string; now: number; expiresAt: number | null }): void {
    this.statement(
        `INSERT INTO api_tokens (id, user_id, name, secret_hash, created_at, expires_at)
         VALUES (@id, @userId, @name, @secretHash, @now, @expiresAt)`,
      )
      .run(token);
  }

  /** The active user of a token that is neither revoked nor expired. */
  byToken(secretHash: string, now: number): Authenticated | null {
    const row = this.statement<[string, number], AccountRow & { token_id: string; token_expires_at: number | null }>(
        `SELECT u.*, t.id AS token_id, t.expires_at AS token_expires_at FROM api_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.secret_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?) AND u.status = 'active'`,
      )
      .get(secretHash, now);
    if (!row) return null;
    return { account: toAccount(row), credential: { kind: 'token', tokenId: row.token_id, expiresAt: row.token_expires_at } };
  }

  revokeToken(id: string, now: number): void {
    this.statement('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id);
  }

  /** A user's tokens, newest first. */
  tokensOf(userId: string): ApiTokenInfo[] {
    return this.statement<[string], ApiTokenInfo>(
        `SELECT id, name, created_at AS createdAt, expires_at AS expiresAt, revoked_at AS revokedAt
         FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, id DESC`,
      )
      .all(userId);
  }

  // ---- sign-in throttle ----

  /** Counts a hit on `key` within a window of `ttlMs`; past `limit` the key is blocked for `blockMs`. */
  hit(key: string, ttlMs: number, limit: number, blockMs: number, now: number): { hits: number; expiresAt: number; blockedUntil: number } {
    return this.db
      .transaction(() => {
        const row = this.statement<[string], { hits: number; expires_at: number; blocked_until: number }>('SELECT hits, expires_at, blocked_until FROM login_throttle WHERE key = ?')
          .get(key);
        const fresh = !row || (row.expires_at <= now && row.blocked_until <= now);
        const hits = fresh ? 1 : row.hits + 1;
        const expiresAt = fresh ? now + ttlMs : row.expires_at;
        const blockedUntil = !fresh && row.blocked_until > now ? row.blocked_until : hits > limit ? now + blockMs : 0;
        this.statement(
            `INSERT INTO login_throttle (key, hits, expires_at, blocked_until) VALUES (@key, @hits, @expiresAt, @blockedUntil)
             ON CONFLICT (key) DO UPDATE SET hits = excluded.hits, expires_at = excluded.expires_at, blocked_until = excluded.blocked_until`,
          )
          .run({ key, hits, expiresAt, blockedUntil });
        return { hits, expiresAt, blockedUntil };
      })
      .immediate();
  }
}
