import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { NotFoundError, userStreamName, type UserRole } from '#domain';
import { EventStore } from '#event-store';
import type { Account } from '../auth/accounts-store.js';
import { CarriesSecrets, Roles } from '../auth/access.decorators.js';
import { ONE_TIME_PASSWORD_TTL_MS, UserAccounts } from '../auth/user-accounts.js';
import { Ctx, type RequestCommandContext } from '../http/command-context.js';
import { changed, created, withEtag } from '../http/responses.js';
import { toIso } from '../http/time.js';
import { EntityParam } from '../organisations/aggregate-controller.js';
import { ChangeRoleRequest, RegisterUserRequest, UserCommandRequest } from './users.requests.js';

/** A user as staff see them. */
export interface UserView {
  id: string;
  version: number;
  email: string;
  name: string;
  role: UserRole;
  organisationId: string | null;
  personId: string | null;
  status: 'active' | 'disabled';
  /** A one-time password is outstanding. */
  mustChangePassword: boolean;
  createdAt: string;
}

/** One event of a user's history: who granted or changed what, when (never a secret; no personal data). */
export interface UserHistoryEntry {
  version: number;
  eventId: string;
  type: string;
  occurredAt: string;
  recordedAt: string;
  actor: { id: string; role: string };
  data: Record<string, unknown>;
}

function view(account: Account): UserView {
  return {
    id: account.id,
    version: account.version,
    email: account.email,
    name: account.name,
    role: account.role,
    organisationId: account.organisationId,
    personId: account.personId,
    status: account.status === 'disabled' ? 'disabled' : 'active',
    mustChangePassword: account.mustChangePassword,
    createdAt: toIso(account.createdAt),
  };
}

/**
 * User administration, for staff only (a lead gets 403; a partner the 404 of an unknown route or id). Every
 * change is an event in the user's stream; a role change or a disabling revokes the user's sessions and tokens
 * at once. New users and password resets get a one-time password, shown in that response only.
 */
@ApiTags('users')
@Controller('api/users')
@Roles('staff')
export class UsersController {
  constructor(
    private readonly accounts: UserAccounts,
    private readonly events: EventStore,
  ) {}

  @Post()
  @HttpCode(201)
  @CarriesSecrets()
  @ApiOperation({ summary: 'Register a user → UserRegistered; the one-time password is shown here only and must be changed at first sign-in' })
  async register(@Body() body: RegisterUserRequest, @Ctx() ctx: RequestCommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const { occurredAt: _, ...input } = body;
    const outcome = await this.accounts.register({ userId: ctx.newId('user'), ...input }, ctx);
    return {
      ...created(reply, `/api/users/${outcome.id}`, { ...outcome, position: 0 }),
      oneTimePassword: outcome.oneTimePassword,
      oneTimePasswordExpiresAt: toIso(Date.now() + ONE_TIME_PASSWORD_TTL_MS),
    };
  }

  @Get()
  @ApiOperation({ summary: 'Every user, by e-mail address' })
  list(): { items: UserView[]; nextCursor: null } {
    return { items: this.accounts.accounts.list().map(view), nextCursor: null };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user: role, organisation, person, status' })
  get(@EntityParam() id: string, @Res({ passthrough: true }) reply: FastifyReply): UserView {
    const account = this.accounts.accounts.byId(id);
    if (account === null || account.status === 'pending') throw new NotFoundError('user', id);
    withEtag(reply, account.version);
    return view(account);
  }

  @Get(':id/history')
  @ApiOperation({ summary: "The user's events: who registered them, granted which role, disabled them, reset their password, when" })
  async history(@EntityParam() id: string): Promise<{ items: UserHistoryEntry[] }> {
    const events = await this.events.readStream(userStreamName(id));
    if (events.length === 0) throw new NotFoundError('user', id);
    const items = events.map((event) => {
      const { personal: _, ...data } = event.data as Record<string, unknown>;
      return {
        version: event.version,
        eventId: event.eventId,
        type: event.type,
        occurredAt: event.metadata.occurredAt,
        recordedAt: event.recordedAt,
        actor: { ...event.metadata.actor },
        data,
      };
    });
    return { items };
  }

  @Post(':id/role')
  @HttpCode(200)
  @ApiOperation({ summary: 'Grant another role (and organisation or person) → UserRoleChanged; revokes their sessions and tokens' })
  async changeRole(@EntityParam() id: string, @Body() body: ChangeRoleRequest, @Ctx() ctx: RequestCommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const { occurredAt: _, ...change } = body;
    return changed(reply, { ...(await this.accounts.changeRole(id, change, ctx)), position: 0 });
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a user → UserDisabled; their sessions and tokens stop working at once' })
  async disable(@EntityParam() id: string, @Body() _body: UserCommandRequest, @Ctx() ctx: RequestCommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return changed(reply, { ...(await this.accounts.disable(id, ctx)), position: 0 });
  }

  @Post(':id/password-reset')
  @HttpCode(200)
  @CarriesSecrets()
  @ApiOperation({ summary: 'Reset a password → PasswordReset: a new one-time password, shown here only; sessions and tokens are revoked' })
  async resetPassword(@EntityParam() id: string, @Body() _body: UserCommandRequest, @Ctx() ctx: RequestCommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const outcome = await this.accounts.resetPassword(id, ctx);
    return {
      ...changed(reply, { ...outcome, position: 0 }),
      oneTimePassword: outcome.oneTimePassword,
      oneTimePasswordExpiresAt: toIso(Date.now() + ONE_TIME_PASSWORD_TTL_MS),
    };
  }
}
