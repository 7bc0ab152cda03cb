import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { AuditController } from './audit.controller.js';
import { ExportAuditTrailHandler, ReadAuditTrailHandler } from './audit.queries.js';
import { IntegrityController } from './integrity.controller.js';
import { IntegrityService } from './integrity.service.js';
import { loadSigningKey, SIGNING_KEY } from './signing-key.js';

/**
 * `GET /api/audit`: the audit trail read model as JSON pages or a CSV download; `verify`, `export` and
 * `public-key`: the hash chain, the signed ledger and signed bundles.
 */
@Module({
  controllers: [AuditController, IntegrityController],
  providers: [
    ReadAuditTrailHandler,
    ExportAuditTrailHandler,
    { provide: SIGNING_KEY, inject: [AppConfig], useFactory: (config: AppConfig) => loadSigningKey(config) },
    IntegrityService,
  ],
  exports: [IntegrityService],
})
export class AuditModule {}
