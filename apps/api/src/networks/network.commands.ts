import type { NetworkCommand } from '#domain';
import { AggregateCommand } from '../commands/aggregate-command.js';

/** A network command on its way through the command bus. */
export class ExecuteNetworkCommand extends AggregateCommand<NetworkCommand> {}
