import type { RecordedEvent } from '../envelope.js';
import type { EventStore } from '../event-store.port.js';
import { ReadMappingEventStore } from '../read-mapping-event-store.js';
import type { Upcasters } from './upcasters.js';

/**
 * An {@link EventStore} decorator that upcasts every event it reads (`readStream`, `readAll`, `subscribe`) to
 * the current schema version of its type, so deciders, projections and views only ever see today's shapes.
 * Appends pass through unchanged: events are stored as written, with the version they were written in.
 */
export class UpcastingEventStore extends ReadMappingEventStore {
  constructor(
    inner: EventStore,
    readonly upcasters: Upcasters,
  ) {
    super(inner);
  }

  protected mapRead(events: RecordedEvent[]): RecordedEvent[] {
    return events.map((event) => this.upcasters.upcast(event));
  }
}
