import { EXPERIMENT_EVENT_TYPES, parseStreamName, StreamCategory } from '#domain';
import type { ReadModelDb } from '../read-model-db.js';
import { queryTimeline, timelineProjection, type TimelineEntry, type TimelineQuery } from './timeline.js';

/** Every experiment event type; `LearningRecorded`/`LearningRetracted` count only on experiment streams. */
export const EXPERIMENT_TIMELINE_EVENT_TYPES = EXPERIMENT_EVENT_TYPES;

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
