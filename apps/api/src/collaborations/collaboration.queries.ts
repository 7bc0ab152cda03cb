import { QueryHandler } from '@nestjs/cqrs';
import { StreamCategory } from '#domain';
import { collaborationView, type CollaborationView } from '#projections';
import { EntityViewHandler, GetEntity } from '../organisations/entity-view.query.js';

export class GetCollaboration extends GetEntity<CollaborationView> {}

@QueryHandler(GetCollaboration)
export class GetCollaborationHandler extends EntityViewHandler<CollaborationView> {
  protected readonly category = StreamCategory.collaboration;
  protected readonly fold = collaborationView;
}
