import { QueryHandler } from '@nestjs/cqrs';
import { StreamCategory } from '#domain';
import { gatheringView, type GatheringView } from '#projections';
import { EntityViewHandler, GetEntity } from '../organisations/entity-view.query.js';

export class GetGathering extends GetEntity<GatheringView> {}

@QueryHandler(GetGathering)
export class GetGatheringHandler extends EntityViewHandler<GatheringView> {
  protected readonly category = StreamCategory.gathering;
  protected readonly fold = gatheringView;
}
