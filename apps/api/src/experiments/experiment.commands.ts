import type { ExperimentCommand } from '#domain';
import { AggregateCommand } from '../commands/aggregate-command.js';

/** An experiment command on its way through the command bus. */
export class ExecuteExperimentCommand extends AggregateCommand<ExperimentCommand> {}
