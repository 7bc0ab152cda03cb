import { Module } from '@nestjs/common';
import { GetEntityTimelineHandler, GetTimelineHandler } from './timeline.queries.js';
import { ENTITY_TIMELINE_CONTROLLERS, TimelineController } from './timelines.controller.js';

/** Timelines of collaborations, networks, people, organisations and gatherings, and the global timeline. */
@Module({
  controllers: [TimelineController, ...ENTITY_TIMELINE_CONTROLLERS],
  providers: [GetEntityTimelineHandler, GetTimelineHandler],
})
export class TimelinesModule {}
