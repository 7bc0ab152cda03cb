import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { ExportAuditTrailHandler, ReadAuditTrailHandler } from './audit.queries.js';

/** `GET /api/audit`: the audit trail read model as JSON pages or a CSV download. */
@Module({
  controllers: [AuditController],
  providers: [ReadAuditTrailHandler, ExportAuditTrailHandler],
})
export class AuditModule {}
