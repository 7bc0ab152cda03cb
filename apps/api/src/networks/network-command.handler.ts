import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { networkDecider, StreamCategory } from '#domain';
import type { CommandOutcome } from '../commands/aggregate-command.js';
import { CommandExecutor } from '../commands/command-executor.js';
import { ExecuteNetworkCommand } from './network.commands.js';

@CommandHandler(ExecuteNetworkCommand)
export class NetworkCommandHandler implements ICommandHandler<ExecuteNetworkCommand, CommandOutcome> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ aggregateId, command, context }: ExecuteNetworkCommand): Promise<CommandOutcome> {
    return this.executor.execute(StreamCategory.network, aggregateId, networkDecider, command, context);
  }
}
