import { CommandRunner, Option, SubCommand } from 'nest-commander';
import { rebuildProjection, type ProjectionLogger, type RebuildResult } from '#projections';
import { positiveInteger } from '../option-values.js';
import { TrackerContext } from '../tracker-context.js';
import { formatDuration, ProgressBar } from './progress-bar.js';

interface RebuildOptions {
  batchSize?: number;
  leaseTtl?: number;
}

const number = new Intl.NumberFormat('en-US');

/** Warnings and errors on stderr; the progress bar tells the rest. */
const stderrLogger: ProjectionLogger = {
  info: () => undefined,
  warn: (objOrMsg, msg) => process.stderr.write(`warning: ${msg ?? String(objOrMsg)}\n`),
  error: (objOrMsg, msg) => process.stderr.write(`error: ${msg ?? String(objOrMsg)}\n`),
};

/**
 * `projections rebuild [name]`: replays the log into a shadow database beside read-models.db, then swaps the
 * result in with one short transaction, while the API keeps serving the old tables.
 */
@SubCommand({
  name: 'rebuild',
  arguments: '[name]',
  description:
    'Rebuild a projection (all when no name) from the event log into a shadow database, then swap it in; ' +
    'the API keeps serving the old read model meanwhile',
  argsDescription: { name: 'projection name, as listed by `projections status` (default: all)' },
})
export class RebuildCommand extends CommandRunner {
  constructor(private readonly context: TrackerContext) {
    super();
  }

  async run([name]: string[], options: RebuildOptions = {}): Promise<void> {
    const projections = name === undefined ? this.context.projections : [this.context.projection(name)];
    const store = await this.context.eventStore();
    const db = this.context.readModels();
    const abort = new AbortController();
    const interrupt = () => abort.abort();
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    try {
      for (const projection of projections) {
        const bar = new ProgressBar(process.stderr);
        try {
          const result = await rebuildProjection({
            store,
            db,
            projection,
            batchSize: options.batchSize,
            leaseTtlMs: options.leaseTtl === undefined ? undefined : options.leaseTtl * 1000,
            onProgress: (progress) => bar.update(progress),
            signal: abort.signal,
            logger: stderrLogger,
          });
          bar.finish();
          process.stdout.write(`${summary(result)}\n`);
        } finally {
          bar.finish();
        }
      }
    } finally {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
    }
  }

  @Option({ flags: '--batch-size <events>', description: 'events per shadow transaction (default 5000)' })
  parseBatchSize(value: string): number {
    return positiveInteger(value, '--batch-size');
  }

  @Option({ flags: '--lease-ttl <seconds>', description: 'lease lifetime, renewed while working (default 15)' })
  parseLeaseTtl(value: string): number {
    return positiveInteger(value, '--lease-ttl');
  }
}

function summary(result: RebuildResult): string {
  const seconds = result.durationMs / 1000;
  const rate = seconds > 0 ? Math.round(result.events / seconds) : result.events;
  const rows = Object.values(result.tables).reduce((sum, n) => sum + n, 0);
  return (
    `${result.projection} v${result.version}: rebuilt from ${number.format(result.events)} events in ` +
    `${formatDuration(seconds)} (${number.format(rate)} events/s), ${number.format(rows)} rows in ` +
    `${Object.keys(result.tables).length} tables; tail ${result.tailEvents} events; swap ${result.flipMs} ms; ` +
    `checkpoint ${result.checkpoint}`
  );
}
