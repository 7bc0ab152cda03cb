import { join, resolve } from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import {
  migrateEvents,
  MigrationError,
  MigrationInterrupted,
  MigrationProgressFile,
  openMigrationTarget,
  parseMigrationEndpoint,
  type EventStore,
  type MigrationEndpoint,
  type MigrationSummary,
} from '#event-store';
import type { AppConfig } from '../../../api/src/config/app-config.js';
import { TrackerContext, UsageError } from '../tracker-context.js';
import { formatCount } from './storage-output.js';
import { formatMigrationSummary, MigrationProgressLine } from './migration-output.js';

interface MigrateOptions {
  to?: string;
  progressFile?: string;
  restart?: boolean;
  connectTimeout?: number;
}

/** `migrate --to <url>`: copies every event of the configured store into EventStoreDB (or another SQLite file). */
@Command({
  name: 'migrate',
  description:
    'Copy every event of the configured store (events.db) into EventStoreDB or another SQLite file, in global order with the same ' +
    'ids, metadata and stream versions. Resumable and idempotent: run it again after an interruption, or later for what is new',
})
export class MigrateCommand extends CommandRunner {
  constructor(private readonly context: TrackerContext) {
    super();
  }

  async run(_args: string[], options: MigrateOptions = {}): Promise<void> {
    if (!options.to) throw new UsageError('--to <url> is required: esdb://host:2113?tls=false or sqlite:<file>');
    const endpoint = parseUsage(options.to);
    const config = this.context.config;
    const sourceName = describeSource(config);
    if (sameStore(config, endpoint)) throw new UsageError(`--to names the configured store itself (${sourceName})`);
    const progressFile = resolve(options.progressFile ?? join(config.dataDir, 'migration-progress.json'));

    const source = await this.context.storedEvents();
    const target = await openMigrationTarget(endpoint, {
      durability: config.durability,
      connectTimeoutMs: (options.connectTimeout ?? 5) * 1000,
    });
    try {
      const checkpoints = new MigrationProgressFile(progressFile, sourceName, target.description);
      const summary = await this.copy(source, target.store, target.recordedAt, checkpoints, options.restart ?? false);
      for (const line of formatMigrationSummary(summary, sourceName, target.description, progressFile)) process.stdout.write(`${line}\n`);
      if (summary.hashesChanged > 0) {
        process.stderr.write(
          `warning: ${formatCount(summary.hashesChanged)} copied events have another hash in the target than in the source ` +
            `(first: ${summary.firstHashChange}): the source's hash chain is broken there; check it with \`audit verify\`\n`,
        );
      }
    } finally {
      await target.store.close();
    }
  }

  private async copy(
    source: EventStore,
    target: EventStore,
    recordedAt: Parameters<typeof migrateEvents>[0]['recordedAt'],
    checkpoints: MigrationProgressFile,
    restart: boolean,
  ): Promise<MigrationSummary> {
    const line = new MigrationProgressLine(process.stderr);
    const abort = new AbortController();
    const interrupt = () => abort.abort();
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    try {
      if (!restart) {
        checkpoints.load();
        if (checkpoints.ignored) process.stderr.write(`warning: not resuming: ${checkpoints.ignored}; starting from the beginning\n`);
      }
      return await migrateEvents({
        source,
        target,
        recordedAt,
        checkpoints,
        restart,
        signal: abort.signal,
        onProgress: (progress) => line.update(progress),
      });
    } catch (error) {
      if (error instanceof MigrationInterrupted) {
        const { summary } = error;
        throw new Error(
          `Interrupted after source position ${formatCount(summary.position)} (${formatCount(summary.copied)} events copied by this run); ` +
            `the progress is in ${checkpoints.file}: run the same command again to continue`,
        );
      }
      if (error instanceof MigrationError && error.message.includes('Start over from the beginning')) {
        throw new MigrationError(`${error.message}: run with --restart`, { cause: error });
      }
      throw error;
    } finally {
      line.finish();
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
    }
  }

  @Option({ flags: '--to <url>', description: 'the target: esdb://host:2113?tls=false (esdb+discover://, kurrentdb://) or sqlite:<file>' })
  parseTo(value: string): string {
    return value;
  }

  @Option({ flags: '--progress-file <file>', description: 'where the progress is kept between runs (default <data dir>/migration-progress.json)' })
  parseProgressFile(value: string): string {
    return value;
  }

  @Option({ flags: '--restart', description: 'ignore the progress file: read the source from the start, checking and skipping what the target holds' })
  parseRestart(): boolean {
    return true;
  }

  @Option({ flags: '--connect-timeout <seconds>', description: 'how long to wait for EventStoreDB to answer at first (default 5)' })
  parseConnectTimeout(value: string): number {
    if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) throw new UsageError('--connect-timeout must be a positive number of seconds');
    return Number(value);
  }
}

function parseUsage(url: string): MigrationEndpoint {
  try {
    return parseMigrationEndpoint(url);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** The configured store, as the progress file names it (no credentials). */
function describeSource(config: AppConfig): string {
  const store = config.eventStore;
  return store.kind === 'sqlite' ? `sqlite:${store.filename}` : parseMigrationEndpoint(store.connectionString).description;
}

function sameStore(config: AppConfig, endpoint: MigrationEndpoint): boolean {
  const store = config.eventStore;
  if (store.kind === 'sqlite') return endpoint.kind === 'sqlite' && resolve(endpoint.filename) === resolve(store.filename);
  return endpoint.kind === 'esdb' && endpoint.connectionString === store.connectionString;
}
