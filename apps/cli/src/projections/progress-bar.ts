import type { RebuildProgress } from '#projections';

/** Where progress goes: stderr, or a stand-in in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

const BAR_WIDTH = 24;
const number = new Intl.NumberFormat('en-US');

/** `12,345/27,000 events  45%  8,123 events/s  ETA 2s` with a bar in front when `bar` is set. */
export function formatProgress(progress: RebuildProgress, bar: boolean): string {
  const { projection, position, head, events, elapsedMs } = progress;
  const fraction = head > 0 ? Math.min(1, position / head) : 1;
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? position / seconds : 0;
  const eta = rate > 0 ? Math.max(0, head - position) / rate : null;
  const filled = Math.round(fraction * BAR_WIDTH);
  const parts = [
    projection,
    bar ? `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]` : '',
    `${String(Math.floor(fraction * 100)).padStart(3)}%`,
    `${number.format(position)}/${number.format(head)}`,
    `(${number.format(events)} events read)`,
    `${number.format(Math.round(rate))} events/s`,
    { replay: `ETA ${eta === null ? '?' : formatDuration(eta)}`, flip: 'swapping in', done: `done in ${formatDuration(seconds)}` }[
      progress.phase
    ],
  ];
  return parts.filter((part) => part !== '').join('  ');
}

/** `850ms`, `12s`, `3m05s`. */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

/**
 * Rebuild progress on stderr: a bar redrawn in place on a terminal (at most 10 times a second), plain lines
 * at most once a second otherwise (logs, CI).
 */
export class ProgressBar {
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly clock: () => number = Date.now,
  ) {}

  update(progress: RebuildProgress): void {
    const tty = Boolean(this.stream.isTTY);
    const now = this.clock();
    const final = progress.phase !== 'replay';
    if (!final && now - this.lastDraw < (tty ? 100 : 1000)) return;
    this.lastDraw = now;
    const line = formatProgress(progress, tty);
    if (tty) {
      this.stream.write(`\r${line}\u001b[K`);
      this.drawn = true;
    } else {
      this.stream.write(`${line}\n`);
    }
    if (progress.phase === 'done') this.finish();
  }

  /** Ends the bar's line on a terminal. */
  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
