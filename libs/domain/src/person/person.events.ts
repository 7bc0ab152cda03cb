import type { DomainEvent } from '../shared/decider.js';
import { eventTypeList } from '../shared/event-types.js';

/**
 * Personal data about the data subject `personId`. It lives only in Person events, always under
 * `data.personal`, so it can be encrypted per person and forgotten (crypto-shredded).
 */
export interface PersonalDetails {
  name: string;
  background: string | null;
}

/** The personal side of a role: a job title with organisation and dates can identify someone. */
export interface RolePersonalDetails {
  title: string;
  responsibility: string | null;
}

export type PersonRegistered = DomainEvent<'PersonRegistered', { personId: string; personal: PersonalDetails }>;
/** Only the personal fields that changed. */
export type PersonDetailsRevised = DomainEvent<
  'PersonDetailsRevised',
  { personId: string; personal: Partial<PersonalDetails> }
>;
/** `from`/`to` are calendar dates (YYYY-MM-DD) or ISO 8601 UTC date-times. */
export type RoleAssumed = DomainEvent<
  'RoleAssumed',
  { personId: string; roleId: string; organisationId: string; from: string; personal: RolePersonalDetails }
>;
export type RoleEnded = DomainEvent<'RoleEnded', { personId: string; roleId: string; to: string }>;
/** Names no personal data: the reason is refused when it contains the person's name. */
export type PersonForgotten = DomainEvent<'PersonForgotten', { personId: string; reason: string }>;

export type PersonEvent = PersonRegistered | PersonDetailsRevised | RoleAssumed | RoleEnded | PersonForgotten;
export type PersonEventType = PersonEvent['type'];

/** Every person event type name (checked complete at compile time). */
export const PERSON_EVENT_TYPES = eventTypeList<PersonEventType>()([
  'PersonRegistered',
  'PersonDetailsRevised',
  'RoleAssumed',
  'RoleEnded',
  'PersonForgotten',
]);

/** The event types that carry `data.personal` (to encrypt with the key of `data.personId`). */
export const PERSONAL_DATA_EVENT_TYPES = [
  'PersonRegistered',
  'PersonDetailsRevised',
  'RoleAssumed',
] as const satisfies readonly PersonEventType[];
