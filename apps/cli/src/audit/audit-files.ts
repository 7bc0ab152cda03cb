import {
  AUDIT_TRAIL,
  auditTrailProjection,
  LEDGER,
  ledgerProjection,
  ledgerSignaturesPath,
  openLedgerSignatures,
  ProjectionRunner,
  type LedgerSignatureDb,
} from '#projections';
import type { SigningKey } from '#event-store';
import { loadSigningKey } from '../../../api/src/audit/signing-key.js';
import type { TrackerContext } from '../tracker-context.js';

/** How long the CLI waits for the ledger and audit trail to reach the head of the log. */
const CATCH_UP_MS = 120_000;

/** The signed ledger heads and the signing key, as the API finds them in the data directory. */
export interface AuditFiles {
  signatures: LedgerSignatureDb;
  key: SigningKey;
}

/** Opens `ledger-signatures.db` and loads the signing key; the caller closes `signatures`. */
export function openAuditFiles(context: TrackerContext): AuditFiles {
  const key = loadSigningKey(context.config);
  return { key, signatures: openLedgerSignatures(ledgerSignaturesPath(context.config.dataDir)) };
}

/**
 * Brings the ledger and the audit trail up to the head of the log, as a running API would (safe beside one:
 * each batch re-reads the checkpoint in its transaction). False when they did not get there in time (a parked
 * projection, or a rebuild holding the lease).
 */
export async function catchUpAuditProjections(context: TrackerContext): Promise<boolean> {
  const store = await context.eventStore();
  const runner = new ProjectionRunner({ store, db: context.readModels(), projections: [auditTrailProjection, ledgerProjection], pollIntervalMs: 0 });
  await runner.start();
  try {
    return await runner.waitFor(await store.headPosition(), CATCH_UP_MS, { projections: [AUDIT_TRAIL.name, LEDGER.name] });
  } finally {
    await runner.stop();
  }
}
