import type { PersonalDetails } from './person.events.js';

/** A role as the decider needs it: where and when (titles are not needed for decisions). */
export interface RoleEntry {
  organisationId: string;
  from: string;
  to: string | null;
}

/** No PersonRegistered yet. */
export interface PersonInitial {
  status: 'initial';
}

/** A known person. */
export interface PersonRegisteredState {
  status: 'registered';
  personId: string;
  personal: PersonalDetails;
  roles: Readonly<Record<string, RoleEntry>>;
}

/** Forgotten: nothing about the person is kept, and nothing more can be recorded. */
export interface PersonForgottenState {
  status: 'forgotten';
  personId: string;
}

/** A person's decision state, discriminated on `status`. */
export type PersonState = PersonInitial | PersonRegisteredState | PersonForgottenState;
