import type { PersonalDataRegistry } from '../shared/personal-data.js';
import type { PersonEventType } from './person.events.js';

/** A person's own events: everything under `data.personal` is theirs (name, background, a role's title…). */
const PERSON_DETAILS = { subjectKind: 'person', subject: 'personId', fields: ['personal'] } as const;

/** Membership of a network names the member: who belongs to which network is the member's personal data. */
const MEMBERSHIP = { subjectKind: 'person', subject: 'personId', fields: ['personId'] } as const;

/** Where events keep the personal data of people (data subject: the person). */
export const PERSON_PERSONAL_DATA = {
  PersonRegistered: PERSON_DETAILS,
  PersonDetailsRevised: PERSON_DETAILS,
  RoleAssumed: PERSON_DETAILS,
  MemberJoined: MEMBERSHIP,
  MemberLeft: MEMBERSHIP,
} as const satisfies PersonalDataRegistry & Partial<Record<PersonEventType | 'MemberJoined' | 'MemberLeft', unknown>>;

/** Events that name a person by id only (their data stays readable; the person shows as forgotten once forgotten). */
export const PERSON_REFERENCE_EVENT_TYPES: readonly string[] = ['ExperimentDesigned', 'TestCardRevised', 'RoleEnded'];

/** The events that record a forgetting, and whose key each one destroys (`PersonForgotten`: `person-<personId>`). */
export const PERSON_FORGETTING_EVENTS = {
  PersonForgotten: { subjectKind: 'person', subject: 'personId' },
} as const satisfies Partial<Record<PersonEventType, Pick<PersonalDataRegistry[string], 'subjectKind' | 'subject'>>>;
