import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  auditTrailCsv,
  auditTrailPage,
  type AuditCsvExport,
  type AuditEntry,
  type AuditTrailFilter,
  type AuditTrailQuery,
  type ListPage,
  type ReadModelDb,
} from '#projections';
import { withCursorProblem } from '../http/cursor-problem.js';
import { READ_MODELS } from '../infrastructure/infrastructure.module.js';

/** One page of the audit trail. */
export class ReadAuditTrail extends Query<ListPage<AuditEntry>> {
  constructor(readonly query: AuditTrailQuery) {
    super();
  }
}

/** The audit trail as a CSV stream (validated when executed, read as the client downloads it). */
export class ExportAuditTrail extends Query<AuditCsvExport> {
  constructor(readonly filter: AuditTrailFilter & { cursor?: string }) {
    super();
  }
}

const CURSOR_PROBLEM = 'The cursor is not valid for the audit trail';

/** Reads a page of the audit trail from the read models. */
@QueryHandler(ReadAuditTrail)
export class ReadAuditTrailHandler implements IQueryHandler<ReadAuditTrail, ListPage<AuditEntry>> {
  constructor(@Inject(READ_MODELS) private readonly db: ReadModelDb) {}

  async execute({ query }: ReadAuditTrail): Promise<ListPage<AuditEntry>> {
    return withCursorProblem(() => auditTrailPage(this.db, query), CURSOR_PROBLEM);
  }
}

/** Validates an export and prepares its CSV chunks, which are read from the read models as they are sent. */
@QueryHandler(ExportAuditTrail)
export class ExportAuditTrailHandler implements IQueryHandler<ExportAuditTrail, AuditCsvExport> {
  constructor(@Inject(READ_MODELS) private readonly db: ReadModelDb) {}

  async execute({ filter }: ExportAuditTrail): Promise<AuditCsvExport> {
    return withCursorProblem(() => auditTrailCsv(this.db, filter), CURSOR_PROBLEM);
  }
}
