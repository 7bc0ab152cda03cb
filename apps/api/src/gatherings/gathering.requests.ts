import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { GATHERING_KINDS, type GatheringKind } from '#domain';
import { CommandRequest } from '../http/command-request.js';
import { IsCalendarDate, IsText, IsThemes, TEXT } from '../http/validators.js';
import { IsCount, IsEntityId } from '../http/request-fields.js';

/** Largest number of participants a gathering may report. */
const MAX_PARTICIPANTS = 100_000;

export class HoldGatheringRequest extends CommandRequest {
  @ApiProperty({ example: 'Public heroes workshop' }) @IsText(TEXT.title) title: string;
  @ApiProperty({ enum: GATHERING_KINDS }) @IsIn(GATHERING_KINDS) kind: GatheringKind;
  @ApiProperty({ example: '2019-03-14' }) @IsCalendarDate() heldOn: string;
  @ApiPropertyOptional({ example: 15, minimum: 0 }) @IsOptional() @IsCount(MAX_PARTICIPANTS) participantCount?: number;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsEntityId() organiserOrganisationId?: string;
  @ApiPropertyOptional() @IsOptional() @IsText(TEXT.long) purpose?: string;
}

export class RecordInsightRequest extends CommandRequest {
  @ApiProperty({ example: 'Caseworkers want permission to try, not more guidelines' }) @IsText(TEXT.long) observation: string;
  @ApiPropertyOptional() @IsOptional() @IsText(TEXT.long) learning?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsThemes() themes?: string[];
}
