import { expect } from '@jest/globals';
import type { Decider, DomainEvent } from './decider.js';
import { DomainError } from './domain-error.js';

/** Freezes a value deeply, so a decider that mutates its state or events fails the spec. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** What `given(...).when(command)` can assert. */
export interface WhenClause<Event> {
  /** The command yields exactly these events (and they fold without error). */
  then(expected: Event[]): void;
  /** The command is refused with a DomainError naming `rule` (and, if given, of the given class). */
  thenThrows(rule: string, errorClass?: new (...args: never[]) => DomainError): void;
}

/** What `given(decider, events)` offers. */
export interface GivenClause<Command, Event, State> {
  when(command: Command): WhenClause<Event>;
  /** The state folded from the given events. */
  state(): State;
}

/**
 * Given/when/then for deciders, for specs only:
 * `given(decider, [designed]).when(start).then([started])` or `.thenThrows('experiment.not-running')`.
 */
export function given<Command, Event extends DomainEvent, State>(
  decider: Decider<Command, Event, State>,
  events: Event[],
): GivenClause<Command, Event, State> {
  const fold = () => deepFreeze(deepFreeze(events).reduce(decider.evolve, decider.initialState()));
  return {
    state: fold,
    when(command) {
      const state = fold();
      deepFreeze(command);
      return {
        then(expected) {
          const actual = decider.decide(command, state);
          expect(actual).toEqual(expected);
          actual.reduce(decider.evolve, state);
        },
        thenThrows(rule, errorClass = DomainError) {
          let caught: unknown;
          try {
            decider.decide(command, state);
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(errorClass);
          expect((caught as DomainError).rule).toBe(rule);
        },
      };
    },
  };
}
