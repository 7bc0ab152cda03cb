import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { PERSONAL_DATA } from '#domain';
import {
  EsdbEventStore,
  EVENT_UPCASTERS,
  EventStore,
  PersonalDataEventStore,
  PersonalDataKeys,
  SqliteEventStore,
  SqlitePersonalDataKeys,
  UpcastingEventStore,
} from '#event-store';
import {
  auditTrailProjection,
  catalogueProjection,
  experimentTimelineProjection,
  learningLibraryProjection,
  ledgerProjection,
  timelinesProjection,
  openReadModelDb,
  ProjectionRunner,
  type Projection,
  type ReadModelDb,
} from '#projections';
import { AppConfig } from '../config/app-config.js';

/** Injection token of the read-model database (`<data dir>/read-models.db`). */
export const READ_MODELS = Symbol('READ_MODELS');

/** Every projection the application runs. */
export const PROJECTIONS: readonly Projection[] = [
  experimentTimelineProjection,
  catalogueProjection,
  timelinesProjection,
  learningLibraryProjection,
  auditTrailProjection,
  ledgerProjection,
];

/** Opens the personal-data key store (`TRACKER_KEYS_FILE`, default `<data dir>/keys.db`). */
export function openPersonalDataKeys(config: AppConfig): PersonalDataKeys {
  return new SqlitePersonalDataKeys(config.keysFile);
}

/**
 * Opens the configured event store. For EventStoreDB (`esdb://`, `esdb+discover://`, `kurrentdb://`) it waits
 * until the server answers, so an unreachable server stops the start with a clear message within seconds.
 * `Upcasting(PersonalData(adapter))`: personal fields are encrypted per data subject before the adapter stores
 * (and hashes) them and decrypted on every read, then events are upcast to their current schema, so upcasters
 * see plaintext. The caller closes `keys` after the store.
 */
export async function openEventStore(config: AppConfig, keys: PersonalDataKeys): Promise<EventStore> {
  return new UpcastingEventStore(new PersonalDataEventStore(await openAdapter(config), keys, PERSONAL_DATA), EVENT_UPCASTERS);
}

async function openAdapter(config: AppConfig): Promise<EventStore> {
  if (config.eventStore.kind === 'esdb') {
    return EsdbEventStore.open({ connectionString: config.eventStore.connectionString });
  }
  mkdirSync(dirname(config.eventStore.filename), { recursive: true });
  return new SqliteEventStore({ filename: config.eventStore.filename, durability: config.durability });
}

/** Starts projections once the app is up; stops them and closes the databases on shutdown. */
@Injectable()
class Lifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly store: EventStore,
    private readonly keys: PersonalDataKeys,
    @Inject(READ_MODELS) private readonly db: ReadModelDb,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await this.store.close();
    await this.keys.close();
    this.db.close();
  }
}

/** Storage, read models and the projection runner, shared by every feature module. */
@Global()
@Module({})
export class InfrastructureModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: PersonalDataKeys, useFactory: () => openPersonalDataKeys(config) },
        { provide: EventStore, inject: [PersonalDataKeys], useFactory: (keys: PersonalDataKeys) => openEventStore(config, keys) },
        {
          provide: READ_MODELS,
          useFactory: () => {
            mkdirSync(dirname(config.readModelsFile), { recursive: true });
            return openReadModelDb(config.readModelsFile);
          },
        },
        {
          provide: ProjectionRunner,
          inject: [EventStore, READ_MODELS, PinoLogger],
          useFactory: (store: EventStore, db: ReadModelDb, logger: PinoLogger) => {
            logger.setContext('Projections');
            return new ProjectionRunner({ store, db, projections: PROJECTIONS, logger: logger.logger });
          },
        },
        Lifecycle,
      ],
      exports: [AppConfig, EventStore, PersonalDataKeys, READ_MODELS, ProjectionRunner],
    };
  }
}
