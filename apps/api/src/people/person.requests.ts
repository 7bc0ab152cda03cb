import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateIf } from 'class-validator';
import { CommandRequest } from '../http/command-request.js';
import { IsCalendarDate, IsText, TEXT } from '../http/validators.js';
import { IsEntityId } from '../http/request-fields.js';

export class RegisterPersonRequest extends CommandRequest {
  @ApiProperty({ example: 'Kari Nordmann' }) @IsText(TEXT.name) name: string;
  @ApiPropertyOptional({ example: 'Urban planner, ten years in Trondheim kommune' }) @IsOptional() @IsText(TEXT.long) background?: string;
}

/** Absent fields stay as they are; `background: null` clears it. */
export class RevisePersonDetailsRequest extends CommandRequest {
  @ApiPropertyOptional() @ValidateIf((body: RevisePersonDetailsRequest) => body.name !== undefined) @IsText(TEXT.name) name?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null clears it' }) @IsOptional() @IsText(TEXT.long) background?: string | null;
}

export class AssumeRoleRequest extends CommandRequest {
  @ApiProperty({ format: 'uuid' }) @IsEntityId() organisationId: string;
  @ApiProperty({ example: 'Project manager, +CityxChange' }) @IsText(TEXT.title) title: string;
  @ApiPropertyOptional() @IsOptional() @IsText(TEXT.short) responsibility?: string;
  @ApiProperty({ example: '2019-01-01' }) @IsCalendarDate() from: string;
}

export class EndRoleRequest extends CommandRequest {
  @ApiProperty({ example: '2021-12-31' }) @IsCalendarDate() to: string;
}

/** Why the person is forgotten; it must not name them (422 `person.reason-contains-personal-data`). */
export class ForgetPersonRequest extends CommandRequest {
  @ApiProperty({ example: 'Asked to be forgotten (GDPR art. 17), request of 2026-11-27' }) @IsText(TEXT.short) reason: string;
}
