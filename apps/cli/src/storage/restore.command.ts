import { existsSync } from 'node:fs';
import { Command, CommandRunner, Option } from 'nest-commander';
import {
  assertNotInUse,
  assertRestorable,
  EventStoreError,
  forgottenSubjectsIn,
  inspectKeysFile,
  installSqliteFile,
  reapplyForgetting,
  restoreEventsFile,
} from '#event-store';
import { FORGETTING_EVENTS, forgettingSummary } from '../people/forgetting-events.js';
import { TrackerContext } from '../tracker-context.js';
import {
  assertSigningKey,
  backupFiles,
  copySecretFile,
  inspectAccountsFile,
  openAccountsOnce,
  sameContent,
  SECRET_FILE_MODE,
  signingKeyFile,
} from './data-files.js';
import { embeddedStoreFile, fileArgument, formatCount } from './storage-output.js';

interface RestoreOptions {
  force?: boolean;
  eventsOnly?: boolean;
  keys?: string;
  accounts?: string;
}

/**
 * `restore <file>`: a backup becomes the data directory's events.db, its companions (`<file>.keys.db`,
 * `<file>.accounts.db`, `<file>.signing-key.pem`, when present) the key store, the accounts and the signing key.
 * Everything is checked before anything is written. Then every forgetting the restored log records is applied to
 * the key store again, so a key store older than a forgetting cannot bring the forgotten person back.
 */
@Command({
  name: 'restore',
  arguments: '<file>',
  description:
    "Make a backup the data directory's event store (events.db), with the API stopped, and its companions <file>.keys.db, " +
    '<file>.accounts.db and <file>.signing-key.pem (when present) the key store, accounts and signing key. The targets must ' +
    'be empty (unless --force); read-models.db is deleted and rebuilt by the API. Then every forgetting in the restored log ' +
    'is applied to the key store again',
  argsDescription: { file: 'a file written by `backup`' },
})
export class RestoreCommand extends CommandRunner {
  constructor(private readonly context: TrackerContext) {
    super();
  }

  async run([file]: string[], options: RestoreOptions = {}): Promise<void> {
    const backup = fileArgument(file, '<file>');
    const config = this.context.config;
    const force = Boolean(options.force);
    const target = embeddedStoreFile(
      config,
      'EVENT_STORE_URL points at EventStoreDB: restore into an embedded store (leave EVENT_STORE_URL unset) ' +
        'and copy it over with `migrate --to esdb://…`',
    );
    const companions = backupFiles(backup);
    const keysBackup = this.companion(options.keys, '--keys', companions.keys, options.eventsOnly);
    const accountsBackup = this.companion(options.accounts, '--accounts', companions.accounts, options.eventsOnly);
    const signingBackup = options.eventsOnly || !existsSync(companions.signingKey) ? null : companions.signingKey;
    const signingTarget = signingKeyFile(config);

    // Every check before the first write.
    assertRestorable(backup, target, { force, readModels: config.readModelsFile });
    const keysInfo = keysBackup === null ? null : inspectKeysFile(keysBackup);
    const accountsInfo = accountsBackup === null ? null : inspectAccountsFile(accountsBackup);
    if (signingBackup) assertSigningKey(signingBackup);
    let replacedForgotten: string[] = [];
    if (keysBackup !== null) {
      assertNotInUse(config.keysFile, `the key store ${config.keysFile}`);
      const held = this.existing(config.keysFile, force, (f) => inspectKeysFile(f).subjects);
      if (held > 0 && !force) throw new EventStoreError(`${config.keysFile} already holds keys of ${held} subjects: pass --force to replace it with the backup's`);
      if (held > 0) replacedForgotten = forgottenSubjectsIn(config.keysFile);
    }
    if (accountsBackup !== null) {
      assertNotInUse(config.accountsFile, `the accounts database ${config.accountsFile}`);
      const users = this.existing(config.accountsFile, force, (f) => inspectAccountsFile(f).users);
      if (users > 0 && !force) throw new EventStoreError(`${config.accountsFile} already holds ${users} users: pass --force to replace them with the backup's`);
    }
    const signingKeyDiffers = signingBackup !== null && existsSync(signingTarget) && !sameContent(signingBackup, signingTarget);
    if (signingKeyDiffers && !force) throw new EventStoreError(`${signingTarget} is another signing key: pass --force to replace it with the backup's`);

    const result = await restoreEventsFile(backup, target, { force, readModels: config.readModelsFile });
    const lines = [
      `Restored ${formatCount(result.events)} events (${formatCount(result.streams)} streams, up to position ` +
        `${formatCount(result.headPosition)}) from ${backup} into ${target}`,
    ];
    if (result.replacedEvents > 0) lines.push(`Replaced the ${formatCount(result.replacedEvents)} events it held before (--force)`);
    if (keysBackup !== null && keysInfo !== null) {
      await installSqliteFile(keysBackup, config.keysFile, { mode: SECRET_FILE_MODE, check: inspectKeysFile });
      lines.push(`Restored the key store (${formatCount(keysInfo.keys)} keys, ${formatCount(keysInfo.forgotten)} subjects forgotten) from ${keysBackup} into ${config.keysFile}`);
    } else {
      lines.push(
        `No key store restored (${options.eventsOnly ? '--events-only' : `no ${companions.keys}`}): ${config.keysFile} stays as it was. ` +
          'Personal data reads as forgotten without the keys it was written with',
      );
    }
    if (accountsBackup !== null && accountsInfo !== null) {
      await installSqliteFile(accountsBackup, config.accountsFile, { mode: SECRET_FILE_MODE, check: openAccountsOnce });
      lines.push(`Restored the accounts (${formatCount(accountsInfo.users)} users) from ${accountsBackup} into ${config.accountsFile}`);
    } else {
      lines.push(
        `No accounts restored (${options.eventsOnly ? '--events-only' : `no ${companions.accounts}`}): ${config.accountsFile} stays as it was ` +
          '(without users, the API creates a first staff user with a one-time password)',
      );
    }
    if (signingBackup !== null) {
      if (!sameContent(signingBackup, signingTarget)) copySecretFile(signingBackup, signingTarget);
      lines.push(`Restored the signing key from ${signingBackup} into ${signingTarget}`);
    }

    const keys = this.context.personalDataKeys();
    const forgetting = await reapplyForgetting(await this.context.eventStore(), keys, FORGETTING_EVENTS);
    lines.push(forgettingSummary(forgetting, config.keysFile));
    let carried = 0;
    for (const subject of replacedForgotten) if (!(await keys.forget(subject)).alreadyForgotten) carried++;
    if (carried > 0) lines.push(`Kept ${formatCount(carried)} subjects forgotten that the replaced key store had forgotten (their keys are destroyed)`);

    lines.push(
      result.removed.length > 0
        ? `Deleted the stale read models (${result.removed.join(', ')}): the API rebuilds them from the events when it starts`
        : 'The API builds the read models from the events when it starts',
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  }

  /** The companion to restore: the option's file (which must exist), else the default one when it exists. */
  private companion(option: string | undefined, flag: string, byName: string, eventsOnly: boolean | undefined): string | null {
    if (option !== undefined) {
      if (eventsOnly) throw new EventStoreError(`${flag} and --events-only exclude each other`);
      const file = fileArgument(option, flag);
      if (!existsSync(file)) throw new EventStoreError(`${flag}: ${file} does not exist`);
      return file;
    }
    return !eventsOnly && existsSync(byName) ? byName : null;
  }

  /** What `count` finds in the target `file` (0 when absent); with `force`, an unreadable file counts as empty. */
  private existing(file: string, force: boolean, count: (file: string) => number): number {
    if (!existsSync(file)) return 0;
    try {
      return count(file);
    } catch (error) {
      if (force) return 0;
      throw new EventStoreError(`${file} exists but cannot be read (${error instanceof Error ? error.message : String(error)}): pass --force to replace it`, {
        cause: error,
      });
    }
  }

  @Option({ flags: '--force', description: 'replace an event store, key store, accounts or signing key that already hold data' })
  parseForce(): boolean {
    return true;
  }

  @Option({ flags: '--events-only', description: 'restore events.db only; leave keys.db, accounts.db and the signing key as they are' })
  parseEventsOnly(): boolean {
    return true;
  }

  @Option({ flags: '--keys <file>', description: 'the key store to restore (default <file>.keys.db when it exists)' })
  parseKeys(value: string): string {
    return value;
  }

  @Option({ flags: '--accounts <file>', description: 'the accounts database to restore (default <file>.accounts.db when it exists)' })
  parseAccounts(value: string): string {
    return value;
  }
}
