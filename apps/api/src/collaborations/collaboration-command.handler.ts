import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { collaborationDecider, StreamCategory } from '#domain';
import type { CommandOutcome } from '../commands/aggregate-command.js';
import { CommandExecutor } from '../commands/command-executor.js';
import { ExecuteCollaborationCommand } from './collaboration.commands.js';

@CommandHandler(ExecuteCollaborationCommand)
export class CollaborationCommandHandler implements ICommandHandler<ExecuteCollaborationCommand, CommandOutcome> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ aggregateId, command, context }: ExecuteCollaborationCommand): Promise<CommandOutcome> {
    return this.executor.execute(StreamCategory.collaboration, aggregateId, collaborationDecider, command, context);
  }
}
