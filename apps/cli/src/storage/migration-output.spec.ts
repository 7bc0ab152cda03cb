import { describe, expect, it } from '@jest/globals';
import type { MigrationSummary } from '#event-store';
import { formatMigrationProgress, formatMigrationSummary, MigrationProgressLine } from './migration-output.js';
import { formatBytes } from './storage-output.js';

const summary: MigrationSummary = {
  copied: 9000,
  skipped: 1000,
  earlier: 0,
  streams: 321,
  hashesKept: 9000,
  hashesChanged: 0,
  firstHashChange: null,
  startPosition: 0,
  position: 10_000,
  head: 10_000,
  durationMs: 2500,
};

describe('migrate output', () => {
  it('shows progress by position, with counts, rate and ETA', () => {
    expect(formatMigrationProgress({ position: 4500, startPosition: 0, head: 10_000, copied: 4400, skipped: 100, elapsedMs: 1500 })).toBe(
      'migrate   45%  position 4,500/10,000  4,400 copied  100 already present  3,000 events/s  ETA 2s',
    );
    expect(formatMigrationProgress({ position: 1500, startPosition: 1000, head: 1000, copied: 0, skipped: 0, elapsedMs: 0 })).toContain(
      '100%',
    );
  });

  it('redraws in place on a terminal, a line a second otherwise', () => {
    let now = 0;
    const tty: string[] = [];
    const line = new MigrationProgressLine({ isTTY: true, write: (t: string) => tty.push(t) }, () => now);
    const progress = { position: 1, startPosition: 0, head: 2, copied: 1, skipped: 0, elapsedMs: 10 };
    line.update(progress);
    now += 50;
    line.update(progress);
    now += 100;
    line.update(progress);
    line.finish();
    expect(tty).toHaveLength(3);
    expect(tty[0].startsWith('\rmigrate')).toBe(true);
    expect(tty[2]).toBe('\n');

    const plain: string[] = [];
    const log = new MigrationProgressLine({ write: (t: string) => plain.push(t) }, () => now);
    for (let i = 0; i < 5; i++, now += 300) log.update(progress);
    log.finish();
    expect(plain).toHaveLength(2);
    expect(plain.every((l) => l.endsWith('\n') && !l.startsWith('\r'))).toBe(true);
  });

  it('sums up what was copied and what to do next', () => {
    const lines = formatMigrationSummary(summary, 'sqlite:/data/events.db', 'esdb://db:2113?tls=false', '/data/migration-progress.json');
    expect(lines[0]).toBe(
      'Migrated sqlite:/data/events.db to esdb://db:2113?tls=false: 9,000 events copied, 1,000 skipped as already present, ' +
        'into 321 streams, in 3s (4,000 events/s); source position 10,000 reached',
    );
    expect(lines[1]).toBe('Hashes: 9,000 copied events hashed in the target exactly as in the source, 0 differently');
    expect(lines[2]).toContain('delete it');
    const resumed = formatMigrationSummary({ ...summary, startPosition: 4000, earlier: 4000 }, 's', 't', '/p.json');
    expect(resumed[1]).toBe('Continued after position 4,000: 4,000 events were handled by earlier runs (per /p.json; --restart checks them all again)');
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(52 * 1024 * 1024)).toBe('52 MB');
  });
});
