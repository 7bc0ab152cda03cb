import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { EXPERIMENT_OUTCOMES, LEARNING_DECISIONS, RELIABILITIES, type ExperimentOutcome, type LearningDecision, type Reliability } from '#domain';
import { CommandRequest } from '../http/command-request.js';
import { IsEntityId } from '../http/request-fields.js';
import { IsCalendarDate, IsText, IsThemes, IsWellFormed, TEXT } from '../http/validators.js';

export class DesignExperimentRequest extends CommandRequest {
  @ApiProperty({ example: 'Green living made easy' }) @IsText(TEXT.title) title: string;
  @ApiProperty({ description: 'We believe that…' }) @IsText(TEXT.long) hypothesis: string;
  @ApiProperty({ description: 'To verify that, we will…' }) @IsText(TEXT.long) test: string;
  @ApiProperty({ description: 'And measure…' }) @IsText(TEXT.short) metric: string;
  @ApiProperty({ description: 'We are right if…' }) @IsText(TEXT.long) successCriteria: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsEntityId() leadId?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsThemes() themes?: string[];
  @ApiPropertyOptional({ example: '2019-06-30' }) @IsOptional() @IsCalendarDate() deadline?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsEntityId() collaborationId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsEntityId() networkId?: string;
}

export class ReviseTestCardRequest extends CommandRequest {
  @ApiPropertyOptional() @IsOptional() @IsText(TEXT.title) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsText(TEXT.long) hypothesis?: string;
  @ApiPropertyOptional() @IsOptional() @IsText(TEXT.long) test?: string;
  @ApiPropertyOptional() @IsOptional() @IsText(TEXT.short) metric?: string;
  @ApiPropertyOptional() @IsOptional() @IsText(TEXT.long) successCriteria?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsEntityId() leadId?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsThemes() themes?: string[];
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() deadline?: string;
  @ApiProperty() @IsText(TEXT.short) reason: string;
}

export class StartExperimentRequest extends CommandRequest {}

export class LogStepRequest extends CommandRequest {
  @ApiProperty({ example: 'Interviewed 12 residents' }) @IsText(TEXT.long) description: string;
  @ApiPropertyOptional({ example: 'https://example.org/notes' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @IsWellFormed()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'evidenceUrl must be an http(s) URL' })
  evidenceUrl?: string;
}

export class ReasonRequest extends CommandRequest {
  @ApiProperty() @IsText(TEXT.short) reason: string;
}

export class RecordMeasurementRequest extends CommandRequest {
  @ApiProperty({ example: 42 }) @IsNumber({ allowNaN: false, allowInfinity: false }) value: number;
  @ApiPropertyOptional({ example: 'households' }) @IsOptional() @IsText(40) unit?: string;
  @ApiPropertyOptional() @IsOptional() @IsText(TEXT.short) note?: string;
}

export class RecordLearningRequest extends CommandRequest {
  @ApiProperty() @IsText(TEXT.long) observation: string;
  @ApiProperty() @IsText(TEXT.long) learning: string;
  @ApiProperty({ enum: LEARNING_DECISIONS }) @IsIn(LEARNING_DECISIONS) decision: LearningDecision;
  @ApiProperty({ enum: RELIABILITIES }) @IsIn(RELIABILITIES) reliability: Reliability;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsThemes() themes?: string[];
}

export class ConcludeExperimentRequest extends CommandRequest {
  @ApiProperty({ enum: EXPERIMENT_OUTCOMES }) @IsIn(EXPERIMENT_OUTCOMES) outcome: ExperimentOutcome;
  @ApiProperty() @IsText(TEXT.long) summary: string;
}
