import { assertNever, type Decider } from '../shared/decider.js';
import { DomainError, NotFoundError } from '../shared/domain-error.js';
import { isBefore, optionalText, requireText } from '../shared/guards.js';
import type {
  ChangeUserRole,
  IssueApiToken,
  RegisterUser,
  RevokeApiToken,
  UserCommand,
} from './user.commands.js';
import {
  USER_ROLES,
  type ApiTokenIssued,
  type ApiTokenRevoked,
  type UserEvent,
  type UserGrant,
  type UserRegistered,
  type UserRoleChanged,
  type UserRole,
} from './user.events.js';
import type { UserKnown, UserState } from './user.state.js';

const P = 'user';
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

/**
 * Users: who they are (personal data), what they were granted (role, a partner's organisation, the person a
 * lead is), when they were disabled, and the facts of password changes and API tokens. A disabled user takes
 * no further command. Uniqueness of e-mail addresses spans users, so the accounts store guards it.
 */
export const userDecider: Decider<UserCommand, UserEvent, UserState> = {
  initialState: () => ({ status: 'initial' }),
  evolve,
  decide,
};

function decide(command: UserCommand, state: UserState): UserEvent[] {
  switch (command.type) {
    case 'RegisterUser':
      return [register(command, state)];
    case 'ChangeUserRole':
      return [changeRole(command, active(state, command.data.userId))];
    case 'DisableUser':
      return [{ type: 'UserDisabled', data: { userId: active(state, command.data.userId).userId } }];
    case 'ChangePassword':
      return [{ type: 'PasswordChanged', data: { userId: active(state, command.data.userId).userId } }];
    case 'ResetPassword':
      return [{ type: 'PasswordReset', data: { userId: active(state, command.data.userId).userId } }];
    case 'IssueApiToken':
      return [issueToken(command, active(state, command.data.userId))];
    case 'RevokeApiToken':
      return [revokeToken(command, state)];
    default:
      return assertNever(command);
  }
}

/** Lower-cased, trimmed e-mail address, or `user.email-invalid`. */
export function normaliseEmail(email: string): string {
  const value = typeof email === 'string' ? email.trim().toLowerCase() : '';
  if (!EMAIL.test(value)) throw new DomainError(`${P}.email-invalid`, 'the e-mail address is not valid');
  return value;
}

function known(state: UserState, userId: string): UserKnown {
  if (state.status === 'initial') throw new NotFoundError(P, userId);
  return state;
}

function active(state: UserState, userId: string): UserKnown {
  const user = known(state, userId);
  if (user.status === 'disabled') throw new DomainError(`${P}.disabled`, `user ${userId} is disabled`);
  return user;
}

function grant(role: UserRole, organisationId: string | null, personId: string | null): UserGrant {
  if (!(USER_ROLES as readonly string[]).includes(role)) throw new DomainError(`${P}.role-invalid`, `role must be one of ${USER_ROLES.join(', ')}`);
  if (role === 'partner' && organisationId === null) {
    throw new DomainError(`${P}.organisation-required`, 'a partner represents an organisation: organisationId is required');
  }
  return { role, organisationId, personId };
}

function register({ data }: RegisterUser, state: UserState): UserRegistered {
  if (state.status !== 'initial') throw new DomainError(`${P}.already-exists`, `user ${data.userId} already exists`);
  const name = requireText(P, 'name', data.name);
  const email = normaliseEmail(data.email);
  return {
    type: 'UserRegistered',
    data: {
      userId: data.userId,
      ...grant(data.role, optionalText(data.organisationId), optionalText(data.personId)),
      personal: { name, email },
    },
  };
}

function changeRole({ data }: ChangeUserRole, user: UserKnown): UserRoleChanged {
  const previous: UserGrant = { role: user.role, organisationId: user.organisationId, personId: user.personId };
  const next = grant(
    data.role,
    data.organisationId === undefined ? user.organisationId : optionalText(data.organisationId),
    data.personId === undefined ? user.personId : optionalText(data.personId),
  );
  if (next.role === previous.role && next.organisationId === previous.organisationId && next.personId === previous.personId) {
    throw new DomainError(`${P}.no-changes`, 'the user already has this role');
  }
  return { type: 'UserRoleChanged', data: { userId: user.userId, ...next, previous } };
}

function issueToken({ data, occurredAt }: IssueApiToken, user: UserKnown): ApiTokenIssued {
  if (Object.hasOwn(user.tokens, data.tokenId)) throw new DomainError(`${P}.token-already-exists`, `token ${data.tokenId} already exists`);
  const name = requireText(P, 'token-name', data.name);
  const expiresAt = optionalText(data.expiresAt);
  if (expiresAt !== null && !isBefore(occurredAt, expiresAt)) {
    throw new DomainError(`${P}.token-expiry-not-in-future`, 'a token must expire after it is issued');
  }
  return { type: 'ApiTokenIssued', data: { userId: user.userId, tokenId: data.tokenId, name, expiresAt } };
}

function revokeToken({ data }: RevokeApiToken, state: UserState): ApiTokenRevoked {
  const user = known(state, data.userId);
  if (!Object.hasOwn(user.tokens, data.tokenId)) throw new NotFoundError('token', data.tokenId);
  return { type: 'ApiTokenRevoked', data: { userId: user.userId, tokenId: data.tokenId } };
}

function evolve(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'UserRegistered': {
      if (state.status !== 'initial') return state;
      const { userId, role, organisationId, personId, personal } = event.data;
      const email = typeof personal?.email === 'string' ? personal.email : '';
      return { status: 'active', userId, role, organisationId, personId, email, tokens: {} };
    }
    case 'UserRoleChanged':
      if (state.status === 'initial') return state;
      return { ...state, role: event.data.role, organisationId: event.data.organisationId, personId: event.data.personId, tokens: {} };
    case 'UserDisabled':
      return state.status === 'initial' ? state : { ...state, status: 'disabled', tokens: {} };
    case 'PasswordChanged':
      return state;
    case 'PasswordReset':
      return state.status === 'initial' ? state : { ...state, tokens: {} };
    case 'ApiTokenIssued':
      if (state.status === 'initial') return state;
      return { ...state, tokens: { ...state.tokens, [event.data.tokenId]: { name: event.data.name, expiresAt: event.data.expiresAt } } };
    case 'ApiTokenRevoked': {
      if (state.status === 'initial' || !Object.hasOwn(state.tokens, event.data.tokenId)) return state;
      const { [event.data.tokenId]: _, ...tokens } = state.tokens;
      return { ...state, tokens };
    }
    default:
      return assertNever(event);
  }
}
