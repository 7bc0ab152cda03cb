import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { DashboardController } from './dashboard.controller.js';
import { EntityPagesController } from './entity-pages.controller.js';
import { ExperimentPagesController } from './experiment-pages.controller.js';
import { InternalApi } from './internal-api.js';
import { LibraryPagesController } from './library-pages.controller.js';
import { SessionPagesController } from './session.controller.js';
import { CollaborationPagesController, GatheringPagesController, NetworkPagesController } from './work-pages.controller.js';

/**
 * The web app: server-rendered pages outside /api for leads, partners and staff. Pages read and forms write
 * through the JSON API in process (InternalApi), as the signed-in user, so every rule is the API's.
 */
@Module({
  imports: [AuthModule],
  controllers: [
    SessionPagesController,
    DashboardController,
    ExperimentPagesController,
    EntityPagesController,
    CollaborationPagesController,
    NetworkPagesController,
    GatheringPagesController,
    LibraryPagesController,
  ],
  providers: [InternalApi],
})
export class WebModule {}
