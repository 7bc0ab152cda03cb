import { describe, expect, it } from '@jest/globals';
import { compareText, formatCount, longDate, osloDate, osloOffsetHours } from './format.js';

describe('report formatting', () => {
  it('dates instants in Oslo time across the summer-time changes', () => {
    expect(osloDate('2018-10-31T23:00:00.000Z')).toBe('2018-11-01');
    expect(osloDate('2019-06-30T21:59:59.999Z')).toBe('2019-06-30');
    expect(osloDate('2019-06-30T22:00:00.000Z')).toBe('2019-07-01');
    // summer time 2019: 31 March 01:00 UTC to 27 October 01:00 UTC
    expect(osloOffsetHours(Date.parse('2019-03-31T00:59:59Z'))).toBe(1);
    expect(osloOffsetHours(Date.parse('2019-03-31T01:00:00Z'))).toBe(2);
    expect(osloOffsetHours(Date.parse('2019-10-27T00:59:59Z'))).toBe(2);
    expect(osloOffsetHours(Date.parse('2019-10-27T01:00:00Z'))).toBe(1);
    expect(osloDate('2019-03-30T23:30:00.000Z')).toBe('2019-03-31');
    expect(osloDate('2019-12-31T23:00:00Z')).toBe('2020-01-01');
  });

  it('leaves dates and periods as they are', () => {
    expect(osloDate('2019-01-01')).toBe('2019-01-01');
    expect(osloDate('2019')).toBe('2019');
    expect(osloDate('2019-Q3')).toBe('2019-Q3');
  });

  it('writes long dates from its own month names', () => {
    expect(longDate('2019-01-01', 'en')).toBe('1 January 2019');
    expect(longDate('2019-01-01', 'nb')).toBe('1. januar 2019');
    expect(longDate('2018-10-31T23:00:00.000Z', 'nb')).toBe('1. november 2018');
    expect(longDate('2019-12-31', 'en')).toBe('31 December 2019');
    expect(longDate('2019', 'en')).toBe('2019');
  });

  it('groups thousands without Intl', () => {
    expect(formatCount(0, 'en')).toBe('0');
    expect(formatCount(1234567, 'en')).toBe('1,234,567');
    expect(formatCount(1234, 'nb')).toBe('1\u00a0234');
    expect(formatCount(-1000, 'en')).toBe('-1,000');
  });

  it('orders text by code points after folding case', () => {
    expect(['b', 'Å', 'a', 'Z', 'æ'].sort(compareText)).toEqual(['a', 'b', 'Z', 'Å', 'æ']);
    expect(compareText('A', 'a')).toBeLessThan(0);
  });
});
