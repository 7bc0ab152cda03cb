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
import { EsdbEventStore, EVENT_UPCASTERS, EventStore, SqliteEventStore, UpcastingEventStore } from '#event-store';
import {
  auditTrailProjection,
  catalogueProjection,
  experimentTimelineProjection,
  learningLibraryProjection,
  timelinesProjection,
  openReadModelDb,
  ProjectionRunner,
  type Projection,
  type ReadModelDb,
} from '#projections';
import { AppConfig } from '../config/app-config.js';
import { ledgerProjection } from '#projections';

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

/**
 * Opens the configured event store. For EventStoreDB (`esdb://`, `esdb+discover://`, `kurrentdb://`) it waits
 * until the server answers, so an unreachable server stops the start with a clear message within seconds.
 * Events are upcast to their current schema on every read.
 */
export async function openEventStore(config: AppConfig): Promise<EventStore> {
  return new UpcastingEventStore(await openAdapter(config), EVENT_UPCASTERS);
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
    @Inject(READ_MODELS) private readonly db: ReadModelDb,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await this.store.close();
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
        { provide: EventStore, useFactory: () => openEventStore(config) },
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
      exports: [AppConfig, EventStore, READ_MODELS, ProjectionRunner],
    };
  }
}
