import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { InMemoryEventStore, type CommandContext } from '#event-store';
import { AccountsStore } from './accounts-store.js';
import type { Principal } from './principal.js';
import { digest } from './secrets.js';
import { UserAccounts } from './user-accounts.js';

let ids = 0;
const newId = () => `0192f1e2-0000-7000-8000-${String(++ids).padStart(12, '0')}`;
const ORG = '0192f1e2-0000-7000-8000-0000000000a1';

function context(actorId = 'staff-1'): CommandContext {
  const id = newId();
  return {
    actor: { id: actorId, role: 'staff' },
    occurredAt: new Date().toISOString(),
    correlationId: id,
    causationId: id,
    source: 'test',
    eventId: () => newId(),
  };
}

function metadata() {
  const { actor, occurredAt, correlationId, causationId, source } = context();
  return { actor, occurredAt, correlationId, causationId, source, schemaVersion: 1 };
}

function principalOf(accounts: AccountsStore, id: string): Principal {
  const account = accounts.byId(id);
  if (!account) throw new Error('no such account');
  return { ...account, credential: { kind: 'token', tokenId: 't', expiresAt: null } };
}

describe('UserAccounts', () => {
  let events: InMemoryEventStore;
  let accounts: AccountsStore;
  let users: UserAccounts;

  beforeEach(async () => {
    events = new InMemoryEventStore();
    accounts = AccountsStore.open(':memory:');
    users = new UserAccounts(events, accounts);
    const organisation = { organisationId: ORG, name: 'Trondheim kommune', kind: 'municipality' };
    await events.appendToStream(`organisation-${ORG}`, [
      { eventId: newId(), type: 'OrganisationRegistered', data: organisation, metadata: metadata() },
    ]);
  });

  afterEach(() => accounts.close());

  it('creates the first staff user once, with a one-time password that must be changed', async () => {
    const first = await users.createFirstStaff(' Admin@Localhost ', newId);
    expect(first).toEqual({ email: 'admin@localhost', password: expect.stringMatching(/^[a-z2-9-]{29}$/) });
    expect(await users.createFirstStaff('admin@localhost', newId)).toBeNull();
    const signedIn = await users.signIn('admin@localhost', first?.password ?? '');
    expect(signedIn?.account).toMatchObject({ role: 'staff', status: 'active', mustChangePassword: true });
    const [registered] = await events.readStream(`user-${signedIn?.account.id}`);
    expect(registered.metadata).toMatchObject({ actor: { id: 'system', role: 'system' }, source: 'system' });
  });

  it('signs in only with the right password of an active user, and keeps sessions server-side', async () => {
    const { id, oneTimePassword } = await users.register({ userId: newId(), email: 'kari@example.org', name: 'Kari', role: 'partner', organisationId: ORG }, context());
    expect(await users.signIn('kari@example.org', 'wrong')).toBeNull();
    expect(await users.signIn('nobody@example.org', oneTimePassword)).toBeNull();
    expect(await users.signIn('not an e-mail', oneTimePassword)).toBeNull();
    const session = await users.signIn('KARI@example.org', oneTimePassword);
    expect(session).not.toBeNull();
    expect(accounts.bySession(digest(session?.sessionId ?? ''), Date.now())?.account.id).toBe(id);
    expect(accounts.bySession(digest(session?.sessionId ?? ''), (session?.expiresAt ?? 0) + 1)).toBeNull();
    await users.disable(id, context());
    expect(accounts.bySession(digest(session?.sessionId ?? ''), Date.now())).toBeNull();
    expect(await users.signIn('kari@example.org', oneTimePassword)).toBeNull();
  });

  it('refuses an expired one-time password', async () => {
    const { oneTimePassword } = await users.register({ userId: newId(), email: 'late@example.org', name: 'Late', role: 'lead' }, context());
    users.now = () => Date.now() + 8 * 24 * 60 * 60 * 1000;
    expect(await users.signIn('late@example.org', oneTimePassword)).toBeNull();
  });

  it('keeps the e-mail address unique and releases it when the registration is refused', async () => {
    await users.register({ userId: newId(), email: 'one@example.org', name: 'One', role: 'lead' }, context());
    await expect(users.register({ userId: newId(), email: 'ONE@example.org', name: 'Two', role: 'lead' }, context())).rejects.toMatchObject({ rule: 'user.email-taken' });
    const userId = newId();
    await expect(users.register({ userId, email: 'p@example.org', name: 'P', role: 'partner', organisationId: newId() }, context())).rejects.toMatchObject({
      rule: 'user.unknown-organisation',
    });
    expect(accounts.byId(userId)).toBeNull();
  });

  it('revokes tokens on a role change, and keeps at least one active staff user', async () => {
    const { id } = await users.register({ userId: newId(), email: 'staff@example.org', name: 'Staff', role: 'staff' }, context());
    const issued = await users.issueToken(id, { tokenId: newId(), name: 'ci', expiresAt: null }, context(id));
    expect(accounts.byToken(digest(issued.token), Date.now())?.account.id).toBe(id);
    await expect(users.changeRole(id, { role: 'lead' }, context())).rejects.toMatchObject({ rule: 'user.last-staff' });
    await expect(users.disable(id, context())).rejects.toMatchObject({ rule: 'user.last-staff' });
    const other = await users.register({ userId: newId(), email: 'staff2@example.org', name: 'Staff 2', role: 'staff' }, context());
    await users.changeRole(id, { role: 'partner', organisationId: ORG }, context(other.id));
    expect(accounts.byToken(digest(issued.token), Date.now())).toBeNull();
    expect(accounts.byId(id)).toMatchObject({ role: 'partner', organisationId: ORG, version: 3 });
  });

  it('changes a password: the current one is checked, other sessions end, this one stays', async () => {
    const { id, oneTimePassword } = await users.register({ userId: newId(), email: 'lea@example.org', name: 'Lea', role: 'lead' }, context());
    const keep = await users.signIn('lea@example.org', oneTimePassword);
    const drop = await users.signIn('lea@example.org', oneTimePassword);
    const me: Principal = { ...principalOf(accounts, id), credential: { kind: 'session', sessionHash: digest(keep?.sessionId ?? ''), csrfToken: '', expiresAt: 0 } };
    await expect(users.changePassword(me, 'wrong', 'a brand new passphrase', context(id))).rejects.toMatchObject({ rule: 'auth.current-password-wrong' });
    await expect(users.changePassword(me, oneTimePassword, oneTimePassword, context(id))).rejects.toMatchObject({ rule: 'auth.password-unchanged' });
    await users.changePassword(me, oneTimePassword, 'a brand new passphrase', context(id));
    expect(accounts.bySession(digest(keep?.sessionId ?? ''), Date.now())).not.toBeNull();
    expect(accounts.bySession(digest(drop?.sessionId ?? ''), Date.now())).toBeNull();
    expect(accounts.byId(id)).toMatchObject({ mustChangePassword: false, passwordExpiresAt: null });
  });

  it('reconciles a row that missed its events (a crash between append and mirror): revokes, never grants', async () => {
    const { id, oneTimePassword } = await users.register({ userId: newId(), email: 'crash@example.org', name: 'Crash', role: 'lead' }, context());
    const issued = await users.issueToken(id, { tokenId: newId(), name: 'ci', expiresAt: null }, context(id));
    const session = await users.signIn('crash@example.org', oneTimePassword);
    await events.appendToStream(`user-${id}`, [{ eventId: newId(), type: 'UserDisabled', data: { userId: id }, metadata: metadata() }]);
    expect(accounts.byToken(digest(issued.token), Date.now())).not.toBeNull();
    expect(await users.reconcile()).toBe(1);
    expect(accounts.byId(id)).toMatchObject({ status: 'disabled', version: 3 });
    expect(accounts.byToken(digest(issued.token), Date.now())).toBeNull();
    expect(accounts.bySession(digest(session?.sessionId ?? ''), Date.now())).toBeNull();
    expect(await users.reconcile()).toBe(0);
  });

  it('a staff reset gives a user whose row was lost their row back from the stream', async () => {
    const { id } = await users.register({ userId: newId(), email: 'lost@example.org', name: 'Lost', role: 'partner', organisationId: ORG }, context());
    accounts.db.prepare('DELETE FROM users WHERE id = ?').run(id);
    const { oneTimePassword } = await users.resetPassword(id, context());
    expect(accounts.byId(id)).toMatchObject({ email: 'lost@example.org', name: 'Lost', role: 'partner', organisationId: ORG, version: 2, mustChangePassword: true });
    expect(await users.signIn('lost@example.org', oneTimePassword)).not.toBeNull();
  });

  it('drops a stale reservation whose UserRegistered never made it, keeps a fresh one', async () => {
    const base = { email: '', name: 'R', role: 'lead' as const, organisationId: null, personId: null, passwordHash: 'x', mustChangePassword: true, passwordExpiresAt: null };
    accounts.reserve({ ...base, id: 'stale', email: 'stale@example.org', now: Date.now() - 120_000 });
    accounts.reserve({ ...base, id: 'fresh', email: 'fresh@example.org', now: Date.now() });
    await users.reconcile();
    expect(accounts.byId('stale')).toBeNull();
    expect(accounts.byId('fresh')).not.toBeNull();
  });
});
