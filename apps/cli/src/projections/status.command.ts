import { Option, SubCommand, CommandRunner } from 'nest-commander';
import type { EventStore } from '#event-store';
import { readStoredStatus } from '#projections';
import { TrackerContext } from '../tracker-context.js';
import { formatStatusTable } from './status-table.js';

interface StatusOptions {
  json?: boolean;
}

/** `projections status [--json]`: each projection's version, state, checkpoint, lag and park or lease. */
@SubCommand({ name: 'status', description: 'Show each projection: version, state, checkpoint, lag, where parked' })
export class StatusCommand extends CommandRunner {
  constructor(private readonly context: TrackerContext) {
    super();
  }

  async run(_args: string[], options: StatusOptions = {}): Promise<void> {
    const db = this.context.readModels();
    let store: EventStore | null = null;
    try {
      store = await this.context.eventStore();
    } catch (error) {
      process.stderr.write(`warning: the event store is unreachable, lag unknown: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    const rows = await readStoredStatus(db, store, this.context.projections);
    process.stdout.write(options.json ? `${JSON.stringify(rows, null, 2)}\n` : `${formatStatusTable(rows)}\n`);
  }

  @Option({ flags: '--json', description: 'print JSON instead of a table' })
  parseJson(): boolean {
    return true;
  }
}
