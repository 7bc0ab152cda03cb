import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { EventStore, type RecordedEvent, type SigningKey } from '#event-store';
import {
  AUDIT_TRAIL,
  buildAuditBundle,
  LEDGER,
  ledgerSignaturesPath,
  openLedgerSignatures,
  ProjectionRunner,
  sealLedger,
  verifyIntegrity,
  type LedgerSignatureDb,
  type AuditBundle,
  type AuditTrailFilter,
  type IntegrityReport,
  type ReadModelDb,
} from '#projections';
import { AppConfig } from '../config/app-config.js';
import { READ_MODELS } from '../infrastructure/infrastructure.module.js';
import { SIGNING_KEY } from './signing-key.js';

/** How often the newest ledger head is signed. */
const SEAL_INTERVAL_MS = 1000;
/** How long a verify or export waits for the ledger (and audit trail) to reach the log's head. */
const CATCH_UP_MS = 5000;

/** What an export contains. */
export interface BundleRequest {
  filter: AuditTrailFilter;
  previous?: number;
  /** Partner scope: true for an event the recipient may not read (it travels as its hashes only). */
  redact?: (event: RecordedEvent) => boolean;
}

/**
 * Signs the ledger's heads as it advances (every second, and before each verify or export) into
 * `<data dir>/ledger-signatures.db`, verifies the audit trail and builds signed bundles.
 */
@Injectable()
export class IntegrityService implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('Integrity');
  private readonly signatures: LedgerSignatureDb;
  private timer: NodeJS.Timeout | undefined;
  private lastRefusal: string | null = null;

  constructor(
    private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly db: ReadModelDb,
    private readonly runner: ProjectionRunner,
    @Inject(SIGNING_KEY) readonly key: SigningKey,
    config: AppConfig,
  ) {
    this.signatures = openLedgerSignatures(ledgerSignaturesPath(config.dataDir));
  }

  onApplicationBootstrap(): void {
    this.logger.log(`Ledger heads are signed with Ed25519 key ${this.key.keyId}`);
    this.timer = setInterval(() => this.seal(), SEAL_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  onApplicationShutdown(): void {
    this.signatures.close();
  }

  /** Signs what the ledger witnessed since the last seal; logs (once per reason) when it refuses. */
  seal(): void {
    try {
      const outcome = sealLedger(this.db, this.signatures, this.key);
      if (!('refused' in outcome)) {
        this.lastRefusal = null;
        return;
      }
      if (outcome.refused === this.lastRefusal) return;
      this.lastRefusal = outcome.refused;
      if (outcome.changed) this.logger.error(`Not signing the ledger: ${outcome.refused}. Run GET /api/audit/verify.`);
      else this.logger.warn(`Not signing the ledger yet: ${outcome.refused}`);
    } catch (error) {
      this.logger.warn(`Signing the ledger failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Re-walks every stream's chain, the ledger and the signed heads (see verifyIntegrity), up to `upTo` if given. */
  async verify(upTo?: number): Promise<IntegrityReport> {
    await this.catchUp([LEDGER.name]);
    return verifyIntegrity(this.store, { db: this.db, signatures: this.signatures, publicKey: this.key.publicKey, upTo });
  }

  /** A signed bundle; throws AuditTrailBroken when the log does not verify. */
  async bundle(request: BundleRequest): Promise<AuditBundle> {
    await this.catchUp([LEDGER.name, AUDIT_TRAIL.name]);
    return buildAuditBundle(this.store, { db: this.db, signatures: this.signatures, key: this.key, ...request });
  }

  /** Waits (bounded) until the named projections reach the log's head, then signs the ledger's newest head. */
  private async catchUp(projections: string[]): Promise<void> {
    await this.runner.waitFor(await this.store.headPosition(), CATCH_UP_MS, { projections });
    this.seal();
  }
}
