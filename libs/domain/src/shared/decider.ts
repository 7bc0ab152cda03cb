/** A domain event as deciders produce it: a stable past-tense type and plain JSON data. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
  /** Schema version of `data`; 1 when absent. */
  schemaVersion?: number;
}

/** A command as deciders take it: time and ids come in with the command, never from a clock. */
export interface DomainCommand<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
  /** Business time of the command, ISO 8601 UTC. */
  occurredAt: string;
}

/** A pure decider: `decide` throws a DomainError on a rule violation, `evolve` folds events into state. */
export interface Decider<Command, Event extends DomainEvent, State> {
  initialState: () => State;
  evolve: (state: State, event: Event) => State;
  decide: (command: Command, state: State) => Event[];
}

/** Exhaustiveness guard for `switch` statements over discriminated unions. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
