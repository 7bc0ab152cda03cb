import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { v5 as uuidv5, v7 as uuidv7, validate as isUuid } from 'uuid';
import type { CommandContext } from '#event-store';
import { actorOf, requirePrincipal, type Principal } from '../auth/principal.js';
import { ProblemException, validationProblem } from './problem.js';
import { FUTURE_TOLERANCE_MS, parseInstant, toIso } from './time.js';

/** Namespace for event ids derived from an Idempotency-Key. */
const IDEMPOTENCY_NAMESPACE = '6f1d3c2e-6a43-4f0e-9d4b-3f4f9a0c1e27';

export interface RequestCommandContext extends CommandContext {
  commandId: string;
  /** The signed-in user; `actor` is `{id, role}` of them, never anything from the body. */
  principal: Principal;
  /** A new entity id; deterministic for idempotency-keyed requests so replays name the same entity. */
  newId: (purpose: string) => string;
}

/** Parses `If-Match: "3"` into an expected version; absent → undefined. */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^\s*"(\d{1,15})"\s*$/.exec(value) ?? /^\s*(\d{1,15})\s*$/.exec(value);
  if (!match) {
    throw new ProblemException(400, 'bad-if-match', 'If-Match must be a strong ETag such as "3"', {
      errors: [{ field: 'If-Match', message: 'must be a strong ETag such as "3"' }],
    });
  }
  return Number(match[1]);
}

/** Business time of a command: body `occurredAt` (date or date-time), default now, never > 5 min ahead. */
export function resolveOccurredAt(value: unknown, now: number): string {
  if (value === undefined || value === null) return toIso(now);
  const instant = typeof value === 'string' ? parseInstant(value, 'start') : null;
  // A malformed value is reported by the body's validation, together with every other bad field.
  if (instant === null) return toIso(now);
  if (instant > now + FUTURE_TOLERANCE_MS) return fail('must not be in the future');
  return toIso(instant);

  function fail(message: string): never {
    throw validationProblem([{ field: 'occurredAt', message: `occurredAt ${message}` }]);
  }
}

/** The context of a command sent by the request's authenticated principal (the access guard ran before). */
export function buildCommandContext(request: FastifyRequest, now = Date.now()): RequestCommandContext {
  const principal = requirePrincipal(request);
  const actor = actorOf(principal);
  const commandId = uuidv7();
  const header = request.headers['x-correlation-id'];
  const correlationId = typeof header === 'string' && isUuid(header) ? header : commandId;
  const key = request.headers['idempotency-key'];
  const path = request.url.split('?')[0];
  const body = (request.body ?? {}) as { occurredAt?: unknown };
  const keyed = typeof key === 'string' && key.length > 0;
  const derive = (...parts: unknown[]) => uuidv5(JSON.stringify([actor.id, request.method, path, key, ...parts]), IDEMPOTENCY_NAMESPACE);
  return {
    commandId,
    principal,
    actor,
    occurredAt: resolveOccurredAt(body.occurredAt, now),
    correlationId,
    causationId: commandId,
    source: 'api',
    expectedVersion: parseIfMatch(request.headers['if-match']),
    eventId: keyed ? (index) => derive(index) : () => uuidv7(),
    newId: keyed ? (purpose) => derive('id', purpose) : () => uuidv7(),
  };
}

/** Injects the command context (actor, time, ids, If-Match) of the current request. */
export const Ctx = createParamDecorator((_: unknown, execution: ExecutionContext) =>
  buildCommandContext(execution.switchToHttp().getRequest<FastifyRequest>()),
);
