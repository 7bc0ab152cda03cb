import { describe, expect, it } from '@jest/globals';
import { UsageError } from '../tracker-context.js';
import { learningSummarySpec } from './learning-summary-request.js';

describe('report learning-summary options', () => {
  it('become the query the API builds for the same parameters', () => {
    expect(learningSummarySpec({})).toEqual({
      report: 'learning-summary',
      format: 'md',
      lang: 'en',
      input: { filters: { from: null, to: null, theme: null, collaborationId: null } },
    });
    expect(
      learningSummarySpec({
        from: '2019-01-01',
        to: '2019-06-30',
        theme: ' Mobility ',
        collaboration: '0192F000-0000-7000-8000-000000000001',
        format: 'pdf',
        lang: 'nb',
        atPosition: '42',
      }),
    ).toEqual({
      report: 'learning-summary',
      format: 'pdf',
      lang: 'nb',
      atPosition: 42,
      input: {
        filters: { from: '2019-01-01', to: '2019-06-30', theme: 'Mobility', collaborationId: '0192f000-0000-7000-8000-000000000001' },
        // Bare dates are Oslo days: from its first millisecond to its last.
        occurredFrom: '2018-12-31T23:00:00.000Z',
        occurredTo: '2019-06-30T21:59:59.999Z',
      },
    });
  });

  it('are refused with the option named', () => {
    expect(() => learningSummarySpec({ atPosition: '-1', lang: 'de' })).toThrow(UsageError);
    expect(() => learningSummarySpec({ atPosition: '-1', lang: 'de' })).toThrow(
      /^--at-position: atPosition must be a global position \(a whole number\); --lang: lang must be one of the following values: nb, en$/,
    );
    expect(() => learningSummarySpec({ from: '2019-02-01', to: '2019-01-01' })).toThrow(/^--to: to must not be before from$/);
    expect(() => learningSummarySpec({ theme: '   ' })).toThrow(/--theme: theme must not be blank/);
  });
});
