import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { organisationDecider, StreamCategory } from '#domain';
import type { CommandOutcome } from '../commands/aggregate-command.js';
import { CommandExecutor } from '../commands/command-executor.js';
import { ExecuteOrganisationCommand } from './organisation.commands.js';

@CommandHandler(ExecuteOrganisationCommand)
export class OrganisationCommandHandler implements ICommandHandler<ExecuteOrganisationCommand, CommandOutcome> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ aggregateId, command, context }: ExecuteOrganisationCommand): Promise<CommandOutcome> {
    return this.executor.execute(StreamCategory.organisation, aggregateId, organisationDecider, command, context);
  }
}
