import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  listCollaborations,
  listExperiments,
  listGatherings,
  listNetworks,
  listOrganisations,
  listPeople,
  type CollaborationListItem,
  type CollaborationListQuery,
  type ExperimentListItem,
  type ExperimentListQuery,
  type GatheringListItem,
  type GatheringListQuery,
  type NetworkListItem,
  type NetworkListQuery,
  type OrganisationListItem,
  type OrganisationListQuery,
  type ListPage,
  type PersonListItem,
  type PersonListQuery,
  type ReadModelDb,
} from '#projections';
import { withCursorProblem } from '../http/cursor-problem.js';
import { READ_MODELS } from '../infrastructure/infrastructure.module.js';

/** One page of experiments from the catalogue. */
export class ListExperiments extends Query<ListPage<ExperimentListItem>> {
  constructor(readonly filters: ExperimentListQuery) {
    super();
  }
}

/** One page of organisations from the catalogue. */
export class ListOrganisations extends Query<ListPage<OrganisationListItem>> {
  constructor(readonly filters: OrganisationListQuery) {
    super();
  }
}

/** One page of people from the catalogue. */
export class ListPeople extends Query<ListPage<PersonListItem>> {
  constructor(readonly filters: PersonListQuery) {
    super();
  }
}

/** One page of collaborations from the catalogue. */
export class ListCollaborations extends Query<ListPage<CollaborationListItem>> {
  constructor(readonly filters: CollaborationListQuery) {
    super();
  }
}

/** One page of networks from the catalogue. */
export class ListNetworks extends Query<ListPage<NetworkListItem>> {
  constructor(readonly filters: NetworkListQuery) {
    super();
  }
}

/** One page of gatherings from the catalogue. */
export class ListGatherings extends Query<ListPage<GatheringListItem>> {
  constructor(readonly filters: GatheringListQuery) {
    super();
  }
}

/** Reads one page from the catalogue; a cursor the catalogue refuses is a 400 on the `cursor` field. */
abstract class CatalogueListHandler<F, T> {
  constructor(@Inject(READ_MODELS) private readonly db: ReadModelDb) {}

  protected abstract list(db: ReadModelDb, filters: F): ListPage<T>;

  async execute({ filters }: { filters: F }): Promise<ListPage<T>> {
    return withCursorProblem(() => this.list(this.db, filters));
  }
}

@QueryHandler(ListExperiments)
export class ListExperimentsHandler
  extends CatalogueListHandler<ExperimentListQuery, ExperimentListItem>
  implements IQueryHandler<ListExperiments, ListPage<ExperimentListItem>>
{
  protected list = listExperiments;
}

@QueryHandler(ListOrganisations)
export class ListOrganisationsHandler
  extends CatalogueListHandler<OrganisationListQuery, OrganisationListItem>
  implements IQueryHandler<ListOrganisations, ListPage<OrganisationListItem>>
{
  protected list = listOrganisations;
}

@QueryHandler(ListPeople)
export class ListPeopleHandler
  extends CatalogueListHandler<PersonListQuery, PersonListItem>
  implements IQueryHandler<ListPeople, ListPage<PersonListItem>>
{
  protected list = listPeople;
}

@QueryHandler(ListCollaborations)
export class ListCollaborationsHandler
  extends CatalogueListHandler<CollaborationListQuery, CollaborationListItem>
  implements IQueryHandler<ListCollaborations, ListPage<CollaborationListItem>>
{
  protected list = listCollaborations;
}

@QueryHandler(ListNetworks)
export class ListNetworksHandler
  extends CatalogueListHandler<NetworkListQuery, NetworkListItem>
  implements IQueryHandler<ListNetworks, ListPage<NetworkListItem>>
{
  protected list = listNetworks;
}

@QueryHandler(ListGatherings)
export class ListGatheringsHandler
  extends CatalogueListHandler<GatheringListQuery, GatheringListItem>
  implements IQueryHandler<ListGatherings, ListPage<GatheringListItem>>
{
  protected list = listGatherings;
}
