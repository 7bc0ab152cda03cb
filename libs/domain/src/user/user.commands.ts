import type { DomainCommand } from '../shared/decider.js';
import type { UserRole } from './user.events.js';

export type RegisterUser = DomainCommand<
  'RegisterUser',
  { userId: string; email: string; name: string; role: UserRole; organisationId?: string | null; personId?: string | null }
>;
/** `organisationId` / `personId`: absent keeps the current value, null clears it. */
export type ChangeUserRole = DomainCommand<
  'ChangeUserRole',
  { userId: string; role: UserRole; organisationId?: string | null; personId?: string | null }
>;
export type DisableUser = DomainCommand<'DisableUser', { userId: string }>;
export type ChangePassword = DomainCommand<'ChangePassword', { userId: string }>;
export type ResetPassword = DomainCommand<'ResetPassword', { userId: string }>;
/** `expiresAt`: ISO 8601 UTC date-time after the command's business time, or absent for no expiry. */
export type IssueApiToken = DomainCommand<'IssueApiToken', { userId: string; tokenId: string; name: string; expiresAt?: string | null }>;
export type RevokeApiToken = DomainCommand<'RevokeApiToken', { userId: string; tokenId: string }>;

/** Every command the user decider takes. */
export type UserCommand = RegisterUser | ChangeUserRole | DisableUser | ChangePassword | ResetPassword | IssueApiToken | RevokeApiToken;
export type UserCommandType = UserCommand['type'];
