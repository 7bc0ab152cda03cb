import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { PeopleController } from './people.controller.js';
import { PersonCommandHandler } from './person-command.handler.js';
import { GetPersonHandler } from './person.queries.js';
import { PersonalDataExports } from './personal-data-export.js';

@Module({
  imports: [CommandsModule],
  controllers: [PeopleController],
  providers: [PersonCommandHandler, GetPersonHandler, PersonalDataExports],
})
export class PeopleModule {}
