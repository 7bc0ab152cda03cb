import type { EventStore } from '#event-store';
import { CheckpointStore, type ParkedAt } from '../checkpoint-store.js';
import type { Projection } from '../projection.js';
import type { ReadModelDb } from '../read-model-db.js';
import { ProjectionLeases, type ProjectionLease } from './projection-lease.js';

/**
 * A projection's state as stored in `read-models.db`, readable from any process: `running` (follows the
 * log), `parked` (stopped at a poison event), `rebuilding` (someone holds its lease), `new` (no checkpoint
 * yet: the API has not started it), `outdated` (stored under another version: the API resets it at start).
 */
export type StoredProjectionState = 'running' | 'parked' | 'rebuilding' | 'new' | 'outdated';

/** One line of `projections status`. */
export interface StoredProjectionStatus {
  name: string;
  /** Version in this code. */
  version: number;
  /** Version of the stored tables; null when there is no checkpoint yet. */
  storedVersion: number | null;
  state: StoredProjectionState;
  checkpoint: number;
  /** Head of the log minus the checkpoint; null when the store could not be asked. */
  lag: number | null;
  parked?: ParkedAt;
  lease?: ProjectionLease;
}

/** Reads every projection's checkpoint row and live lease, and the head of the log (`store` null: lag unknown). */
export async function readStoredStatus(
  db: ReadModelDb,
  store: EventStore | null,
  projections: readonly Projection[],
  clock: () => number = Date.now,
): Promise<StoredProjectionStatus[]> {
  let head: number | null = null;
  try {
    head = store ? await store.headPosition() : null;
  } catch {
    head = null;
  }
  const checkpoints = new CheckpointStore(db);
  const leases = new ProjectionLeases(db, clock);
  return projections.map((projection) => {
    const stored = checkpoints.get(projection.name);
    const lease = leases.live(projection.name);
    const checkpoint = stored?.position ?? 0;
    let state: StoredProjectionState;
    if (lease) state = 'rebuilding';
    else if (!stored) state = 'new';
    else if (stored.version !== projection.version) state = 'outdated';
    else state = stored.state;
    const status: StoredProjectionStatus = {
      name: projection.name,
      version: projection.version,
      storedVersion: stored?.version ?? null,
      state,
      checkpoint,
      lag: head === null ? null : Math.max(0, head - checkpoint),
    };
    if (stored?.parked) status.parked = stored.parked;
    if (lease) status.lease = lease;
    return status;
  });
}
