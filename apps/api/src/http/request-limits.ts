import { STATUS_CODES, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { problemBody, ProblemException, problemType, validationProblem } from './problem.js';

/** Shape and time limits of a request, on top of the body size limit. */
export interface RequestLimits {
  /** Deepest nesting of objects and arrays in a JSON body or query; a top-level object is level 1. */
  maxDepth: number;
  /** Most items in one array. */
  maxArrayItems: number;
  /** Most keys in one object. */
  maxObjectKeys: number;
  /** Most values (containers and scalars) in one body. */
  maxValues: number;
  /** Time to receive a whole request, headers and body; 408 after that. */
  requestTimeoutMs: number;
  /** Time to receive the headers; at most `requestTimeoutMs`. */
  headersTimeoutMs: number;
  /** A handler that has not begun its response by then is answered 503 (a started stream is left alone). */
  handlerTimeoutMs: number;
  /** A connection without any traffic for this long is closed. */
  idleSocketTimeoutMs: number;
  /** How often Node looks for requests past their time (its default, 30 s, lets a slow sender linger that long). */
  timeoutCheckIntervalMs: number;
}

export const REQUEST_LIMITS: RequestLimits = {
  maxDepth: 32,
  maxArrayItems: 1000,
  maxObjectKeys: 200,
  maxValues: 10_000,
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 15_000,
  handlerTimeoutMs: 60_000,
  idleSocketTimeoutMs: 120_000,
  timeoutCheckIntervalMs: 5_000,
};

/** Names that are never fields: Object.prototype's members, which class-transformer skips instead of rejecting. */
const RESERVED_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

interface ShapeProblem {
  field: string;
  message: string;
}

/** Walks a parsed body or query without recursion, stopping at the first shape it refuses. */
export function shapeProblem(value: unknown, root: string, limits: RequestLimits = REQUEST_LIMITS): ShapeProblem | null {
  const stack: Array<{ node: unknown; path: string; depth: number }> = [{ node: value, path: '', depth: 1 }];
  let values = 0;
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop()!;
    if (++values > limits.maxValues) return { field: root, message: `${root} has more than ${limits.maxValues} values` };
    if (node === null || typeof node !== 'object') continue;
    const field = path || root;
    if (depth > limits.maxDepth) return { field, message: `${field} is nested more than ${limits.maxDepth} levels deep` };
    if (Array.isArray(node)) {
      if (node.length > limits.maxArrayItems) return { field, message: `${field} has more than ${limits.maxArrayItems} items` };
      for (let i = node.length - 1; i >= 0; i--) stack.push({ node: node[i], path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(node);
    if (keys.length > limits.maxObjectKeys) return { field, message: `${field} has more than ${limits.maxObjectKeys} fields` };
    for (const key of keys) {
      const child = path ? `${path}.${key}` : key;
      if (RESERVED_KEYS.has(key)) return { field: child, message: `${key} is a reserved name, not a field` };
      stack.push({ node: (node as Record<string, unknown>)[key], path: child, depth: depth + 1 });
    }
  }
  return null;
}

/**
 * Installs the shape check (400 before any DTO is built), the handler timeout (503), Node's request and idle
 * timeouts, and problem+json answers to requests Node's HTTP parser refuses. Call before `app.init()` and `listen`.
 */
export function installRequestLimits(app: NestFastifyApplication, limits: RequestLimits = REQUEST_LIMITS): void {
  const fastify = app.getHttpAdapter().getInstance();
  // Node answers a missing Host with a bare 400 of its own; the same refusal here is problem+json.
  fastify.addHook('onRequest', async (request) => {
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) {
      throw new ProblemException(400, 'missing-host', 'An HTTP/1.1 request must carry a Host header', {
        errors: [{ field: 'Host', message: 'is required' }],
      });
    }
  });
  fastify.addHook('preValidation', async (request) => {
    const problem = shapeProblem(request.body, 'body', limits) ?? shapeProblem(request.query, 'query', limits);
    if (problem) throw validationProblem([problem], 'The request has a shape this API does not accept');
  });
  fastify.addHook('preHandler', (request, reply, done) => {
    const timer = setTimeout(() => {
      if (reply.sent || reply.raw.headersSent) return;
      const detail = `No response within ${limits.handlerTimeoutMs} ms; the outcome is unknown, retry with the same Idempotency-Key`;
      void reply.status(503).header('content-type', PROBLEM_JSON).send(problemBody(503, 'handler-timeout', detail, request.url));
    }, limits.handlerTimeoutMs);
    timer.unref();
    reply.raw.once('close', () => clearTimeout(timer));
    done();
  });
  const server = app.getHttpServer() as Server & { requireHostHeader: boolean; connectionsCheckingInterval: number };
  server.requireHostHeader = false;
  server.connectionsCheckingInterval = limits.timeoutCheckIntervalMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  server.setTimeout(limits.idleSocketTimeoutMs);
  server.removeAllListeners('clientError');
  server.on('clientError', answerClientError);
}

/**
 * Fastify's router refuses a malformed percent-encoding (400) or a path parameter over 100 characters (414) before
 * any hook, so neither reaches the exception filter. Pass as the adapter's `frameworkErrors` option to answer both
 * as problem+json: `new FastifyAdapter({ ..., frameworkErrors: answerRouterError })`.
 */
export function answerRouterError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const [slug, detail] = status === 414 ? ['uri-too-long', 'A path segment is too long'] : ['bad-url', 'The URL is malformed'];
  void reply.status(status).header('content-type', PROBLEM_JSON).send(problemBody(status, slug, detail, request.url));
}

/** Node's HTTP parser refused the request (or it arrived too slowly): answer problem+json, then close. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, slug, detail] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request-timeout', 'The request did not arrive in time']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers-too-large', 'The request line and headers are too large']
        : [400, 'malformed-request', 'The request is not well-formed HTTP/1.1'];
  // Node's own rule: never write into a response that has already begun on this connection.
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const body = JSON.stringify({ type: problemType(slug), title: STATUS_CODES[status], status, detail });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_JSON}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
