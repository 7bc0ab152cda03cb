import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { streamName, USER_STREAM_CATEGORY } from '#domain';
import { EventStore, ExpectedVersionConflict, type Actor, type CommandContext } from '#event-store';
import type { AggregateCommand } from '../commands/aggregate-command.js';
import { ExecuteCollaborationCommand } from '../collaborations/collaboration.commands.js';
import { AppConfig } from '../config/app-config.js';
import { ExecuteGatheringCommand } from '../gatherings/gathering.commands.js';
import { parseInstant, toIso } from '../http/time.js';
import { ExecuteNetworkCommand } from '../networks/network.commands.js';
import { ExecuteOrganisationCommand } from '../organisations/organisation.commands.js';
import { ExecutePersonCommand } from '../people/person.commands.js';
import { DEMO_STEPS, demoId, type DemoStep } from './demo-workspace.js';

/** Who writes the demo. */
export const DEMO_ACTOR: Actor = { id: 'system', role: 'system' };

/** Metadata `source` of every demo event. */
export const DEMO_SOURCE = 'demo';

/** Groups every event of the demo as one action. */
const DEMO_CORRELATION_ID = demoId('load');

/** What a load attempt did. */
export type DemoLoadResult =
  | { status: 'loaded'; events: number }
  | { status: 'skipped'; reason: 'store-not-empty' | 'loaded-elsewhere' };

/** Business time of a step as ISO 8601 UTC (a bare date is 00:00 Europe/Oslo). */
export function demoBusinessTime(value: string): string {
  const instant = parseInstant(value, 'start');
  if (instant === null) throw new Error(`Demo workspace: bad business time ${value}`);
  return toIso(instant);
}

function busCommand(step: DemoStep, context: CommandContext): AggregateCommand<unknown> {
  const occurredAt = context.occurredAt;
  switch (step.aggregate) {
    case 'organisation':
      return new ExecuteOrganisationCommand(step.id, { ...step.command, occurredAt }, context);
    case 'person':
      return new ExecutePersonCommand(step.id, { ...step.command, occurredAt }, context);
    case 'collaboration':
      return new ExecuteCollaborationCommand(step.id, { ...step.command, occurredAt }, context);
    case 'network':
      return new ExecuteNetworkCommand(step.id, { ...step.command, occurredAt }, context);
    case 'gathering':
      return new ExecuteGatheringCommand(step.id, { ...step.command, occurredAt }, context);
  }
}

/**
 * Loads the demo workspace into an empty store at start (unless `TRACKER_DEMO=0`), through the command bus
 * and the same handlers the API uses.
 *
 * Two instances starting on one store load it once: every command carries the exact stream version the
 * demo expects (0 for a new stream) and deterministic event ids. An instance that finds a stream already
 * written stops quietly; one that races to the same append has it deduplicated by event id.
 */
@Injectable()
export class DemoLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger('Demo');

  constructor(
    private readonly config: AppConfig,
    private readonly store: EventStore,
    private readonly commands: CommandBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.loadDemo) await this.loadIfEmpty();
  }

  /**
   * Loads the demo when the store holds no workspace event yet. User accounts do not count: on a fresh install
   * the first staff user is registered before the demo loads.
   */
  async loadIfEmpty(): Promise<DemoLoadResult> {
    if (await this.holdsWorkspaceEvents()) return { status: 'skipped', reason: 'store-not-empty' };
    return this.load();
  }

  private async holdsWorkspaceEvents(): Promise<boolean> {
    if ((await this.store.headPosition()) === 0) return false;
    for await (const batch of this.store.readAll({ batchSize: 100 })) {
      if (batch.some((event) => !event.streamId.startsWith(`${USER_STREAM_CATEGORY}-`))) return true;
    }
    return false;
  }

  /** Sends the demo's commands; stops quietly when another instance has written (part of) it already. */
  async load(): Promise<DemoLoadResult> {
    const versions = new Map<string, number>();
    let events = 0;
    for (const step of DEMO_STEPS) {
      const stream = streamName(step.aggregate, step.id);
      const expectedVersion = versions.get(stream) ?? 0;
      const context: CommandContext = {
        actor: DEMO_ACTOR,
        occurredAt: demoBusinessTime(step.occurredAt),
        correlationId: DEMO_CORRELATION_ID,
        causationId: demoId(`command/${stream}/${expectedVersion}`),
        source: DEMO_SOURCE,
        eventId: (index) => demoId(`event/${stream}/${expectedVersion + index + 1}`),
        expectedVersion,
      };
      try {
        const outcome = await this.commands.execute(busCommand(step, context));
        versions.set(stream, outcome.version);
        events += outcome.version - expectedVersion;
      } catch (error) {
        if (!(error instanceof ExpectedVersionConflict)) throw error;
        this.logger.log('Demo workspace not loaded: another instance has loaded it');
        return { status: 'skipped', reason: 'loaded-elsewhere' };
      }
    }
    this.logger.log(`Demo workspace loaded: ${events} events`);
    return { status: 'loaded', events };
  }
}

