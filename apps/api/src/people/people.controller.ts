import { Body, Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { StreamCategory, type PersonCommand } from '#domain';
import type { PersonView } from '#projections';
import { Ctx, type RequestCommandContext } from '../http/command-context.js';
import { AggregateController, bodyData, CommandRoute, CreateRoute, EntityParam, Reply } from '../organisations/aggregate-controller.js';
import { ExecutePersonCommand } from './person.commands.js';
import { GetPerson } from './person.queries.js';
import { AssumeRoleRequest, EndRoleRequest, RegisterPersonRequest, RevisePersonDetailsRequest } from './person.requests.js';

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
}
