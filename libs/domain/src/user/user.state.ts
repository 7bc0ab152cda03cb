import type { UserGrant } from './user.events.js';

/** An API token as the decider needs it (the secret never reaches the domain). */
export interface ApiTokenEntry {
  name: string;
  expiresAt: string | null;
}

/** No UserRegistered yet. */
export interface UserInitial {
  status: 'initial';
}

/** A registered user, able to sign in (`active`) or not any more (`disabled`). */
export interface UserKnown extends UserGrant {
  status: 'active' | 'disabled';
  userId: string;
  email: string;
  /** Tokens not revoked (a role change, a disabling or a password reset revokes them all). */
  tokens: Readonly<Record<string, ApiTokenEntry>>;
}

/** A user's decision state, discriminated on `status`. */
export type UserState = UserInitial | UserKnown;
