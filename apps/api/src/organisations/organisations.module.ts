import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { OrganisationCommandHandler } from './organisation-command.handler.js';
import { GetOrganisationHandler } from './organisation.queries.js';
import { OrganisationsController } from './organisations.controller.js';

@Module({
  imports: [CommandsModule],
  controllers: [OrganisationsController],
  providers: [OrganisationCommandHandler, GetOrganisationHandler],
})
export class OrganisationsModule {}
