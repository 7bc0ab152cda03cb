import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { collaborationDecider, experimentDecider, networkDecider, StreamCategory, type DesignExperiment } from '#domain';
import type { CommandContext } from '#event-store';
import type { CommandOutcome } from '../commands/aggregate-command.js';
import { CommandExecutor } from '../commands/command-executor.js';
import { EntityReferences } from '../commands/entity-references.js';
import { ExecuteExperimentCommand } from './experiment.commands.js';

/**
 * Handles every experiment command. Designing an experiment within a collaboration or network also attaches
 * it there; the attachment is checked before anything is written, so a refused attachment writes nothing.
 */
@CommandHandler(ExecuteExperimentCommand)
export class ExperimentCommandHandler implements ICommandHandler<ExecuteExperimentCommand, CommandOutcome> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly references: EntityReferences,
  ) {}

  async execute({ aggregateId, command, context }: ExecuteExperimentCommand): Promise<CommandOutcome> {
    if (command.type === 'ReviseTestCard') {
      await this.references.require(StreamCategory.experiment, aggregateId, { person: command.data.leadId });
    }
    if (command.type !== 'DesignExperiment') {
      return this.executor.execute(StreamCategory.experiment, aggregateId, experimentDecider, command, context);
    }
    const { leadId, collaborationId, networkId } = command.data;
    await this.references.require(StreamCategory.experiment, null, {
      person: leadId,
      collaboration: collaborationId,
      network: networkId,
    });
    const attachments = this.attachmentsOf(command);
    for (const attach of attachments) await attach.check();
    const outcome = await this.executor.execute(StreamCategory.experiment, aggregateId, experimentDecider, command, context);
    for (const [i, attach] of attachments.entries()) await attach.run(this.followUp(context, i + 1));
    return outcome;
  }

  private attachmentsOf(command: DesignExperiment) {
    const { experimentId, collaborationId, networkId } = command.data;
    const occurredAt = command.occurredAt;
    const steps: Array<{ check: () => Promise<void>; run: (context: CommandContext) => Promise<unknown> }> = [];
    if (collaborationId) {
      const attach = {
        type: 'AttachExperimentToCollaboration' as const,
        data: { collaborationId, experimentId },
        occurredAt,
      };
      steps.push({
        check: () => this.executor.check(StreamCategory.collaboration, collaborationId, collaborationDecider, attach),
        run: (context) => this.executor.execute(StreamCategory.collaboration, collaborationId, collaborationDecider, attach, context),
      });
    }
    if (networkId) {
      const attach = { type: 'AttachExperimentToNetwork' as const, data: { networkId, experimentId }, occurredAt };
      steps.push({
        check: () => this.executor.check(StreamCategory.network, networkId, networkDecider, attach),
        run: (context) => this.executor.execute(StreamCategory.network, networkId, networkDecider, attach, context),
      });
    }
    return steps;
  }

  /** Context for a command caused by this one: same correlation, ids derived apart from the first command's. */
  private followUp(context: CommandContext, nth: number): CommandContext {
    const offset = 1000 * nth;
    return { ...context, expectedVersion: undefined, eventId: (index) => context.eventId(offset + index) };
  }
}
