import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { ORGANISATION_KINDS, type OrganisationKind } from '#domain';
import { CommandRequest } from '../http/command-request.js';
import { IsText, TEXT } from '../http/validators.js';

export class RegisterOrganisationRequest extends CommandRequest {
  @ApiProperty({ example: 'Trondheim kommune' }) @IsText(TEXT.name) name: string;
  @ApiProperty({ enum: ORGANISATION_KINDS }) @IsIn(ORGANISATION_KINDS) kind: OrganisationKind;
}

export class RenameOrganisationRequest extends CommandRequest {
  @ApiProperty({ example: 'SoCentral AS' }) @IsText(TEXT.name) name: string;
}
