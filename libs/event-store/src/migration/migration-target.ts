import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EventStoreUnavailable } from '../errors.js';
import type { EventStore } from '../event-store.port.js';
import { EsdbEventStore, EsdbTimeout } from '../esdb/index.js';
import { redactConnectionString } from '../esdb/esdb-mapping.js';
import { SqliteEventStore, type SqliteDurability } from '../sqlite/sqlite-event-store.js';
import { MigrationError, RecordedAtClock } from './migrate-events.js';

/** Where a migration writes to, parsed from `--to`. */
export type MigrationEndpoint =
  | { kind: 'esdb'; connectionString: string; /** Without credentials. */ description: string }
  | { kind: 'sqlite'; filename: string; description: string };

/** An open migration target and how it keeps each event's original `recordedAt`. */
export interface MigrationTarget {
  store: EventStore;
  recordedAt: RecordedAtClock | 'metadata';
  description: string;
}

/** Options for opening a target. */
export interface OpenMigrationTargetOptions {
  /** SQLite targets only. */
  durability: SqliteDurability;
  /** EventStoreDB only: how long to wait for its first answer. Defaults to 5000 ms. */
  connectTimeoutMs?: number;
}

const ESDB_URL = /^(esdb|kurrentdb)(\+discover)?:\/\/[^\s]+$/i;

/** Parses `esdb://host:2113?tls=false` (also `esdb+discover://`, `kurrentdb://`) or `sqlite:<file>`. */
export function parseMigrationEndpoint(url: string): MigrationEndpoint {
  const trimmed = url.trim();
  if (ESDB_URL.test(trimmed)) return { kind: 'esdb', connectionString: trimmed, description: redactConnectionString(trimmed) };
  if (/^sqlite:.+/.test(trimmed)) {
    const filename = resolve(trimmed.slice('sqlite:'.length));
    return { kind: 'sqlite', filename, description: `sqlite:${filename}` };
  }
  throw new MigrationError(
    `Unsupported migration target ${JSON.stringify(redactConnectionString(trimmed))}: use esdb://host:2113?tls=false ` +
      '(or esdb+discover://, kurrentdb://) for EventStoreDB, or sqlite:<file> for an embedded store',
  );
}

/**
 * Opens the target. An EventStoreDB target must answer within `connectTimeoutMs` (a closed port fails at
 * once); otherwise a {@link MigrationError} says it cannot be reached.
 */
export async function openMigrationTarget(endpoint: MigrationEndpoint, options: OpenMigrationTargetOptions): Promise<MigrationTarget> {
  if (endpoint.kind === 'sqlite') {
    mkdirSync(dirname(endpoint.filename), { recursive: true });
    const recordedAt = new RecordedAtClock();
    const store = new SqliteEventStore({ filename: endpoint.filename, durability: options.durability, clock: recordedAt.clock });
    return { store, recordedAt, description: endpoint.description };
  }
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  try {
    const store = await EsdbEventStore.open({ connectionString: endpoint.connectionString, connectTimeoutMs });
    return { store, recordedAt: 'metadata', description: endpoint.description };
  } catch (error) {
    if (!(error instanceof EventStoreUnavailable)) throw error;
    const cause = error.cause;
    const reason =
      cause instanceof EsdbTimeout
        ? `no answer within ${connectTimeoutMs} ms`
        : cause instanceof Error && cause.message
          ? cause.message
          : error.message;
    throw new MigrationError(
      `Cannot reach the target EventStoreDB at ${endpoint.description} (${reason}). Check --to and that the server is running`,
      { cause: error },
    );
  }
}
