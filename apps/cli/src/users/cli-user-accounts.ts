import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { normaliseEmail, NotFoundError } from '#domain';
import type { CommandContext } from '#event-store';
import { AccountsStore, type Account } from '../../../api/src/auth/accounts-store.js';
import { systemContext, UserAccounts } from '../../../api/src/auth/user-accounts.js';
import { TrackerContext } from '../tracker-context.js';

/** The API's user administration on the same event store and accounts.db, acting as the system actor. */
@Injectable()
export class CliUserAccounts implements OnModuleDestroy {
  private users: UserAccounts | undefined;

  constructor(private readonly context: TrackerContext) {}

  async open(): Promise<UserAccounts> {
    if (this.users === undefined) {
      const store = await this.context.eventStore();
      const accounts = AccountsStore.open(this.context.config.accountsFile, { durability: this.context.config.durability });
      this.users = new UserAccounts(store, accounts);
    }
    return this.users;
  }

  /** A new id (UUIDv7) for a user or token. */
  newId(): string {
    return uuidv7();
  }

  /** A fresh command context for one CLI command (actor `system`, source `cli`). */
  commandContext(): CommandContext {
    return { ...systemContext(new Date().toISOString(), () => this.newId()), source: 'cli' };
  }

  /** The user with this e-mail address or id; NotFoundError otherwise. */
  async find(emailOrId: string): Promise<Account> {
    const { accounts } = await this.open();
    const account = emailOrId.includes('@') ? accounts.byEmail(normaliseEmail(emailOrId)) : accounts.byId(emailOrId);
    if (account === null || account.status === 'pending') throw new NotFoundError('user', emailOrId);
    return account;
  }

  onModuleDestroy(): void {
    this.users?.accounts.close();
  }
}
