import { describe, expect, it } from '@jest/globals';
import { en } from './en.js';
import { formatDate, translate } from './messages.js';
import { nb } from './nb.js';

describe('message catalogues', () => {
  it('hold the same keys and the same placeholders in both languages', () => {
    expect(Object.keys(nb).sort()).toEqual(Object.keys(en).sort());
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(en) as Array<keyof typeof en>) expect([key, placeholders(nb[key])]).toEqual([key, placeholders(en[key])]);
  });

  it('fill placeholders and write dates the way each language does', () => {
    expect(translate('nb', 'common.due', { date: 'i morgen' })).toBe('frist i morgen');
    expect(formatDate('en', '2019-03-14')).toBe('14 Mar 2019');
    expect(formatDate('nb', '2019-03-14')).toBe('14. mars 2019');
  });
});
