import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config.js';
import { Ctx, type RequestCommandContext } from '../http/command-context.js';
import { ProblemException, validationProblem } from '../http/problem.js';
import { changed, withEtag } from '../http/responses.js';
import { parseInstant, toIso } from '../http/time.js';
import { EntityParam } from '../organisations/aggregate-controller.js';
import type { Account } from './accounts-store.js';
import { DuringPasswordChange, Public, CarriesSecrets, SignedIn } from './access.decorators.js';
import { CSRF_FIELD, CSRF_HEADER } from './access.guard.js';
import { ChangePasswordRequest, IssueTokenRequest, LoginRequest } from './auth.requests.js';
import { CurrentPrincipal, type Principal } from './principal.js';
import { digest } from './secrets.js';
import { clearSessionCookie, sessionIdFrom, setSessionCookie } from './session-cookie.js';
import { SignInThrottle } from './sign-in-throttle.js';
import { SESSION_TTL_MS, UserAccounts } from './user-accounts.js';

/** A token without an expiry works this long. */
const DEFAULT_TOKEN_DAYS = 90;
/** Latest expiry a token may have, from its issue. */
const MAX_TOKEN_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The signed-in user as `GET /api/auth/me` shows them. */
export interface Me {
  id: string;
  email: string;
  name: string;
  role: Account['role'];
  organisationId: string | null;
  personId: string | null;
  mustChangePassword: boolean;
  /** How this request was authenticated. */
  authenticatedBy: 'session' | 'token';
  /** When the session or token stops working (null: a token without expiry). */
  expiresAt: string | null;
}

function me(principal: Principal): Me {
  const { credential } = principal;
  return {
    id: principal.id,
    email: principal.email,
    name: principal.name,
    role: principal.role,
    organisationId: principal.organisationId,
    personId: principal.personId,
    mustChangePassword: principal.mustChangePassword,
    authenticatedBy: credential.kind,
    expiresAt: credential.expiresAt === null ? null : toIso(credential.expiresAt),
  };
}

/**
 * Signing in and out, the signed-in user, their password and personal API tokens. Browsers sign in with a
 * session cookie (HttpOnly, SameSite=Lax, Secure over https) and send the session's CSRF token with every
 * state-changing request; scripts send `Authorization: Bearer <token>`.
 */
@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly accounts: UserAccounts,
    private readonly config: AppConfig,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @UseGuards(SignInThrottle)
  @CarriesSecrets()
  @ApiOperation({
    summary: 'Sign in with e-mail and password: sets the session cookie; returns the user and the CSRF token for state-changing requests',
    description: 'A wrong address, a wrong or expired password and a disabled user all answer the same 401. Attempts are limited per client address and e-mail (429).',
  })
  async login(@Body() body: LoginRequest, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const signedIn = await this.accounts.signIn(body.email, body.password);
    if (signedIn === null) throw new ProblemException(401, 'invalid-credentials', 'The e-mail address or the password is wrong');
    const previous = sessionIdFrom(request);
    if (previous !== null) this.accounts.accounts.endSession(digest(previous));
    setSessionCookie(request, reply, signedIn.sessionId, Math.floor(SESSION_TTL_MS / 1000), this.config.secureCookies);
    const { account } = signedIn;
    return {
      user: {
        id: account.id,
        email: account.email,
        name: account.name,
        role: account.role,
        organisationId: account.organisationId,
        personId: account.personId,
        mustChangePassword: account.mustChangePassword,
        authenticatedBy: 'session',
        expiresAt: toIso(signedIn.expiresAt),
      } satisfies Me,
      csrfToken: signedIn.csrfToken,
    };
  }

  @Post('logout')
  @SignedIn()
  @DuringPasswordChange()
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: ends the session and clears its cookie (a bearer token stays valid: revoke it instead)' })
  logout(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): void {
    this.accounts.signOut(principal);
    clearSessionCookie(request, reply, this.config.secureCookies);
  }

  @Get('me')
  @SignedIn()
  @DuringPasswordChange()
  @ApiOperation({ summary: 'The signed-in user, their role and scope, and how this request was authenticated' })
  me(@CurrentPrincipal() principal: Principal): Me {
    return me(principal);
  }

  @Get('csrf')
  @SignedIn()
  @DuringPasswordChange()
  @ApiOperation({
    summary: "The session's CSRF token",
    description: `Send it in the ${CSRF_HEADER} header (or a ${CSRF_FIELD} form field) with every POST, PUT, PATCH and DELETE signed in by cookie. Null for a bearer token, which needs none.`,
  })
  csrf(@CurrentPrincipal() principal: Principal): { csrfToken: string | null; header: string; field: string } {
    return { csrfToken: principal.credential.kind === 'session' ? principal.credential.csrfToken : null, header: CSRF_HEADER, field: CSRF_FIELD };
  }

  @Post('password')
  @SignedIn()
  @DuringPasswordChange()
  @HttpCode(200)
  @UseGuards(SignInThrottle)
  @CarriesSecrets()
  @ApiOperation({ summary: 'Change your own password → PasswordChanged; your other sessions end' })
  async changePassword(@Body() body: ChangePasswordRequest, @Ctx() ctx: RequestCommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const outcome = await this.accounts.changePassword(ctx.principal, body.currentPassword, body.newPassword, ctx);
    return changed(reply, { ...outcome, position: 0 });
  }

  @Get('tokens')
  @SignedIn()
  @ApiOperation({ summary: 'Your personal API tokens (never their secrets), newest first' })
  tokens(@CurrentPrincipal() principal: Principal) {
    const items = this.accounts.tokensOf(principal.id).map((token) => ({
      id: token.id,
      name: token.name,
      createdAt: toIso(token.createdAt),
      expiresAt: token.expiresAt === null ? null : toIso(token.expiresAt),
      revokedAt: token.revokedAt === null ? null : toIso(token.revokedAt),
    }));
    return { items, nextCursor: null };
  }

  @Post('tokens')
  @SignedIn()
  @HttpCode(201)
  @CarriesSecrets()
  @ApiOperation({
    summary: 'Issue a personal API token → ApiTokenIssued; the token is shown in this response only',
    description: 'Use it as Authorization: Bearer <token>. It acts as you, with your role, until it expires or is revoked (also by a role change or a disabling).',
  })
  async issueToken(@Body() body: IssueTokenRequest, @Ctx() ctx: RequestCommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const now = Date.now();
    const expiresAt = body.expiresAt === undefined ? now + DEFAULT_TOKEN_DAYS * DAY_MS : parseInstant(body.expiresAt, 'end');
    if (expiresAt === null || expiresAt <= now || expiresAt > now + MAX_TOKEN_DAYS * DAY_MS) {
      throw validationProblem([{ field: 'expiresAt', message: `expiresAt must lie in the future, at most ${MAX_TOKEN_DAYS} days ahead` }]);
    }
    const issued = await this.accounts.issueToken(ctx.principal.id, { tokenId: ctx.newId('token'), name: body.name, expiresAt: toIso(expiresAt) }, ctx);
    void reply.header('Location', `/api/auth/tokens/${issued.tokenId}`);
    withEtag(reply, issued.version);
    return { id: issued.tokenId, name: issued.name, expiresAt: issued.expiresAt, token: issued.token };
  }

  @Delete('tokens/:id')
  @SignedIn()
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke one of your tokens → ApiTokenRevoked (404 for a token that is not yours)' })
  async revokeToken(@EntityParam() id: string, @Ctx() ctx: RequestCommandContext): Promise<void> {
    await this.accounts.revokeToken(ctx.principal.id, id, ctx);
  }
}
