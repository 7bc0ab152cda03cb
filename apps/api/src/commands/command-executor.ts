import { Injectable } from '@nestjs/common';
import { streamName, type Decider, type DomainEvent, type StreamCategory } from '#domain';
import { EventStore, handleCommand, type CommandContext } from '#event-store';
import { ProjectionRunner } from '#projections';
import type { CommandOutcome } from './aggregate-command.js';

/** How long a command waits for the read models to include its events, so the caller reads its own write. */
const READ_YOUR_WRITES_MS = 2000;

/** Runs domain commands against aggregate streams: read, fold, decide, append. */
@Injectable()
export class CommandExecutor {
  constructor(
    private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
  ) {}

  async execute<C, E extends DomainEvent, S>(
    category: StreamCategory,
    id: string,
    decider: Decider<C, E, S>,
    command: C,
    context: CommandContext,
  ): Promise<CommandOutcome> {
    const result = await handleCommand(this.store, streamName(category, id), decider, command, context);
    if (result.eventIds.length > 0) await this.runner.waitFor(result.position, READ_YOUR_WRITES_MS);
    return { id, version: result.version, position: result.position };
  }

  /** Decides without appending: throws the DomainError the command would raise now. */
  async check<C, E extends DomainEvent, S>(category: StreamCategory, id: string, decider: Decider<C, E, S>, command: C): Promise<void> {
    const history = await this.store.readStream(streamName(category, id));
    const state = history.reduce((s, e) => decider.evolve(s, e as unknown as E), decider.initialState());
    decider.decide(command, state);
  }
}
