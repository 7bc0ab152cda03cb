import { describe, expect, it } from '@jest/globals';
import { displayText, formatDate, formatNumber, isLang, quoted } from './locale-format.js';

describe('locale formatting without Intl', () => {
  it('groups thousands and writes decimals per language', () => {
    expect(formatNumber('en', 1234.5)).toBe('1,234.5');
    expect(formatNumber('nb', 1234.5)).toBe('1\u00a0234,5');
    expect(formatNumber('en', 1234567890)).toBe('1,234,567,890');
    expect(formatNumber('nb', 999)).toBe('999');
    expect(formatNumber('en', 0)).toBe('0');
    expect(formatNumber('en', 0.1 + 0.2)).toBe('0.3');
  });

  it('rounds to six fraction digits and drops trailing zeros', () => {
    expect(formatNumber('en', 1.23456789)).toBe('1.234568');
    expect(formatNumber('nb', 2.5)).toBe('2,5');
    expect(formatNumber('en', 1e-9)).toBe('0');
  });

  it('writes negatives with a hyphen (en) or a minus sign (nb), never a negative zero', () => {
    expect(formatNumber('en', -1234.5)).toBe('-1,234.5');
    expect(formatNumber('nb', -1234.5)).toBe('\u22121\u00a0234,5');
    expect(formatNumber('en', -0)).toBe('0');
    expect(formatNumber('nb', -1e-9)).toBe('0');
  });

  it('gives ? for what is not a finite number and exponent notation beyond 1e21', () => {
    expect(formatNumber('en', Number.NaN)).toBe('?');
    expect(formatNumber('nb', Number.POSITIVE_INFINITY)).toBe('?');
    expect(formatNumber('en', 1e22)).toBe('1e+22');
    expect(formatNumber('nb', -1e22)).toBe('\u22121e+22');
  });

  it('writes calendar dates in words and leaves anything else as it is', () => {
    expect(formatDate('en', '2019-01-01')).toBe('1 January 2019');
    expect(formatDate('nb', '2019-12-31')).toBe('31. desember 2019');
    expect(formatDate('en', '2019')).toBe('2019');
    expect(formatDate('nb', '2019-13-01')).toBe('2019-13-01');
  });

  it('flattens and cuts text, and quotes per language', () => {
    expect(displayText('  a\n\tb  ')).toBe('a b');
    expect(displayText(42)).toBe('42');
    expect(displayText({})).toBe('');
    expect(displayText('x'.repeat(300))).toHaveLength(200);
    expect(quoted('en', 'a')).toBe('"a"');
    expect(quoted('nb', 'a')).toBe('«a»');
    expect(isLang('nb')).toBe(true);
    expect(isLang('sv')).toBe(false);
  });
});
