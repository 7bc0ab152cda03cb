import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, NotFoundError } from '#domain';
import {
  ConcurrencyRetriesExhausted,
  DuplicateEventId,
  EventStoreUnavailable,
  ExpectedVersionConflict,
  InvalidAppend,
} from '#event-store';
import { ProblemException, problemType, titleFor, type ProblemDetails } from './problem.js';

/** Fastify's own request errors (parsing, limits) carry a code and a status. */
const FASTIFY_CODES: Record<string, { status: number; slug: string; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, slug: 'body-too-large', detail: 'The request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    slug: 'unsupported-media-type',
    detail: 'Send the body as application/json',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, slug: 'malformed-json', detail: 'The JSON body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, slug: 'malformed-json', detail: 'The body is not valid JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, slug: 'bad-content-length', detail: 'Content-Length does not match the body' },
  FST_ERR_BAD_URL: { status: 400, slug: 'bad-url', detail: 'The URL is malformed' },
};

/** Maps every error to an RFC 9457 problem+json response. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const problem = this.toProblem(exception, request);
    if (problem.status >= 500) {
      this.logger.error({ err: exception, url: request.url }, 'request failed');
    }
    void reply
      .status(problem.status)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send(JSON.stringify({ ...problem, instance: request.url }));
  }

  toProblem(exception: unknown, request: FastifyRequest): ProblemDetails {
    if (exception instanceof ProblemException) return exception.toProblem();
    if (exception instanceof NotFoundError) return simple(404, 'not-found', exception.message, exception.rule);
    if (exception instanceof DomainError) return simple(422, 'rule-violated', exception.message, exception.rule);
    if (exception instanceof ExpectedVersionConflict) {
      return request.headers['if-match'] !== undefined
        ? simple(412, 'version-mismatch', `The entity is at version ${exception.actual}, not ${String(exception.expected)}: it changed meanwhile`)
        : simple(409, 'concurrent-modification', 'The entity was changed concurrently; try again');
    }
    if (exception instanceof ConcurrencyRetriesExhausted) {
      return simple(409, 'concurrent-modification', 'The entity is being changed by others right now; try again');
    }
    if (exception instanceof DuplicateEventId) return simple(409, 'duplicate-event', exception.message);
    if (exception instanceof InvalidAppend) return simple(422, 'invalid-append', exception.message);
    if (exception instanceof EventStoreUnavailable) {
      return simple(503, 'event-store-unavailable', 'The event store cannot be reached right now');
    }
    if (exception instanceof HttpException) {
      const parsing = fastifyError(exception.cause) ?? jsonBodyError(exception);
      if (parsing) return simple(parsing.status, parsing.slug, parsing.detail);
      const status = exception.getStatus();
      const detail = status === 404 ? `No route for ${request.method} ${request.url.split('?')[0]}` : exception.message;
      return simple(status, status === 404 ? 'not-found' : 'http-error', detail);
    }
    const fastify = fastifyError(exception);
    if (fastify) return simple(fastify.status, fastify.slug, fastify.detail);
    return simple(500, 'internal', 'An unexpected error occurred; it has been logged');
  }
}

function simple(status: number, slug: string, detail: string, rule?: string): ProblemDetails {
  return { type: problemType(slug), title: titleFor(status), status, detail, ...(rule ? { rule } : {}) };
}

/** Nest reports Fastify's JSON body parsing failures as plain 400s; recognise them by their message. */
function jsonBodyError(exception: HttpException): { status: number; slug: string; detail: string } | null {
  if (exception.getStatus() !== 400) return null;
  if (/^Body cannot be empty/.test(exception.message)) return FASTIFY_CODES.FST_ERR_CTP_EMPTY_JSON_BODY;
  if (/^Body is not valid JSON/.test(exception.message)) return FASTIFY_CODES.FST_ERR_CTP_INVALID_JSON_BODY;
  return null;
}

function fastifyError(exception: unknown): { status: number; slug: string; detail: string } | null {
  if (typeof exception !== 'object' || exception === null) return null;
  const { code, statusCode } = exception as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'string' && FASTIFY_CODES[code]) return FASTIFY_CODES[code];
  if (exception instanceof SyntaxError) return FASTIFY_CODES.FST_ERR_CTP_INVALID_JSON_BODY;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, slug: 'bad-request', detail: (exception as Error).message };
  }
  return null;
}
