import { randomUUID } from 'node:crypto';
import { AccountsStore } from '../../apps/api/src/auth/accounts-store.js';
import { digest, newApiToken } from '../../apps/api/src/auth/secrets.js';

/**
 * The staff principal every test request acts as unless it says otherwise. It is written straight into
 * `accounts.db` before the app starts (no user stream), so suites that compare the whole event log see only their
 * own events, and no first staff user is created. Its id stays `anonymous`, the actor id recorded before accounts
 * existed, so the events it causes read as they always did: `{id: 'anonymous', role: 'staff'}`.
 */
export const TEST_STAFF = { id: 'anonymous', email: 'staff@tests.invalid', name: 'Test staff', role: 'staff' } as const;

/** Provisions {@link TEST_STAFF} (once per accounts file) and issues a fresh API token for it. */
export function provisionTestStaff(accountsFile: string, durability: 'full' | 'normal' = 'normal'): string {
  const store = AccountsStore.open(accountsFile, { durability });
  try {
    const now = Date.now();
    if (store.byId(TEST_STAFF.id) === null) {
      store.insertActive({
        id: TEST_STAFF.id,
        email: TEST_STAFF.email,
        name: TEST_STAFF.name,
        role: TEST_STAFF.role,
        organisationId: null,
        personId: null,
        passwordHash: null,
        mustChangePassword: false,
        passwordExpiresAt: null,
        now,
      });
    }
    const token = newApiToken();
    store.createToken({ id: randomUUID(), userId: TEST_STAFF.id, name: 'tests', secretHash: digest(token), now, expiresAt: null });
    return token;
  } finally {
    store.close();
  }
}
