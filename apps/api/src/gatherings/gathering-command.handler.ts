import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { gatheringDecider, StreamCategory } from '#domain';
import type { CommandOutcome } from '../commands/aggregate-command.js';
import { CommandExecutor } from '../commands/command-executor.js';
import { ExecuteGatheringCommand } from './gathering.commands.js';

@CommandHandler(ExecuteGatheringCommand)
export class GatheringCommandHandler implements ICommandHandler<ExecuteGatheringCommand, CommandOutcome> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ aggregateId, command, context }: ExecuteGatheringCommand): Promise<CommandOutcome> {
    return this.executor.execute(StreamCategory.gathering, aggregateId, gatheringDecider, command, context);
  }
}
