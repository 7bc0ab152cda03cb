import { Global, Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { v7 as uuidv7 } from 'uuid';
import { AppConfig } from '../config/app-config.js';
import { AccountsStore } from './accounts-store.js';
import { AccessGuard } from './access.guard.js';
import { AuthController } from './auth.controller.js';
import { SignInThrottle } from './sign-in-throttle.js';
import { UserAccounts } from './user-accounts.js';

/**
 * At start: repairs users whose row lags their stream, then, on a store without users, creates the first staff
 * user and prints its one-time password once (a warning; it works only to set a password). At shutdown: closes
 * the accounts database.
 */
@Injectable()
class AccountsLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Accounts');

  constructor(
    private readonly users: UserAccounts,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const repaired = await this.users.reconcile();
    if (repaired > 0) this.logger.warn(`Brought ${repaired} user(s) in accounts.db up to their events (sessions of those users ended)`);
    const first = await this.users.createFirstStaff(this.config.adminEmail, () => uuidv7());
    if (first) {
      this.logger.warn(
        `No user existed: created staff user ${first.email} with the one-time password ${first.password} ` +
          '(shown only now; sign in with it and set a password of your own: POST /api/auth/password)',
      );
    }
  }

  onApplicationShutdown(): void {
    this.users.accounts.close();
  }
}

/** The accounts database, shared by the guard, the auth and users routes (and the CLI's own wiring). */
@Global()
@Module({
  providers: [
    {
      provide: AccountsStore,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => AccountsStore.open(config.accountsFile, { durability: config.durability }),
    },
  ],
  exports: [AccountsStore],
})
export class AccountsStoreModule {}

/**
 * Sign-in, sessions, API tokens and the global access guard (every route needs a signed-in user unless
 * `@Public()`; partners are scoped; see access-policy.ts).
 */
@Module({
  imports: [AccountsStoreModule],
  controllers: [AuthController],
  providers: [UserAccounts, SignInThrottle, AccountsLifecycle, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [UserAccounts],
})
export class AuthModule {}
