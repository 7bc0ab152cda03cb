import type { ReadModelDb } from './read-model-db.js';

/** Persisted state of a projection: `running` follows the log, `parked` stopped at a poison event. */
export type CheckpointState = 'running' | 'parked';

/** Where a projection stopped because applying an event threw. */
export interface ParkedAt {
  eventId: string;
  position: number;
  error: string;
}

/** One row of `projection_checkpoints`. */
export interface Checkpoint {
  name: string;
  version: number;
  /** Every event at or below this global position has been applied (or skipped as not handled). */
  position: number;
  state: CheckpointState;
  parked: ParkedAt | null;
  updatedAt: string;
}

interface CheckpointRow {
  name: string;
  version: number;
  position: number;
  state: string;
  parked_event_id: string | null;
  parked_position: number | null;
  error: string | null;
  updated_at: string;
}

/** Creates `projection_checkpoints` when absent. */
export function ensureCheckpointTable(db: ReadModelDb): void {
  db.exec(`CREATE TABLE IF NOT EXISTS projection_checkpoints (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'running',
    parked_event_id TEXT,
    parked_position INTEGER,
    error TEXT,
    updated_at TEXT NOT NULL
  )`);
}

function toCheckpoint(row: CheckpointRow): Checkpoint {
  const parked =
    row.state === 'parked'
      ? { eventId: row.parked_event_id ?? '', position: row.parked_position ?? 0, error: row.error ?? '' }
      : null;
  return {
    name: row.name,
    version: row.version,
    position: row.position,
    state: row.state === 'parked' ? 'parked' : 'running',
    parked,
    updatedAt: row.updated_at,
  };
}

/**
 * Reads and writes `projection_checkpoints` with prepared statements. Writes are meant to run inside the
 * same transaction as the read-model changes they account for.
 */
export class CheckpointStore {
  private readonly selectOne;
  private readonly selectAll;
  private readonly upsertReset;
  private readonly updatePosition;
  private readonly updatePark;
  private readonly updateUnpark;
  private readonly upsertAt;

  constructor(
    db: ReadModelDb,
    private readonly clock: () => Date = () => new Date(),
  ) {
    ensureCheckpointTable(db);
    this.selectOne = db.prepare<[string], CheckpointRow>('SELECT * FROM projection_checkpoints WHERE name = ?');
    this.selectAll = db.prepare<[], CheckpointRow>('SELECT * FROM projection_checkpoints ORDER BY name');
    this.upsertReset = db.prepare<[string, number, string]>(
      `INSERT INTO projection_checkpoints (name, version, position, state, updated_at) VALUES (?, ?, 0, 'running', ?)
       ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = 0, state = 'running',
         parked_event_id = NULL, parked_position = NULL, error = NULL, updated_at = excluded.updated_at`,
    );
    this.updatePosition = db.prepare<[number, string, string]>(
      'UPDATE projection_checkpoints SET position = ?, updated_at = ? WHERE name = ?',
    );
    this.updatePark = db.prepare<[string, number, string, string, string]>(
      `UPDATE projection_checkpoints SET state = 'parked', parked_event_id = ?, parked_position = ?, error = ?,
         updated_at = ? WHERE name = ?`,
    );
    this.upsertAt = db.prepare<[string, number, number, string]>(
      `INSERT INTO projection_checkpoints (name, version, position, state, updated_at) VALUES (?, ?, ?, 'running', ?)
       ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position, state = 'running',
         parked_event_id = NULL, parked_position = NULL, error = NULL, updated_at = excluded.updated_at`,
    );
    this.updateUnpark = db.prepare<[string, string]>(
      `UPDATE projection_checkpoints SET state = 'running', parked_event_id = NULL, parked_position = NULL,
         error = NULL, updated_at = ? WHERE name = ?`,
    );
  }

  get(name: string): Checkpoint | undefined {
    const row = this.selectOne.get(name);
    return row ? toCheckpoint(row) : undefined;
  }

  all(): Checkpoint[] {
    return this.selectAll.all().map(toCheckpoint);
  }

  /** Creates or resets the row: given version, position 0, running. */
  reset(name: string, version: number): void {
    this.upsertReset.run(name, version, this.now());
  }

  /** Creates or overwrites the row: given version and position, running (a finished rebuild uses this). */
  set(name: string, version: number, position: number): void {
    this.upsertAt.run(name, version, position, this.now());
  }

  advance(name: string, position: number): void {
    this.updatePosition.run(position, this.now(), name);
  }

  park(name: string, parked: ParkedAt): void {
    this.updatePark.run(parked.eventId, parked.position, parked.error, this.now(), name);
  }

  /** Clears a park so the projection retries from its checkpoint (a CLI `resume` in another process uses this). */
  unpark(name: string): void {
    this.updateUnpark.run(this.now(), name);
  }

  private now(): string {
    return this.clock().toISOString();
  }
}
