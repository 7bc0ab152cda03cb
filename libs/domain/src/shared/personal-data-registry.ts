import { PERSON_PERSONAL_DATA, PERSON_REFERENCE_EVENT_TYPES } from '../person/person.personal-data.js';
import { USER_PERSONAL_DATA } from '../user/user.personal-data.js';
import type { DataClassification, PersonalDataRegistry } from './personal-data.js';

/** Every event type that holds personal data, with whose it is and where (see {@link PersonalDataRegistry}). */
export const PERSONAL_DATA: PersonalDataRegistry = { ...PERSON_PERSONAL_DATA, ...USER_PERSONAL_DATA };

const REFERENCES: ReadonlySet<string> = new Set(PERSON_REFERENCE_EVENT_TYPES);

/** The retention classification of an event type (see {@link DataClassification}). */
export function classifyEventType(type: string): DataClassification {
  if (Object.hasOwn(PERSONAL_DATA, type)) return 'personal';
  return REFERENCES.has(type) ? 'person-reference' : 'operational';
}
