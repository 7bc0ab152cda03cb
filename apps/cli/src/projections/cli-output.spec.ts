import { describe, expect, it } from '@jest/globals';
import type { StoredProjectionStatus } from '#projections';
import { formatDuration, formatProgress, ProgressBar } from './progress-bar.js';
import { formatStatusTable } from './status-table.js';

describe('projections status table', () => {
  it('lines up name, version, state, checkpoint, lag and the park or lease', () => {
    const rows: StoredProjectionStatus[] = [
      { name: 'experiment-timeline', version: 1, storedVersion: 1, state: 'running', checkpoint: 120, lag: 0 },
      {
        name: 'catalogue',
        version: 2,
        storedVersion: 1,
        state: 'parked',
        checkpoint: 99,
        lag: 21,
        parked: { eventId: 'e-100', position: 100, error: 'no such column' },
      },
      {
        name: 'audit',
        version: 1,
        storedVersion: 1,
        state: 'rebuilding',
        checkpoint: 5,
        lag: null,
        lease: { name: 'audit', holder: 'rebuild:host:42', expiresAt: Date.parse('2030-01-01T00:00:00Z') },
      },
    ];
    expect(formatStatusTable(rows).split('\n')).toEqual([
      'NAME                 VERSION       STATE       CHECKPOINT  LAG  PARKED AT / NOTE',
      'experiment-timeline  1             running     120         0',
      'catalogue            2 (stored 1)  parked      99          21   position 100, event e-100: no such column',
      'audit                1             rebuilding  5           ?    leased by rebuild:host:42 until 2030-01-01T00:00:00.000Z',
    ]);
  });
});

describe('rebuild progress', () => {
  const progress = { projection: 'catalogue', phase: 'replay' as const, position: 4500, head: 10_000, events: 4500, elapsedMs: 500 };

  it('shows percentage, counts, rate and ETA, with a bar on a terminal only', () => {
    expect(formatProgress(progress, false)).toBe(
      'catalogue   45%  4,500/10,000  (4,500 events read)  9,000 events/s  ETA 611ms',
    );
    expect(formatProgress(progress, true)).toContain('[###########-------------]');
    expect(formatDuration(0.25)).toBe('250ms');
    expect(formatDuration(12.4)).toBe('12s');
    expect(formatDuration(185)).toBe('3m05s');
  });

  it('redraws in place on a terminal and writes at most a line a second otherwise', () => {
    let now = 0;
    const tty: string[] = [];
    const bar = new ProgressBar({ isTTY: true, write: (t: string) => tty.push(t) }, () => now);
    bar.update(progress);
    now += 50;
    bar.update(progress);
    now += 100;
    bar.update({ ...progress, phase: 'done' });
    bar.finish();
    expect(tty).toHaveLength(3);
    expect(tty[0].startsWith('\rcatalogue  [')).toBe(true);
    expect(tty[1]).toContain('done in 500ms');
    expect(tty[2]).toBe('\n');

    const plain: string[] = [];
    const log = new ProgressBar({ write: (t: string) => plain.push(t) }, () => now);
    for (let i = 0; i < 5; i++) {
      log.update(progress);
      now += 300;
    }
    log.update({ ...progress, phase: 'flip' });
    expect(plain).toHaveLength(3);
    expect(plain.every((line) => line.endsWith('\n') && !line.includes('['))).toBe(true);
    expect(plain[2]).toContain('swapping in');
  });
});
