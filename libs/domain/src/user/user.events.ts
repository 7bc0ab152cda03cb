import type { DomainEvent } from '../shared/decider.js';
import { eventTypeList } from '../shared/event-types.js';

/** What a user may do: see README "Accounts and access". `system` is an actor role, never a user's. */
export const USER_ROLES = ['staff', 'lead', 'partner'] as const;
/** A user's role. */
export type UserRole = (typeof USER_ROLES)[number];

/**
 * Personal data about the data subject `userId`, kept under `data.personal` as for people, so it can be
 * encrypted per subject. Events never carry a password, a hash or a token secret: only the fact, and the
 * envelope says who did it and when.
 */
export interface UserPersonalDetails {
  name: string;
  /** Trimmed and lower-cased. */
  email: string;
}

/** Who was granted what: the role, the partner's organisation and the person a lead acts as. */
export interface UserGrant {
  role: UserRole;
  /** The organisation a partner represents (required for partners). */
  organisationId: string | null;
  /** The person (`person-<id>`) the user is; a lead writes to the experiments this person leads. */
  personId: string | null;
}

export type UserRegistered = DomainEvent<'UserRegistered', { userId: string; personal: UserPersonalDetails } & UserGrant>;
/** Also revokes every session and API token of the user. */
export type UserRoleChanged = DomainEvent<'UserRoleChanged', { userId: string; previous: UserGrant } & UserGrant>;
/** Revokes every session and API token; a disabled user cannot sign in. */
export type UserDisabled = DomainEvent<'UserDisabled', { userId: string }>;
/** The user changed their own password (their other sessions are revoked). */
export type PasswordChanged = DomainEvent<'PasswordChanged', { userId: string }>;
/** Staff issued a one-time password (every session and API token of the user is revoked). */
export type PasswordReset = DomainEvent<'PasswordReset', { userId: string }>;
/** A personal API token: its id, label and expiry (ISO 8601 UTC, or null), never its secret. */
export type ApiTokenIssued = DomainEvent<'ApiTokenIssued', { userId: string; tokenId: string; name: string; expiresAt: string | null }>;
export type ApiTokenRevoked = DomainEvent<'ApiTokenRevoked', { userId: string; tokenId: string }>;

export type UserEvent =
  | UserRegistered
  | UserRoleChanged
  | UserDisabled
  | PasswordChanged
  | PasswordReset
  | ApiTokenIssued
  | ApiTokenRevoked;
export type UserEventType = UserEvent['type'];

/** Every user event type name (checked complete at compile time). */
export const USER_EVENT_TYPES = eventTypeList<UserEventType>()([
  'UserRegistered',
  'UserRoleChanged',
  'UserDisabled',
  'PasswordChanged',
  'PasswordReset',
  'ApiTokenIssued',
  'ApiTokenRevoked',
]);

/** The user event types that carry `data.personal` (to encrypt with the key of `data.userId`). */
export const USER_PERSONAL_DATA_EVENT_TYPES = ['UserRegistered'] as const satisfies readonly UserEventType[];
