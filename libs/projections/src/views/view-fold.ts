import type { CollaborationEvent, DomainEvent, NetworkEvent } from '#domain';
import type { RecordedEvent } from '#event-store';
import type { LearningView } from './experiment-view.js';

/**
 * Folds one entity's stream (possibly cut by asOf/knownAt) into its view. `open` starts the view from the
 * creating event (null for any other); `apply` folds every later event. `version` counts the folded events.
 * Returns null when the creating event is not visible.
 */
export function foldEntity<E extends DomainEvent, V extends { version: number }>(
  events: readonly RecordedEvent[],
  open: (event: E, at: string) => V | null,
  apply: (view: V, event: E, at: string) => void,
): V | null {
  let view: V | null = null;
  for (const recorded of events) {
    const event = recorded as unknown as E;
    const at = recorded.metadata.occurredAt;
    if (view) apply(view, event, at);
    else view = open(event, at);
    if (view) view.version++;
  }
  return view;
}

/** Applies `change` to the items whose `key` equals `id` (sub-entities are addressed by their own ids). */
export function updateWhere<T extends object, K extends keyof T>(items: readonly T[], key: K, id: T[K], change: Partial<T>): void {
  for (const item of items) if (item[key] === id) Object.assign(item, change);
}

/** A milestone of a collaboration or network. */
export interface MilestoneView {
  milestoneId: string;
  title: string;
  /** Calendar date it is due, if any. */
  due: string | null;
  setAt: string;
  achieved: boolean;
  achievedAt: string | null;
}

/** What collaborations and networks both keep: milestones, Learning Cards and attached experiments. */
export interface WorkRecords {
  milestones: MilestoneView[];
  learnings: LearningView[];
  attachedExperimentIds: string[];
}

export function emptyWorkRecords(): WorkRecords {
  return { milestones: [], learnings: [], attachedExperimentIds: [] };
}

/** Folds a milestone, learning or attachment event into `view`; other events leave it as it is. */
export function applyWorkRecord(view: WorkRecords, event: CollaborationEvent | NetworkEvent, at: string): void {
  switch (event.type) {
    case 'MilestoneSet': {
      const { milestoneId, title, due } = event.data;
      view.milestones.push({ milestoneId, title, due, setAt: at, achieved: false, achievedAt: null });
      break;
    }
    case 'MilestoneAchieved':
      updateWhere(view.milestones, 'milestoneId', event.data.milestoneId, { achieved: true, achievedAt: at });
      break;
    case 'LearningRecorded': {
      const { learningId, observation, learning, decision, reliability, themes, retrospective } = event.data;
      view.learnings.push({
        learningId,
        observation,
        learning,
        decision,
        reliability,
        themes: [...themes],
        retrospective,
        occurredAt: at,
        retracted: false,
        retractionReason: null,
      });
      break;
    }
    case 'LearningRetracted':
      updateWhere(view.learnings, 'learningId', event.data.learningId, { retracted: true, retractionReason: event.data.reason });
      break;
    case 'ExperimentAttached':
      if (!view.attachedExperimentIds.includes(event.data.experimentId)) view.attachedExperimentIds.push(event.data.experimentId);
      break;
    default:
      break;
  }
}
