import { QueryHandler } from '@nestjs/cqrs';
import { StreamCategory } from '#domain';
import { networkView, type NetworkView } from '#projections';
import { EntityViewHandler, GetEntity } from '../organisations/entity-view.query.js';

export class GetNetwork extends GetEntity<NetworkView> {}

@QueryHandler(GetNetwork)
export class GetNetworkHandler extends EntityViewHandler<NetworkView> {
  protected readonly category = StreamCategory.network;
  protected readonly fold = networkView;
}
