import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type {
  CollaborationListItem,
  ExperimentListItem,
  GatheringListItem,
  NetworkListItem,
  OrganisationListItem,
  ListPage,
  PersonListItem,
} from '#projections';
import { Visible, type Visibility } from '../auth/principal.js';
import { validationProblem } from '../http/problem.js';
import {
  CollaborationListRequest,
  ExperimentListRequest,
  GatheringListRequest,
  NetworkListRequest,
  OrganisationListRequest,
  PersonListRequest,
} from './list.requests.js';
import {
  CollaborationPageDoc,
  ExperimentPageDoc,
  GatheringPageDoc,
  NetworkPageDoc,
  OrganisationPageDoc,
  PersonPageDoc,
} from './list.responses.js';
import {
  ListCollaborations,
  ListExperiments,
  ListGatherings,
  ListNetworks,
  ListOrganisations,
  ListPeople,
} from './list.queries.js';

const PAGING = 'Newest first (business time of creation, then id); follow nextCursor until it is null.';
const BAD_QUERY = 'An unknown or invalid query parameter, a limit outside 1..200, or a cursor not from this list';

/** `GET /api/experiments` (the `/:id` routes live in the experiments module). */
@ApiTags('experiments')
@Controller('api/experiments')
@ApiBadRequestResponse({ description: BAD_QUERY })
export class ExperimentListController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List experiments', description: PAGING })
  @ApiOkResponse({ type: ExperimentPageDoc })
  list(@Query() query: ExperimentListRequest, @Visible() visible: Visibility): Promise<ListPage<ExperimentListItem>> {
    return this.queries.execute(new ListExperiments({ ...lowerIds(query, 'leadId', 'collaborationId', 'networkId'), within: visible.ids('experiment') }));
  }
}

/** `GET /api/organisations`. */
@ApiTags('organisations')
@Controller('api/organisations')
@ApiBadRequestResponse({ description: BAD_QUERY })
export class OrganisationListController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List organisations', description: PAGING })
  @ApiOkResponse({ type: OrganisationPageDoc })
  list(@Query() query: OrganisationListRequest, @Visible() visible: Visibility): Promise<ListPage<OrganisationListItem>> {
    return this.queries.execute(new ListOrganisations({ ...query, within: visible.ids('organisation') }));
  }
}

/** `GET /api/people`. */
@ApiTags('people')
@Controller('api/people')
@ApiBadRequestResponse({ description: BAD_QUERY })
export class PersonListController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List people (a forgotten person is listed without a name)', description: PAGING })
  @ApiOkResponse({ type: PersonPageDoc })
  list(@Query() query: PersonListRequest, @Visible() visible: Visibility): Promise<ListPage<PersonListItem>> {
    return this.queries.execute(new ListPeople({ ...query, within: visible.ids('person') }));
  }
}

/** `GET /api/collaborations`. */
@ApiTags('collaborations')
@Controller('api/collaborations')
@ApiBadRequestResponse({ description: BAD_QUERY })
export class CollaborationListController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List collaborations', description: PAGING })
  @ApiOkResponse({ type: CollaborationPageDoc })
  list(@Query() query: CollaborationListRequest, @Visible() visible: Visibility): Promise<ListPage<CollaborationListItem>> {
    return this.queries.execute(new ListCollaborations({ ...lowerIds(query, 'partnerOrganisationId'), within: visible.ids('collaboration') }));
  }
}

/** `GET /api/networks`. */
@ApiTags('networks')
@Controller('api/networks')
@ApiBadRequestResponse({ description: BAD_QUERY })
export class NetworkListController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List networks and communities', description: PAGING })
  @ApiOkResponse({ type: NetworkPageDoc })
  list(@Query() query: NetworkListRequest, @Visible() visible: Visibility): Promise<ListPage<NetworkListItem>> {
    return this.queries.execute(new ListNetworks({ ...query, within: visible.ids('network') }));
  }
}

/** `GET /api/gatherings`. */
@ApiTags('gatherings')
@Controller('api/gatherings')
@ApiBadRequestResponse({ description: BAD_QUERY })
export class GatheringListController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List gatherings; from/to bound the date held (inclusive)', description: PAGING })
  @ApiOkResponse({ type: GatheringPageDoc })
  list(@Query() query: GatheringListRequest, @Visible() visible: Visibility): Promise<ListPage<GatheringListItem>> {
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
      throw validationProblem([{ field: 'to', message: 'to must not be before from' }]);
    }
    return this.queries.execute(new ListGatherings({ ...query, within: visible.ids('gathering') }));
  }
}

/** Ids are stored lower-case (as the id pipe reads them); UUID filters may come in either case. */
function lowerIds<T extends object, K extends keyof T & string>(query: T, ...keys: K[]): T {
  const result = { ...query };
  for (const key of keys) {
    const value = result[key];
    if (typeof value === 'string') result[key] = value.toLowerCase() as T[K];
  }
  return result;
}
