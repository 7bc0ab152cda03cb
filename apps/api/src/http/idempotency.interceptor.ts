import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable, of, tap } from 'rxjs';
import type { ReadModelDb } from '#projections';
import { READ_MODELS } from '../infrastructure/infrastructure.module.js';
import { CARRIES_SECRETS } from '../auth/access.decorators.js';
import { fingerprint, IdempotencyStore } from './idempotency.store.js';
import { ProblemException } from './problem.js';

const REPLAYED_HEADERS = ['etag', 'location'] as const;

/**
 * `Idempotency-Key` on POST: the first response is stored and replayed for the same principal, method, path and
 * key; the same key with another body is refused (422), and one still being processed answers 409. Keys of one
 * principal never meet another's. Requests and responses that carry a secret (`@CarriesSecrets`: sign-in, a password
 * change, a new token, a one-time password) are never stored, not even as a body fingerprint, so the key is not
 * used there; public routes have no principal to scope by.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly store: IdempotencyStore;

  constructor(
    @Inject(READ_MODELS) db: ReadModelDb,
    private readonly reflector: Reflector,
  ) {
    this.store = new IdempotencyStore(db);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const header = request.headers['idempotency-key'];
    if (request.method !== 'POST' || header === undefined) return next.handle();
    const key = Array.isArray(header) ? header[0] : header;
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw new ProblemException(400, 'bad-idempotency-key', 'Idempotency-Key must be 1 to 255 visible ASCII characters', {
        errors: [{ field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }],
      });
    }
    if (request.principal === undefined) return next.handle();
    if (this.reflector.get<boolean | undefined>(CARRIES_SECRETS, context.getHandler()) === true) return next.handle();
    const scope = `${request.principal.id} ${request.method} ${request.url.split('?')[0]}`;
    const reservation = this.store.reserve(scope, key, fingerprint(request.body));
    switch (reservation.kind) {
      case 'reused':
        throw new ProblemException(422, 'idempotency-key-reused', 'This Idempotency-Key was used with a different body', {
          rule: 'idempotency.key-reused',
        });
      case 'in-flight':
        throw new ProblemException(409, 'idempotency-in-flight', 'A request with this Idempotency-Key is still being processed');
      case 'replay': {
        const { status, body, headers } = reservation.response;
        for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
        void reply.header('Idempotent-Replayed', 'true').status(status);
        return of(body);
      }
      case 'reserved':
        break;
    }
    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? 201;
    return next.handle().pipe(
      tap({
        next: (body: unknown) => {
          const headers: Record<string, string> = {};
          for (const name of REPLAYED_HEADERS) {
            const value = reply.getHeader(name);
            if (typeof value === 'string') headers[name] = value;
          }
          this.store.finish(scope, key, { status, body, headers });
        },
        error: () => this.store.release(scope, key),
      }),
    );
  }
}
