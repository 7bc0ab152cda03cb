import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { RecordedEvent } from '#event-store';
import { validationProblem } from '../http/problem.js';
import { parseInstant, toIso } from '../http/time.js';

export const LANGUAGES = ['nb', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** `asOf` (business time) and `knownAt` (what the system knew: a date-time or a global position). */
export class TimeTravelQuery {
  @ApiPropertyOptional({ description: 'State as it was at this business time (a bare date = end of that day, Oslo)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  asOf?: string;

  @ApiPropertyOptional({ description: 'Only what had been recorded by then: a date-time, a date, or a global position' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  knownAt?: string;
}

export class TimelineQuery extends TimeTravelQuery {
  @ApiPropertyOptional({ enum: LANGUAGES, description: 'Default from Accept-Language, else en' })
  @IsOptional()
  @IsIn(LANGUAGES)
  lang?: Language;
}

export class PositionQuery {
  @IsOptional() @Matches(/^\d{1,15}$/, { message: 'atPosition must be a global position (a whole number)' })
  atPosition?: string;
}

/** Bitemporal cut-off resolved from query parameters. */
export interface TimeTravel {
  /** Include events with occurredAt ≤ asOf (ISO instant). */
  asOf?: string;
  /** Include events recorded at or before this ISO instant, or at or below this position. */
  knownAt?: string | number;
}

export function resolveTimeTravel(query: TimeTravelQuery): TimeTravel {
  const result: TimeTravel = {};
  if (query.asOf !== undefined) {
    const instant = parseInstant(query.asOf, 'end');
    if (instant === null) throw bad('asOf', 'asOf must be a date or an ISO 8601 date-time with offset');
    result.asOf = toIso(instant);
  }
  if (query.knownAt !== undefined) {
    if (/^\d{1,15}$/.test(query.knownAt)) result.knownAt = Number(query.knownAt);
    else {
      const instant = parseInstant(query.knownAt, 'end');
      if (instant === null) throw bad('knownAt', 'knownAt must be a date, an ISO 8601 date-time or a position');
      result.knownAt = toIso(instant);
    }
  }
  return result;
}

/** True when the event belongs to the requested bitemporal view. */
export function isVisible(event: RecordedEvent, view: TimeTravel): boolean {
  if (view.asOf !== undefined && event.metadata.occurredAt > view.asOf) return false;
  if (typeof view.knownAt === 'number' && event.position > view.knownAt) return false;
  if (typeof view.knownAt === 'string' && event.recordedAt > view.knownAt) return false;
  return true;
}

/** `lang` query parameter, else the first supported language in Accept-Language, else English. */
export function resolveLanguage(lang: Language | undefined, acceptLanguage: string | undefined): Language {
  if (lang) return lang;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.trim().split(';')[0].toLowerCase();
    if (tag.startsWith('nb') || tag.startsWith('no') || tag.startsWith('nn')) return 'nb';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

function bad(field: string, message: string) {
  return validationProblem([{ field, message }], message);
}
