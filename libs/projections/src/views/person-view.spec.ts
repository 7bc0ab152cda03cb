import { describe, expect, it } from '@jest/globals';
import { event } from '../testing/fixtures.js';
import { recorded } from '../testing/recorded.js';
import { isForgotten, personView } from './person-view.js';

const P = '0192f000-0000-7000-8000-0000000000b1';
const TRONDHEIM = '0192f000-0000-7000-8000-0000000000a1';

describe('person view', () => {
  const registered = event('PersonRegistered', { personId: P, personal: { name: 'Kari Nordmann', background: 'Engineer' } }, '2018-01-02T09:00:00.000Z');
  const role = event(
    'RoleAssumed',
    { personId: P, roleId: 'r1', organisationId: TRONDHEIM, from: '2019-01-01', personal: { title: 'Project manager', responsibility: 'Citizen participation' } },
    '2019-01-01T09:00:00.000Z',
  );
  const forgotten = event('PersonForgotten', { personId: P, reason: 'Asked to be forgotten' }, '2022-01-01T09:00:00.000Z');

  it('is null until the person is registered', () => {
    expect(personView([])).toBeNull();
  });

  it('flattens the personal details and applies revisions field by field', async () => {
    const view = personView(
      await recorded(
        registered,
        event('PersonDetailsRevised', { personId: P, personal: { name: 'Kari Nordmann Hansen' } }),
        event('PersonDetailsRevised', { personId: P, personal: { background: null } }),
      ),
    );
    expect(view).toEqual({
      id: P,
      version: 3,
      name: 'Kari Nordmann Hansen',
      background: null,
      roles: [],
      registeredAt: '2018-01-02T09:00:00.000Z',
      forgotten: false,
      forgottenAt: null,
    });
  });

  it('shows roles with their dates, ended ones with `to`', async () => {
    const view = personView(await recorded(registered, role, event('RoleEnded', { personId: P, roleId: 'r1', to: '2021-12-31' })));
    expect(view?.roles).toEqual([
      { roleId: 'r1', organisationId: TRONDHEIM, title: 'Project manager', responsibility: 'Citizen participation', from: '2019-01-01', to: '2021-12-31' },
    ]);
  });

  it('shows a forgotten person without any personal data', async () => {
    const events = await recorded(registered, role, forgotten);
    expect(isForgotten(events)).toBe(true);
    expect(personView(events)).toMatchObject({
      version: 3,
      name: null,
      background: null,
      roles: [],
      forgotten: true,
      forgottenAt: '2022-01-01T09:00:00.000Z',
    });
  });

  it('withholds personal data from a view cut before the forgetting', async () => {
    const events = await recorded(registered, role, forgotten);
    const before = events.slice(0, 2);
    expect(personView(before)?.name).toBe('Kari Nordmann');
    expect(personView(before, { withholdPersonalData: isForgotten(events) })).toMatchObject({ version: 2, name: null, roles: [], forgotten: false });
  });

  it('still folds a history whose personal data was redacted', async () => {
    const redacted = await recorded(
      event('PersonRegistered', { personId: P }),
      event('RoleAssumed', { personId: P, roleId: 'r1', organisationId: TRONDHEIM, from: '2019-01-01' }),
      event('PersonForgotten', { personId: P, reason: 'Asked to be forgotten' }),
    );
    expect(personView(redacted)).toMatchObject({ version: 3, name: null, forgotten: true });
  });
});
