import { ApiProperty } from '@nestjs/swagger';
import { GATHERING_KINDS, NETWORK_KINDS, ORGANISATION_KINDS } from '#domain';
import {
  COLLABORATION_LIST_STATUSES,
  EXPERIMENT_LIST_STATUSES,
  type CollaborationListItem,
  type ExperimentListItem,
  type GatheringListItem,
  type ListItemBase,
  type NetworkListItem,
  type OrganisationListItem,
  type PersonListItem,
} from '#projections';

// OpenAPI shapes of the list responses (documentation only: handlers return the library's plain objects).

abstract class ListItemDoc implements ListItemBase {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Events in the stream (the ETag of the entity)' }) version: number;
  @ApiProperty({ format: 'date-time', description: 'Business time of the creating event' }) createdAt: string;
  @ApiProperty({ format: 'date-time', description: 'Latest business time among its events' }) updatedAt: string;
}

const nextCursor = { type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' };

export class ExperimentListItemDoc extends ListItemDoc implements ExperimentListItem {
  @ApiProperty() title: string;
  @ApiProperty({ enum: EXPERIMENT_LIST_STATUSES }) status: ExperimentListItem['status'];
  @ApiProperty({ type: [String] }) themes: string[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) leadId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) collaborationId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) networkId: string | null;
}
export class ExperimentPageDoc {
  @ApiProperty({ type: [ExperimentListItemDoc] }) items: ExperimentListItemDoc[];
  @ApiProperty(nextCursor) nextCursor: string | null;
}

export class OrganisationListItemDoc extends ListItemDoc implements OrganisationListItem {
  @ApiProperty() name: string;
  @ApiProperty({ enum: ORGANISATION_KINDS }) kind: OrganisationListItem['kind'];
  @ApiProperty({ enum: ['registered'] }) status: OrganisationListItem['status'];
}
export class OrganisationPageDoc {
  @ApiProperty({ type: [OrganisationListItemDoc] }) items: OrganisationListItemDoc[];
  @ApiProperty(nextCursor) nextCursor: string | null;
}

export class PersonListItemDoc extends ListItemDoc implements PersonListItem {
  @ApiProperty({ type: String, nullable: true, description: 'Null once the person is forgotten' }) name: string | null;
  @ApiProperty({ enum: ['registered', 'forgotten'] }) status: PersonListItem['status'];
  @ApiProperty() forgotten: boolean;
}
export class PersonPageDoc {
  @ApiProperty({ type: [PersonListItemDoc] }) items: PersonListItemDoc[];
  @ApiProperty(nextCursor) nextCursor: string | null;
}

export class CollaborationListItemDoc extends ListItemDoc implements CollaborationListItem {
  @ApiProperty() title: string;
  @ApiProperty({ enum: COLLABORATION_LIST_STATUSES }) status: CollaborationListItem['status'];
  @ApiProperty({ type: [String] }) themes: string[];
  @ApiProperty({ format: 'uuid' }) partnerOrganisationId: string;
}
export class CollaborationPageDoc {
  @ApiProperty({ type: [CollaborationListItemDoc] }) items: CollaborationListItemDoc[];
  @ApiProperty(nextCursor) nextCursor: string | null;
}

export class NetworkListItemDoc extends ListItemDoc implements NetworkListItem {
  @ApiProperty() name: string;
  @ApiProperty({ enum: NETWORK_KINDS }) kind: NetworkListItem['kind'];
  @ApiProperty({ enum: ['active'] }) status: NetworkListItem['status'];
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) ledByOrganisationId: string | null;
}
export class NetworkPageDoc {
  @ApiProperty({ type: [NetworkListItemDoc] }) items: NetworkListItemDoc[];
  @ApiProperty(nextCursor) nextCursor: string | null;
}

export class GatheringListItemDoc extends ListItemDoc implements GatheringListItem {
  @ApiProperty() title: string;
  @ApiProperty({ enum: GATHERING_KINDS }) kind: GatheringListItem['kind'];
  @ApiProperty({ enum: ['held'] }) status: GatheringListItem['status'];
  @ApiProperty({ format: 'date' }) heldOn: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) organiserOrganisationId: string | null;
}
export class GatheringPageDoc {
  @ApiProperty({ type: [GatheringListItemDoc] }) items: GatheringListItemDoc[];
  @ApiProperty(nextCursor) nextCursor: string | null;
}
