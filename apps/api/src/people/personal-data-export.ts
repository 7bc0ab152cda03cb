import { Inject, Injectable } from '@nestjs/common';
import { classifyEventType, dataSubjectName, NotFoundError, streamName, StreamCategory, type DataClassification } from '#domain';
import { EventStore, forgottenFieldsOf, PersonalDataKeys, type RecordedEvent } from '#event-store';
import { entityTimeline, personView, type PersonView, type ReadModelDb } from '#projections';
import { READ_MODELS } from '../infrastructure/infrastructure.module.js';

/** One event in an export: as the tracker reads it (personal fields decrypted), with its retention class. */
export interface ExportedEvent extends RecordedEvent {
  classification: DataClassification;
  /** Personal fields that read as null because the person's key has been destroyed. */
  forgottenFields: readonly string[];
}

/** Everything the tracker holds about one person (right of access, GDPR art. 15). */
export interface PersonalDataExport {
  format: 'tracker-personal-data-export/1';
  subject: { kind: 'person'; id: string };
  exportedAt: string;
  /** `active`: readable; `forgotten`: the key is destroyed and their personal fields read as null. */
  keyState: 'active' | 'forgotten';
  forgotten: boolean;
  /** The person as people read them. */
  person: PersonView | null;
  /** Every event of the person's own stream. */
  events: ExportedEvent[];
  /** Events of other entities that name the person (network memberships, experiments they lead), with a summary. */
  mentions: Array<ExportedEvent & { summary: string }>;
}

function exported(event: RecordedEvent): ExportedEvent {
  return { ...event, classification: classifyEventType(event.type), forgottenFields: forgottenFieldsOf(event) };
}

/** Builds a person's data export, decrypted, and tidies the read models after a forgetting. */
@Injectable()
export class PersonalDataExports {
  constructor(
    private readonly store: EventStore,
    private readonly keys: PersonalDataKeys,
    @Inject(READ_MODELS) private readonly db: ReadModelDb,
  ) {}

  async export(id: string, exportedAt: string): Promise<PersonalDataExport> {
    const own = streamName(StreamCategory.person, id);
    const events = await this.store.readStream(own);
    if (events.length === 0) throw new NotFoundError(StreamCategory.person, id);
    const forgotten = await this.keys.isForgotten(dataSubjectName('person', id));
    const entries = entityTimeline(this.db, { kind: StreamCategory.person, id }, { lang: 'en' }).items.filter((entry) => entry.stream !== own);
    const streams = new Map<string, RecordedEvent[]>();
    const mentions: PersonalDataExport['mentions'] = [];
    for (const entry of entries) {
      if (!streams.has(entry.stream)) streams.set(entry.stream, await this.store.readStream(entry.stream));
      const event = streams.get(entry.stream)?.find((e) => e.eventId === entry.eventId);
      if (event) mentions.push({ ...exported(event), summary: entry.summary });
    }
    return {
      format: 'tracker-personal-data-export/1',
      subject: { kind: 'person', id },
      exportedAt,
      keyState: forgotten ? 'forgotten' : 'active',
      forgotten: forgotten || events.some((e) => e.type === 'PersonForgotten'),
      person: personView(events),
      events: events.map(exported),
      mentions,
    };
  }

  /**
   * After a forgetting: moves the read models' write-ahead log into the database file, whose freed pages
   * `secure_delete` has overwritten, so the scrubbed values do not linger in `read-models.db-wal`.
   */
  flushReadModels(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
