import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { personDecider, StreamCategory } from '#domain';
import type { CommandOutcome } from '../commands/aggregate-command.js';
import { CommandExecutor } from '../commands/command-executor.js';
import { ExecutePersonCommand } from './person.commands.js';

@CommandHandler(ExecutePersonCommand)
export class PersonCommandHandler implements ICommandHandler<ExecutePersonCommand, CommandOutcome> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ aggregateId, command, context }: ExecutePersonCommand): Promise<CommandOutcome> {
    return this.executor.execute(StreamCategory.person, aggregateId, personDecider, command, context);
  }
}
