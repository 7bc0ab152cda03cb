import type { EventStore, RecordedEvent } from '#event-store';
import { CheckpointStore } from '../checkpoint-store.js';
import { silentLogger, type ProjectionLogger } from '../logger.js';
import { assertValidProjection, projectionTablePrefix, type Projection } from '../projection.js';
import type { ReadModelDb } from '../read-model-db.js';
import { LeaseUnavailable, leaseHolderId, ProjectionLeases } from './projection-lease.js';
import { openShadowDb, removeShadowDb, shadowDbPath } from './shadow-db.js';

/** Options for {@link rebuildProjection}. */
export interface RebuildOptions {
  store: EventStore;
  /** The live read-model database (`read-models.db`); only the flip writes it. */
  db: ReadModelDb;
  projection: Projection;
  /** Where to build; defaults to {@link shadowDbPath} beside the live file (required when `db` is in memory). */
  shadowFile?: string;
  /** Lease holder id; defaults to `rebuild:<host>:<pid>`. */
  holder?: string;
  /** Events per shadow transaction. Defaults to 5000. */
  batchSize?: number;
  /** How long the lease lasts unless renewed; it is renewed every third of it. Defaults to 15 s. */
  leaseTtlMs?: number;
  /**
   * Replay passes repeat (up to 5) until a pass finds at most this many new events; what arrives after the last
   * pass is the flip's tail. Defaults to `batchSize`.
   */
  maxTailEvents?: number;
  onProgress?: (progress: RebuildProgress) => void;
  /** Aborting stops before the flip; the live tables stay as they were. */
  signal?: AbortSignal;
  logger?: ProjectionLogger;
  clock?: () => Date;
}

/** Reported after each shadow batch and at the flip. */
export interface RebuildProgress {
  projection: string;
  phase: 'replay' | 'flip' | 'done';
  /** Global position replayed so far. */
  position: number;
  /** Head of the log the current pass replays to. */
  head: number;
  /** Events read so far (handled or not). */
  events: number;
  elapsedMs: number;
}

/** What a finished rebuild did. */
export interface RebuildResult {
  projection: string;
  version: number;
  /** The checkpoint after the flip: the head of the log at the flip. */
  checkpoint: number;
  /** Events replayed into the shadow database. */
  events: number;
  /** Events after the shadow's checkpoint, applied to the live tables inside the flip. */
  tailEvents: number;
  /** Tables copied, with their row counts. */
  tables: Record<string, number>;
  durationMs: number;
  /** How long the flip held the write lock of `read-models.db`. */
  flipMs: number;
}

/** Thrown when the projection cannot apply an event during a rebuild; the live tables are left untouched. */
export class RebuildFailed extends Error {
  constructor(
    readonly projection: string,
    readonly event: Pick<RecordedEvent, 'eventId' | 'position' | 'type'>,
    cause: unknown,
  ) {
    super(
      `Rebuild of ${projection} failed at position ${event.position} (${event.type} ${event.eventId}): ` +
        `${cause instanceof Error ? cause.message : String(cause)}. The live read model is unchanged.`,
      { cause },
    );
    this.name = 'RebuildFailed';
  }
}

const SHADOW_SCHEMA = 'rebuild_shadow';
const MAX_PASSES = 5;
const SAFE_IDENTIFIER = /^[a-z0-9_]+$/;

/**
 * Blue/green rebuild of one projection, safe while the API serves and writes:
 * 1. take the projection's lease (the API's runner pauses the projection; its tables stay readable);
 * 2. replay the log from position 0 into a shadow database file, `batchSize` events per transaction,
 *    renewing the lease, repeating passes until few events are left;
 * 3. flip in one `BEGIN IMMEDIATE` transaction on the live file: drop the projection's tables, run `setup`,
 *    copy the shadow's tables, apply the tail (events since the shadow's checkpoint up to the head) and set
 *    the checkpoint to the head. Readers see the old tables until the commit, the new ones after;
 * 4. delete the shadow and release the lease: the runner resumes after the new checkpoint.
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildResult> {
  const { store, db, projection } = options;
  assertValidProjection(projection);
  const name = projection.name;
  const now = options.clock ?? (() => new Date());
  const ms = () => now().getTime();
  const logger = options.logger ?? silentLogger;
  const batchSize = Math.max(1, Math.trunc(options.batchSize ?? 5000));
  const ttl = Math.max(1000, Math.trunc(options.leaseTtlMs ?? 15_000));
  const maxTail = Math.max(0, Math.trunc(options.maxTailEvents ?? batchSize));
  const holder = options.holder ?? leaseHolderId('rebuild');
  const shadowFile = options.shadowFile ?? defaultShadowFile(db, name);
  const handles = new Set(projection.handles);
  const leases = new ProjectionLeases(db, ms);
  const started = ms();

  const lease = leases.acquire(name, holder, ttl);
  if (lease.holder !== holder) throw new LeaseUnavailable(name, lease.holder, lease.expiresAt);
  let renewedAt = ms();
  const keepLease = (force = false) => {
    if (!force && ms() - renewedAt < ttl / 3) return;
    if (!leases.renew(name, holder, ttl)) {
      throw new Error(`Rebuild of ${name} lost its lease (it lapsed or was taken over); the live read model is unchanged`);
    }
    renewedAt = ms();
  };
  const report = (phase: RebuildProgress['phase'], position: number, head: number, events: number) =>
    options.onProgress?.({ projection: name, phase, position, head, events, elapsedMs: ms() - started });

  let shadow: ReadModelDb | undefined;
  try {
    logger.info({ projection: name, version: projection.version, shadowFile }, `rebuilding ${name} into ${shadowFile}`);
    shadow = openShadowDb(shadowFile);
    const shadowDb = shadow;
    const shadowCheckpoints = new CheckpointStore(shadowDb, now);
    shadowDb.transaction(() => {
      projection.setup(shadowDb);
      shadowCheckpoints.reset(name, projection.version);
    })();

    let position = 0;
    let events = 0;
    let head = await store.headPosition();
    report('replay', position, head, events);
    // Passes up to the head as it was when each began, until a pass finds few new events: the rest is the tail.
    for (let pass = 1; ; pass++) {
      let read = 0;
      for await (const batch of store.readAll({ after: position, upTo: head, batchSize })) {
        if (options.signal?.aborted) throw abortError(name);
        const last = batch[batch.length - 1].position;
        shadowDb.transaction(() => {
          applyAll(projection, handles, shadowDb, batch);
          shadowCheckpoints.advance(name, last);
        })();
        position = last;
        read += batch.length;
        events += batch.length;
        keepLease();
        report('replay', position, head, events);
      }
      position = Math.max(position, head);
      if ((pass > 1 && read <= maxTail) || pass >= MAX_PASSES) break;
      const latest = await store.headPosition();
      if (latest === position) break;
      head = latest;
    }
    shadow.close();
    shadow = undefined;

    if (options.signal?.aborted) throw abortError(name);
    keepLease(true);
    const flipHead = await store.headPosition();
    const tail: RecordedEvent[] = [];
    for await (const batch of store.readAll({ after: position, upTo: flipHead, batchSize })) tail.push(...batch);
    report('flip', position, flipHead, events);
    const flipStarted = ms();
    const tables = flip({ db, shadowFile, projection, handles, tail, head: Math.max(flipHead, position), leases, holder, now });
    const flipMs = ms() - flipStarted;
    const result: RebuildResult = {
      projection: name,
      version: projection.version,
      checkpoint: Math.max(flipHead, position),
      events,
      tailEvents: tail.length,
      tables,
      durationMs: ms() - started,
      flipMs,
    };
    report('done', result.checkpoint, result.checkpoint, events + tail.length);
    logger.info({ ...result }, `rebuilt ${name} v${projection.version} up to position ${result.checkpoint}`);
    return result;
  } finally {
    shadow?.close();
    const current = leases.get(name);
    if (!current || current.holder === holder) removeShadowDb(shadowFile);
    leases.release(name, holder);
  }
}

interface FlipInput {
  db: ReadModelDb;
  shadowFile: string;
  projection: Projection;
  handles: ReadonlySet<string>;
  tail: readonly RecordedEvent[];
  head: number;
  leases: ProjectionLeases;
  holder: string;
  now: () => Date;
}

/** The one short write transaction that swaps the shadow's tables in. Returns the row count per table. */
function flip(input: FlipInput): Record<string, number> {
  const { db, projection, handles, tail, head, leases, holder } = input;
  const name = projection.name;
  const checkpoints = new CheckpointStore(db, input.now);
  db.prepare(`ATTACH DATABASE ? AS ${SHADOW_SCHEMA}`).run(input.shadowFile);
  try {
    return db
      .transaction(() => {
        if (!leases.holds(name, holder)) {
          throw new Error(`Rebuild of ${name} lost its lease before the flip; the live read model is unchanged`);
        }
        dropTables(db, name);
        projection.setup(db);
        const copied: Record<string, number> = {};
        for (const table of tablesOf(db, SHADOW_SCHEMA, name)) {
          if (table.type !== 'table' && table.type !== 'virtual') continue;
          if (!tablesOf(db, 'main', name).some((t) => t.name === table.name)) createLike(db, table.name);
          copied[table.name] = copyTable(db, name, table);
        }
        applyAll(projection, handles, db, tail);
        checkpoints.set(name, projection.version, head);
        return copied;
      })
      .immediate();
  } finally {
    db.exec(`DETACH DATABASE ${SHADOW_SCHEMA}`);
  }
}

interface TableEntry {
  name: string;
  /** `table`, `virtual` (FTS …), `shadow` (a virtual table's storage), `view`. */
  type: string;
  /** 1 for WITHOUT ROWID. */
  wr: number;
}

/** The projection's tables (every version) in `schema`; only plain snake_case names, as they are interpolated into SQL. */
function tablesOf(db: ReadModelDb, schema: 'main' | typeof SHADOW_SCHEMA, projection: string): TableEntry[] {
  const pattern = new RegExp(`^${projectionTablePrefix(projection)}[0-9]+__[a-z0-9_]+$`);
  return db
    .prepare<[], TableEntry>(`PRAGMA ${schema}.table_list`)
    .all()
    .filter((table) => pattern.test(table.name) && SAFE_IDENTIFIER.test(table.name))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Drops the projection's live tables: virtual tables first (their shadow tables go with them). */
function dropTables(db: ReadModelDb, projection: string): void {
  const order = ['virtual', 'table', 'shadow'];
  const tables = tablesOf(db, 'main', projection).filter((t) => order.includes(t.type));
  tables.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
  for (const table of tables) db.exec(`DROP TABLE IF EXISTS main."${table.name}"`);
}

/**
 * `INSERT INTO main.t SELECT … FROM shadow.t`, keeping rowids (an FTS index refers to them). Virtual tables
 * are copied through the module, which indexes the rows again; their shadow tables are skipped.
 */
function copyTable(db: ReadModelDb, projection: string, table: TableEntry): number {
  const triggers = db
    .prepare<[string], { name: string }>("SELECT name FROM main.sqlite_master WHERE type = 'trigger' AND tbl_name = ?")
    .all(table.name);
  if (triggers.length > 0) {
    throw new Error(`Rebuild of ${projection}: table ${table.name} has triggers, which copying its rows would fire`);
  }
  const info = db
    .prepare<[], { name: string; type: string; pk: number }>(`PRAGMA ${SHADOW_SCHEMA}.table_info("${table.name}")`)
    .all();
  const columns = info.map((column) => `"${column.name.replaceAll('"', '""')}"`);
  const sql =
    db
      .prepare<[string], string>(`SELECT sql FROM ${SHADOW_SCHEMA}.sqlite_master WHERE name = ?`)
      .pluck()
      .get(table.name) ?? '';
  let keepRowid: boolean;
  if (table.type === 'virtual') {
    keepRowid = /\busing\s+fts[345]\b/i.test(sql);
    if (keepRowid && /\bcontent\s*=\s*(''|"")/i.test(sql)) {
      throw new Error(`Rebuild of ${projection}: contentless full-text table ${table.name} cannot be copied`);
    }
  } else {
    const keys = info.filter((column) => column.pk > 0);
    const rowidAlias = keys.length === 1 && keys[0].type.toUpperCase() === 'INTEGER';
    keepRowid = table.wr === 0 && !rowidAlias;
  }
  const list = (keepRowid ? ['rowid', ...columns] : columns).join(', ');
  return db.prepare(`INSERT INTO main."${table.name}" (${list}) SELECT ${list} FROM ${SHADOW_SCHEMA}."${table.name}"`).run()
    .changes;
}

/** Creates a table the projection's setup did not (made lazily by apply) from the shadow's own SQL. */
function createLike(db: ReadModelDb, table: string): void {
  const statements = db
    .prepare<[string], { sql: string | null }>(
      `SELECT sql FROM ${SHADOW_SCHEMA}.sqlite_master WHERE tbl_name = ? AND type IN ('table', 'index') ORDER BY type = 'index'`,
    )
    .all(table);
  for (const { sql } of statements) if (sql) db.exec(sql);
}

function applyAll(projection: Projection, handles: ReadonlySet<string>, db: ReadModelDb, events: readonly RecordedEvent[]): void {
  for (const event of events) {
    if (!handles.has(event.type)) continue;
    try {
      projection.apply(db, event);
    } catch (error) {
      throw new RebuildFailed(projection.name, event, error);
    }
  }
}

function defaultShadowFile(db: ReadModelDb, name: string): string {
  if (db.memory || db.name === '' || db.name.startsWith('file:')) {
    throw new Error('rebuildProjection: pass shadowFile when the read-model database is not a plain file');
  }
  return shadowDbPath(db.name, name);
}

function abortError(name: string): Error {
  return new Error(`Rebuild of ${name} was interrupted; the live read model is unchanged`);
}
