import { parseStreamName, StreamCategory, type ExperimentEventType } from '#domain';
import type { ReadModelDb } from '../read-model-db.js';
import { queryTimeline, timelineProjection, type TimelineEntry, type TimelineQuery } from './timeline.js';

/** Every experiment event type; `LearningRecorded`/`LearningRetracted` count only on experiment streams. */
export const EXPERIMENT_TIMELINE_EVENT_TYPES = [
  'ExperimentDesigned',
  'TestCardRevised',
  'ExperimentStarted',
  'StepLogged',
  'StepRetracted',
  'MeasurementRecorded',
  'LearningRecorded',
  'LearningRetracted',
  'ExperimentConcluded',
  'ExperimentAbandoned',
] as const satisfies readonly ExperimentEventType[];

/** Fails to compile when the domain adds an experiment event type that is not listed above. */
type AssertNever<T extends never> = T;
export type MissingExperimentTimelineTypes = AssertNever<
  Exclude<ExperimentEventType, (typeof EXPERIMENT_TIMELINE_EVENT_TYPES)[number]>
>;

/** Timeline entries of each experiment, taken from the events of its `experiment-<id>` stream. */
export const experimentTimelineProjection = timelineProjection({
  name: 'experiment-timeline',
  version: 1,
  handles: EXPERIMENT_TIMELINE_EVENT_TYPES,
  entitiesOf(event) {
    const { category, id } = parseStreamName(event.streamId);
    return category === StreamCategory.experiment && id !== '' ? [{ kind: 'experiment', id }] : [];
  },
});

/**
 * The experiment's timeline (empty for an unknown id: the API checks the stream exists). Needs the tables:
 * `runner.start()` creates them synchronously (or call `experimentTimelineProjection.setup(db)`).
 */
export function experimentTimeline(db: ReadModelDb, experimentId: string, query: TimelineQuery): TimelineEntry[] {
  return queryTimeline(db, experimentTimelineProjection.table, { kind: 'experiment', id: experimentId }, query);
}
