import { describe, expect, it } from '@jest/globals';
import { DomainError } from './domain-error.js';
import { eventTypeList } from './event-types.js';
import { isBefore, normaliseThemes, optionalText, requireCount, requireText } from './guards.js';

describe('guards', () => {
  it('requireText trims and refuses blank text with a field rule', () => {
    expect(requireText('experiment', 'title', '  Tool library ')).toBe('Tool library');
    expect(() => requireText('experiment', 'success-criteria', ' \n')).toThrow(DomainError);
    try {
      requireText('experiment', 'success-criteria', '');
    } catch (error) {
      expect((error as DomainError).rule).toBe('experiment.success-criteria-required');
    }
  });

  it('optionalText turns absent and blank into null', () => {
    expect(optionalText(undefined)).toBeNull();
    expect(optionalText(null)).toBeNull();
    expect(optionalText('  ')).toBeNull();
    expect(optionalText(' x ')).toBe('x');
  });

  it('normaliseThemes trims, drops blanks and duplicates ignoring case, keeping the first spelling', () => {
    expect(normaliseThemes([' Climate', 'climate ', '', 'Mobility', 'CLIMATE'])).toEqual(['Climate', 'Mobility']);
    expect(normaliseThemes(undefined)).toEqual([]);
  });

  it('requireCount accepts whole numbers from 0', () => {
    expect(requireCount('network', 'members', 0)).toBe(0);
    for (const bad of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => requireCount('network', 'members', bad)).toThrow('members must be a whole number');
    }
  });

  describe('isBefore', () => {
    it.each([
      ['2019-01-14T23:59:59.999Z', '2019-01-15T00:00:00.000Z', true],
      ['2019-01-15T00:00:00.000Z', '2019-01-15T00:00:00.000Z', false],
      ['2019-01-15T00:00:00Z', '2019-01-15T00:00:00.000Z', false],
      ['2019-01-15T00:00:00.000Z', '2019-01-15T00:00:00Z', false],
      ['2019-01-15T00:00:00.5Z', '2019-01-15T00:00:01Z', true],
      ['2019-01-15T10:00Z', '2019-01-15T09:59:59.999Z', false],
      ['2018-12-31', '2019-01-01', true],
      ['2019-01-01', '2019-01-01', false],
      ['2019-01-01', '2019-01-01T10:00:00.000Z', true],
      ['2020-01-01', '2019-12-31T23:00:00.000Z', false],
    ])('%s before %s: %s', (a, b, expected) => {
      expect(isBefore(a, b)).toBe(expected);
    });
  });

  it('eventTypeList only compiles with every type named', () => {
    type T = 'A' | 'B';
    expect(eventTypeList<T>()(['A', 'B'])).toEqual(['A', 'B']);
    // @ts-expect-error 'B' is missing
    eventTypeList<T>()(['A']);
  });
});
