import { decideExperimentAttached } from '../shared/attachments.js';
import { assertNever, type Decider } from '../shared/decider.js';
import { DomainError, NotFoundError } from '../shared/domain-error.js';
import { requireEntry, requireNewId } from '../shared/entries.js';
import { normaliseThemes, optionalText, requireText } from '../shared/guards.js';
import { decideLearningRecorded, decideLearningRetracted } from '../shared/learnings.js';
import { decideMilestoneAchieved, decideMilestoneSet } from '../shared/milestones.js';
import { evolveSharedWork, isSharedWorkEvent } from '../shared/shared-work.js';
import type { AgreeCollaboration, CollaborationCommand, LinkInitiative } from './collaboration.commands.js';
import type { CollaborationAgreed, CollaborationEvent, InitiativeLinked } from './collaboration.events.js';
import type { CollaborationActive, CollaborationConcludedState, CollaborationState, InitiativeEntry } from './collaboration.state.js';

const P = 'collaboration';

/**
 * A collaboration with a partner organisation: parties, activities (planned → started → completed), links to
 * initiatives such as EU projects (tentative → confirmed, or dropped), milestones, learnings and attached
 * experiments. Once concluded, only learnings (marked retrospective) and their retraction are accepted.
 */
export const collaborationDecider: Decider<CollaborationCommand, CollaborationEvent, CollaborationState> = {
  initialState: () => ({ status: 'initial' }),
  evolve,
  decide,
};

type Existing = CollaborationActive | CollaborationConcludedState;

function existing(state: CollaborationState, collaborationId: string): Existing {
  if (state.status === 'initial') throw new NotFoundError(P, collaborationId);
  return state;
}

function active(state: CollaborationState, collaborationId: string): CollaborationActive {
  const s = existing(state, collaborationId);
  if (s.status === 'concluded') {
    throw new DomainError(`${P}.already-concluded`, `collaboration ${collaborationId} is concluded`);
  }
  return s;
}

function decide(command: CollaborationCommand, state: CollaborationState): CollaborationEvent[] {
  const id = command.data.collaborationId;
  switch (command.type) {
    case 'AgreeCollaboration':
      return [agree(command, state)];
    case 'JoinParty': {
      const s = active(state, id);
      const { organisationId } = command.data;
      if (s.partyIds.includes(organisationId)) {
        throw new DomainError(`${P}.party-already-joined`, `organisation ${organisationId} is already a party`);
      }
      return [{ type: 'PartyJoined', data: { collaborationId: id, organisationId, role: optionalText(command.data.role) } }];
    }
    case 'PlanActivity': {
      const s = active(state, id);
      const { activityId } = command.data;
      requireNewId(P, 'activity', activityId, s.activities);
      return [
        {
          type: 'ActivityPlanned',
          data: {
            collaborationId: id,
            activityId,
            title: requireText(P, 'title', command.data.title),
            description: optionalText(command.data.description),
            plannedFor: optionalText(command.data.plannedFor),
          },
        },
      ];
    }
    case 'StartActivity': {
      const { activityId } = command.data;
      const status = requireEntry(P, 'activity', activityId, active(state, id).activities);
      if (status === 'started') throw new DomainError(`${P}.activity-already-started`, `activity ${activityId} has started`);
      if (status === 'completed') throw activityCompleted(activityId);
      return [{ type: 'ActivityStarted', data: { collaborationId: id, activityId } }];
    }
    case 'CompleteActivity': {
      const { activityId } = command.data;
      const status = requireEntry(P, 'activity', activityId, active(state, id).activities);
      if (status === 'planned') throw new DomainError(`${P}.activity-not-started`, `start activity ${activityId} first`);
      if (status === 'completed') throw activityCompleted(activityId);
      return [{ type: 'ActivityCompleted', data: { collaborationId: id, activityId, outcome: optionalText(command.data.outcome) } }];
    }
    case 'LinkInitiative':
      return [linkInitiative(command, active(state, id))];
    case 'ConfirmInitiativeLink': {
      const { initiativeId } = command.data;
      const link = openInitiative(initiativeId, active(state, id));
      if (link.confidence === 'confirmed') {
        throw new DomainError(`${P}.initiative-already-confirmed`, `the link to ${link.name} is already confirmed`);
      }
      return [{ type: 'InitiativeLinkConfirmed', data: { collaborationId: id, initiativeId } }];
    }
    case 'DropInitiativeLink': {
      const { initiativeId } = command.data;
      openInitiative(initiativeId, active(state, id));
      return [
        {
          type: 'InitiativeLinkDropped',
          data: { collaborationId: id, initiativeId, reason: requireText(P, 'reason', command.data.reason) },
        },
      ];
    }
    case 'SetCollaborationMilestone':
      return [decideMilestoneSet(P, { collaborationId: id }, command.data, active(state, id).milestones)];
    case 'AchieveCollaborationMilestone':
      return [decideMilestoneAchieved(P, { collaborationId: id }, command.data.milestoneId, active(state, id).milestones)];
    case 'RecordCollaborationLearning': {
      const s = existing(state, id);
      return [decideLearningRecorded(P, { collaborationId: id }, command.data, s.learnings, s.status === 'concluded')];
    }
    case 'RetractCollaborationLearning':
      return [decideLearningRetracted(P, { collaborationId: id }, command.data, existing(state, id).learnings)];
    case 'AttachExperimentToCollaboration':
      return [decideExperimentAttached(P, { collaborationId: id }, command.data.experimentId, active(state, id).experimentIds)];
    case 'ConcludeCollaboration':
      active(state, id);
      return [{ type: 'CollaborationConcluded', data: { collaborationId: id, summary: requireText(P, 'summary', command.data.summary) } }];
    default:
      return assertNever(command);
  }
}

function activityCompleted(activityId: string): DomainError {
  return new DomainError(`${P}.activity-already-completed`, `activity ${activityId} is completed`);
}

function agree({ data }: AgreeCollaboration, state: CollaborationState): CollaborationAgreed {
  if (state.status !== 'initial') {
    throw new DomainError(`${P}.already-exists`, `collaboration ${data.collaborationId} already exists`);
  }
  const themes = normaliseThemes(data.themes);
  if (themes.length === 0) throw new DomainError(`${P}.themes-required`, 'a collaboration needs at least one focus theme');
  return {
    type: 'CollaborationAgreed',
    data: {
      collaborationId: data.collaborationId,
      title: requireText(P, 'title', data.title),
      partnerOrganisationId: data.partnerOrganisationId,
      themes,
      agreedOn: optionalText(data.agreedOn),
      description: optionalText(data.description),
    },
  };
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function linkInitiative({ data }: LinkInitiative, state: CollaborationActive): InitiativeLinked {
  requireNewId(P, 'initiative', data.initiativeId, state.initiatives);
  const name = requireText(P, 'name', data.name);
  if (Object.values(state.initiatives).some((link) => !link.dropped && sameName(link.name, name))) {
    throw new DomainError(`${P}.initiative-already-linked`, `${name} is already linked`);
  }
  return {
    type: 'InitiativeLinked',
    data: {
      collaborationId: state.collaborationId,
      initiativeId: data.initiativeId,
      name,
      kind: data.kind,
      programme: optionalText(data.programme),
      confidence: data.confidence,
    },
  };
}

/** A link that exists and has not been dropped. */
function openInitiative(initiativeId: string, state: CollaborationActive): InitiativeEntry {
  const link = requireEntry(P, 'initiative', initiativeId, state.initiatives);
  if (link.dropped) throw new DomainError(`${P}.initiative-already-dropped`, `the link to ${link.name} was dropped`);
  return link;
}

/** Folds one event. An event that cannot apply in the current state (never written by `decide`) is ignored. */
function evolve(state: CollaborationState, event: CollaborationEvent): CollaborationState {
  if (event.type === 'CollaborationAgreed') {
    if (state.status !== 'initial') return state;
    const d = event.data;
    return {
      status: 'active',
      collaborationId: d.collaborationId,
      title: d.title,
      partnerOrganisationId: d.partnerOrganisationId,
      partyIds: [d.partnerOrganisationId],
      activities: {},
      initiatives: {},
      milestones: {},
      learnings: {},
      experimentIds: [],
    };
  }
  if (state.status === 'initial') return state;
  if (isSharedWorkEvent(event)) return evolveSharedWork(state, event);
  switch (event.type) {
    case 'PartyJoined':
      return { ...state, partyIds: [...state.partyIds, event.data.organisationId] };
    case 'ActivityPlanned':
      return { ...state, activities: { ...state.activities, [event.data.activityId]: 'planned' } };
    case 'ActivityStarted':
      return { ...state, activities: { ...state.activities, [event.data.activityId]: 'started' } };
    case 'ActivityCompleted':
      return { ...state, activities: { ...state.activities, [event.data.activityId]: 'completed' } };
    case 'InitiativeLinked': {
      const { initiativeId, name, confidence } = event.data;
      return { ...state, initiatives: { ...state.initiatives, [initiativeId]: { name, confidence, dropped: false } } };
    }
    case 'InitiativeLinkConfirmed':
      return updateInitiative(state, event.data.initiativeId, { confidence: 'confirmed' });
    case 'InitiativeLinkDropped':
      return updateInitiative(state, event.data.initiativeId, { dropped: true });
    case 'CollaborationConcluded':
      return state.status === 'active' ? { ...state, status: 'concluded', summary: event.data.summary } : state;
    default:
      return assertNever(event);
  }
}

function updateInitiative(state: Existing, initiativeId: string, change: Partial<InitiativeEntry>): Existing {
  if (!Object.hasOwn(state.initiatives, initiativeId)) return state;
  return { ...state, initiatives: { ...state.initiatives, [initiativeId]: { ...state.initiatives[initiativeId], ...change } } };
}
