import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { METHOD_ADOPTION_STAGES, NETWORK_KINDS, type MethodAdoptionStage, type NetworkKind } from '#domain';
import { CommandRequest } from '../http/command-request.js';
import { IsCalendarDate, IsText, TEXT } from '../http/validators.js';
import { IsCount, IsEntityId } from '../http/request-fields.js';

/** Largest head count a network may report. */
const MAX_HEADCOUNT = 10_000_000;

export class FoundNetworkRequest extends CommandRequest {
  @ApiProperty({ example: 'Pådriv' }) @IsText(TEXT.name) name: string;
  @ApiProperty({ enum: NETWORK_KINDS }) @IsIn(NETWORK_KINDS) kind: NetworkKind;
  @ApiPropertyOptional({ example: 'Hovinbyen, Oslo' }) @IsOptional() @IsText(TEXT.name) area?: string;
  @ApiPropertyOptional({ example: 'A meeting place for sustainable urban development' }) @IsOptional() @IsText(TEXT.long) purpose?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsEntityId() ledByOrganisationId?: string;
  @ApiPropertyOptional({ example: '2016-01-01', description: 'Needs ledByOrganisationId' }) @IsOptional() @IsCalendarDate() ledSince?: string;
}

export class ChangeLeadershipRequest extends CommandRequest {
  @ApiProperty({ format: 'uuid' }) @IsEntityId() organisationId: string;
  @ApiProperty({ example: '2019-01-01' }) @IsCalendarDate() since: string;
}

export class JoinAsPartnerRequest extends CommandRequest {
  @ApiProperty({ format: 'uuid' }) @IsEntityId() organisationId: string;
}

export class JoinAsMemberRequest extends CommandRequest {
  @ApiProperty({ format: 'uuid' }) @IsEntityId() personId: string;
}

/** Counts as the network reports them; at least one of the two. */
export class ReportHeadcountRequest extends CommandRequest {
  @ApiPropertyOptional({ example: 38, minimum: 0 }) @IsOptional() @IsCount(MAX_HEADCOUNT) partners?: number;
  @ApiPropertyOptional({ example: 142, minimum: 0 }) @IsOptional() @IsCount(MAX_HEADCOUNT) members?: number;
}

export class UpdateMethodAdoptionRequest extends CommandRequest {
  @ApiProperty({ example: 'Bergen' }) @IsText(100) city: string;
  @ApiProperty({ enum: METHOD_ADOPTION_STAGES }) @IsIn(METHOD_ADOPTION_STAGES) stage: MethodAdoptionStage;
}
