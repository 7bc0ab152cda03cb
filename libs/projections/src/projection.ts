import type { RecordedEvent } from '#event-store';
import type { ReadModelDb } from './read-model-db.js';

/**
 * A projection: folds the global event log into read-model tables in `read-models.db`.
 *
 * The runner calls `apply` for each handled event inside one SQLite transaction per batch, together with the
 * checkpoint update, so a batch is applied exactly once or not at all.
 */
export interface Projection {
  /** Stable kebab-case name (`experiment-timeline`); the checkpoint key and the table-name prefix. */
  readonly name: string;
  /** Bump it when the tables or the meaning of `apply` change: the runner then drops the tables and replays. */
  readonly version: number;
  /** Event types passed to `apply`; the checkpoint also advances over all other events. */
  readonly handles: readonly string[];
  /**
   * Creates the tables and indexes (idempotent: `CREATE … IF NOT EXISTS`). Tables must be named with
   * {@link projectionTable} so that a version change or a rebuild can drop them.
   */
  setup(db: ReadModelDb): void;
  /**
   * Applies one event. Synchronous, deterministic, and writes only through `db` (no I/O, clock or randomness),
   * so replaying the log rebuilds the same tables. Throwing parks the projection at this event.
   */
  apply(db: ReadModelDb, event: RecordedEvent): void;
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Throws when the name is not kebab-case or the version not a positive integer. */
export function assertValidProjection(projection: Pick<Projection, 'name' | 'version'>): void {
  if (!NAME.test(projection.name)) {
    throw new Error(`Projection name "${projection.name}" must be kebab-case (a-z, 0-9, single dashes)`);
  }
  if (!Number.isSafeInteger(projection.version) || projection.version < 1) {
    throw new Error(`Projection ${projection.name}: version must be a positive integer`);
  }
}

/** Prefix shared by every table of a projection, across versions: `experiment_timeline__v`. */
export function projectionTablePrefix(name: string): string {
  return `${name.replaceAll('-', '_')}__v`;
}

/**
 * Name of one of a projection's tables: `experiment_timeline__v1__entries`. Names and versions are
 * validated, so the result is a safe SQL identifier and `__` separates the parts unambiguously.
 */
export function projectionTable(projection: Pick<Projection, 'name' | 'version'>, suffix: string): string {
  assertValidProjection(projection);
  if (!/^[a-z][a-z0-9_]*$/.test(suffix) || suffix.includes('__')) {
    throw new Error(`Table suffix "${suffix}" must be snake_case`);
  }
  return `${projectionTablePrefix(projection.name)}${projection.version}__${suffix}`;
}

/** Drops every table of the projection, of every version (indexes go with them). */
export function dropProjectionTables(db: ReadModelDb, name: string): string[] {
  const prefix = projectionTablePrefix(name);
  const tables = db
    .prepare<[string], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB ?")
    .all(`${prefix}[0-9]*__*`)
    .map((row) => row.name);
  for (const table of tables) db.exec(`DROP TABLE IF EXISTS "${table}"`);
  return tables;
}
