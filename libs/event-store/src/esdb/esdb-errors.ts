import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError,
  TimeoutError,
  UnavailableError,
} from '@eventstore/db-client';
import { EventStoreError, EventStoreUnavailable, InvalidAppend } from '../errors.js';

/** An EventStoreDB call that did not settle within our own time limit. */
export class EsdbTimeout extends EventStoreUnavailable {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
  ) {
    super(`${what}: no answer within ${timeoutMs} ms`);
  }
}

/**
 * Settles like `promise`, or rejects with EsdbTimeout after `ms`. The client's own deadlines do not cover
 * every path (a server that accepts TCP but never answers holds the first call for minutes), so every call
 * goes through this. The late outcome of `promise` is ignored, never left unhandled.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  promise.catch(() => undefined);
  if (!(ms > 0) || ms === Infinity) return promise;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EsdbTimeout(what, ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html) that mean "try again later".
const GRPC_CANCELLED = 1;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_ABORTED = 10;
const GRPC_UNAVAILABLE = 14;
const RETRYABLE_CODES = new Set([GRPC_CANCELLED, GRPC_DEADLINE_EXCEEDED, GRPC_ABORTED, GRPC_UNAVAILABLE]);
const RETRYABLE_TYPES = new Set(['unavailable', 'deadline-exceeded', 'not-leader', 'timeout', 'cancelled']);
const NETWORK_MESSAGE = /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|No connection established|write after end|Connection dropped/i;

/**
 * True for errors that mean the server could not be reached or answered too late. The client does not
 * always wrap them: with no server it rejects with a raw gRPC error (code 14) that is not an UnavailableError.
 */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof EventStoreUnavailable) return true;
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof NotLeaderError ||
    error instanceof TimeoutError ||
    error instanceof CancelledError
  ) {
    return true;
  }
  if (typeof error !== 'object' || error === null) return false;
  const { code, type, message } = error as { code?: unknown; type?: unknown; message?: unknown };
  if (typeof code === 'number' && RETRYABLE_CODES.has(code)) return true;
  if (typeof type === 'string' && RETRYABLE_TYPES.has(type)) return true;
  return typeof message === 'string' && NETWORK_MESSAGE.test(message);
}

/** Maps a client error to the port's errors; `where` names the server (no credentials) and the action. */
export function toStoreError(error: unknown, server: string, action: string): Error {
  if (error instanceof EventStoreError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  if (isConnectionError(error)) {
    return new EventStoreUnavailable(`EventStoreDB at ${server} is unavailable while ${action}: ${detail}`, { cause: error });
  }
  if (error instanceof MaxAppendSizeExceededError) {
    return new InvalidAppend(`EventStoreDB at ${server} rejected ${action}: larger than its ${error.maxAppendSize} byte limit`, {
      cause: error,
    });
  }
  if (error instanceof AccessDeniedError) {
    return new EventStoreError(`EventStoreDB at ${server} denied access while ${action}: check the user in EVENT_STORE_URL`, {
      cause: error,
    });
  }
  if (error instanceof StreamDeletedError) {
    return new EventStoreError(`EventStoreDB at ${server}: stream ${error.streamName} is deleted (${action})`, { cause: error });
  }
  return new EventStoreError(`EventStoreDB at ${server} failed while ${action}: ${detail}`, { cause: error });
}
