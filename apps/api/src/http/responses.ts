import type { FastifyReply } from 'fastify';
import type { CommandOutcome } from '../commands/aggregate-command.js';

/** Sets the strong ETag carrying the entity version. */
export function withEtag(reply: FastifyReply, version: number): void {
  void reply.header('ETag', `"${version}"`);
}

/** 201 body for a created entity; sets Location and ETag. */
export function created(reply: FastifyReply, location: string, outcome: CommandOutcome): { id: string; version: number } {
  void reply.header('Location', location);
  withEtag(reply, outcome.version);
  return { id: outcome.id, version: outcome.version };
}

/** 200 body for a command on an entity; sets ETag. */
export function changed<Extra extends object>(
  reply: FastifyReply,
  outcome: CommandOutcome,
  extra?: Extra,
): { id: string; version: number } & Partial<Extra> {
  withEtag(reply, outcome.version);
  return { id: outcome.id, version: outcome.version, ...(extra ?? {}) } as { id: string; version: number } & Partial<Extra>;
}
