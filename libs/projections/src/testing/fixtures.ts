import type { EventToAppend } from '#event-store';
import { InMemoryEventStore } from '#event-store';
import type { Projection } from '../projection.js';
import { projectionTable } from '../projection.js';
import type { ReadModelDb } from '../read-model-db.js';

let counter = 0;

/** An event to append, with a fresh id and business time `occurredAt`. */
export function event(type: string, data: object = {}, occurredAt = '2024-01-01T10:00:00.000Z'): EventToAppend {
  counter++;
  return {
    eventId: `00000000-0000-7000-8000-${String(counter).padStart(12, '0')}`,
    type,
    data,
    metadata: {
      correlationId: 'corr',
      causationId: null,
      actor: { id: 'user-1', role: 'staff' },
      occurredAt,
      schemaVersion: 1,
      source: 'test',
    },
  };
}

/** An in-memory store whose recordedAt follows a settable clock. */
export function storeWithClock(start = '2024-06-01T12:00:00.000Z'): {
  store: InMemoryEventStore;
  setNow: (iso: string) => void;
} {
  let now = new Date(start);
  const store = new InMemoryEventStore(() => now);
  return { store, setNow: (iso) => (now = new Date(iso)) };
}

/** A projection that inserts one row per handled event (no unique key, so a double apply shows as a duplicate). */
export interface RecordingProjection extends Projection {
  readonly table: string;
  /** Apply throws what this returns, when it returns something. */
  failWith: (type: string, data: Record<string, unknown>) => unknown;
  rows(db: ReadModelDb): Array<{ position: number; type: string }>;
}

export function recordingProjection(
  name: string,
  version = 1,
  handles: readonly string[] = ['Tick', 'Poison'],
): RecordingProjection {
  const table = projectionTable({ name, version }, 'rows');
  const projection: RecordingProjection = {
    name,
    version,
    handles,
    table,
    failWith: () => undefined,
    setup(db) {
      db.exec(
        `CREATE TABLE IF NOT EXISTS "${table}" (id INTEGER PRIMARY KEY AUTOINCREMENT, position INTEGER, type TEXT)`,
      );
    },
    apply(db, e) {
      const failure = projection.failWith(e.type, e.data as Record<string, unknown>);
      if (failure !== undefined) throw failure;
      db.prepare(`INSERT INTO "${table}" (position, type) VALUES (?, ?)`).run(e.position, e.type);
    },
    rows(db) {
      return db
        .prepare<[], { position: number; type: string }>(`SELECT position, type FROM "${table}" ORDER BY id`)
        .all();
    },
  };
  return projection;
}
