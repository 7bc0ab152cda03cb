import { resolve } from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const SECURE_COOKIES = ['auto', '1', '0'] as const;
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/** The environment as documented in README (Configuration). Unknown variables are ignored. */
class EnvironmentVariables {
  @IsOptional() @Transform(toInt) @IsInt({ message: 'PORT must be a whole number' }) @Min(0) @Max(65535)
  PORT?: number;

  @IsOptional() @IsString() @Matches(/\S/, { message: 'TRACKER_DATA_DIR must not be empty' })
  TRACKER_DATA_DIR?: string;

  @IsOptional()
  @Matches(/^(sqlite:.+|esdb(\+discover)?:\/\/.+|kurrentdb(\+discover)?:\/\/.+)$/, {
    message: 'EVENT_STORE_URL must be sqlite:<file> or esdb://host:port?tls=false',
  })
  EVENT_STORE_URL?: string;

  @IsOptional() @IsIn(['full', 'normal'], { message: 'TRACKER_DURABILITY must be full or normal' })
  TRACKER_DURABILITY?: 'full' | 'normal';

  @IsOptional() @IsIn(['0', '1'], { message: 'TRACKER_DEMO must be 1 (load the demo workspace) or 0' })
  TRACKER_DEMO?: '0' | '1';

  @IsOptional() @IsString()
  TRACKER_SIGNING_KEY_FILE?: string;

  @IsOptional() @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: (typeof LOG_LEVELS)[number];

  @IsOptional() @Matches(/^[^\s@]{1,64}@[^\s@]{1,255}$/, { message: 'TRACKER_ADMIN_EMAIL must be an e-mail address such as admin@localhost' })
  TRACKER_ADMIN_EMAIL?: string;

  @IsOptional() @IsString() @Matches(/\S/, { message: 'TRACKER_ACCOUNTS_FILE must not be empty' })
  TRACKER_ACCOUNTS_FILE?: string;

  @IsOptional() @IsString() @Matches(/\S/, { message: 'TRACKER_KEYS_FILE must not be empty' })
  TRACKER_KEYS_FILE?: string;

  @IsOptional() @IsIn(SECURE_COOKIES, { message: 'TRACKER_SECURE_COOKIES must be auto (Secure when the request came over https), 1 or 0' })
  TRACKER_SECURE_COOKIES?: (typeof SECURE_COOKIES)[number];

  @IsOptional() @Transform(toInt) @IsInt({ message: 'TRACKER_LOGIN_ATTEMPTS_PER_MINUTE must be a whole number (0: no limit)' }) @Min(0) @Max(1_000_000)
  TRACKER_LOGIN_ATTEMPTS_PER_MINUTE?: number;
}

/** Raised at start when the environment holds a bad value; the message names each variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export type EventStoreLocation = { kind: 'sqlite'; filename: string } | { kind: 'esdb'; connectionString: string };

/** Validated application configuration; injected by class token. */
export class AppConfig {
  constructor(
    readonly port: number,
    readonly dataDir: string,
    readonly eventStore: EventStoreLocation,
    readonly readModelsFile: string,
    readonly durability: 'full' | 'normal',
    readonly loadDemo: boolean,
    readonly signingKeyFile: string | null,
    readonly logLevel: (typeof LOG_LEVELS)[number],
    /** Pretty logs for people at a terminal, JSON for machines and production. */
    readonly prettyLogs: boolean,
    /** E-mail of the staff user created with a one-time password when no user exists yet. */
    readonly adminEmail: string = 'admin@localhost',
    /** Credentials, sessions and users' current grants (`<data dir>/accounts.db`); not disposable. */
    readonly accountsFile: string = resolve(dataDir, 'accounts.db'),
    /** Session cookies `Secure`: `auto` when the request came over https (or X-Forwarded-Proto says so). */
    readonly secureCookies: 'auto' | 'always' | 'never' = 'auto',
    /** Sign-in attempts per minute per client address and e-mail; 0 lifts the limit (tests, fuzzing). */
    readonly loginAttemptsPerMinute: number = 5,
    /** Personal-data keys, one per data subject (`<data dir>/keys.db`); not disposable, never inside the event store. */
    readonly keysFile: string = resolve(dataDir, 'keys.db'),
  ) {}

  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): AppConfig {
    const vars = plainToInstance(EnvironmentVariables, { ...env });
    const errors = validateSync(vars, { whitelist: false });
    if (errors.length > 0) {
      throw new ConfigError(errors.flatMap((e) => Object.values(e.constraints ?? {}).slice(0, 1)));
    }
    const dataDir = resolve(vars.TRACKER_DATA_DIR ?? './data');
    const url = vars.EVENT_STORE_URL ?? `sqlite:${resolve(dataDir, 'events.db')}`;
    const eventStore: EventStoreLocation = url.startsWith('sqlite:')
      ? { kind: 'sqlite', filename: resolve(url.slice('sqlite:'.length)) }
      : { kind: 'esdb', connectionString: url };
    return new AppConfig(
      vars.PORT ?? 3000,
      dataDir,
      eventStore,
      resolve(dataDir, 'read-models.db'),
      vars.TRACKER_DURABILITY ?? 'full',
      (vars.TRACKER_DEMO ?? '1') === '1',
      vars.TRACKER_SIGNING_KEY_FILE ? resolve(vars.TRACKER_SIGNING_KEY_FILE) : null,
      vars.LOG_LEVEL ?? 'info',
      env.NODE_ENV !== 'production' && Boolean(process.stdout.isTTY),
      vars.TRACKER_ADMIN_EMAIL?.trim().toLowerCase() ?? 'admin@localhost',
      resolve(vars.TRACKER_ACCOUNTS_FILE ?? resolve(dataDir, 'accounts.db')),
      ({ auto: 'auto', '1': 'always', '0': 'never' } as const)[vars.TRACKER_SECURE_COOKIES ?? 'auto'],
      vars.TRACKER_LOGIN_ATTEMPTS_PER_MINUTE ?? 5,
      resolve(vars.TRACKER_KEYS_FILE ?? resolve(dataDir, 'keys.db')),
    );
  }

  /** A copy with some fields replaced (tests). */
  with(overrides: Partial<AppConfig>): AppConfig {
    return Object.assign(Object.create(AppConfig.prototype) as AppConfig, this, overrides);
  }
}
