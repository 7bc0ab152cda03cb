import type { EventToAppend, RecordedEvent } from '#event-store';
import { storeWithClock } from './fixtures.js';

/** The events as a store records them in one stream (versions, positions, recordedAt filled in). */
export async function recorded(...events: EventToAppend[]): Promise<RecordedEvent[]> {
  const { store } = storeWithClock();
  await store.appendToStream('entity-under-test', events);
  return store.readStream('entity-under-test');
}
