import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsBusinessTime } from './validators.js';

/** Fields every command body may carry. */
export class CommandRequest {
  @ApiPropertyOptional({
    description: 'Business time: a date (00:00 Europe/Oslo) or ISO 8601 date-time; default now; at most 5 minutes ahead',
    example: '2019-01-01',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsBusinessTime()
  occurredAt?: string;
}
