/**
 * What the writer believes about the stream before appending.
 * - a number: exactly that many events are in the stream (0 = empty or absent)
 * - 'any': no check
 * - 'no_stream': the stream must not exist
 * - 'stream_exists': the stream must have at least one event
 */
export type ExpectedVersion = number | 'any' | 'no_stream' | 'stream_exists';

/** True when `actual` (events currently in the stream) satisfies `expected`. */
export function satisfiesExpectedVersion(expected: ExpectedVersion, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 0;
    case 'stream_exists':
      return actual > 0;
    default:
      return actual === expected;
  }
}

export function isValidExpectedVersion(value: unknown): value is ExpectedVersion {
  return (
    value === 'any' ||
    value === 'no_stream' ||
    value === 'stream_exists' ||
    (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
  );
}
