import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import {
  GATHERING_KINDS,
  NETWORK_KINDS,
  ORGANISATION_KINDS,
  type GatheringKind,
  type NetworkKind,
  type OrganisationKind,
} from '#domain';
import {
  COLLABORATION_LIST_STATUSES,
  EXPERIMENT_LIST_STATUSES,
  LIST_LIMIT,
  type CollaborationListStatus,
  type ExperimentListStatus,
} from '#projections';
import { IsCalendarDate } from '../http/validators.js';

/** Query strings are text: a run of digits becomes a number, anything else stays as is and fails `IsInt`. */
const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value;

/** `limit`, `cursor` and `q`, shared by every list. */
export class ListRequest {
  @ApiPropertyOptional({ minimum: LIST_LIMIT.min, maximum: LIST_LIMIT.max, default: LIST_LIMIT.default })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(LIST_LIMIT.min)
  @Max(LIST_LIMIT.max)
  limit?: number;

  @ApiPropertyOptional({ description: "The previous page's nextCursor (opaque)" })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;

  @ApiPropertyOptional({ description: 'Title or name contains this text (ignoring case)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

/** `GET /api/experiments` query. */
export class ExperimentListRequest extends ListRequest {
  @ApiPropertyOptional({ enum: EXPERIMENT_LIST_STATUSES })
  @IsOptional()
  @IsIn(EXPERIMENT_LIST_STATUSES)
  status?: ExperimentListStatus;

  @ApiPropertyOptional({ description: 'Has this theme (ignoring case)' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  theme?: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() leadId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Designed within or attached to this collaboration' })
  @IsOptional()
  @IsUUID()
  collaborationId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Designed within or attached to this network' })
  @IsOptional()
  @IsUUID()
  networkId?: string;
}

/** `GET /api/organisations` query. */
export class OrganisationListRequest extends ListRequest {
  @ApiPropertyOptional({ enum: ORGANISATION_KINDS }) @IsOptional() @IsIn(ORGANISATION_KINDS) kind?: OrganisationKind;
}

/** `GET /api/people` query. */
export class PersonListRequest extends ListRequest {}

/** `GET /api/collaborations` query. */
export class CollaborationListRequest extends ListRequest {
  @ApiPropertyOptional({ enum: COLLABORATION_LIST_STATUSES })
  @IsOptional()
  @IsIn(COLLABORATION_LIST_STATUSES)
  status?: CollaborationListStatus;

  @ApiPropertyOptional({ description: 'Has this theme (ignoring case)' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  theme?: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() partnerOrganisationId?: string;
}

/** `GET /api/networks` query. */
export class NetworkListRequest extends ListRequest {
  @ApiPropertyOptional({ enum: NETWORK_KINDS }) @IsOptional() @IsIn(NETWORK_KINDS) kind?: NetworkKind;
}

/** `GET /api/gatherings` query. */
export class GatheringListRequest extends ListRequest {
  @ApiPropertyOptional({ enum: GATHERING_KINDS }) @IsOptional() @IsIn(GATHERING_KINDS) kind?: GatheringKind;

  @ApiPropertyOptional({ example: '2019-01-01', description: 'Held on or after this date' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: '2019-12-31', description: 'Held on or before this date' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}
