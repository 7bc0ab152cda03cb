import { describe, expect, it } from '@jest/globals';
import { isBusinessTime, parseInstant, toIso } from './time.js';

describe('business time', () => {
  it('reads a bare date as midnight in Oslo (winter, CET)', () => {
    expect(toIso(parseInstant('2019-01-01', 'start')!)).toBe('2018-12-31T23:00:00.000Z');
  });
  it('reads a bare date as midnight in Oslo (summer, CEST)', () => {
    expect(toIso(parseInstant('2019-07-01', 'start')!)).toBe('2019-06-30T22:00:00.000Z');
  });
  it('reads the end of a day for asOf', () => {
    expect(toIso(parseInstant('2018-12-31', 'end')!)).toBe('2018-12-31T22:59:59.999Z');
  });
  it('handles the day clocks go forward', () => {
    expect(toIso(parseInstant('2019-03-31', 'start')!)).toBe('2019-03-30T23:00:00.000Z');
    expect(toIso(parseInstant('2019-03-31', 'end')!)).toBe('2019-03-31T21:59:59.999Z');
  });
  it('accepts date-times with offsets', () => {
    expect(toIso(parseInstant('2019-03-01T10:00:00+01:00', 'start')!)).toBe('2019-03-01T09:00:00.000Z');
    expect(toIso(parseInstant('2019-03-01T10:00:00.5Z', 'start')!)).toBe('2019-03-01T10:00:00.500Z');
  });
  it('rejects impossible or ambiguous values', () => {
    for (const bad of ['2019-02-30', '2019-13-01', '2019-03-01T10:00:00', 'yesterday', '', '2019-1-1', '2019-02-30T10:00Z']) {
      expect(isBusinessTime(bad)).toBe(false);
    }
  });
});
