import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { LEARNING_DECISIONS, type LearningDecision } from '#domain';
import { LEARNING_SOURCE_KINDS, type LearningSourceKind } from '#projections';
import { validationProblem } from '../http/problem.js';
import { parseInstant, toIso } from '../http/time.js';
import { IsBusinessTime } from '../http/validators.js';
import { ListRequest } from '../lists/list.requests.js';

/** `true`/`false` in a query string become booleans; anything else stays text and fails `IsBoolean`. */
const toBoolean = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

/** `theme`: a learning's own themes, else its source's, ignoring case. */
export const ThemeFilter = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ description: "Has this theme, ignoring case (the learning's own themes, else its source's)" }),
    IsOptional(),
    IsString(),
    MaxLength(80),
    Matches(/\S/, { message: 'theme must not be blank' }),
  );

/** `from` / `to`: bounds on business time; a bare date is the start (`from`) or end (`to`) of that day in Oslo. */
export const TimeBound = (bound: 'from' | 'to'): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      example: bound === 'from' ? '2019-01-01' : '2019-12-31',
      description: `Business time on or ${bound === 'from' ? 'after this date (from 00:00 Oslo)' : 'before this date (to its end, Oslo)'} or date-time`,
    }),
    IsOptional(),
    IsString(),
    MaxLength(40),
    IsBusinessTime(),
  );

/** `from`/`to` as instants (ISO 8601 UTC); 400 when `to` lies before `from`. */
export function occurredRange(query: { from?: string; to?: string }): { occurredFrom?: string; occurredTo?: string } {
  const from = query.from === undefined ? null : parseInstant(query.from, 'start');
  const to = query.to === undefined ? null : parseInstant(query.to, 'end');
  if (from !== null && to !== null && from > to) throw validationProblem([{ field: 'to', message: 'to must not be before from' }]);
  return { ...(from !== null ? { occurredFrom: toIso(from) } : {}), ...(to !== null ? { occurredTo: toIso(to) } : {}) };
}

/** `GET /api/learnings` query. */
export class LearningListRequest extends ListRequest {
  @ThemeFilter() theme?: string;

  @ApiPropertyOptional({ enum: LEARNING_SOURCE_KINDS, description: 'gathering: insights from gatherings' })
  @IsOptional()
  @IsIn(LEARNING_SOURCE_KINDS)
  source?: LearningSourceKind;

  @ApiPropertyOptional({ enum: LEARNING_DECISIONS, description: 'Learnings with this decision (insights have none)' })
  @IsOptional()
  @IsIn(LEARNING_DECISIONS)
  decision?: LearningDecision;

  @TimeBound('from') from?: string;
  @TimeBound('to') to?: string;

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Also list retracted learnings and insights' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'includeRetracted must be true or false' })
  includeRetracted?: boolean;
}

// `q` is inherited with its validation; here it means full-text search, so only its documentation differs.
ApiPropertyOptional({ description: 'Every word must occur (as a word prefix) in the observation, learning or source title' })(
  LearningListRequest.prototype,
  'q',
);
