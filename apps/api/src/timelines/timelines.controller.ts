import { Controller, Get, Headers, Param, Query, type Type } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StreamCategory } from '#domain';
import { LIST_LIMIT, type TimelinePage, type TimelinePageQuery } from '#projections';
import { Visible, type Visibility } from '../auth/principal.js';
import { EntityIdPipe } from '../http/entity-id.pipe.js';
import { validationProblem } from '../http/problem.js';
import { parseInstant, toIso } from '../http/time.js';
import { resolveLanguage, resolveTimeTravel } from '../reads/time-travel.js';
import { GetEntityTimeline, GetTimeline } from './timeline.queries.js';
import { EntityTimelineRequest, TimelineRequest } from './timeline.requests.js';
import { TimelinePageDoc } from './timeline.responses.js';

const ORDER = 'One sentence per event in `lang` (default from Accept-Language, else en), ordered by business time then position; '
  + 'pages of `limit` (default 50), follow nextCursor until it is null. asOf: only events that occurred by then; '
  + 'knownAt: only events recorded by then (a date-time, a date, or a global position).';

/** Time travel, language and paging of a timeline request. */
function pageQuery(request: EntityTimelineRequest, acceptLanguage: string | undefined): TimelinePageQuery {
  return {
    ...resolveTimeTravel(request),
    lang: resolveLanguage(request.lang, acceptLanguage),
    limit: request.limit ?? LIST_LIMIT.default,
    cursor: request.cursor ?? null,
  };
}

/** The entities with a `GET /api/<collection>/:id/timeline` here (experiments have theirs in their own module). */
export const TIMELINE_COLLECTIONS = [
  { collection: 'collaborations', kind: 'collaboration', includes: 'its events and those of the experiments attached to it' },
  { collection: 'networks', kind: 'network', includes: 'its events, the experiments attached to it, members joining and leaving' },
  { collection: 'people', kind: 'person', includes: 'their events, memberships and the experiments they lead (a forgotten person stays unnamed)' },
  { collection: 'organisations', kind: 'organisation', includes: 'its events and those naming it: parties, partners, leads, organisers, roles' },
  { collection: 'gatherings', kind: 'gathering', includes: 'the gathering and its insights' },
] as const satisfies ReadonlyArray<{ collection: string; kind: StreamCategory; includes: string }>;

/** A controller holding only `GET /api/<collection>/:id/timeline`; the collection's other routes live elsewhere. */
function entityTimelineController({ collection, kind, includes }: (typeof TIMELINE_COLLECTIONS)[number]): Type<unknown> {
  @ApiTags(collection)
  @Controller(`api/${collection}`)
  class EntityTimelineController {
    constructor(private readonly queries: QueryBus) {}

    @Get(':id/timeline')
    @ApiOperation({ operationId: `${kind}Timeline`, summary: `What happened to the ${kind}: ${includes}`, description: ORDER })
    @ApiOkResponse({ type: TimelinePageDoc })
    @ApiBadRequestResponse({ description: 'An invalid asOf, knownAt, lang, limit or cursor' })
    @ApiNotFoundResponse({ description: `No ${kind} has this id` })
    timeline(
      @Param('id', EntityIdPipe) id: string,
      @Query() query: EntityTimelineRequest,
      @Headers('accept-language') acceptLanguage?: string,
    ): Promise<TimelinePage> {
      return this.queries.execute(new GetEntityTimeline({ kind, id }, pageQuery(query, acceptLanguage)));
    }
  }
  const name = `${kind[0].toUpperCase()}${kind.slice(1)}TimelineController`;
  Object.defineProperty(EntityTimelineController, 'name', { value: name });
  return EntityTimelineController;
}

/** `GET /api/<collection>/:id/timeline` for collaborations, networks, people, organisations and gatherings. */
export const ENTITY_TIMELINE_CONTROLLERS = TIMELINE_COLLECTIONS.map(entityTimelineController);

/** `GET /api/timeline`: everything that happened. */
@ApiTags('timeline')
@Controller('api/timeline')
export class TimelineController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Everything that happened, filtered by business-time range (from/to) and theme',
    description: `${ORDER} A theme matches the events of experiments and collaborations with it and learnings and insights with it.`,
  })
  @ApiOkResponse({ type: TimelinePageDoc })
  @ApiBadRequestResponse({ description: 'An invalid query parameter, or to before from' })
  list(@Query() query: TimelineRequest, @Visible() visible: Visibility, @Headers('accept-language') acceptLanguage?: string): Promise<TimelinePage> {
    const { from, to, theme, ...page } = query;
    const range = {
      from: from === undefined ? undefined : instant(from, 'start'),
      to: to === undefined ? undefined : instant(to, 'end'),
    };
    if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
      throw validationProblem([{ field: 'to', message: 'to must not be before from' }]);
    }
    return this.queries.execute(new GetTimeline({ ...pageQuery(page, acceptLanguage), ...range, theme, streams: visible.streams() }));
  }
}

/** A validated date (start or end of that day in Oslo) or date-time, as ISO 8601 UTC. */
function instant(value: string, bareDateMeans: 'start' | 'end'): string {
  const parsed = parseInstant(value, bareDateMeans);
  if (parsed === null) throw validationProblem([{ field: bareDateMeans === 'start' ? 'from' : 'to', message: 'must be a date or an ISO 8601 date-time with offset' }]);
  return toIso(parsed);
}
