import type { OrganisationCommand } from '#domain';
import { AggregateCommand } from '../commands/aggregate-command.js';

/** A organisation command on its way through the command bus. */
export class ExecuteOrganisationCommand extends AggregateCommand<OrganisationCommand> {}
