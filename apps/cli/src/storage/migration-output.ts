import type { MigrationProgress, MigrationSummary } from '#event-store';
import { formatDuration, type ProgressStream } from '../projections/progress-bar.js';
import { formatCount } from './storage-output.js';

/** `migrate   45%  position 4,500/10,000  4,400 copied  100 already present  1,234 events/s  ETA 4s`. */
export function formatMigrationProgress(progress: MigrationProgress): string {
  const { position, startPosition, head, copied, skipped, elapsedMs } = progress;
  const span = Math.max(0, head - startPosition);
  const done = Math.max(0, position - startPosition);
  const fraction = span > 0 ? Math.min(1, done / span) : 1;
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? (copied + skipped) / seconds : 0;
  const positionRate = seconds > 0 ? done / seconds : 0;
  const eta = positionRate > 0 ? Math.max(0, head - position) / positionRate : null;
  return [
    'migrate',
    `${String(Math.floor(fraction * 100)).padStart(3)}%`,
    `position ${formatCount(position)}/${formatCount(head)}`,
    `${formatCount(copied)} copied`,
    `${formatCount(skipped)} already present`,
    `${formatCount(Math.round(rate))} events/s`,
    `ETA ${eta === null ? '?' : formatDuration(eta)}`,
  ].join('  ');
}

/** Migration progress on stderr: redrawn in place on a terminal (10 times a second at most), a line a second otherwise. */
export class MigrationProgressLine {
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly clock: () => number = Date.now,
  ) {}

  update(progress: MigrationProgress): void {
    const tty = Boolean(this.stream.isTTY);
    const now = this.clock();
    if (now - this.lastDraw < (tty ? 100 : 1000)) return;
    this.lastDraw = now;
    const line = formatMigrationProgress(progress);
    if (tty) {
      this.stream.write(`\r${line}\u001b[K`);
      this.drawn = true;
    } else {
      this.stream.write(`${line}\n`);
    }
  }

  /** Ends the line on a terminal. */
  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}

/** The lines `migrate` prints on stdout when it is done. */
export function formatMigrationSummary(summary: MigrationSummary, source: string, target: string, progressFile: string): string[] {
  const seconds = summary.durationMs / 1000;
  const handled = summary.copied + summary.skipped;
  const rate = seconds > 0 ? Math.round(handled / seconds) : handled;
  const lines = [
    `Migrated ${source} to ${target}: ${formatCount(summary.copied)} events copied, ${formatCount(summary.skipped)} skipped as ` +
      `already present, into ${formatCount(summary.streams)} streams, in ${formatDuration(seconds)} (${formatCount(rate)} events/s); ` +
      `source position ${formatCount(summary.position)} reached`,
  ];
  if (summary.startPosition > 0) {
    lines.push(
      `Continued after position ${formatCount(summary.startPosition)}: ${formatCount(summary.earlier)} events were handled by ` +
        `earlier runs (per ${progressFile}; --restart checks them all again)`,
    );
  }
  if (summary.copied > 0 || summary.skipped > 0) {
    lines.push(`Hashes: ${formatCount(summary.hashesKept)} copied events hashed in the target exactly as in the source, ${formatCount(summary.hashesChanged)} differently`);
  }
  lines.push(
    'To run the API on the target: stop writers to the source, run migrate once more for the last events, point EVENT_STORE_URL ' +
      'at the target and start with an empty read-models.db (delete it): its checkpoints are positions in the old store',
  );
  return lines;
}
