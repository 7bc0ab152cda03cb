/** Our code, compiled by `npm run build` into ../dist (its imports resolve through the root package). */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as eventStore from '../../dist/libs/event-store/src/index.js';

export {
  ProjectionRunner,
  experimentTimeline,
  experimentTimelineProjection,
  openReadModelDb,
} from '../../dist/libs/projections/src/index.js';

const { PERSONAL_DATA } = await import('../../dist/libs/domain/src/index.js');

/** Whether stores are wrapped for reading as the app wraps them (UpcastingEventStore with the production upcasters). */
export const upcasting = typeof eventStore.UpcastingEventStore === 'function' && eventStore.EVENT_UPCASTERS !== undefined;

/** Whether stores encrypt personal data as the app's do (PersonalDataEventStore; keys in memory here). */
export const personalData = typeof eventStore.PersonalDataEventStore === 'function' && PERSONAL_DATA !== undefined;

/** Our SQLite store composed as the application composes it: Upcasting(PersonalData(SQLite)). */
export function openOurStore(filename, durability) {
  let store = new eventStore.SqliteEventStore({ filename, durability });
  if (personalData) store = new eventStore.PersonalDataEventStore(store, new eventStore.InMemoryPersonalDataKeys(), PERSONAL_DATA);
  return upcasting ? new eventStore.UpcastingEventStore(store, eventStore.EVENT_UPCASTERS) : store;
}

export async function loadApp() {
  await import('reflect-metadata');
  const { createApp } = await import('../../dist/apps/api/src/app.factory.js');
  const { AppConfig } = await import('../../dist/apps/api/src/config/app-config.js');
  return { createApp, AppConfig };
}

const AUTH = new URL('../../dist/apps/api/src/auth/', import.meta.url);

/**
 * When the app has accounts (requests need `Authorization: Bearer`), writes a staff user and an API token into
 * its accounts db before it starts, as the end-to-end tests do; returns the token, or null without accounts.
 */
export async function provisionStaffToken(config) {
  if (!existsSync(new URL('accounts-store.js', AUTH))) return null;
  const { AccountsStore } = await import(new URL('accounts-store.js', AUTH));
  const { digest, newApiToken } = await import(new URL('secrets.js', AUTH));
  const store = AccountsStore.open(config.accountsFile, { durability: config.durability });
  try {
    const now = Date.now();
    const id = randomUUID();
    store.insertActive({
      id,
      email: 'bench@bench.invalid',
      name: 'Bench',
      role: 'staff',
      organisationId: null,
      personId: null,
      passwordHash: null,
      mustChangePassword: false,
      passwordExpiresAt: null,
      now,
    });
    const token = newApiToken();
    store.createToken({ id: randomUUID(), userId: id, name: 'bench', secretHash: digest(token), now, expiresAt: null });
    return token;
  } finally {
    store.close();
  }
}
