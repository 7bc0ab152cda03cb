import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { OrganisationCommandHandler } from './organisation-command.handler.js';

@Module({
  imports: [CommandsModule],
  controllers: [],
  providers: [OrganisationCommandHandler],
})
export class OrganisationsModule {}
