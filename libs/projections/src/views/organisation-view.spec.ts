import { describe, expect, it } from '@jest/globals';
import { event } from '../testing/fixtures.js';
import { recorded } from '../testing/recorded.js';
import { organisationView } from './organisation-view.js';

const O = '0192f000-0000-7000-8000-0000000000a1';

describe('organisation view', () => {
  const registered = event('OrganisationRegistered', { organisationId: O, name: 'SoCentral', kind: 'ngo' }, '2016-01-04T09:00:00.000Z');
  const renamed = (name: string, previousName: string, at: string) => event('OrganisationRenamed', { organisationId: O, name, previousName }, at);

  it('is null until the organisation is registered', async () => {
    expect(organisationView([])).toBeNull();
    expect(organisationView(await recorded(renamed('SoCentral AS', 'SoCentral', '2018-01-01T00:00:00.000Z')))).toBeNull();
  });

  it('shows the registration', async () => {
    expect(organisationView(await recorded(registered))).toEqual({
      id: O,
      version: 1,
      name: 'SoCentral',
      kind: 'ngo',
      registeredAt: '2016-01-04T09:00:00.000Z',
      previousNames: [],
    });
  });

  it('keeps every earlier name, oldest first, with when it stopped being used', async () => {
    const view = organisationView(
      await recorded(
        registered,
        renamed('SoCentral AS', 'SoCentral', '2018-03-01T00:00:00.000Z'),
        renamed('SoCentral Oslo', 'SoCentral AS', '2020-05-01T00:00:00.000Z'),
      ),
    );
    expect(view).toMatchObject({ version: 3, name: 'SoCentral Oslo', kind: 'ngo' });
    expect(view?.previousNames).toEqual([
      { name: 'SoCentral', until: '2018-03-01T00:00:00.000Z' },
      { name: 'SoCentral AS', until: '2020-05-01T00:00:00.000Z' },
    ]);
  });
});
