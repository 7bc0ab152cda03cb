import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config.js';
import { ProblemException } from '../http/problem.js';
import { AccountsStore } from './accounts-store.js';
import { digest } from './secrets.js';

/** Window of the sign-in limit; past the limit, the key is also blocked this long. */
export const SIGN_IN_WINDOW_MS = 60_000;

/**
 * Limits password attempts (sign-in, password change) per route, client address and account (the e-mail of a
 * sign-in, the principal of a password change) to `TRACKER_LOGIN_ATTEMPTS_PER_MINUTE` (0 lifts it). Counters live
 * in `accounts.db`, so every instance sharing it counts the same attempts; keys are SHA-256 digests. 429
 * problem+json with Retry-After when exceeded.
 *
 * Why not @nestjs/throttler: 6.7.1 is CommonJS and requires the ESM-only @nestjs/common 12, which Node 20 allows
 * but Jest's module system (on Node < 24.9) does not, so the end-to-end suites could not load the app.
 */
@Injectable()
export class SignInThrottle implements CanActivate {
  constructor(
    private readonly accounts: AccountsStore,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const limit = this.config.loginAttemptsPerMinute;
    if (limit === 0) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const body = request.body;
    const email = typeof body === 'object' && body !== null && 'email' in body ? (body as { email: unknown }).email : undefined;
    const who = request.principal?.id ?? (typeof email === 'string' ? email.trim().toLowerCase().slice(0, 320) : '');
    const key = digest(`${context.getClass().name}.${context.getHandler().name}|${request.ip}|${who}`);
    const now = Date.now();
    const { hits, expiresAt, blockedUntil } = this.accounts.hit(key, SIGN_IN_WINDOW_MS, limit, SIGN_IN_WINDOW_MS, now);
    void reply.header('X-RateLimit-Limit', String(limit));
    void reply.header('X-RateLimit-Remaining', String(Math.max(0, limit - hits)));
    void reply.header('X-RateLimit-Reset', String(Math.max(0, Math.ceil((expiresAt - now) / 1000))));
    if (blockedUntil > now) {
      const seconds = Math.max(1, Math.ceil((blockedUntil - now) / 1000));
      void reply.header('Retry-After', String(seconds));
      throw new ProblemException(429, 'too-many-attempts', `Too many attempts; try again in ${seconds} seconds`);
    }
    return true;
  }
}
