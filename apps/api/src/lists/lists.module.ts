import { Module } from '@nestjs/common';
import {
  ListCollaborationsHandler,
  ListExperimentsHandler,
  ListGatheringsHandler,
  ListNetworksHandler,
  ListOrganisationsHandler,
  ListPeopleHandler,
} from './list.queries.js';
import {
  CollaborationListController,
  ExperimentListController,
  GatheringListController,
  NetworkListController,
  OrganisationListController,
  PersonListController,
} from './lists.controller.js';

/** `GET /api/<collection>` for experiments, organisations, people, collaborations, networks and gatherings. */
@Module({
  controllers: [
    ExperimentListController,
    OrganisationListController,
    PersonListController,
    CollaborationListController,
    NetworkListController,
    GatheringListController,
  ],
  providers: [
    ListExperimentsHandler,
    ListOrganisationsHandler,
    ListPeopleHandler,
    ListCollaborationsHandler,
    ListNetworksHandler,
    ListGatheringsHandler,
  ],
})
export class ListsModule {}
