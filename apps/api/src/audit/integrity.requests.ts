import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { AuditRequest } from './audit.requests.js';

const toInteger = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value);

/** `GET /api/audit/verify?upTo`. */
export class AuditVerifyRequest {
  @ApiPropertyOptional({ description: 'Check the log up to this global position only (default: all of it)', minimum: 0 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'upTo must be a whole number (a position)' })
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  upTo?: number;
}

/** `GET /api/audit/export`: the audit trail's filters, and the position of the recipient's previous bundle. */
export class AuditExportRequest extends PickType(AuditRequest, ['stream', 'actor', 'type', 'from', 'to'] as const) {
  @ApiPropertyOptional({
    description:
      "statement.ledger.position of your previous bundle: this bundle then carries the ledger head there as it is now (previousSignedHead); if it differs from your previous bundle's, history was rewritten or cut in between",
    minimum: 1,
  })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'previous must be a whole number (a position)' })
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  previous?: number;
}

/** Formats of `GET /api/audit/public-key`. */
export const PUBLIC_KEY_FORMATS = ['pem', 'json'] as const;

/** `GET /api/audit/public-key?format=pem|json`. */
export class PublicKeyRequest {
  @ApiPropertyOptional({ enum: PUBLIC_KEY_FORMATS, description: 'pem (text/plain, the default) or json ({keyId, algorithm, pem}); Accept: application/json also selects json' })
  @IsOptional()
  @IsIn(PUBLIC_KEY_FORMATS)
  format?: (typeof PUBLIC_KEY_FORMATS)[number];
}
