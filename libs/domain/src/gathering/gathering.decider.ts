import { assertNever, type Decider } from '../shared/decider.js';
import { DomainError, NotFoundError } from '../shared/domain-error.js';
import { addEntry, requireNewId, requireRetractable, retractEntry } from '../shared/entries.js';
import { normaliseThemes, optionalText, requireCount, requireText } from '../shared/guards.js';
import type { GatheringCommand, HoldGathering } from './gathering.commands.js';
import type { GatheringEvent, GatheringHeld } from './gathering.events.js';
import type { GatheringHeldState, GatheringState } from './gathering.state.js';

const P = 'gathering';

/** Workshops and meetings, and the insights gathered there. */
export const gatheringDecider: Decider<GatheringCommand, GatheringEvent, GatheringState> = {
  initialState: () => ({ status: 'initial' }),
  evolve,
  decide,
};

function held(state: GatheringState, gatheringId: string): GatheringHeldState {
  if (state.status === 'initial') throw new NotFoundError(P, gatheringId);
  return state;
}

function decide(command: GatheringCommand, state: GatheringState): GatheringEvent[] {
  const id = command.data.gatheringId;
  switch (command.type) {
    case 'HoldGathering':
      return [hold(command, state)];
    case 'RecordInsight': {
      const { insightId } = command.data;
      requireNewId(P, 'insight', insightId, held(state, id).insights);
      return [
        {
          type: 'InsightRecorded',
          data: {
            gatheringId: id,
            insightId,
            observation: requireText(P, 'observation', command.data.observation),
            learning: optionalText(command.data.learning),
            themes: normaliseThemes(command.data.themes),
          },
        },
      ];
    }
    case 'RetractInsight': {
      const { insightId } = command.data;
      requireRetractable(P, 'insight', insightId, held(state, id).insights);
      return [{ type: 'InsightRetracted', data: { gatheringId: id, insightId, reason: requireText(P, 'reason', command.data.reason) } }];
    }
    default:
      return assertNever(command);
  }
}

function hold({ data }: HoldGathering, state: GatheringState): GatheringHeld {
  if (state.status !== 'initial') throw new DomainError(`${P}.already-exists`, `gathering ${data.gatheringId} already exists`);
  const participantCount = data.participantCount ?? null;
  return {
    type: 'GatheringHeld',
    data: {
      gatheringId: data.gatheringId,
      title: requireText(P, 'title', data.title),
      kind: data.kind,
      heldOn: requireText(P, 'held-on', data.heldOn),
      participantCount: participantCount === null ? null : requireCount(P, 'participant-count', participantCount),
      organiserOrganisationId: data.organiserOrganisationId ?? null,
      purpose: optionalText(data.purpose),
    },
  };
}

/** Folds one event. An event that cannot apply in the current state (never written by `decide`) is ignored. */
function evolve(state: GatheringState, event: GatheringEvent): GatheringState {
  switch (event.type) {
    case 'GatheringHeld':
      return state.status === 'initial' ? { status: 'held', gatheringId: event.data.gatheringId, insights: {} } : state;
    case 'InsightRecorded':
      return state.status === 'held' ? { ...state, insights: addEntry(state.insights, event.data.insightId) } : state;
    case 'InsightRetracted':
      return state.status === 'held' ? { ...state, insights: retractEntry(state.insights, event.data.insightId) } : state;
    default:
      return assertNever(event);
  }
}
