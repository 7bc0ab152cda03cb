import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { EventStore } from '#event-store';

/** What a request may have written: the event log's head, and the read-model database's rows and changes. */
export interface WriteState {
  position: number;
  /** Sum of `count(*)` over every read-model table. */
  rows: number;
  /** SQLite's `total_changes()` on the application's own read-model connection: any insert, update or delete. */
  changes: number;
}

/** Watches the event store and the read-model database the application itself uses. */
export class WriteProbe {
  private schemaVersion = -1;
  private tableNames: string[] = [];
  private countRows: Database.Statement<[], number> | null = null;
  private readonly selects = new Map<string, Database.Statement<[], unknown[]>>();
  private readonly totalChanges: Database.Statement<[], number>;
  private readonly schema: Database.Statement<[], number>;

  constructor(
    private readonly store: EventStore,
    private readonly db: Database.Database,
    /** Tables left out of counts and checksums (e.g. session bookkeeping that every request touches). */
    private readonly ignored: (table: string) => boolean = () => false,
  ) {
    this.totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck();
    this.schema = db.prepare<[], number>('PRAGMA schema_version').pluck();
  }

  async state(): Promise<WriteState> {
    this.refreshTables();
    return {
      position: await this.store.headPosition(),
      rows: this.countRows ? (this.countRows.get() ?? 0) : 0,
      changes: this.totalChanges.get() ?? 0,
    };
  }

  /** Tables the checksums and counts cover. */
  tables(): string[] {
    this.refreshTables();
    return [...this.tableNames];
  }

  /** sha256 over every table's rows, in rowid order (all columns for tables without rowid). */
  checksum(): string {
    const hash = createHash('sha256');
    for (const table of this.tables()) {
      hash.update(`\u0000${table}\u0000`);
      for (const row of this.select(table).iterate()) {
        hash.update(
          `${row.map((cell) => (Buffer.isBuffer(cell) ? `b:${cell.toString('base64')}` : `${typeof cell}:${String(cell)}`)).join('\u0000')}\u0001`,
        );
      }
    }
    return hash.digest('hex');
  }

  private select(table: string): Database.Statement<[], unknown[]> {
    let statement = this.selects.get(table);
    if (!statement) {
      const quoted = `"${table.replaceAll('"', '""')}"`;
      try {
        statement = this.db.prepare<[], unknown[]>(`SELECT * FROM ${quoted} ORDER BY rowid`).raw();
      } catch {
        const columns = this.db.prepare<[string], number>('SELECT count(*) FROM pragma_table_info(?)').pluck().get(table) ?? 1;
        const order = Array.from({ length: Math.max(1, columns) }, (_, i) => i + 1).join(', ');
        statement = this.db.prepare<[], unknown[]>(`SELECT * FROM ${quoted} ORDER BY ${order}`).raw();
      }
      this.selects.set(table, statement);
    }
    return statement;
  }

  private refreshTables(): void {
    const version = this.schema.get() ?? 0;
    if (version === this.schemaVersion) return;
    this.schemaVersion = version;
    this.selects.clear();
    this.tableNames = this.db
      .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all()
      .filter((name) => !this.ignored(name));
    const counts = this.tableNames.map((name) => `(SELECT count(*) FROM "${name.replaceAll('"', '""')}")`);
    this.countRows = counts.length > 0 ? this.db.prepare<[], number>(`SELECT ${counts.join(' + ')}`).pluck() : null;
  }
}
