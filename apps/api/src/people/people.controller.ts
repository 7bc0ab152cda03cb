import { Body, Controller, Get } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { StreamCategory, type PersonCommand } from '#domain';
import type { PersonView } from '#projections';
import { Ctx, type RequestCommandContext } from '../http/command-context.js';
import { Roles } from '../auth/access.decorators.js';
import { EntityReferences } from '../commands/entity-references.js';
import { AggregateController, bodyData, CommandRoute, CreateRoute, EntityParam, Reply } from '../organisations/aggregate-controller.js';
import { PersonalDataExports, type PersonalDataExport } from './personal-data-export.js';
import { ExecutePersonCommand } from './person.commands.js';
import { GetPerson } from './person.queries.js';
import {
  AssumeRoleRequest,
  EndRoleRequest,
  ForgetPersonRequest,
  RegisterPersonRequest,
  RevisePersonDetailsRequest,
} from './person.requests.js';

@ApiTags('people')
@Controller('api/people')
export class PeopleController extends AggregateController<PersonCommand, 'personId', PersonView> {
  protected readonly routes = {
    category: StreamCategory.person,
    collection: 'people',
    idField: 'personId' as const,
    command: ExecutePersonCommand,
    query: GetPerson,
  };

  constructor(
    commandBus: CommandBus,
    queryBus: QueryBus,
    references: EntityReferences,
    private readonly personalData: PersonalDataExports,
  ) {
    super(commandBus, queryBus, references);
  }

  @CreateRoute('Register a person → PersonRegistered')
  register(@Body() body: RegisterPersonRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    return this.create(reply, ctx, 'RegisterPerson', bodyData(body));
  }

  @CommandRoute(':id/revise', "Revise a person's name or background → PersonDetailsRevised")
  revise(@EntityParam() id: string, @Body() body: RevisePersonDetailsRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    return this.change(reply, ctx, id, 'RevisePersonDetails', bodyData(body));
  }

  @CommandRoute(':id/roles', 'A role in an organisation, from a date → RoleAssumed (roleId)')
  assumeRole(@EntityParam() id: string, @Body() body: AssumeRoleRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    const roleId = ctx.newId('role');
    return this.change(reply, ctx, id, 'AssumeRole', { roleId, ...bodyData(body) }, { ids: { roleId }, references: { organisation: body.organisationId } });
  }

  @CommandRoute(':id/roles/:roleId/end', 'End a role on a date → RoleEnded')
  endRole(
    @EntityParam() id: string,
    @EntityParam('roleId') roleId: string,
    @Body() body: EndRoleRequest,
    @Ctx() ctx: RequestCommandContext,
    @Reply() reply: FastifyReply,
  ) {
    return this.change(reply, ctx, id, 'EndRole', { roleId, to: body.to });
  }

  @CommandRoute(
    ':id/forget',
    'Forget a person (staff) → PersonForgotten; their key is destroyed',
    'Every personal field stored for the person (name, background, roles, network memberships) becomes unreadable: ' +
      'read models, timelines, reports and exports show "a forgotten person". The reason must not name them. ' +
      'Forgetting again answers 422 `person.already-forgotten`.',
  )
  @Roles('staff')
  async forget(@EntityParam() id: string, @Body() body: ForgetPersonRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    const outcome = await this.change(reply, ctx, id, 'ForgetPerson', { reason: body.reason });
    this.personalData.flushReadModels();
    return outcome;
  }

  @Get(':id/export')
  @Roles('staff')
  @ApiOperation({ summary: 'Everything held about a person, decrypted (staff; right of access)' })
  exportPersonalData(@EntityParam() id: string, @Reply() reply: FastifyReply): Promise<PersonalDataExport> {
    void reply.header('content-disposition', `attachment; filename="person-${id}-export.json"`);
    return this.personalData.export(id, new Date().toISOString());
  }
}
