import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { EntityReferences } from '../organisations/entity-references.js';
import { PeopleController } from './people.controller.js';
import { PersonCommandHandler } from './person-command.handler.js';
import { GetPersonHandler } from './person.queries.js';

@Module({
  imports: [CommandsModule],
  controllers: [PeopleController],
  providers: [PersonCommandHandler, GetPersonHandler, EntityReferences],
})
export class PeopleModule {}
