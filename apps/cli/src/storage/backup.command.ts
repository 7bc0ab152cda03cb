import { Command, CommandRunner, Option } from 'nest-commander';
import { backupEventsFile } from '#event-store';
import { TrackerContext } from '../tracker-context.js';
import { embeddedStoreFile, fileArgument, formatBytes, formatCount } from './storage-output.js';

interface BackupOptions {
  force?: boolean;
}

/** `backup <file>`: a consistent copy of events.db, taken while the API keeps running. */
@Command({
  name: 'backup',
  arguments: '<file>',
  description:
    'Write a consistent copy of the embedded event store (events.db) to <file> while the API keeps running ' +
    '(SQLite online backup; EventStoreDB has backups of its own)',
  argsDescription: { file: 'where to write the backup (a single SQLite file); refused if it exists, unless --force' },
})
export class BackupCommand extends CommandRunner {
  constructor(private readonly context: TrackerContext) {
    super();
  }

  async run([file]: string[], options: BackupOptions = {}): Promise<void> {
    const target = fileArgument(file, '<file>');
    const source = embeddedStoreFile(
      this.context.config,
      "EVENT_STORE_URL points at EventStoreDB: back it up with EventStoreDB's own backup " +
        '(a file copy of its database directory, see its documentation). `backup` copies the embedded store only.',
    );
    const result = await backupEventsFile(source, target, { force: options.force });
    process.stdout.write(
      `Backed up ${formatCount(result.events)} events (${formatCount(result.streams)} streams, up to position ` +
        `${formatCount(result.headPosition)}) from ${source} to ${result.file} (${formatBytes(result.bytes)}) in ${result.durationMs} ms\n`,
    );
  }

  @Option({ flags: '--force', description: 'overwrite <file> if it exists' })
  parseForce(): boolean {
    return true;
  }
}
