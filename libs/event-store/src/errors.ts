import type { ExpectedVersion } from './expected-version.js';

/** Base class of every error raised by an event store adapter. */
export class EventStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The stream did not match the expected version given to append. */
export class ExpectedVersionConflict extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`Stream ${streamId}: expected version ${String(expected)}, actual ${actual}`);
  }
}

/** Some of the event ids are already stored, but not as the same append (other stream, order or batch). */
export class DuplicateEventId extends EventStoreError {
  constructor(readonly eventId: string) {
    super(`Event id ${eventId} is already stored as part of another append`);
  }
}

/** The store cannot be reached (network, timeout, closed). */
export class EventStoreUnavailable extends EventStoreError {}

/** An append was rejected because of its content (size, shape). */
export class InvalidAppend extends EventStoreError {}

/** The message of anything thrown: an Error's message, else its string form. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
