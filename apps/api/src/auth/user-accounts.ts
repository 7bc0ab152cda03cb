import { Injectable } from '@nestjs/common';
import {
  DomainError,
  normaliseEmail,
  StreamCategory,
  streamName,
  userDecider,
  userStreamName,
  type UserCommand,
  type UserEvent,
  type UserRole,
  type UserState,
} from '#domain';
import { EventStore, handleCommand, type CommandContext, type CommandResult } from '#event-store';
import { AccountsStore, type Account, type ApiTokenInfo } from './accounts-store.js';
import type { Principal } from './principal.js';
import { digest, hashPassword, newApiToken, oneTimePassword, randomSecret, verifyDecoy, verifyPassword } from './secrets.js';

/** A one-time password (new user, reset) works this long, and only to set a password of one's own. */
export const ONE_TIME_PASSWORD_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** A session lasts this long after sign-in (no sliding renewal). */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** A reservation younger than this may still be on its way to the event store (another instance). */
const RESERVATION_GRACE_MS = 60_000;

/** A new user as staff (or the CLI) registers them. */
export interface NewUser {
  userId: string;
  email: string;
  name: string;
  role: UserRole;
  organisationId?: string | null;
  personId?: string | null;
}

/** A new role: `organisationId` / `personId` absent keep the current value, null clears it. */
export interface RoleChange {
  role: UserRole;
  organisationId?: string | null;
  personId?: string | null;
}

/** What a command on a user returns; `oneTimePassword` and `token` are shown once and stored only hashed. */
export interface UserOutcome {
  id: string;
  version: number;
}

/** A successful sign-in: the session id goes into the cookie only; the CSRF token to the client. */
export interface SignedIn {
  account: Account;
  sessionId: string;
  csrfToken: string;
  expiresAt: number;
}

/** The system actor's context: the first staff user (no one is signed in yet) and the command line. */
export function systemContext(occurredAt: string, newId: () => string): CommandContext {
  const commandId = newId();
  return {
    actor: { id: 'system', role: 'system' },
    occurredAt,
    correlationId: commandId,
    causationId: commandId,
    source: 'system',
    eventId: () => newId(),
  };
}

/**
 * Users and their credentials. Every change is decided on the user's stream (`user-<id>`), appended, and then
 * mirrored into the accounts store, which authentication reads. The event is the record: should the process
 * die between the two, {@link reconcile} brings the store up to the stream at the next start (revoking rather
 * than granting when unsure). Secrets are generated here, shown once, and kept only as scrypt hashes (passwords)
 * or SHA-256 digests (session ids, API tokens).
 */
@Injectable()
export class UserAccounts {
  /** The clock (tests may replace it). */
  now: () => number = Date.now;

  constructor(
    private readonly events: EventStore,
    readonly accounts: AccountsStore,
  ) {}

  /** Registers a user with a one-time password (shown once, must be changed at first sign-in). */
  async register(input: NewUser, context: CommandContext): Promise<UserOutcome & { oneTimePassword: string }> {
    const command: UserCommand = { type: 'RegisterUser', data: { ...input }, occurredAt: context.occurredAt };
    const [registered] = userDecider.decide(command, userDecider.initialState());
    if (registered.type !== 'UserRegistered') throw new Error('RegisterUser must record UserRegistered');
    await this.requireReferences(registered.data);
    const password = oneTimePassword();
    const now = this.now();
    const reserved = this.accounts.reserve({
      id: input.userId,
      email: registered.data.personal.email,
      name: registered.data.personal.name,
      role: registered.data.role,
      organisationId: registered.data.organisationId,
      personId: registered.data.personId,
      passwordHash: await hashPassword(password),
      mustChangePassword: true,
      passwordExpiresAt: now + ONE_TIME_PASSWORD_TTL_MS,
      now,
    });
    if (!reserved) throw new DomainError('user.email-taken', 'another user has this e-mail address');
    const result = await this.decide(input.userId, command, context).catch((error: unknown) => {
      this.accounts.release(input.userId);
      throw error;
    });
    return { id: input.userId, version: result.version, oneTimePassword: password };
  }

  /** Changes a user's role; their sessions and tokens are revoked at once. The last active staff user stays staff. */
  async changeRole(userId: string, change: RoleChange, context: CommandContext): Promise<UserOutcome> {
    if (change.role !== 'staff') this.keepOneStaff(userId);
    await this.requireReferences({ organisationId: change.organisationId ?? null, personId: change.personId ?? null });
    const result = await this.decide(userId, { type: 'ChangeUserRole', data: { userId, ...change }, occurredAt: context.occurredAt }, context);
    return { id: userId, version: result.version };
  }

  /** Disables a user; their sessions and tokens stop working at once. The last active staff user cannot be disabled. */
  async disable(userId: string, context: CommandContext): Promise<UserOutcome> {
    this.keepOneStaff(userId);
    const result = await this.decide(userId, { type: 'DisableUser', data: { userId }, occurredAt: context.occurredAt }, context);
    return { id: userId, version: result.version };
  }

  /**
   * Staff reset: a new one-time password (shown once); every session and token of the user is revoked. A user
   * whose row is missing from accounts.db (lost, or restored from an older backup) gets it back from their stream.
   */
  async resetPassword(userId: string, context: CommandContext): Promise<UserOutcome & { oneTimePassword: string }> {
    const result = await this.decide(userId, { type: 'ResetPassword', data: { userId }, occurredAt: context.occurredAt }, context, true);
    if (this.accounts.byId(userId) === null && result.state.status === 'active') await this.restoreRow(userId, result.version);
    const password = oneTimePassword();
    this.accounts.setPassword(userId, await hashPassword(password), { mustChange: true, expiresAt: this.now() + ONE_TIME_PASSWORD_TTL_MS });
    this.accounts.endSessions(userId);
    return { id: userId, version: result.version, oneTimePassword: password };
  }

  /** The user sets their own password; their other sessions end (the one making the change stays). */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string, context: CommandContext): Promise<UserOutcome> {
    const hash = this.accounts.passwordHashOf(principal.id);
    if (hash === null || !(await verifyPassword(currentPassword, hash))) {
      throw new DomainError('auth.current-password-wrong', 'the current password is not right');
    }
    if (newPassword === currentPassword) throw new DomainError('auth.password-unchanged', 'the new password must differ from the current one');
    if (newPassword.trim().toLowerCase() === principal.email) throw new DomainError('auth.password-is-email', 'the password must not be the e-mail address');
    const result = await this.decide(principal.id, { type: 'ChangePassword', data: { userId: principal.id }, occurredAt: context.occurredAt }, context);
    this.accounts.setPassword(principal.id, await hashPassword(newPassword), { mustChange: false, expiresAt: null });
    this.accounts.endSessions(principal.id, principal.credential.kind === 'session' ? principal.credential.sessionHash : null);
    return { id: principal.id, version: result.version };
  }

  /** Issues a personal API token; the secret is returned once and stored as a SHA-256 digest. */
  async issueToken(
    userId: string,
    token: { tokenId: string; name: string; expiresAt: string | null },
    context: CommandContext,
  ): Promise<UserOutcome & { tokenId: string; name: string; expiresAt: string | null; token: string }> {
    const command: UserCommand = { type: 'IssueApiToken', data: { userId, ...token }, occurredAt: context.occurredAt };
    const result = await this.decide(userId, command, context);
    const issued = result.events.find((e) => e.type === 'ApiTokenIssued');
    if (issued?.type !== 'ApiTokenIssued') throw new Error('IssueApiToken must record ApiTokenIssued');
    const secret = newApiToken();
    const { name, expiresAt } = issued.data;
    this.accounts.createToken({
      id: token.tokenId,
      userId,
      name,
      secretHash: digest(secret),
      now: this.now(),
      expiresAt: expiresAt === null ? null : Date.parse(expiresAt),
    });
    return { id: userId, version: result.version, tokenId: token.tokenId, name, expiresAt, token: secret };
  }

  /** Revokes one of the user's tokens (not found when it is not theirs or already revoked). */
  async revokeToken(userId: string, tokenId: string, context: CommandContext): Promise<UserOutcome> {
    const result = await this.decide(userId, { type: 'RevokeApiToken', data: { userId, tokenId }, occurredAt: context.occurredAt }, context);
    this.accounts.revokeToken(tokenId, this.now());
    return { id: userId, version: result.version };
  }

  /** The user's tokens (never their secrets). */
  tokensOf(userId: string): ApiTokenInfo[] {
    return this.accounts.tokensOf(userId);
  }

  /**
   * Checks an e-mail address and password; on success starts a server-side session. An unknown address, a
   * wrong or expired password and a disabled user all answer null, after the same scrypt work.
   */
  async signIn(email: string, password: string): Promise<SignedIn | null> {
    let account: Account | null = null;
    try {
      account = this.accounts.byEmail(normaliseEmail(email));
    } catch {
      account = null;
    }
    const hash = account?.status === 'active' ? this.accounts.passwordHashOf(account.id) : null;
    if (account === null || hash === null) return verifyDecoy(password).then(() => null);
    if (!(await verifyPassword(password, hash))) return null;
    const now = this.now();
    if (account.passwordExpiresAt !== null && account.passwordExpiresAt <= now) return null;
    const sessionId = randomSecret();
    const csrfToken = randomSecret(24);
    const expiresAt = now + SESSION_TTL_MS;
    this.accounts.purgeExpired(now);
    this.accounts.createSession({ idHash: digest(sessionId), userId: account.id, csrfToken, now, expiresAt });
    return { account, sessionId, csrfToken, expiresAt };
  }

  /** Ends the principal's session (a token-authenticated principal has none). */
  signOut(principal: Principal): void {
    if (principal.credential.kind === 'session') this.accounts.endSession(principal.credential.sessionHash);
  }

  /**
   * On a store without any user: registers a staff user with `email` and a one-time password, returned to be
   * printed once. Null when a user exists (also when another instance won the race).
   */
  async createFirstStaff(email: string, newId: () => string): Promise<{ email: string; password: string } | null> {
    if (this.accounts.countUsers() > 0) return null;
    const userId = newId();
    const password = oneTimePassword();
    const now = this.now();
    const context = systemContext(new Date(now).toISOString(), newId);
    const command: UserCommand = {
      type: 'RegisterUser',
      data: { userId, email, name: 'Administrator', role: 'staff' },
      occurredAt: context.occurredAt,
    };
    const normalised = normaliseEmail(email);
    const hash = await hashPassword(password);
    const base = { id: userId, email: normalised, name: 'Administrator', role: 'staff' as const, organisationId: null, personId: null };
    if (!this.accounts.reserve({ ...base, passwordHash: hash, mustChangePassword: true, passwordExpiresAt: null, now }, true)) return null;
    await this.decide(userId, command, context).catch((error: unknown) => {
      this.accounts.release(userId);
      throw error;
    });
    return { email: normalised, password };
  }

  /**
   * Brings every user's row up to their stream (after a crash between an append and its mirror), and drops
   * reservations whose UserRegistered never made it. A row that had to catch up loses its sessions.
   */
  async reconcile(): Promise<number> {
    let repaired = 0;
    const now = this.now();
    for (const row of this.accounts.rowsToReconcile(now - RESERVATION_GRACE_MS)) {
      const history = await this.events.readStream(userStreamName(row.id));
      if (history.length === 0) {
        if (row.status === 'pending') {
          this.accounts.release(row.id);
          repaired++;
        }
        continue;
      }
      if (history.length <= row.version) continue;
      const state = history.reduce((s, e) => userDecider.evolve(s, e as unknown as UserEvent), userDecider.initialState());
      if (this.mirror(row.id, state, history.length, true)) repaired++;
    }
    return repaired;
  }

  private async restoreRow(userId: string, version: number): Promise<void> {
    const history = (await this.events.readStream(userStreamName(userId))).map((e) => e as unknown as UserEvent);
    const state = history.reduce(userDecider.evolve, userDecider.initialState());
    const registered = history.find((e) => e.type === 'UserRegistered');
    if (state.status === 'initial' || registered?.type !== 'UserRegistered') return;
    const { role, organisationId, personId } = state;
    const name = typeof registered.data.personal?.name === 'string' ? registered.data.personal.name : '';
    this.accounts.restore({ id: userId, email: state.email, name, role, organisationId, personId, mustChangePassword: true, passwordExpiresAt: null, now: this.now() }, state.status, version);
  }

  private async decide(userId: string, command: UserCommand, context: CommandContext, endSessions = false): Promise<CommandResult<UserEvent, UserState>> {
    const result = await handleCommand(this.events, userStreamName(userId), userDecider, command, context);
    this.mirror(userId, result.state, result.version, endSessions);
    return result;
  }

  private mirror(userId: string, state: UserState, version: number, endSessions: boolean): boolean {
    if (state.status === 'initial') return false;
    return this.accounts.applyUserState(
      userId,
      {
        status: state.status,
        role: state.role,
        organisationId: state.organisationId,
        personId: state.personId,
        version,
        tokenIds: Object.keys(state.tokens),
      },
      this.now(),
      { endSessions },
    );
  }

  private keepOneStaff(userId: string): void {
    const account = this.accounts.byId(userId);
    if (account?.role === 'staff' && account.status === 'active' && this.accounts.countActiveStaff() <= 1) {
      throw new DomainError('user.last-staff', 'the last active staff user can be neither demoted nor disabled');
    }
  }

  private async requireReferences(grant: { organisationId?: string | null; personId?: string | null }): Promise<void> {
    const named = [
      [StreamCategory.organisation, grant.organisationId],
      [StreamCategory.person, grant.personId],
    ] as const;
    for (const [category, id] of named) {
      if (typeof id !== 'string') continue;
      const first = await this.events.readStream(streamName(category, id), { maxCount: 1 });
      if (first.length === 0) throw new DomainError(`user.unknown-${category}`, `${category} ${id} does not exist`);
    }
  }
}
