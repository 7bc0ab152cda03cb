import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { NotFoundError, streamName, StreamCategory } from '#domain';
import { EventStore } from '#event-store';
import { experimentTimeline, experimentView, type ExperimentView, type ReadModelDb, type TimelineEntry } from '#projections';
import { READ_MODELS } from '../infrastructure/infrastructure.module.js';
import { isVisible, type Language, type TimeTravel } from '../reads/time-travel.js';

/** One experiment as it was (asOf) and as it was known (knownAt). */
export class GetExperiment extends Query<ExperimentView> {
  constructor(
    readonly id: string,
    readonly view: TimeTravel,
  ) {
    super();
  }
}

export class GetExperimentTimeline extends Query<TimelineEntry[]> {
  constructor(
    readonly id: string,
    readonly view: TimeTravel,
    readonly lang: Language,
  ) {
    super();
  }
}

@QueryHandler(GetExperiment)
export class GetExperimentHandler implements IQueryHandler<GetExperiment, ExperimentView> {
  constructor(private readonly store: EventStore) {}

  async execute({ id, view }: GetExperiment): Promise<ExperimentView> {
    const events = await this.store.readStream(streamName(StreamCategory.experiment, id));
    const experiment = experimentView(events.filter((e) => isVisible(e, view)));
    if (!experiment) throw new NotFoundError('experiment', id);
    return experiment;
  }
}

@QueryHandler(GetExperimentTimeline)
export class GetExperimentTimelineHandler implements IQueryHandler<GetExperimentTimeline, TimelineEntry[]> {
  constructor(
    private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly db: ReadModelDb,
  ) {}

  async execute({ id, view, lang }: GetExperimentTimeline): Promise<TimelineEntry[]> {
    const first = await this.store.readStream(streamName(StreamCategory.experiment, id), { maxCount: 1 });
    if (first.length === 0) throw new NotFoundError('experiment', id);
    return experimentTimeline(this.db, id, { lang, asOf: view.asOf, knownAt: view.knownAt });
  }
}
