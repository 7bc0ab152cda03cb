import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '#event-store';

/** What every command returns to its caller. */
export interface CommandOutcome {
  id: string;
  /** Stream version after the command (the entity's ETag). */
  version: number;
  /** Global position of the last appended event (0 when nothing was appended). */
  position: number;
}

/**
 * A domain command addressed to one aggregate instance, with its request context.
 * Subclasses exist per aggregate so the command bus routes them to that aggregate's handler.
 */
export abstract class AggregateCommand<DomainCommand> extends Command<CommandOutcome> {
  constructor(
    readonly aggregateId: string,
    readonly command: DomainCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}
