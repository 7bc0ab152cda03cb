import type { PersonalDataRegistry } from '../shared/personal-data.js';
import type { UserEventType } from './user.events.js';

/** Where user-account events keep the user's name and e-mail (data subject: the user). */
export const USER_PERSONAL_DATA = {
  UserRegistered: { subjectKind: 'user', subject: 'userId', fields: ['personal'] },
} as const satisfies PersonalDataRegistry & Partial<Record<UserEventType, unknown>>;
