import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { CollaborationCommandHandler } from './collaboration-command.handler.js';
import { GetCollaborationHandler } from './collaboration.queries.js';
import { CollaborationsController } from './collaborations.controller.js';

@Module({
  imports: [CommandsModule],
  controllers: [CollaborationsController],
  providers: [CollaborationCommandHandler, GetCollaborationHandler],
})
export class CollaborationsModule {}
