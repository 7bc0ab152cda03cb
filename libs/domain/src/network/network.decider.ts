import { decideExperimentAttached } from '../shared/attachments.js';
import { assertNever, type Decider } from '../shared/decider.js';
import { DomainError, NotFoundError } from '../shared/domain-error.js';
import { isBefore, optionalText, requireCount, requireText } from '../shared/guards.js';
import { decideLearningRecorded, decideLearningRetracted } from '../shared/learnings.js';
import { decideMilestoneAchieved, decideMilestoneSet } from '../shared/milestones.js';
import { evolveSharedWork, isSharedWorkEvent } from '../shared/shared-work.js';
import type { ChangeLeadership, FoundNetwork, NetworkCommand, ReportHeadcount, UpdateMethodAdoption } from './network.commands.js';
import type {
  HeadcountReported,
  LeadershipChanged,
  MethodAdoptionStage,
  MethodAdoptionUpdated,
  NetworkEvent,
  NetworkFounded,
} from './network.events.js';
import type { MethodAdoptionEntry, NetworkActive, NetworkState } from './network.state.js';

const P = 'network';

/**
 * A network or community (e.g. Pådriv): its lead organisation over time, partners and members joining and
 * leaving, reported headcounts, milestones, learnings, attached experiments, and cities adopting its method.
 */
export const networkDecider: Decider<NetworkCommand, NetworkEvent, NetworkState> = {
  initialState: () => ({ status: 'initial' }),
  evolve,
  decide,
};

function active(state: NetworkState, networkId: string): NetworkActive {
  if (state.status === 'initial') throw new NotFoundError(P, networkId);
  return state;
}

function decide(command: NetworkCommand, state: NetworkState): NetworkEvent[] {
  const id = command.data.networkId;
  switch (command.type) {
    case 'FoundNetwork':
      return [found(command, state)];
    case 'ChangeLeadership':
      return [changeLeadership(command, active(state, id))];
    case 'JoinAsPartner': {
      const { organisationId } = command.data;
      if (active(state, id).partnerIds.includes(organisationId)) {
        throw new DomainError(`${P}.partner-already-joined`, `organisation ${organisationId} is already a partner`);
      }
      return [{ type: 'PartnerJoined', data: { networkId: id, organisationId } }];
    }
    case 'LeaveAsPartner': {
      const { organisationId } = command.data;
      if (!active(state, id).partnerIds.includes(organisationId)) {
        throw new DomainError(`${P}.not-a-partner`, `organisation ${organisationId} is not a partner`);
      }
      return [{ type: 'PartnerLeft', data: { networkId: id, organisationId } }];
    }
    case 'JoinAsMember': {
      const { personId } = command.data;
      if (active(state, id).memberIds.includes(personId)) {
        throw new DomainError(`${P}.member-already-joined`, `person ${personId} is already a member`);
      }
      return [{ type: 'MemberJoined', data: { networkId: id, personId } }];
    }
    case 'LeaveAsMember': {
      const { personId } = command.data;
      if (!active(state, id).memberIds.includes(personId)) {
        throw new DomainError(`${P}.not-a-member`, `person ${personId} is not a member`);
      }
      return [{ type: 'MemberLeft', data: { networkId: id, personId } }];
    }
    case 'ReportHeadcount':
      active(state, id);
      return [reportHeadcount(command)];
    case 'SetNetworkMilestone':
      return [decideMilestoneSet(P, { networkId: id }, command.data, active(state, id).milestones)];
    case 'AchieveNetworkMilestone':
      return [decideMilestoneAchieved(P, { networkId: id }, command.data.milestoneId, active(state, id).milestones)];
    case 'RecordNetworkLearning':
      return [decideLearningRecorded(P, { networkId: id }, command.data, active(state, id).learnings, false)];
    case 'RetractNetworkLearning':
      return [decideLearningRetracted(P, { networkId: id }, command.data, active(state, id).learnings)];
    case 'AttachExperimentToNetwork':
      return [decideExperimentAttached(P, { networkId: id }, command.data.experimentId, active(state, id).experimentIds)];
    case 'UpdateMethodAdoption':
      return [updateMethodAdoption(command, active(state, id))];
    default:
      return assertNever(command);
  }
}

function found({ data }: FoundNetwork, state: NetworkState): NetworkFounded {
  if (state.status !== 'initial') throw new DomainError(`${P}.already-exists`, `network ${data.networkId} already exists`);
  const ledByOrganisationId = data.ledByOrganisationId ?? null;
  const ledSince = optionalText(data.ledSince);
  if (ledSince !== null && ledByOrganisationId === null) {
    throw new DomainError(`${P}.led-since-without-leader`, 'ledSince needs ledByOrganisationId');
  }
  return {
    type: 'NetworkFounded',
    data: {
      networkId: data.networkId,
      name: requireText(P, 'name', data.name),
      kind: data.kind,
      area: optionalText(data.area),
      purpose: optionalText(data.purpose),
      ledByOrganisationId,
      ledSince,
    },
  };
}

/** Leadership changes are chronological: a change cannot predate the current lead's start. */
function changeLeadership({ data }: ChangeLeadership, state: NetworkActive): LeadershipChanged {
  const since = requireText(P, 'since', data.since);
  if (data.organisationId === state.ledByOrganisationId) {
    throw new DomainError(`${P}.already-led-by`, `organisation ${data.organisationId} already leads the network`);
  }
  if (state.ledSince !== null && isBefore(since, state.ledSince)) {
    throw new DomainError(
      `${P}.leadership-change-before-current`,
      `the current lead took over ${state.ledSince}; a change cannot date from ${since}`,
    );
  }
  return {
    type: 'LeadershipChanged',
    data: { networkId: state.networkId, organisationId: data.organisationId, since, previousOrganisationId: state.ledByOrganisationId },
  };
}

function reportHeadcount({ data }: ReportHeadcount): HeadcountReported {
  const partners = data.partners ?? null;
  const members = data.members ?? null;
  if (partners === null && members === null) {
    throw new DomainError(`${P}.headcount-empty`, 'report partners, members or both');
  }
  return {
    type: 'HeadcountReported',
    data: {
      networkId: data.networkId,
      partners: partners === null ? null : requireCount(P, 'partners', partners),
      members: members === null ? null : requireCount(P, 'members', members),
    },
  };
}

/** A city's adoption, matching the city name regardless of case. */
function adoptionOf(state: NetworkActive, city: string): MethodAdoptionEntry | undefined {
  const key = city.toLowerCase();
  return Object.hasOwn(state.adoptions, key) ? state.adoptions[key] : undefined;
}

const STAGE_ORDER: Record<Exclude<MethodAdoptionStage, 'declined'>, number> = { inquiry: 0, dialogue: 1, adopted: 2 };

function updateMethodAdoption({ data }: UpdateMethodAdoption, state: NetworkActive): MethodAdoptionUpdated {
  const city = requireText(P, 'city', data.city);
  const current = adoptionOf(state, city);
  const previousStage = current?.stage ?? null;
  if (previousStage === data.stage) {
    throw new DomainError(`${P}.method-adoption-unchanged`, `${city} is already at ${data.stage}`);
  }
  if (previousStage !== null && previousStage !== 'declined' && data.stage !== 'declined') {
    if (STAGE_ORDER[data.stage] < STAGE_ORDER[previousStage]) {
      throw new DomainError(`${P}.method-adoption-backwards`, `${city} cannot go back from ${previousStage} to ${data.stage}`);
    }
  }
  return {
    type: 'MethodAdoptionUpdated',
    data: { networkId: state.networkId, city: current?.city ?? city, stage: data.stage, previousStage },
  };
}

const without = (list: readonly string[], item: string): readonly string[] => list.filter((x) => x !== item);
const including = (list: readonly string[], item: string): readonly string[] => (list.includes(item) ? list : [...list, item]);

/** Folds one event. An event that cannot apply in the current state (never written by `decide`) is ignored. */
function evolve(state: NetworkState, event: NetworkEvent): NetworkState {
  if (event.type === 'NetworkFounded') {
    if (state.status !== 'initial') return state;
    const d = event.data;
    return {
      status: 'active',
      networkId: d.networkId,
      name: d.name,
      ledByOrganisationId: d.ledByOrganisationId,
      ledSince: d.ledSince,
      partnerIds: [],
      memberIds: [],
      milestones: {},
      learnings: {},
      experimentIds: [],
      adoptions: {},
    };
  }
  if (state.status === 'initial') return state;
  if (isSharedWorkEvent(event)) return evolveSharedWork(state, event);
  switch (event.type) {
    case 'LeadershipChanged':
      return { ...state, ledByOrganisationId: event.data.organisationId, ledSince: event.data.since };
    case 'PartnerJoined':
      return { ...state, partnerIds: including(state.partnerIds, event.data.organisationId) };
    case 'PartnerLeft':
      return { ...state, partnerIds: without(state.partnerIds, event.data.organisationId) };
    case 'MemberJoined':
      return { ...state, memberIds: including(state.memberIds, event.data.personId) };
    case 'MemberLeft':
      return { ...state, memberIds: without(state.memberIds, event.data.personId) };
    case 'HeadcountReported':
      return state;
    case 'MethodAdoptionUpdated': {
      const city = adoptionOf(state, event.data.city)?.city ?? event.data.city;
      return { ...state, adoptions: { ...state.adoptions, [city.toLowerCase()]: { city, stage: event.data.stage } } };
    }
    default:
      return assertNever(event);
  }
}
