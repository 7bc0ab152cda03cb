import { hostname } from 'node:os';
import type { ReadModelDb } from '../read-model-db.js';

/** A row of `projection_leases`: who may write a projection's live tables until when. */
export interface ProjectionLease {
  name: string;
  holder: string;
  /** Milliseconds since the epoch; the lease is void from then on. */
  expiresAt: number;
}

interface LeaseRow {
  name: string;
  holder: string;
  expires_at: number;
}

/** Creates `projection_leases` when absent. */
export function ensureLeaseTable(db: ReadModelDb): void {
  db.exec(`CREATE TABLE IF NOT EXISTS projection_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  )`);
}

/** A holder id naming this process: `<role>:<host>:<pid>`. */
export function leaseHolderId(role: string): string {
  return `${role}:${hostname()}:${process.pid}`;
}

/**
 * Leases on projections in `read-models.db`. Whoever holds a live lease on a projection is its only writer:
 * the runner pauses that projection until the lease is released or expires. A lease that lapsed cannot be
 * renewed, so a holder that was stalled past its expiry finds out before writing.
 */
export class ProjectionLeases {
  private readonly selectOne;
  private readonly selectAll;
  private readonly insertOrTake;
  private readonly extend;
  private readonly remove;

  constructor(
    private readonly db: ReadModelDb,
    private readonly clock: () => number = Date.now,
  ) {
    ensureLeaseTable(db);
    this.selectOne = db.prepare<[string], LeaseRow>('SELECT * FROM projection_leases WHERE name = ?');
    this.selectAll = db.prepare<[], LeaseRow>('SELECT * FROM projection_leases ORDER BY name');
    this.insertOrTake = db.prepare<[string, string, number, string, number]>(
      `INSERT INTO projection_leases (name, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE projection_leases.holder = ? OR projection_leases.expires_at <= ?`,
    );
    this.extend = db.prepare<[number, string, string, number]>(
      'UPDATE projection_leases SET expires_at = ? WHERE name = ? AND holder = ? AND expires_at > ?',
    );
    this.remove = db.prepare<[string, string]>('DELETE FROM projection_leases WHERE name = ? AND holder = ?');
  }

  /** The lease row, live or lapsed. */
  get(name: string): ProjectionLease | undefined {
    const row = this.selectOne.get(name);
    return row ? toLease(row) : undefined;
  }

  /** Every lease row, live or lapsed. */
  all(): ProjectionLease[] {
    return this.selectAll.all().map(toLease);
  }

  /** The live lease on `name`, if any. */
  live(name: string): ProjectionLease | undefined {
    const lease = this.get(name);
    return lease && lease.expiresAt > this.clock() ? lease : undefined;
  }

  /**
   * Takes (or re-takes) the lease for `ttlMs` when it is free, lapsed or already `holder`'s. Returns the lease
   * now in force: `holder`'s on success, the other holder's otherwise.
   */
  acquire(name: string, holder: string, ttlMs: number): ProjectionLease {
    return this.db
      .transaction(() => {
        const now = this.clock();
        this.insertOrTake.run(name, holder, now + ttlMs, holder, now);
        return this.get(name) as ProjectionLease;
      })
      .immediate();
  }

  /** Extends `holder`'s live lease by `ttlMs` from now; false when it lapsed or was taken over. */
  renew(name: string, holder: string, ttlMs: number): boolean {
    const now = this.clock();
    return this.extend.run(now + ttlMs, name, holder, now).changes === 1;
  }

  /** True when `holder` holds a live lease on `name` (call inside the transaction that relies on it). */
  holds(name: string, holder: string): boolean {
    const lease = this.live(name);
    return lease?.holder === holder;
  }

  /** Gives the lease up (no effect when someone else holds it now). */
  release(name: string, holder: string): void {
    this.remove.run(name, holder);
  }
}

function toLease(row: LeaseRow): ProjectionLease {
  return { name: row.name, holder: row.holder, expiresAt: row.expires_at };
}

/** Thrown when a projection's lease is held by someone else. */
export class LeaseUnavailable extends Error {
  constructor(
    readonly projection: string,
    readonly holder: string,
    readonly expiresAt: number,
  ) {
    super(
      `Projection ${projection} is leased by ${holder} until ${new Date(expiresAt).toISOString()} ` +
        '(another rebuild is running; retry after it finishes or the lease expires)',
    );
    this.name = 'LeaseUnavailable';
  }
}
