import type { CollaborationCommand } from '#domain';
import { AggregateCommand } from '../commands/aggregate-command.js';

/** A collaboration command on its way through the command bus. */
export class ExecuteCollaborationCommand extends AggregateCommand<CollaborationCommand> {}
