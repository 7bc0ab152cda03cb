import { InvalidCursor } from '#projections';
import { validationProblem } from './problem.js';

/** Runs `read`; a cursor it refuses ({@link InvalidCursor}) is a 400 problem on the `cursor` field, with `detail`. */
export function withCursorProblem<T>(read: () => T, detail = 'The cursor is not valid for this list'): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InvalidCursor) throw validationProblem([{ field: 'cursor', message: error.message }], detail);
    throw error;
  }
}
