import { experimentAttached } from './attachments.js';
import { assertNever, type DomainEvent } from './decider.js';
import type { Entries } from './entries.js';
import { eventTypeList } from './event-types.js';
import { learningRecorded, learningRetracted } from './learnings.js';
import { milestoneAchieved, milestoneSet, type Milestones } from './milestones.js';

/** What collaborations and networks remember of their milestones, learnings and attached experiments. */
export interface SharedWorkState {
  milestones: Milestones;
  learnings: Entries;
  experimentIds: readonly string[];
}

/** The milestone, learning and attachment events, whatever their owner, as far as {@link evolveSharedWork} reads them. */
export type SharedWorkEvent =
  | { type: 'MilestoneSet'; data: { milestoneId: string } }
  | { type: 'MilestoneAchieved'; data: { milestoneId: string } }
  | { type: 'LearningRecorded'; data: { learningId: string } }
  | { type: 'LearningRetracted'; data: { learningId: string } }
  | { type: 'ExperimentAttached'; data: { experimentId: string } };

const SHARED_WORK_EVENT_TYPES: readonly string[] = eventTypeList<SharedWorkEvent['type']>()([
  'MilestoneSet',
  'MilestoneAchieved',
  'LearningRecorded',
  'LearningRetracted',
  'ExperimentAttached',
]);

/** Whether `event` is one {@link evolveSharedWork} folds; narrows an owner's event union either way. */
export function isSharedWorkEvent<E extends DomainEvent>(event: E): event is Extract<E, SharedWorkEvent> {
  return SHARED_WORK_EVENT_TYPES.includes(event.type);
}

/** Folds a milestone, learning or attachment event into its owner's state. */
export function evolveSharedWork<S extends SharedWorkState>(state: S, event: SharedWorkEvent): S {
  switch (event.type) {
    case 'MilestoneSet':
      return { ...state, milestones: milestoneSet(state.milestones, event.data.milestoneId) };
    case 'MilestoneAchieved':
      return { ...state, milestones: milestoneAchieved(state.milestones, event.data.milestoneId) };
    case 'LearningRecorded':
      return { ...state, learnings: learningRecorded(state.learnings, event.data.learningId) };
    case 'LearningRetracted':
      return { ...state, learnings: learningRetracted(state.learnings, event.data.learningId) };
    case 'ExperimentAttached':
      return { ...state, experimentIds: experimentAttached(state.experimentIds, event.data.experimentId) };
    default:
      return assertNever(event);
  }
}
