import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { dataSubjectName, DomainError, personDecider, StreamCategory } from '#domain';
import { PersonalDataKeys } from '#event-store';
import type { CommandOutcome } from '../commands/aggregate-command.js';
import { CommandExecutor } from '../commands/command-executor.js';
import { ExecutePersonCommand } from './person.commands.js';

/**
 * Person commands. Forgetting records PersonForgotten (which names no personal data), then destroys the person's
 * key, so every personal field stored for them reads as forgotten from then on. A forgetting that was recorded but
 * whose key survived (the process stopped in between) is completed by forgetting again (422
 * `person.already-forgotten`, key destroyed).
 */
@CommandHandler(ExecutePersonCommand)
export class PersonCommandHandler implements ICommandHandler<ExecutePersonCommand, CommandOutcome> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly keys: PersonalDataKeys,
  ) {}

  async execute({ aggregateId, command, context }: ExecutePersonCommand): Promise<CommandOutcome> {
    if (command.type !== 'ForgetPerson') {
      return this.executor.execute(StreamCategory.person, aggregateId, personDecider, command, context);
    }
    const subject = dataSubjectName('person', aggregateId);
    try {
      const outcome = await this.executor.execute(StreamCategory.person, aggregateId, personDecider, command, context);
      await this.keys.forget(subject);
      return outcome;
    } catch (error) {
      if (error instanceof DomainError && error.rule === 'person.already-forgotten') await this.keys.forget(subject);
      throw error;
    }
  }
}
