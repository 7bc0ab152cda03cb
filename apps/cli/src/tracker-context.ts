import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { storedEventsOf, type EventStore, type PersonalDataKeys } from '#event-store';
import { openReadModelDb, type Projection, type ReadModelDb } from '#projections';
import { AppConfig } from '../../api/src/config/app-config.js';
import { openEventStore, openPersonalDataKeys, PROJECTIONS } from '../../api/src/infrastructure/infrastructure.module.js';

/** A mistake in how the CLI was called (unknown name, bad option): reported without a stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The API's configuration, event store and read-model database, opened on first use (so `--help` needs
 * none of them) from the same environment variables as the API, and closed when the command ends.
 */
@Injectable()
export class TrackerContext implements OnModuleDestroy {
  private appConfig: AppConfig | undefined;
  private store: EventStore | undefined;
  private keys: PersonalDataKeys | undefined;
  private db: ReadModelDb | undefined;

  /** Every projection the API runs. */
  readonly projections: readonly Projection[] = PROJECTIONS;

  /** Parsed from the environment; throws ConfigError naming each bad variable. */
  get config(): AppConfig {
    this.appConfig ??= AppConfig.fromEnvironment();
    return this.appConfig;
  }

  /** The event store as the API opens it: personal data decrypted with the shared key store, events upcast. */
  async eventStore(): Promise<EventStore> {
    this.store ??= await openEventStore(this.config, this.personalDataKeys());
    return this.store;
  }

  /** The personal-data key store the API uses (`TRACKER_KEYS_FILE`, default `<data dir>/keys.db`). */
  personalDataKeys(): PersonalDataKeys {
    this.keys ??= openPersonalDataKeys(this.config);
    return this.keys;
  }

  /**
   * The event store's adapter itself, without decryption or upcasting: events exactly as stored, personal data
   * still encrypted (for copying them: `migrate` keeps every hash).
   */
  async storedEvents(): Promise<EventStore> {
    return storedEventsOf(await this.eventStore());
  }

  readModels(): ReadModelDb {
    this.db ??= openReadModelDb(this.config.readModelsFile);
    return this.db;
  }

  /** The projection called `name`; a UsageError listing the known names otherwise. */
  projection(name: string): Projection {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) {
      throw new UsageError(`Unknown projection "${name}" (known: ${this.projections.map((p) => p.name).join(', ')})`);
    }
    return projection;
  }

  async onModuleDestroy(): Promise<void> {
    await this.store?.close();
    await this.keys?.close();
    this.db?.close();
  }
}
