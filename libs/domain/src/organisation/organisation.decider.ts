import { assertNever, type Decider } from '../shared/decider.js';
import { DomainError, NotFoundError } from '../shared/domain-error.js';
import { requireText } from '../shared/guards.js';
import type { OrganisationCommand, RegisterOrganisation, RenameOrganisation } from './organisation.commands.js';
import type { OrganisationEvent, OrganisationRegistered, OrganisationRenamed } from './organisation.events.js';
import type { OrganisationState } from './organisation.state.js';

const P = 'organisation';

/** Organisations (municipalities, agencies, companies, NGOs...) are registered once and may be renamed. */
export const organisationDecider: Decider<OrganisationCommand, OrganisationEvent, OrganisationState> = {
  initialState: () => ({ status: 'initial' }),
  evolve,
  decide,
};

function decide(command: OrganisationCommand, state: OrganisationState): OrganisationEvent[] {
  switch (command.type) {
    case 'RegisterOrganisation':
      return [register(command, state)];
    case 'RenameOrganisation':
      return [rename(command, state)];
    default:
      return assertNever(command);
  }
}

function register({ data }: RegisterOrganisation, state: OrganisationState): OrganisationRegistered {
  if (state.status !== 'initial') {
    throw new DomainError(`${P}.already-exists`, `organisation ${data.organisationId} already exists`);
  }
  return {
    type: 'OrganisationRegistered',
    data: { organisationId: data.organisationId, name: requireText(P, 'name', data.name), kind: data.kind },
  };
}

function rename({ data }: RenameOrganisation, state: OrganisationState): OrganisationRenamed {
  if (state.status === 'initial') throw new NotFoundError(P, data.organisationId);
  const name = requireText(P, 'name', data.name);
  if (name === state.name) throw new DomainError(`${P}.name-unchanged`, `the organisation is already called ${name}`);
  return { type: 'OrganisationRenamed', data: { organisationId: state.organisationId, name, previousName: state.name } };
}

function evolve(state: OrganisationState, event: OrganisationEvent): OrganisationState {
  switch (event.type) {
    case 'OrganisationRegistered':
      if (state.status !== 'initial') return state;
      return { status: 'registered', organisationId: event.data.organisationId, name: event.data.name, kind: event.data.kind };
    case 'OrganisationRenamed':
      return state.status === 'registered' ? { ...state, name: event.data.name } : state;
    default:
      return assertNever(event);
  }
}
