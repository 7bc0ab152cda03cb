import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { streamName, type UserRole } from '#domain';
import { EventStore } from '#event-store';
import { experimentView, type ReadModelDb } from '#projections';
import { ProblemException } from '../http/problem.js';
import { READ_MODELS } from '../infrastructure/infrastructure.module.js';
import { AccountsStore, type Authenticated } from './accounts-store.js';
import { DURING_PASSWORD_CHANGE, PUBLIC_ROUTE, ROUTE_ROLES } from './access.decorators.js';
import { authorise, type AccessLookups } from './access-policy.js';
import { partnerScope } from './partner-scope.js';
import { Visibility, type PartnerScope, type Principal } from './principal.js';
import { digest, sameSecret } from './secrets.js';
import { sessionIdFrom } from './session-cookie.js';

/** Header carrying the session's CSRF token on state-changing requests signed in by cookie. */
export const CSRF_HEADER = 'x-csrf-token';
/** Form field carrying it instead, for the server-rendered forms outside /api. */
export const CSRF_FIELD = '_csrf';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function unauthenticated(reply: FastifyReply, detail: string): ProblemException {
  void reply.header('WWW-Authenticate', 'Bearer realm="tracker"');
  return new ProblemException(401, 'unauthenticated', detail);
}

/**
 * The global guard (APP_GUARD), in the order the API promises: authenticate (401) → CSRF for cookie sessions
 * (403) → scope (404) → role (403); If-Match and validation come later, in the handler's parameters. Routes are
 * closed unless `@Public()`. A bearer token wins over a cookie; a bad credential is a 401, never a fallback.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly accounts: AccountsStore,
    private readonly events: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModelDb,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets) === true) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();

    const authenticated = this.authenticate(request, reply);
    const principal = toPrincipal(authenticated);
    request.principal = principal;

    if (principal.credential.kind === 'session' && UNSAFE.has(request.method)) this.checkCsrf(request, principal.credential.csrfToken);
    if (principal.mustChangePassword && this.reflector.get<boolean | undefined>(DURING_PASSWORD_CHANGE, context.getHandler()) !== true) {
      throw new ProblemException(403, 'password-change-required', 'Set a password of your own first: POST /api/auth/password');
    }

    let scope: PartnerScope | undefined;
    const lookups: AccessLookups = {
      partnerScope: () => (scope ??= partnerScope(this.readModels, principal.organisationId)),
      experimentLead: async (id) => {
        const view = experimentView(await this.events.readStream(streamName('experiment', id)));
        return view === null ? undefined : view.leadId;
      },
    };
    await authorise(
      principal,
      {
        method: request.method,
        route: request.routeOptions.url ?? request.url.split('?')[0],
        params: (request.params ?? {}) as Record<string, string | undefined>,
        query: (request.query ?? {}) as Record<string, unknown>,
        body: request.body,
        roles: this.reflector.getAllAndOverride<UserRole[] | undefined>(ROUTE_ROLES, targets),
      },
      lookups,
    );
    request.visibility = principal.role === 'partner' ? Visibility.partnerScope(lookups.partnerScope()) : Visibility.everything;
    return true;
  }

  private authenticate(request: FastifyRequest, reply: FastifyReply): Authenticated {
    const now = Date.now();
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer[ \t]+([A-Za-z0-9_~+/.-]{1,512}=*)[ \t]*$/i.exec(authorization);
      const found = match ? this.accounts.byToken(digest(match[1]), now) : null;
      if (!found) throw unauthenticated(reply, 'The bearer token is unknown, expired or revoked');
      return found;
    }
    const sessionId = sessionIdFrom(request);
    if (sessionId === null) throw unauthenticated(reply, 'Sign in (POST /api/auth/login) or send Authorization: Bearer <token>');
    const found = this.accounts.bySession(digest(sessionId), now);
    if (!found) throw unauthenticated(reply, 'The session has ended; sign in again');
    return found;
  }

  private checkCsrf(request: FastifyRequest, expected: string): void {
    const header = request.headers[CSRF_HEADER];
    const body = request.body;
    const field = typeof body === 'object' && body !== null && CSRF_FIELD in body ? (body as Record<string, unknown>)[CSRF_FIELD] : undefined;
    const given = typeof header === 'string' ? header : typeof field === 'string' ? field : '';
    if (!sameSecret(given, expected)) {
      throw new ProblemException(403, 'csrf-token-missing', `Send the session's CSRF token (GET /api/auth/csrf) in the ${CSRF_HEADER} header`);
    }
  }
}

function toPrincipal({ account, credential }: Authenticated): Principal {
  return {
    id: account.id,
    role: account.role,
    email: account.email,
    name: account.name,
    organisationId: account.organisationId,
    personId: account.personId,
    mustChangePassword: account.mustChangePassword,
    credential,
  };
}
