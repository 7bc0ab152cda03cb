import { assertNever, type Decider } from '../shared/decider.js';
import { DomainError, NotFoundError } from '../shared/domain-error.js';
import { requireEntry, requireNewId } from '../shared/entries.js';
import { isBefore, optionalText, requireText } from '../shared/guards.js';
import type { AssumeRole, EndRole, ForgetPerson, PersonCommand, RegisterPerson, RevisePersonDetails } from './person.commands.js';
import type {
  PersonalDetails,
  PersonDetailsRevised,
  PersonEvent,
  PersonForgotten,
  PersonRegistered,
  RoleAssumed,
  RoleEnded,
} from './person.events.js';
import type { PersonRegisteredState, PersonState } from './person.state.js';

const P = 'person';

/**
 * People: personal details, roles in organisations over time, and forgetting (GDPR). Once forgotten, every
 * command is refused with `person.forgotten` (forgetting again with `person.already-forgotten`).
 */
export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = {
  initialState: () => ({ status: 'initial' }),
  evolve,
  decide,
};

function decide(command: PersonCommand, state: PersonState): PersonEvent[] {
  if (state.status === 'forgotten') {
    if (command.type === 'ForgetPerson') {
      throw new DomainError(`${P}.already-forgotten`, `person ${state.personId} has already been forgotten`);
    }
    throw new DomainError(`${P}.forgotten`, `person ${state.personId} has been forgotten`);
  }
  switch (command.type) {
    case 'RegisterPerson':
      return [register(command, state)];
    case 'RevisePersonDetails':
      return [revise(command, state)];
    case 'AssumeRole':
      return [assumeRole(command, state)];
    case 'EndRole':
      return [endRole(command, state)];
    case 'ForgetPerson':
      return [forget(command, state)];
    default:
      return assertNever(command);
  }
}

function registered(state: PersonState, personId: string): PersonRegisteredState {
  if (state.status === 'initial') throw new NotFoundError(P, personId);
  if (state.status === 'forgotten') throw new DomainError(`${P}.forgotten`, `person ${personId} has been forgotten`);
  return state;
}

function register({ data }: RegisterPerson, state: PersonState): PersonRegistered {
  if (state.status !== 'initial') throw new DomainError(`${P}.already-exists`, `person ${data.personId} already exists`);
  return {
    type: 'PersonRegistered',
    data: {
      personId: data.personId,
      personal: { name: requireText(P, 'name', data.name), background: optionalText(data.background) },
    },
  };
}

function revise({ data }: RevisePersonDetails, state: PersonState): PersonDetailsRevised {
  const s = registered(state, data.personId);
  const personal: Partial<PersonalDetails> = {};
  if (data.name !== undefined) {
    const name = requireText(P, 'name', data.name);
    if (name !== s.personal.name) personal.name = name;
  }
  if (data.background !== undefined && optionalText(data.background) !== s.personal.background) {
    personal.background = optionalText(data.background);
  }
  if (Object.keys(personal).length === 0) throw new DomainError(`${P}.no-changes`, 'the revision changes nothing');
  return { type: 'PersonDetailsRevised', data: { personId: s.personId, personal } };
}

function assumeRole({ data }: AssumeRole, state: PersonState): RoleAssumed {
  const s = registered(state, data.personId);
  requireNewId(P, 'role', data.roleId, s.roles);
  return {
    type: 'RoleAssumed',
    data: {
      personId: s.personId,
      roleId: data.roleId,
      organisationId: data.organisationId,
      from: requireText(P, 'from', data.from),
      personal: { title: requireText(P, 'title', data.title), responsibility: optionalText(data.responsibility) },
    },
  };
}

function endRole({ data }: EndRole, state: PersonState): RoleEnded {
  const s = registered(state, data.personId);
  const role = requireEntry(P, 'role', data.roleId, s.roles);
  if (role.to !== null) throw new DomainError(`${P}.role-already-ended`, `role ${data.roleId} ended on ${role.to}`);
  const to = requireText(P, 'to', data.to);
  if (isBefore(to, role.from)) {
    throw new DomainError(`${P}.role-ends-before-start`, `a role that began ${role.from} cannot end ${to}`);
  }
  return { type: 'RoleEnded', data: { personId: s.personId, roleId: data.roleId, to } };
}

function forget({ data }: ForgetPerson, state: PersonState): PersonForgotten {
  const s = registered(state, data.personId);
  const reason = requireText(P, 'reason', data.reason);
  if (mentionsName(reason, s.personal.name)) {
    throw new DomainError(`${P}.reason-contains-personal-data`, 'the reason for forgetting must not name the person');
  }
  return { type: 'PersonForgotten', data: { personId: s.personId, reason } };
}

/** True when `text` contains any part (≥ 3 letters) of `name` as a whole word, ignoring case. */
function mentionsName(text: string, name: string): boolean {
  return name
    .split(/[\s,.-]+/u)
    .filter((part) => part.length >= 3)
    .some((part) => {
      const escaped = part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu').test(text);
    });
}

/**
 * Folds one event. Personal fields are spread rather than read one by one, so a history whose personal data
 * was redacted (forgotten) still folds; the closing PersonForgotten drops it anyway.
 */
function evolve(state: PersonState, event: PersonEvent): PersonState {
  switch (event.type) {
    case 'PersonRegistered':
      if (state.status !== 'initial') return state;
      return {
        status: 'registered',
        personId: event.data.personId,
        personal: { ...event.data.personal },
        roles: {},
      };
    case 'PersonDetailsRevised':
      return state.status === 'registered' ? { ...state, personal: { ...state.personal, ...event.data.personal } } : state;
    case 'RoleAssumed':
      return state.status === 'registered'
        ? {
            ...state,
            roles: { ...state.roles, [event.data.roleId]: { organisationId: event.data.organisationId, from: event.data.from, to: null } },
          }
        : state;
    case 'RoleEnded': {
      if (state.status !== 'registered' || !Object.hasOwn(state.roles, event.data.roleId)) return state;
      const role = state.roles[event.data.roleId];
      return { ...state, roles: { ...state.roles, [event.data.roleId]: { ...role, to: event.data.to } } };
    }
    case 'PersonForgotten':
      return { status: 'forgotten', personId: event.data.personId };
    default:
      return assertNever(event);
  }
}
