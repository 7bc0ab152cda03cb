import type { DomainCommand } from '../shared/decider.js';

export type RegisterPerson = DomainCommand<
  'RegisterPerson',
  { personId: string; name: string; background?: string | null }
>;
/** Absent fields stay; `background: null` (or blank) clears it. */
export type RevisePersonDetails = DomainCommand<
  'RevisePersonDetails',
  { personId: string; name?: string; background?: string | null }
>;
export type AssumeRole = DomainCommand<
  'AssumeRole',
  {
    personId: string;
    roleId: string;
    organisationId: string;
    title: string;
    responsibility?: string | null;
    /** Calendar date (YYYY-MM-DD) the role began. */
    from: string;
  }
>;
export type EndRole = DomainCommand<'EndRole', { personId: string; roleId: string; to: string }>;
export type ForgetPerson = DomainCommand<'ForgetPerson', { personId: string; reason: string }>;

/** Every command the person decider takes. */
export type PersonCommand = RegisterPerson | RevisePersonDetails | AssumeRole | EndRole | ForgetPerson;
export type PersonCommandType = PersonCommand['type'];
