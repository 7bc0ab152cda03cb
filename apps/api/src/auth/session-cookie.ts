import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The session cookie over https: `__Host-` makes browsers insist on Secure, Path=/ and no Domain. */
const SECURE_NAME = '__Host-tracker_session';
/** The session cookie over plain http (development, tests). */
const PLAIN_NAME = 'tracker_session';
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** When session cookies get `Secure`: `auto` = when the request came over https. */
export type SecureCookies = 'auto' | 'always' | 'never';

/** True when the request reached us (or the TLS-terminating proxy in front) over https. */
export function cameOverHttps(request: FastifyRequest): boolean {
  if (request.protocol === 'https') return true;
  const forwarded = request.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}

function secure(request: FastifyRequest, mode: SecureCookies): boolean {
  return mode === 'always' || (mode === 'auto' && cameOverHttps(request));
}

/** The session id from the request's cookie, or null. */
export function sessionIdFrom(request: FastifyRequest): string | null {
  const cookies = request.cookies ?? {};
  const value = cookies[SECURE_NAME] ?? cookies[PLAIN_NAME];
  return typeof value === 'string' && SESSION_ID.test(value) ? value : null;
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Path=/, Secure over https, for the session's lifetime. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, sessionId: string, maxAgeSeconds: number, mode: SecureCookies): void {
  const isSecure = secure(request, mode);
  void reply.setCookie(isSecure ? SECURE_NAME : PLAIN_NAME, sessionId, {
    httpOnly: true,
    sameSite: 'lax',
    secure: isSecure,
    path: '/',
    maxAge: maxAgeSeconds,
  });
}

/** Clears the session cookie (both spellings). */
export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply, mode: SecureCookies): void {
  void reply.clearCookie(PLAIN_NAME, { path: '/', httpOnly: true, sameSite: 'lax' });
  if (secure(request, mode) || request.cookies?.[SECURE_NAME] !== undefined) {
    void reply.clearCookie(SECURE_NAME, { path: '/', httpOnly: true, sameSite: 'lax', secure: true });
  }
}
