/**
 * Reports a failed command on stderr as `error: <message>` and sets exit code 1. The stack trace is added
 * only with LOG_LEVEL=debug or trace.
 */
export function failure(error: unknown): void {
  const verbose = ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '');
  const message = error instanceof Error ? (verbose && error.stack ? error.stack : error.message) : String(error);
  process.stderr.write(`error: ${message}\n`);
  process.exitCode = 1;
}
