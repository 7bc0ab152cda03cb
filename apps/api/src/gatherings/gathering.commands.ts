import type { GatheringCommand } from '#domain';
import { AggregateCommand } from '../commands/aggregate-command.js';

/** A gathering command on its way through the command bus. */
export class ExecuteGatheringCommand extends AggregateCommand<GatheringCommand> {}
