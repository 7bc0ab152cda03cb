import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { LearningItem, ListPage } from '#projections';
import { Visible, type Visibility } from '../auth/principal.js';
import { ListLearnings } from './learning.queries.js';
import { LearningListRequest, occurredRange } from './learning.requests.js';

/** `GET /api/learnings`: the learning library. */
@ApiTags('learnings')
@Controller('api/learnings')
export class LearningsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Learnings and insights from every experiment, collaboration, network and gathering',
    description:
      'Newest first (business time, then global position); follow nextCursor until it is null. Retracted items are left out ' +
      'unless includeRetracted=true. q is full-text search: every word must occur as a word prefix; operators are not interpreted.',
  })
  @ApiOkResponse({ description: '{items, nextCursor}' })
  @ApiBadRequestResponse({ description: 'An unknown or invalid query parameter, to before from, or a cursor not from this list' })
  list(@Query() query: LearningListRequest, @Visible() visible: Visibility): Promise<ListPage<LearningItem>> {
    const { from: _from, to: _to, ...filters } = query;
    return this.queries.execute(new ListLearnings({ ...filters, ...occurredRange(query), sources: visible.sources() }));
  }
}
