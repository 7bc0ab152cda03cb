import { describe, expect, it } from '@jest/globals';
import { type Decider, type DomainCommand, type DomainEvent } from './decider.js';
import { given } from './decider-spec.js';
import { DomainError, NotFoundError } from './domain-error.js';

type Counted = DomainEvent<'Counted', { by: number }>;
type Count = DomainCommand<'Count', { by: number }>;

/** A tiny decider to show the helper's spec can fail. */
const counter: Decider<Count, Counted, { total: number }> = {
  initialState: () => ({ total: 0 }),
  evolve: (state, event) => ({ total: state.total + event.data.by }),
  decide: (command, state) => {
    if (command.data.by === 0) throw new DomainError('counter.zero', 'count by something');
    if (state.total > 10) throw new NotFoundError('counter', 'x');
    return [{ type: 'Counted', data: { by: command.data.by } }];
  },
};
const count = (by: number): Count => ({ type: 'Count', data: { by }, occurredAt: '2019-01-01T00:00:00.000Z' });
const counted = (by: number): Counted => ({ type: 'Counted', data: { by } });

describe('given/when/then', () => {
  it('passes when the events match and fails when they do not', () => {
    given(counter, [counted(1)]).when(count(2)).then([counted(2)]);
    expect(() => given(counter, []).when(count(2)).then([counted(3)])).toThrow();
    expect(() => given(counter, []).when(count(0)).then([counted(0)])).toThrow('count by something');
  });

  it('passes when the rule matches and fails on another rule, another class or no error', () => {
    given(counter, []).when(count(0)).thenThrows('counter.zero');
    given(counter, [counted(11)]).when(count(1)).thenThrows('counter.not-found', NotFoundError);
    expect(() => given(counter, []).when(count(0)).thenThrows('counter.other')).toThrow();
    expect(() => given(counter, []).when(count(0)).thenThrows('counter.zero', NotFoundError)).toThrow();
    expect(() => given(counter, []).when(count(1)).thenThrows('counter.zero')).toThrow();
  });

  it('folds the given events into state', () => {
    expect(given(counter, [counted(1), counted(2)]).state()).toEqual({ total: 3 });
  });

  it('freezes state so a mutating decider fails', () => {
    const mutating: Decider<Count, Counted, { total: number }> = {
      ...counter,
      decide: (command, state) => {
        state.total += command.data.by;
        return [];
      },
    };
    expect(() => given(mutating, [counted(1)]).when(count(1)).then([])).toThrow(TypeError);
  });
});
