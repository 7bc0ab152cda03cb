import { ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsBusinessTime } from '../http/validators.js';
import { ListRequest } from '../lists/list.requests.js';
import { TimelineQuery } from '../reads/time-travel.js';

/** `GET /api/<collection>/:id/timeline`: asOf, knownAt, lang, and paging (limit, cursor). */
export class EntityTimelineRequest extends IntersectionType(TimelineQuery, PickType(ListRequest, ['limit', 'cursor'] as const)) {}

/** `GET /api/timeline`: as an entity timeline, plus a business-time range and a theme. */
export class TimelineRequest extends EntityTimelineRequest {
  @ApiPropertyOptional({ example: '2019-01-01', description: 'Occurred at or after this (a bare date = start of that day, Oslo)' })
  @IsOptional()
  @IsBusinessTime()
  from?: string;

  @ApiPropertyOptional({ example: '2019-12-31', description: 'Occurred at or before this (a bare date = end of that day, Oslo)' })
  @IsOptional()
  @IsBusinessTime()
  to?: string;

  @ApiPropertyOptional({ description: "An experiment's or collaboration's theme, or a learning's or insight's (ignoring case)" })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  @Matches(/\S/, { message: 'theme must not be blank' })
  theme?: string;
}
