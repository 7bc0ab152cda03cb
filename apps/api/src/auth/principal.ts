import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { UserGrant, UserRole } from '#domain';
import type { Actor } from '#event-store';
import type { Credential } from './accounts-store.js';

/** The signed-in user of a request, as the access guard authenticated them. */
export interface Principal extends UserGrant {
  id: string;
  role: UserRole;
  email: string;
  name: string;
  /** A one-time password is in use: only changing it, `me` and signing out are allowed. */
  mustChangePassword: boolean;
  credential: Credential;
}

/** What a partner may see: the collaborations their organisation is a party to and the experiments attached there. */
export interface PartnerScope {
  collaborations: ReadonlySet<string>;
  experiments: ReadonlySet<string>;
}

/**
 * What the caller may read. `all` for staff and leads; a partner's lists, timelines, learnings and audit trail
 * are cut down to their scope.
 */
export class Visibility {
  private constructor(readonly partner: PartnerScope | null) {}

  static readonly everything = new Visibility(null);

  static partnerScope(scope: PartnerScope): Visibility {
    return new Visibility(scope);
  }

  /** Ids of `category` the caller may see; undefined when not restricted. */
  ids(category: string): string[] | undefined {
    if (this.partner === null) return undefined;
    if (category === 'collaboration') return [...this.partner.collaborations];
    if (category === 'experiment') return [...this.partner.experiments];
    return [];
  }

  /** Streams the caller may see; undefined when not restricted. */
  streams(): string[] | undefined {
    if (this.partner === null) return undefined;
    return [
      ...[...this.partner.collaborations].map((id) => `collaboration-${id}`),
      ...[...this.partner.experiments].map((id) => `experiment-${id}`),
    ];
  }

  /** Learning sources the caller may see; undefined when not restricted. */
  sources(): Array<{ kind: 'collaboration' | 'experiment'; id: string }> | undefined {
    if (this.partner === null) return undefined;
    return [
      ...[...this.partner.collaborations].map((id) => ({ kind: 'collaboration' as const, id })),
      ...[...this.partner.experiments].map((id) => ({ kind: 'experiment' as const, id })),
    ];
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the access guard on every route that is not public. */
    principal?: Principal;
    /** Set by the access guard with the principal. */
    visibility?: Visibility;
  }
}

/** The actor recorded on the events a principal causes. */
export function actorOf(principal: Principal): Actor {
  return { id: principal.id, role: principal.role };
}

/** The authenticated principal; a route reached without one is a programming error (fails closed). */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error(`No principal on ${request.method} ${request.url}: is the route public by mistake?`);
  return request.principal;
}

/** Injects the signed-in user. */
export const CurrentPrincipal = createParamDecorator((_: unknown, execution: ExecutionContext) =>
  requirePrincipal(execution.switchToHttp().getRequest<FastifyRequest>()),
);

/** Injects what the caller may read (lists, timelines, learnings, audit filter by it). */
export const Visible = createParamDecorator((_: unknown, execution: ExecutionContext): Visibility => {
  const request = execution.switchToHttp().getRequest<FastifyRequest>();
  if (!request.visibility) throw new Error(`No visibility on ${request.method} ${request.url}: is the route public by mistake?`);
  return request.visibility;
});
