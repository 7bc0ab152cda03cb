import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { AUDITED_EVENT_TYPES } from '#projections';
import { IsBusinessTime } from '../http/validators.js';
import { ListRequest } from '../lists/list.requests.js';

/** Formats of `GET /api/audit`. */
export const AUDIT_FORMATS = ['json', 'csv'] as const;
/** `json` pages or one `csv` download. */
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

const RECORDED = 'Recorded (store time) at or after this instant. A bare date is 00:00 Europe/Oslo';

/** `GET /api/audit` query: filters, paging (json) and format. */
export class AuditRequest extends PickType(ListRequest, ['limit', 'cursor'] as const) {
  @ApiPropertyOptional({
    description: 'A stream name (exact, e.g. experiment-<id>; ids in any case) or a category without a dash (e.g. experiment)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[^\s,]+$/, { message: 'stream must be one stream name or category, without spaces' })
  stream?: string;

  @ApiPropertyOptional({ description: 'Actor id, exact (e.g. system)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/\S/, { message: 'actor must not be blank' })
  actor?: string;

  @ApiPropertyOptional({ enum: AUDITED_EVENT_TYPES, description: 'Event type, exact' })
  @IsOptional()
  @IsIn(AUDITED_EVENT_TYPES, { message: 'type must be an event type name such as ExperimentStarted' })
  type?: string;

  @ApiPropertyOptional({ example: '2019-01-01', description: RECORDED })
  @IsOptional()
  @IsBusinessTime()
  from?: string;

  @ApiPropertyOptional({ example: '2019-12-31', description: 'Recorded at or before this instant. A bare date is the end of that day, Europe/Oslo' })
  @IsOptional()
  @IsBusinessTime()
  to?: string;

  @ApiPropertyOptional({ enum: AUDIT_FORMATS, default: 'json', description: 'csv streams every matching event (use cursor to resume; limit is for json pages)' })
  @IsOptional()
  @IsIn(AUDIT_FORMATS)
  format?: AuditFormat;
}
