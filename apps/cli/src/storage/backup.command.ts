import { existsSync, rmSync } from 'node:fs';
import { Command, CommandRunner, Option } from 'nest-commander';
import { backupEventsFile, backupSqliteFile, EventStoreError, inspectKeysFile } from '#event-store';
import { TrackerContext } from '../tracker-context.js';
import { backupFiles, copySecretFile, inspectAccountsFile, SECRET_FILE_MODE, signingKeyFile } from './data-files.js';
import { embeddedStoreFile, fileArgument, formatBytes, formatCount } from './storage-output.js';

interface BackupOptions {
  force?: boolean;
  eventsOnly?: boolean;
  withSigningKey?: boolean;
}

/**
 * `backup <file>`: consistent copies of events.db, keys.db and accounts.db, taken while the API keeps running.
 * `<file>` is the events copy; the key store and the accounts go beside it as `<file>.keys.db` and
 * `<file>.accounts.db` (see {@link backupFiles}). The accounts are copied first and the keys last: a user row
 * behind its stream is brought up to it at the API's start, and every key the copied events need is in the later
 * copy of the key store.
 */
@Command({
  name: 'backup',
  arguments: '<file>',
  description:
    'Write consistent copies of the event store (events.db) to <file>, and of the key store (keys.db) and the accounts ' +
    '(accounts.db) to <file>.keys.db and <file>.accounts.db, while the API keeps running (SQLite online backup; ' +
    'EventStoreDB has backups of its own). The signing key is left out unless --with-signing-key',
  argsDescription: { file: 'where to write the events copy (a single SQLite file); refused if it or a companion exists, unless --force' },
})
export class BackupCommand extends CommandRunner {
  constructor(private readonly context: TrackerContext) {
    super();
  }

  async run([file]: string[], options: BackupOptions = {}): Promise<void> {
    const files = backupFiles(fileArgument(file, '<file>'));
    const config = this.context.config;
    const source = embeddedStoreFile(
      config,
      "EVENT_STORE_URL points at EventStoreDB: back it up with EventStoreDB's own backup " +
        '(a file copy of its database directory, see its documentation). `backup` copies the embedded store only.',
    );
    const force = Boolean(options.force);
    const companions = options.eventsOnly ? [] : [files.accounts, files.keys, ...(options.withSigningKey ? [files.signingKey] : [])];
    const signingKey = signingKeyFile(config);
    if (options.withSigningKey && options.eventsOnly) throw new EventStoreError('--with-signing-key and --events-only exclude each other');
    if (options.withSigningKey && !existsSync(signingKey)) throw new EventStoreError(`There is no signing key at ${signingKey}`);
    if (!force) {
      for (const target of [files.events, files.keys, files.accounts, files.signingKey]) {
        if (existsSync(target)) throw new EventStoreError(`${target} already exists: pass --force to overwrite it`);
      }
    }
    // Companions of an earlier backup under this name must not be restored with the new events.
    const stale = [files.keys, files.accounts, files.signingKey].filter((f) => !companions.includes(f) && existsSync(f));

    const lines: string[] = [];
    const started = Date.now();
    const accountsThere = !options.eventsOnly && existsSync(config.accountsFile);
    if (accountsThere) {
      const copy = await backupSqliteFile(config.accountsFile, files.accounts, {
        force,
        mode: SECRET_FILE_MODE,
        check: inspectAccountsFile,
        what: 'the accounts database',
      });
      lines.push(`Backed up the accounts (${formatCount(copy.users)} users) from ${config.accountsFile} to ${copy.file} (${formatBytes(copy.bytes)})`);
    }
    const events = await backupEventsFile(source, files.events, { force });
    lines.unshift(
      `Backed up ${formatCount(events.events)} events (${formatCount(events.streams)} streams, up to position ` +
        `${formatCount(events.headPosition)}) from ${source} to ${events.file} (${formatBytes(events.bytes)}) in ${events.durationMs} ms`,
    );
    const keysThere = !options.eventsOnly && existsSync(config.keysFile);
    if (keysThere) {
      const copy = await backupSqliteFile(config.keysFile, files.keys, { force, mode: SECRET_FILE_MODE, check: inspectKeysFile, what: 'the key store' });
      lines.push(
        `Backed up the key store (${formatCount(copy.keys)} keys, ${formatCount(copy.forgotten)} subjects forgotten) from ` +
          `${config.keysFile} to ${copy.file} (${formatBytes(copy.bytes)})`,
      );
    }
    if (options.withSigningKey) {
      const bytes = copySecretFile(signingKey, files.signingKey);
      lines.push(`Copied the signing key ${signingKey} to ${files.signingKey} (${formatBytes(bytes)}): keep this backup as secret as the key`);
    }
    for (const file of stale) rmSync(file, { force: true });
    if (stale.length > 0) lines.push(`Deleted what an earlier backup left under this name: ${stale.join(', ')}`);

    if (options.eventsOnly) {
      lines.push(`Events only (--events-only): ${config.keysFile} and ${config.accountsFile} are not in this backup`);
    } else {
      if (!accountsThere) lines.push(`No accounts at ${config.accountsFile} (the API has not run here): none backed up`);
      if (!keysThere) lines.push(`No key store at ${config.keysFile} (nothing personal recorded yet): none backed up`);
      const secrets = [...(accountsThere ? [files.accounts] : []), ...(keysThere ? [files.keys] : [])];
      if (secrets.length > 0) lines.push(`Done in ${Date.now() - started} ms. ${secrets.join(' and ')} ${secrets.length === 1 ? 'holds' : 'hold'} secrets (mode 0600): keep them with ${files.events}`);
    }
    if (!options.withSigningKey) {
      lines.push(
        `Not included: the signing key ${signingKey} (a secret: partners trust the bundles it signs; back it up separately ` +
          'and securely, or pass --with-signing-key)',
      );
    }
    lines.push('Not needed: read-models.db and ledger-signatures.db, which the API rebuilds and re-signs from the events');
    process.stdout.write(`${lines.join('\n')}\n`);
  }

  @Option({ flags: '--force', description: 'overwrite <file> and its companions if they exist' })
  parseForce(): boolean {
    return true;
  }

  @Option({ flags: '--events-only', description: 'copy events.db only (not keys.db and accounts.db)' })
  parseEventsOnly(): boolean {
    return true;
  }

  @Option({
    flags: '--with-signing-key',
    description: 'also copy the signing key (TRACKER_SIGNING_KEY_FILE or <data dir>/signing-key.pem) to <file>.signing-key.pem, mode 0600',
  })
  parseWithSigningKey(): boolean {
    return true;
  }
}
