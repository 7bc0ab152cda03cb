import { Readable } from 'node:stream';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { AuditEntry, AuditTrailFilter, ListPage } from '#projections';
import { Visible, type Visibility } from '../auth/principal.js';
import { validationProblem } from '../http/problem.js';
import { parseInstant, toIso } from '../http/time.js';
import { ExportAuditTrail, ReadAuditTrail } from './audit.queries.js';
import { AuditRequest } from './audit.requests.js';

class AuditActorDoc {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['staff', 'lead', 'partner', 'system'] }) role: string;
}

class AuditEntryDoc implements AuditEntry {
  @ApiProperty({ description: 'Global position in the event log' }) position: number;
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ example: 'experiment-0192f1e2-0000-7000-8000-000000000001' }) stream: string;
  @ApiProperty({ description: 'The event’s version within its stream' }) streamVersion: number;
  @ApiProperty({ example: 'ExperimentStarted' }) type: string;
  @ApiProperty({ description: 'Schema version the event was stored with' }) schemaVersion: number;
  @ApiProperty({ format: 'date-time', description: 'Store time' }) recordedAt: string;
  @ApiProperty({ format: 'date-time', description: 'Business time' }) occurredAt: string;
  @ApiProperty({ type: AuditActorDoc }) actor: AuditActorDoc;
  @ApiProperty() correlationId: string;
  @ApiProperty({ type: String, nullable: true }) causationId: string | null;
  @ApiProperty({ example: 'api' }) source: string;
}

class AuditPageDoc {
  @ApiProperty({ type: [AuditEntryDoc] }) items: AuditEntryDoc[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' })
  nextCursor: string | null;
}

/** `GET /api/audit`: who recorded what, when, in which stream; as JSON pages or one CSV download. */
@ApiTags('audit')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'The audit trail: the envelope of every event (no data), oldest first',
    description:
      'json: pages of limit events in position order; follow nextCursor until it is null. csv: every matching event ' +
      'up to the newest position when the download began (named in the file name), as RFC 4180 CSV; text that a ' +
      "spreadsheet would run as a formula starts with '. from/to bound recordedAt (inclusive).",
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: AuditPageDoc })
  @ApiBadRequestResponse({ description: 'An unknown or invalid query parameter, to before from, limit with csv, or a cursor not from the audit trail' })
  async trail(@Query() request: AuditRequest, @Visible() visible: Visibility): Promise<ListPage<AuditEntry> | StreamableFile> {
    const { format, limit, cursor, ...filters } = request;
    const filter = { ...resolveFilter(filters), streams: visible.streams() };
    if (format !== 'csv') return this.queries.execute(new ReadAuditTrail({ ...filter, limit, cursor }));
    if (limit !== undefined) {
      throw validationProblem([{ field: 'limit', message: 'limit pages the json format; csv has every matching event (resume with cursor)' }]);
    }
    const csv = await this.queries.execute(new ExportAuditTrail({ ...filter, cursor }));
    return new StreamableFile(Readable.from(csv.chunks), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="audit-trail-through-${csv.throughPosition}.csv"`,
    });
  }
}

/** Dates to Oslo day bounds, instants to UTC; stream ids to lower case, as they are stored. */
export function resolveFilter(request: Omit<AuditRequest, 'format' | 'limit' | 'cursor'>): AuditTrailFilter {
  const from = request.from === undefined ? null : parseInstant(request.from, 'start');
  const to = request.to === undefined ? null : parseInstant(request.to, 'end');
  if (from !== null && to !== null && from > to) throw validationProblem([{ field: 'to', message: 'to must not be before from' }]);
  return {
    stream: request.stream?.toLowerCase(),
    actor: request.actor,
    type: request.type,
    from: from === null ? undefined : toIso(from),
    to: to === null ? undefined : toIso(to),
  };
}
