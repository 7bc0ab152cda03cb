import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  auditTrailCsv,
  auditTrailPage,
  InvalidCursor,
  type AuditCsvExport,
  type AuditEntry,
  type AuditTrailFilter,
  type AuditTrailQuery,
  type ListPage,
  type ReadModelDb,
} from '#projections';
import { validationProblem } from '../http/problem.js';
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

/** Runs `read`; a cursor the audit trail refuses is a 400 on the `cursor` field. */
function withCursorProblem<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InvalidCursor) throw validationProblem([{ field: 'cursor', message: error.message }], 'The cursor is not valid for the audit trail');
    throw error;
  }
}

/** Reads a page of the audit trail from the read models. */
@QueryHandler(ReadAuditTrail)
export class ReadAuditTrailHandler implements IQueryHandler<ReadAuditTrail, ListPage<AuditEntry>> {
  constructor(@Inject(READ_MODELS) private readonly db: ReadModelDb) {}

  async execute({ query }: ReadAuditTrail): Promise<ListPage<AuditEntry>> {
    return withCursorProblem(() => auditTrailPage(this.db, query));
  }
}

/** Validates an export and prepares its CSV chunks, which are read from the read models as they are sent. */
@QueryHandler(ExportAuditTrail)
export class ExportAuditTrailHandler implements IQueryHandler<ExportAuditTrail, AuditCsvExport> {
  constructor(@Inject(READ_MODELS) private readonly db: ReadModelDb) {}

  async execute({ filter }: ExportAuditTrail): Promise<AuditCsvExport> {
    return withCursorProblem(() => auditTrailCsv(this.db, filter));
  }
}
