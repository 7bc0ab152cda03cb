import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { DOCUMENT_FORMATS, type DocumentFormat } from '#projections';
import { ThemeFilter, TimeBound } from '../learnings/learning.requests.js';
import { LANGUAGES, PositionQuery, type Language } from '../reads/time-travel.js';

/** Formats of the network growth report. */
export const GROWTH_FORMATS = ['json', 'svg'] as const;
export type GrowthFormat = (typeof GROWTH_FORMATS)[number];

/** `lang` and `atPosition`, which every report takes. */
export class ReportRequest extends PositionQuery {
  @ApiPropertyOptional({ enum: LANGUAGES, description: 'Default from Accept-Language, else en' })
  @IsOptional()
  @IsIn(LANGUAGES)
  lang?: Language;
}

ApiPropertyOptional({
  description: 'Build from the events at or below this global position (default: the newest); the same position gives the same bytes',
  example: '42',
})(ReportRequest.prototype, 'atPosition');

/** A report rendered as a document. */
export class DocumentReportRequest extends ReportRequest {
  @ApiPropertyOptional({ enum: DOCUMENT_FORMATS, default: 'md' })
  @IsOptional()
  @IsIn(DOCUMENT_FORMATS)
  format?: DocumentFormat;
}

/** `GET /api/reports/learning-summary` query. */
export class LearningSummaryRequest extends DocumentReportRequest {
  @TimeBound('from') from?: string;
  @TimeBound('to') to?: string;
  @ThemeFilter() theme?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the collaboration and its experiments' })
  @IsOptional()
  @IsUUID()
  collaborationId?: string;
}

/** `GET /api/reports/networks/:id/growth` query. */
export class NetworkGrowthRequest extends ReportRequest {
  @ApiPropertyOptional({ enum: GROWTH_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(GROWTH_FORMATS)
  format?: GrowthFormat;
}
