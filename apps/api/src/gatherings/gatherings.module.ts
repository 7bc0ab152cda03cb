import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { GatheringCommandHandler } from './gathering-command.handler.js';
import { GetGatheringHandler } from './gathering.queries.js';
import { GatheringsController } from './gatherings.controller.js';

@Module({
  imports: [CommandsModule],
  controllers: [GatheringsController],
  providers: [GatheringCommandHandler, GetGatheringHandler],
})
export class GatheringsModule {}
