import type { EventToAppend } from './envelope.js';
import { DuplicateEventId, ExpectedVersionConflict } from './errors.js';
import { satisfiesExpectedVersion, type ExpectedVersion } from './expected-version.js';

/** Where an already stored event id lives. */
export interface StoredLocation {
  eventId: string;
  streamId: string;
  version: number;
  position: number;
}

/**
 * Decides what a re-append of already stored event ids means. Returns the original append's result when
 * every event is stored, in this stream, consecutively and in the same order, and the expected version
 * matches what it was then; throws otherwise. Returns null when none of the ids is stored.
 */
export function resolveReappend(
  streamId: string,
  events: ReadonlyArray<Pick<EventToAppend, 'eventId'>>,
  expected: ExpectedVersion,
  currentVersion: number,
  stored: ReadonlyArray<StoredLocation | undefined>,
): { nextExpectedVersion: number; position: number } | null {
  if (stored.every((s) => s === undefined)) return null;
  const first = stored[0];
  const sameAppend =
    first !== undefined &&
    stored.every(
      (s, i) => s !== undefined && s.streamId === streamId && s.version === first.version + i && s.eventId === events[i].eventId,
    );
  if (!sameAppend) {
    const clash = events.find((_, i) => stored[i] !== undefined);
    throw new DuplicateEventId(clash?.eventId ?? events[0].eventId);
  }
  const last = stored[stored.length - 1] as StoredLocation;
  if (!satisfiesExpectedVersion(expected, first.version - 1)) {
    throw new ExpectedVersionConflict(streamId, expected, currentVersion);
  }
  return { nextExpectedVersion: last.version, position: last.position };
}
