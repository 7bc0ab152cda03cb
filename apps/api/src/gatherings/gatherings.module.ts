import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { GatheringCommandHandler } from './gathering-command.handler.js';

@Module({
  imports: [CommandsModule],
  controllers: [],
  providers: [GatheringCommandHandler],
})
export class GatheringsModule {}
