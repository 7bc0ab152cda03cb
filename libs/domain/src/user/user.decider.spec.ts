import { describe, expect, it } from '@jest/globals';
import { given } from '../shared/decider-spec.js';
import { NotFoundError } from '../shared/domain-error.js';
import type { UserCommand } from './user.commands.js';
import { normaliseEmail, userDecider } from './user.decider.js';
import {
  USER_EVENT_TYPES,
  USER_PERSONAL_DATA_EVENT_TYPES,
  type ApiTokenIssued,
  type UserDisabled,
  type UserEvent,
  type UserRegistered,
  type UserRoleChanged,
} from './user.events.js';

const id = 'user-1';
const AT = '2024-03-01T10:00:00.000Z';

type Cmd<T extends UserCommand['type']> = Extract<UserCommand, { type: T }>;
const cmd = <T extends UserCommand['type']>(type: T, data: Cmd<T>['data'], occurredAt = AT): Cmd<T> => ({ type, data, occurredAt }) as Cmd<T>;

const registered: UserRegistered = {
  type: 'UserRegistered',
  data: { userId: id, role: 'lead', organisationId: null, personId: 'person-1', personal: { name: 'Kari Nordmann', email: 'kari@example.org' } },
};
const tokenIssued: ApiTokenIssued = {
  type: 'ApiTokenIssued',
  data: { userId: id, tokenId: 'token-1', name: 'laptop', expiresAt: '2024-04-01T00:00:00.000Z' },
};
const disabled: UserDisabled = { type: 'UserDisabled', data: { userId: id } };
const toPartner: UserRoleChanged = {
  type: 'UserRoleChanged',
  data: {
    userId: id,
    role: 'partner',
    organisationId: 'org-1',
    personId: 'person-1',
    previous: { role: 'lead', organisationId: null, personId: 'person-1' },
  },
};

const register = cmd('RegisterUser', { userId: id, email: ' Kari@Example.org ', name: ' Kari Nordmann ', role: 'lead', personId: 'person-1' });

describe('user decider', () => {
  describe('initial (no user)', () => {
    it('registers a user; name and e-mail (normalised) sit under data.personal', () => {
      given(userDecider, []).when(register).then([registered]);
    });

    it('refuses a bad e-mail, a blank name, an unknown role and a partner without organisation', () => {
      given(userDecider, []).when(cmd('RegisterUser', { ...register.data, email: 'kari' })).thenThrows('user.email-invalid');
      given(userDecider, []).when(cmd('RegisterUser', { ...register.data, name: ' ' })).thenThrows('user.name-required');
      given(userDecider, []).when(cmd('RegisterUser', { ...register.data, role: 'admin' as 'staff' })).thenThrows('user.role-invalid');
      given(userDecider, []).when(cmd('RegisterUser', { ...register.data, role: 'partner' })).thenThrows('user.organisation-required');
    });

    it.each([
      cmd('ChangeUserRole', { userId: id, role: 'staff' }),
      cmd('DisableUser', { userId: id }),
      cmd('ChangePassword', { userId: id }),
      cmd('ResetPassword', { userId: id }),
      cmd('IssueApiToken', { userId: id, tokenId: 't', name: 'x' }),
    ])('refuses $type on an unknown user as not found', (command) => {
      given(userDecider, []).when(command).thenThrows('user.not-found', NotFoundError);
    });
  });

  describe('active', () => {
    it('refuses registering again', () => {
      given(userDecider, [registered]).when(register).thenThrows('user.already-exists');
    });

    it('changes the role, recording what it was; absent fields are kept, null clears', () => {
      given(userDecider, [registered]).when(cmd('ChangeUserRole', { userId: id, role: 'partner', organisationId: 'org-1' })).then([toPartner]);
      given(userDecider, [registered])
        .when(cmd('ChangeUserRole', { userId: id, role: 'staff', personId: null }))
        .then([
          {
            type: 'UserRoleChanged',
            data: { userId: id, role: 'staff', organisationId: null, personId: null, previous: { role: 'lead', organisationId: null, personId: 'person-1' } },
          },
        ]);
    });

    it('refuses a role change that changes nothing, or a partner without organisation', () => {
      given(userDecider, [registered]).when(cmd('ChangeUserRole', { userId: id, role: 'lead' })).thenThrows('user.no-changes');
      given(userDecider, [registered]).when(cmd('ChangeUserRole', { userId: id, role: 'partner' })).thenThrows('user.organisation-required');
    });

    it('records password changes and resets as facts only', () => {
      given(userDecider, [registered]).when(cmd('ChangePassword', { userId: id })).then([{ type: 'PasswordChanged', data: { userId: id } }]);
      given(userDecider, [registered]).when(cmd('ResetPassword', { userId: id })).then([{ type: 'PasswordReset', data: { userId: id } }]);
    });

    it('issues a token with a name and a future expiry, never a secret', () => {
      given(userDecider, [registered])
        .when(cmd('IssueApiToken', { userId: id, tokenId: 'token-1', name: ' laptop ', expiresAt: '2024-04-01T00:00:00.000Z' }))
        .then([tokenIssued]);
      given(userDecider, [registered])
        .when(cmd('IssueApiToken', { userId: id, tokenId: 'token-2', name: 'ci' }))
        .then([{ type: 'ApiTokenIssued', data: { userId: id, tokenId: 'token-2', name: 'ci', expiresAt: null } }]);
    });

    it('refuses a token expiring by the time it is issued, without name, or under a used id', () => {
      given(userDecider, [registered])
        .when(cmd('IssueApiToken', { userId: id, tokenId: 't', name: 'x', expiresAt: AT }))
        .thenThrows('user.token-expiry-not-in-future');
      given(userDecider, [registered]).when(cmd('IssueApiToken', { userId: id, tokenId: 't', name: '' })).thenThrows('user.token-name-required');
      given(userDecider, [registered, tokenIssued])
        .when(cmd('IssueApiToken', { userId: id, tokenId: 'token-1', name: 'again' }))
        .thenThrows('user.token-already-exists');
    });

    it('revokes a token once; an unknown token is not found', () => {
      given(userDecider, [registered, tokenIssued])
        .when(cmd('RevokeApiToken', { userId: id, tokenId: 'token-1' }))
        .then([{ type: 'ApiTokenRevoked', data: { userId: id, tokenId: 'token-1' } }]);
      given(userDecider, [registered, tokenIssued, { type: 'ApiTokenRevoked', data: { userId: id, tokenId: 'token-1' } }])
        .when(cmd('RevokeApiToken', { userId: id, tokenId: 'token-1' }))
        .thenThrows('token.not-found', NotFoundError);
    });

    it('a role change, a disabling or a password reset revokes every token', () => {
      for (const event of [toPartner, disabled, { type: 'PasswordReset', data: { userId: id } } as UserEvent]) {
        given(userDecider, [registered, tokenIssued, event])
          .when(cmd('RevokeApiToken', { userId: id, tokenId: 'token-1' }))
          .thenThrows('token.not-found', NotFoundError);
      }
    });

    it('disables a user', () => {
      given(userDecider, [registered]).when(cmd('DisableUser', { userId: id })).then([disabled]);
    });
  });

  describe('disabled', () => {
    const history: UserEvent[] = [registered, tokenIssued, disabled];

    it.each([
      cmd('ChangeUserRole', { userId: id, role: 'staff' }),
      cmd('DisableUser', { userId: id }),
      cmd('ChangePassword', { userId: id }),
      cmd('ResetPassword', { userId: id }),
      cmd('IssueApiToken', { userId: id, tokenId: 't', name: 'x' }),
    ])('refuses $type', (command) => {
      given(userDecider, history).when(command).thenThrows('user.disabled');
    });
  });

  describe('evolve', () => {
    it('folds grants, tokens and status', () => {
      expect(given(userDecider, [registered, tokenIssued]).state()).toEqual({
        status: 'active',
        userId: id,
        role: 'lead',
        organisationId: null,
        personId: 'person-1',
        email: 'kari@example.org',
        tokens: { 'token-1': { name: 'laptop', expiresAt: '2024-04-01T00:00:00.000Z' } },
      });
      expect(given(userDecider, [registered, tokenIssued, toPartner, disabled]).state()).toMatchObject({
        status: 'disabled',
        role: 'partner',
        organisationId: 'org-1',
        tokens: {},
      });
    });

    it('lists every event type; only UserRegistered carries personal data, and no event a secret', () => {
      expect([...USER_EVENT_TYPES].sort()).toEqual([
        'ApiTokenIssued',
        'ApiTokenRevoked',
        'PasswordChanged',
        'PasswordReset',
        'UserDisabled',
        'UserRegistered',
        'UserRoleChanged',
      ]);
      for (const event of [registered, tokenIssued, disabled, toPartner]) {
        expect((USER_PERSONAL_DATA_EVENT_TYPES as readonly string[]).includes(event.type)).toBe('personal' in event.data);
        expect(JSON.stringify(event)).not.toMatch(/password|hash|secret/i);
      }
    });

    it('normalises e-mail addresses', () => {
      expect(normaliseEmail('  Admin@LocalHost ')).toBe('admin@localhost');
    });
  });
});
