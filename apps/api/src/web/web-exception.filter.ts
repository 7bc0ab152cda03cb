import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, NotFoundError } from '#domain';
import { EventStoreUnavailable } from '#event-store';
import { ProblemException } from '../http/problem.js';
import type { MessageKey } from './i18n/messages.js';
import { chrome, redirect, sendPage, t } from './web-chrome.js';

/** A page that cannot be shown: its status and the message to show. */
export class WebPageError extends Error {
  constructor(
    readonly status: number,
    readonly messageKey: MessageKey,
    readonly detail?: string,
  ) {
    super(detail ?? messageKey);
  }
}

/** The page error for an API answer that is not a success. */
export function pageErrorFor(status: number, detail?: string): WebPageError {
  if (status === 404) return new WebPageError(404, 'error.notFound');
  if (status === 403) return new WebPageError(403, 'error.forbidden');
  if (status === 503) return new WebPageError(503, 'error.unavailable');
  if (status >= 400 && status < 500) return new WebPageError(status, 'error.generic', detail);
  return new WebPageError(500, 'error.generic');
}

/**
 * Errors of the pages as pages: not signed in → the sign-in page (303, returning here afterwards); a one-time
 * password → the password page; unknown or out of scope → a 404 page; anything else → an error page.
 */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Web');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (reply.sent) return;
    const { status, key, detail } = this.classify(exception, request);
    if (status === 401) {
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      void reply.send(redirect(reply, `/sign-in${next}`));
      return;
    }
    if (status === 0) {
      void reply.send(redirect(reply, '/password'));
      return;
    }
    if (status >= 500) this.logger.error({ err: exception, url: request.url }, 'page failed');
    const message = detail ? `${t(request, key)} ${detail}` : t(request, key);
    void reply.send(sendPage(reply, 'error', chrome(request, t(request, 'error.title')), { message }, status));
  }

  private classify(exception: unknown, request: FastifyRequest): { status: number; key: MessageKey; detail?: string } {
    if (exception instanceof WebPageError) return { status: exception.status, key: exception.messageKey, detail: exception.detail };
    if (exception instanceof ProblemException) {
      const status = exception.getStatus();
      if (status === 401) return { status, key: 'signIn.expired' };
      if (exception.slug === 'password-change-required') return { status: 0, key: 'password.intro' };
      if (exception.slug === 'csrf-token-missing') return { status, key: 'error.csrf' };
      if (status === 403) return { status, key: 'error.forbidden' };
      if (status === 404) return { status, key: 'error.notFound' };
      return { status, key: 'error.generic', detail: status < 500 ? exception.message : undefined };
    }
    if (exception instanceof NotFoundError) return { status: 404, key: 'error.notFound' };
    if (exception instanceof DomainError) return { status: 422, key: 'error.generic', detail: exception.message };
    if (exception instanceof EventStoreUnavailable) return { status: 503, key: 'error.unavailable' };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) return { status, key: 'error.notFound' };
      if (status === 403) return { status, key: 'error.forbidden' };
      return { status, key: 'error.generic', detail: status < 500 ? exception.message : undefined };
    }
    void request;
    return { status: 500, key: 'error.generic' };
  }
}
