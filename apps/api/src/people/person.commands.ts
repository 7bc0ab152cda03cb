import type { PersonCommand } from '#domain';
import { AggregateCommand } from '../commands/aggregate-command.js';

/** A person command on its way through the command bus. */
export class ExecutePersonCommand extends AggregateCommand<PersonCommand> {}
