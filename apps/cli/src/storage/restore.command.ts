import { Command, CommandRunner, Option } from 'nest-commander';
import { restoreEventsFile } from '#event-store';
import { TrackerContext } from '../tracker-context.js';
import { embeddedStoreFile, fileArgument, formatCount } from './storage-output.js';

interface RestoreOptions {
  force?: boolean;
}

/** `restore <file>`: a backup becomes the data directory's events.db; the read models are rebuilt from it. */
@Command({
  name: 'restore',
  arguments: '<file>',
  description:
    "Make a backup the data directory's event store (events.db), with the API stopped. The target must hold no events " +
    '(unless --force); read-models.db is deleted, and the API rebuilds it from the restored events when it starts',
  argsDescription: { file: 'a file written by `backup`' },
})
export class RestoreCommand extends CommandRunner {
  constructor(private readonly context: TrackerContext) {
    super();
  }

  async run([file]: string[], options: RestoreOptions = {}): Promise<void> {
    const backup = fileArgument(file, '<file>');
    const config = this.context.config;
    const target = embeddedStoreFile(
      config,
      'EVENT_STORE_URL points at EventStoreDB: restore into an embedded store (leave EVENT_STORE_URL unset) ' +
        'and copy it over with `migrate --to esdb://…`',
    );
    const result = await restoreEventsFile(backup, target, { force: options.force, readModels: config.readModelsFile });
    const lines = [
      `Restored ${formatCount(result.events)} events (${formatCount(result.streams)} streams, up to position ` +
        `${formatCount(result.headPosition)}) from ${backup} into ${target}`,
    ];
    if (result.replacedEvents > 0) lines.push(`Replaced the ${formatCount(result.replacedEvents)} events it held before (--force)`);
    lines.push(
      result.removed.length > 0
        ? `Deleted the stale read models (${result.removed.join(', ')}): the API rebuilds them from the events when it starts`
        : 'The API builds the read models from the events when it starts',
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  }

  @Option({ flags: '--force', description: 'replace an event store that already holds events' })
  parseForce(): boolean {
    return true;
  }
}
