import { Body, Controller, Get, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config.js';
import { CarriesSecrets, DuringPasswordChange, Public, SignedIn } from '../auth/access.decorators.js';
import { requirePrincipal } from '../auth/principal.js';
import { digest } from '../auth/secrets.js';
import { clearSessionCookie, sessionIdFrom, setSessionCookie } from '../auth/session-cookie.js';
import { SignInThrottle } from '../auth/sign-in-throttle.js';
import { SESSION_TTL_MS, UserAccounts } from '../auth/user-accounts.js';
import { APP_CSS } from './assets/app-css.js';
import { fieldErrors, formText, formView, type FormSpec, type FormValues } from './forms/form-spec.js';
import { LANGUAGE_COOKIE, pageLanguage } from './i18n/messages.js';
import { InternalApi, type ApiProblem } from './internal-api.js';
import { chrome, localPath, redirect, sendPage, t } from './web-chrome.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const SIGN_IN: FormSpec = {
  id: 'sign-in',
  title: 'signIn.title',
  submit: 'signIn.submit',
  fields: [
    { name: 'email', kind: 'email', label: 'signIn.email', required: true, autocomplete: 'username' },
    { name: 'password', kind: 'password', label: 'signIn.password', required: true, autocomplete: 'current-password' },
  ],
};

const PASSWORD: FormSpec = {
  id: 'password',
  title: 'password.title',
  submit: 'password.submit',
  fields: [
    { name: 'currentPassword', kind: 'password', label: 'password.current', required: true, autocomplete: 'current-password' },
    { name: 'newPassword', kind: 'password', label: 'password.new', required: true, autocomplete: 'new-password' },
  ],
};

/**
 * A sign-in form posted from another site (login CSRF) is refused. Browsers say where a request comes from in
 * Sec-Fetch-Site; older ones only in Origin, which is `null` under the no-referrer policy helmet sets.
 */
export function sameSiteFormPost(headers: FastifyRequest['headers']): boolean {
  const site = headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin' || site === 'none';
  const origin = headers.origin;
  if (origin === undefined || origin === 'null') return true;
  try {
    return new URL(origin).host === headers.host;
  } catch {
    return false;
  }
}

/** Signing in and out, the one-time password, the language switch and the stylesheet. */
@ApiExcludeController()
@Controller()
@UseFilters(WebExceptionFilter)
export class SessionPagesController {
  constructor(
    private readonly accounts: UserAccounts,
    private readonly config: AppConfig,
    private readonly api: InternalApi,
  ) {}

  @Get('assets/app.css')
  @Public()
  stylesheet(@Res({ passthrough: true }) reply: FastifyReply): string {
    void reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=3600');
    return APP_CSS;
  }

  @Get('language')
  @Public()
  language(@Query('to') to: unknown, @Query('back') back: unknown, @Res({ passthrough: true }) reply: FastifyReply): string {
    if (to === 'nb' || to === 'en') void reply.setCookie(LANGUAGE_COOKIE, to, { path: '/', sameSite: 'lax', maxAge: 365 * 24 * 3600, httpOnly: true });
    return redirect(reply, localPath(back));
  }

  @Get('sign-in')
  @Public()
  signInPage(@Req() request: FastifyRequest, @Query('next') next: unknown, @Query('signedOut') signedOut: unknown, @Res({ passthrough: true }) reply: FastifyReply): string {
    return this.renderSignIn(request, reply, { next: localPath(next) }, {}, null, signedOut === '1' ? t(request, 'signIn.signedOut') : null);
  }

  @Post('sign-in')
  @Public()
  @UseGuards(SignInThrottle)
  @CarriesSecrets()
  async signIn(@Req() request: FastifyRequest, @Body() body: FormValues, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const values = body ?? {};
    const next = localPath(formText(values, 'next'));
    if (!sameSiteFormPost(request.headers)) return this.renderSignIn(request, reply, { next }, {}, t(request, 'error.csrf'), null, 403);
    const email = formText(values, 'email');
    const password = formText(values, 'password');
    const errors: Record<string, string> = {};
    if (email.trim() === '') errors.email = t(request, 'error.required');
    if (password === '') errors.password = t(request, 'error.required');
    if (Object.keys(errors).length > 0) return this.renderSignIn(request, reply, { email, next }, errors, t(request, 'form.invalid'), null, 400);
    const signedIn = await this.accounts.signIn(email, password);
    if (signedIn === null) return this.renderSignIn(request, reply, { email, next }, {}, t(request, 'signIn.failed'), null, 401);
    const previous = sessionIdFrom(request);
    if (previous !== null) this.accounts.accounts.endSession(digest(previous));
    setSessionCookie(request, reply, signedIn.sessionId, Math.floor(SESSION_TTL_MS / 1000), this.config.secureCookies);
    return redirect(reply, signedIn.account.mustChangePassword ? '/password' : next);
  }

  @Post('sign-out')
  @SignedIn()
  @DuringPasswordChange()
  signOut(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): string {
    this.accounts.signOut(requirePrincipal(request));
    clearSessionCookie(request, reply, this.config.secureCookies);
    return redirect(reply, '/sign-in?signedOut=1');
  }

  @Get('password')
  @SignedIn()
  @DuringPasswordChange()
  passwordPage(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): string {
    return this.renderPassword(request, reply, {}, null);
  }

  @Post('password')
  @SignedIn()
  @DuringPasswordChange()
  @CarriesSecrets()
  async changePassword(@Req() request: FastifyRequest, @Body() body: FormValues, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const values = body ?? {};
    const answer = await this.api.post<ApiProblem>(request, '/api/auth/password', {
      currentPassword: formText(values, 'currentPassword'),
      newPassword: formText(values, 'newPassword'),
    });
    if (answer.status === 200) return redirect(reply, '/?done=password');
    const problem = answer.json ?? { status: answer.status };
    const { errors, rest } = fieldErrors(pageLanguage(request), PASSWORD, problem.errors ?? []);
    const message = answer.status === 400 ? [t(request, 'form.invalid'), ...rest].join(' ') : t(request, 'form.failed', { detail: problem.detail ?? answer.status });
    return this.renderPassword(request, reply, errors, message, answer.status);
  }

  private renderSignIn(
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues & { next: string },
    errors: Record<string, string>,
    message: string | null,
    notice: string | null,
    status = 200,
  ): string {
    const form = formView(pageLanguage(request), SIGN_IN, {
      action: '/sign-in',
      csrf: null,
      values,
      errors,
      message,
      hidden: { next: values.next },
      collapsible: false,
    });
    form.title = '';
    return sendPage(reply, 'signIn', chrome(request, t(request, 'signIn.title'), notice), { form }, status);
  }

  private renderPassword(request: FastifyRequest, reply: FastifyReply, errors: Record<string, string>, message: string | null, status = 200): string {
    const page = chrome(request, t(request, 'password.title'));
    const form = formView(pageLanguage(request), PASSWORD, { action: '/password', csrf: page.csrf, errors, message, collapsible: false });
    form.title = '';
    return sendPage(reply, 'password', page, { form }, status);
  }
}
