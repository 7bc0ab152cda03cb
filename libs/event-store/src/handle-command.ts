import type { Actor, EventToAppend } from './envelope.js';
import { ExpectedVersionConflict, EventStoreError } from './errors.js';
import type { EventStore } from './event-store.port.js';

/** The shape of a pure decider, as libs/domain defines it. */
export interface DeciderShape<Command, Event extends { type: string }, State> {
  initialState: () => State;
  evolve: (state: State, event: Event) => State;
  decide: (command: Command, state: State) => readonly Event[];
}

/** Everything that comes in with a command besides its data: who, when, why, and how ids are made. */
export interface CommandContext {
  actor: Actor;
  /** Business time of the resulting events, ISO 8601 UTC. */
  occurredAt: string;
  correlationId: string;
  causationId: string | null;
  source: string;
  /** Id for the n-th event of this command (deterministic for idempotency-keyed commands). */
  eventId: (index: number) => string;
  /** Exact expected version (e.g. from If-Match). When absent, conflicts are retried. */
  expectedVersion?: number;
  maxRetries?: number;
}

export interface CommandResult<Event, State> {
  events: Event[];
  eventIds: string[];
  state: State;
  /** Stream version after the command. */
  version: number;
  position: number;
}

/** Concurrent writers kept winning until the retry budget ran out. */
export class ConcurrencyRetriesExhausted extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly attempts: number,
  ) {
    super(`Stream ${streamId}: gave up after ${attempts} concurrent modifications`);
  }
}

type WithSchema = { type: string; data: unknown; schemaVersion?: number };

/**
 * Read the stream, fold it with `evolve`, `decide`, and append with the version read.
 * On a conflict the whole cycle is retried (bounded) unless the caller gave an exact expected version.
 */
export async function handleCommand<Command, Event extends WithSchema, State>(
  store: EventStore,
  streamId: string,
  decider: DeciderShape<Command, Event, State>,
  command: Command,
  context: CommandContext,
): Promise<CommandResult<Event, State>> {
  const maxAttempts = context.expectedVersion === undefined ? (context.maxRetries ?? 5) + 1 : 1;
  for (let attempt = 1; ; attempt++) {
    const history = await store.readStream(streamId);
    const state = history.reduce((s, e) => decider.evolve(s, e as unknown as Event), decider.initialState());
    const version = history.length;
    if (context.expectedVersion !== undefined && context.expectedVersion !== version) {
      throw new ExpectedVersionConflict(streamId, context.expectedVersion, version);
    }
    const events = [...decider.decide(command, state)];
    if (events.length === 0) {
      return { events, eventIds: [], state, version, position: history.at(-1)?.position ?? 0 };
    }
    const toAppend = events.map((event, index) => envelope(event, index, context));
    try {
      const result = await store.appendToStream(streamId, toAppend, { expectedVersion: version });
      const newState = events.reduce(decider.evolve, state);
      return {
        events,
        eventIds: toAppend.map((e) => e.eventId),
        state: newState,
        version: result.nextExpectedVersion,
        position: result.position,
      };
    } catch (error) {
      if (!(error instanceof ExpectedVersionConflict)) throw error;
      if (attempt >= maxAttempts) {
        if (context.expectedVersion !== undefined) throw error;
        throw new ConcurrencyRetriesExhausted(streamId, attempt);
      }
    }
  }
}

function envelope(event: WithSchema, index: number, context: CommandContext): EventToAppend {
  return {
    eventId: context.eventId(index),
    type: event.type,
    data: event.data,
    metadata: {
      correlationId: context.correlationId,
      causationId: context.causationId,
      actor: context.actor,
      occurredAt: context.occurredAt,
      schemaVersion: event.schemaVersion ?? 1,
      source: context.source,
    },
  };
}
