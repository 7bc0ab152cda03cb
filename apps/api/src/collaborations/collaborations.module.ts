import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { CollaborationCommandHandler } from './collaboration-command.handler.js';

@Module({
  imports: [CommandsModule],
  controllers: [],
  providers: [CollaborationCommandHandler],
})
export class CollaborationsModule {}
