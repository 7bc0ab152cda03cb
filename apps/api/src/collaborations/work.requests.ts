import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { CommandRequest } from '../http/command-request.js';
import { IsCalendarDate, IsText, TEXT } from '../http/validators.js';
import { IsEntityId } from '../http/request-fields.js';

export class SetMilestoneRequest extends CommandRequest {
  @ApiProperty({ example: 'Replication plan agreed with the partner cities' }) @IsText(TEXT.title) title: string;
  @ApiPropertyOptional({ example: '2019-12-31' }) @IsOptional() @IsCalendarDate() due?: string;
}

export class AttachExperimentRequest extends CommandRequest {
  @ApiProperty({ format: 'uuid' }) @IsEntityId() experimentId: string;
}
