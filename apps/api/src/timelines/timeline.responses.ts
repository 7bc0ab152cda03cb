import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ActorRole } from '#event-store';
import type { TimelineEntry, TimelinePage } from '#projections';

// OpenAPI shapes of timeline responses (documentation only: handlers return the library's plain objects).

class TimelineActorDoc {
  @ApiProperty() id: string;
  @ApiPropertyOptional() name?: string;
  @ApiProperty({ enum: ['staff', 'lead', 'partner', 'system'] }) role: ActorRole;
}

export class TimelineEntryDoc implements TimelineEntry {
  @ApiProperty({ format: 'date-time', description: 'Business time' }) occurredAt: string;
  @ApiProperty({ format: 'date-time', description: 'When the store recorded it' }) recordedAt: string;
  @ApiProperty({ example: 'InitiativeLinked' }) type: string;
  @ApiProperty({ example: 'Initiative linked: +CityxChange (Horizon 2020), tentative', description: 'One sentence in the requested language' })
  summary: string;
  @ApiProperty({ type: TimelineActorDoc }) actor: TimelineActorDoc;
  @ApiProperty({ example: 'collaboration-0192…' }) stream: string;
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ description: 'Global position in the log' }) position: number;
}

export class TimelinePageDoc implements TimelinePage {
  @ApiProperty({ type: [TimelineEntryDoc] }) items: TimelineEntryDoc[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' })
  nextCursor: string | null;
}
