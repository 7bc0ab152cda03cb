import { QueryHandler } from '@nestjs/cqrs';
import { StreamCategory } from '#domain';
import { isForgotten, personView, type PersonView } from '#projections';
import { EntityViewHandler, GetEntity, type ViewFold } from '../organisations/entity-view.query.js';

export class GetPerson extends GetEntity<PersonView> {}

/** A forgotten person stays forgotten in every view, also one cut off before the forgetting. */
@QueryHandler(GetPerson)
export class GetPersonHandler extends EntityViewHandler<PersonView> {
  protected readonly category = StreamCategory.person;
  protected readonly fold: ViewFold<PersonView> = (visible, all) => personView(visible, { withholdPersonalData: isForgotten(all) });
}
