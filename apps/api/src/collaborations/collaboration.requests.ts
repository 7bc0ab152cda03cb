import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, IsIn, IsOptional } from 'class-validator';
import { INITIATIVE_CONFIDENCES, INITIATIVE_KINDS, type InitiativeConfidence, type InitiativeKind } from '#domain';
import { CommandRequest } from '../http/command-request.js';
import { IsCalendarDate, IsText, IsThemes, TEXT } from '../http/validators.js';
import { IsEntityId, IsPeriod } from '../http/request-fields.js';

export class AgreeCollaborationRequest extends CommandRequest {
  @ApiProperty({ example: '+CityxChange replication in Trondheim' }) @IsText(TEXT.title) title: string;
  @ApiProperty({ format: 'uuid' }) @IsEntityId() partnerOrganisationId: string;
  @ApiProperty({ type: [String], example: ['positive energy districts'], description: 'At least one focus theme' })
  @IsThemes()
  @ArrayMinSize(1, { message: 'themes must name at least one focus theme' })
  themes: string[];
  @ApiPropertyOptional({ example: '2018-10-01' }) @IsOptional() @IsCalendarDate() agreedOn?: string;
  @ApiPropertyOptional() @IsOptional() @IsText(TEXT.long) description?: string;
}

export class JoinPartyRequest extends CommandRequest {
  @ApiProperty({ format: 'uuid' }) @IsEntityId() organisationId: string;
  @ApiPropertyOptional({ example: 'research partner' }) @IsOptional() @IsText(TEXT.short) role?: string;
}

export class PlanActivityRequest extends CommandRequest {
  @ApiProperty({ example: 'Citizen innovation camp' }) @IsText(TEXT.title) title: string;
  @ApiPropertyOptional() @IsOptional() @IsText(TEXT.long) description?: string;
  @ApiPropertyOptional({ example: '2019-Q3', description: 'A year, quarter, month or date' }) @IsOptional() @IsPeriod() plannedFor?: string;
}

export class CompleteActivityRequest extends CommandRequest {
  @ApiPropertyOptional() @IsOptional() @IsText(TEXT.long) outcome?: string;
}

export class LinkInitiativeRequest extends CommandRequest {
  @ApiProperty({ example: '+CityxChange' }) @IsText(TEXT.name) name: string;
  @ApiProperty({ enum: INITIATIVE_KINDS }) @IsIn(INITIATIVE_KINDS) kind: InitiativeKind;
  @ApiPropertyOptional({ example: 'Horizon 2020' }) @IsOptional() @IsText(TEXT.name) programme?: string;
  @ApiProperty({ enum: INITIATIVE_CONFIDENCES }) @IsIn(INITIATIVE_CONFIDENCES) confidence: InitiativeConfidence;
}

export class ConcludeCollaborationRequest extends CommandRequest {
  @ApiProperty() @IsText(TEXT.long) summary: string;
}
