import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { USER_ROLES, type UserRole } from '#domain';
import { CommandRequest } from '../http/command-request.js';
import { IsEntityId } from '../http/request-fields.js';
import { IsText, TEXT } from '../http/validators.js';

const ROLE_HELP = 'staff: everything; lead: designs experiments and writes to those they lead; partner: reads their collaborations';

/** `POST /api/users`. */
export class RegisterUserRequest extends CommandRequest {
  @ApiProperty({ example: 'kari@trondheim.kommune.no' }) @IsString() @MaxLength(320) email: string;
  @ApiProperty({ example: 'Kari Nordmann' }) @IsText(TEXT.name) name: string;
  @ApiProperty({ enum: USER_ROLES, description: ROLE_HELP }) @IsIn(USER_ROLES) role: UserRole;

  @ApiPropertyOptional({ format: 'uuid', description: 'The organisation a partner represents (required for partners)' })
  @IsOptional()
  @IsEntityId()
  organisationId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The person the user is: a lead writes to the experiments this person leads' })
  @IsOptional()
  @IsEntityId()
  personId?: string;
}

/** `POST /api/users/:id/role`: absent organisationId/personId keep the current value, null clears it (IsOptional lets null through). */
export class ChangeRoleRequest extends CommandRequest {
  @ApiProperty({ enum: USER_ROLES, description: ROLE_HELP }) @IsIn(USER_ROLES) role: UserRole;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @IsEntityId()
  organisationId?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @IsEntityId()
  personId?: string | null;
}

/** `POST /api/users/:id/disable` and `/password-reset`: no fields but `occurredAt`. */
export class UserCommandRequest extends CommandRequest {}
