import { QueryHandler } from '@nestjs/cqrs';
import { StreamCategory } from '#domain';
import { organisationView, type OrganisationView } from '#projections';
import { EntityViewHandler, GetEntity } from './entity-view.query.js';

export class GetOrganisation extends GetEntity<OrganisationView> {}

@QueryHandler(GetOrganisation)
export class GetOrganisationHandler extends EntityViewHandler<OrganisationView> {
  protected readonly category = StreamCategory.organisation;
  protected readonly fold = organisationView;
}
