import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { PersonCommandHandler } from './person-command.handler.js';

@Module({
  imports: [CommandsModule],
  controllers: [],
  providers: [PersonCommandHandler],
})
export class PeopleModule {}
