import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { listLearnings, type LearningItem, type LearningListQuery, type ListPage, type ReadModelDb } from '#projections';
import { withCursorProblem } from '../http/cursor-problem.js';
import { READ_MODELS } from '../infrastructure/infrastructure.module.js';

/** One page of the learning library. */
export class ListLearnings extends Query<ListPage<LearningItem>> {
  constructor(readonly filters: LearningListQuery) {
    super();
  }
}

/** Reads the library's read model; a cursor it refuses is a 400 on `cursor`. */
@QueryHandler(ListLearnings)
export class ListLearningsHandler implements IQueryHandler<ListLearnings, ListPage<LearningItem>> {
  constructor(@Inject(READ_MODELS) private readonly db: ReadModelDb) {}

  async execute({ filters }: ListLearnings): Promise<ListPage<LearningItem>> {
    return withCursorProblem(() => listLearnings(this.db, filters));
  }
}
