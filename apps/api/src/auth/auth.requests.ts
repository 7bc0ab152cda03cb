import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { CommandRequest } from '../http/command-request.js';
import { IsBusinessTime, IsText } from '../http/validators.js';

/** Shortest and longest password a user may choose. */
export const PASSWORD_LENGTH = { min: 12, max: 256 } as const;

/** `POST /api/auth/login`. */
export class LoginRequest {
  @ApiProperty({ example: 'admin@localhost' }) @IsString() @MaxLength(320) email: string;
  @ApiProperty() @IsString() @MaxLength(PASSWORD_LENGTH.max) password: string;
}

/** `POST /api/auth/password`. */
export class ChangePasswordRequest extends CommandRequest {
  @ApiProperty() @IsString() @MaxLength(PASSWORD_LENGTH.max) currentPassword: string;

  @ApiProperty({ minLength: PASSWORD_LENGTH.min, maxLength: PASSWORD_LENGTH.max, description: 'At least 12 characters; a passphrase is fine' })
  @IsString()
  @MinLength(PASSWORD_LENGTH.min, { message: `newPassword must be at least ${PASSWORD_LENGTH.min} characters long` })
  @MaxLength(PASSWORD_LENGTH.max)
  @Matches(/\S/, { message: 'newPassword must not be blank' })
  newPassword: string;
}

/** `POST /api/auth/tokens`. */
export class IssueTokenRequest extends CommandRequest {
  @ApiProperty({ example: 'reporting script' }) @IsText(100) name: string;

  @ApiPropertyOptional({
    example: '2025-12-31',
    description: 'When the token stops working: a date (the end of that day, Europe/Oslo) or a date-time; default in 90 days, at most one year ahead',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsBusinessTime()
  expiresAt?: string;
}
