import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { NotFoundError, streamName } from '#domain';
import { EventStore } from '#event-store';
import {
  entityTimeline,
  globalTimeline,
  type ReadModelDb,
  type TimelinePage,
  type TimelinePageQuery,
  type TimelineSubject,
} from '#projections';
import { withCursorProblem } from '../http/cursor-problem.js';
import { READ_MODELS } from '../infrastructure/infrastructure.module.js';

/** One entity's timeline: its stream, the events naming it, and (collaborations, networks) attached experiments. */
export class GetEntityTimeline extends Query<TimelinePage> {
  constructor(
    readonly subject: TimelineSubject,
    readonly query: TimelinePageQuery,
  ) {
    super();
  }
}

/** The timeline of everything, filtered by business-time range and theme. */
export class GetTimeline extends Query<TimelinePage> {
  constructor(readonly query: TimelinePageQuery) {
    super();
  }
}

const CURSOR_PROBLEM = 'The cursor is not valid for this timeline';

@QueryHandler(GetEntityTimeline)
export class GetEntityTimelineHandler implements IQueryHandler<GetEntityTimeline, TimelinePage> {
  constructor(
    private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly db: ReadModelDb,
  ) {}

  async execute({ subject, query }: GetEntityTimeline): Promise<TimelinePage> {
    const first = await this.store.readStream(streamName(subject.kind, subject.id), { maxCount: 1 });
    if (first.length === 0) throw new NotFoundError(subject.kind, subject.id);
    return withCursorProblem(() => entityTimeline(this.db, subject, query), CURSOR_PROBLEM);
  }
}

@QueryHandler(GetTimeline)
export class GetTimelineHandler implements IQueryHandler<GetTimeline, TimelinePage> {
  constructor(@Inject(READ_MODELS) private readonly db: ReadModelDb) {}

  async execute({ query }: GetTimeline): Promise<TimelinePage> {
    return withCursorProblem(() => globalTimeline(this.db, query), CURSOR_PROBLEM);
  }
}
