import { Body, Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { StreamCategory, type OrganisationCommand } from '#domain';
import type { OrganisationView } from '#projections';
import { Ctx, type RequestCommandContext } from '../http/command-context.js';
import { AggregateController, bodyData, CommandRoute, CreateRoute, EntityParam, Reply } from './aggregate-controller.js';
import { ExecuteOrganisationCommand } from './organisation.commands.js';
import { GetOrganisation } from './organisation.queries.js';
import { RegisterOrganisationRequest, RenameOrganisationRequest } from './organisation.requests.js';

@ApiTags('organisations')
@Controller('api/organisations')
export class OrganisationsController extends AggregateController<OrganisationCommand, 'organisationId', OrganisationView> {
  protected readonly routes = {
    category: StreamCategory.organisation,
    collection: 'organisations',
    idField: 'organisationId' as const,
    command: ExecuteOrganisationCommand,
    query: GetOrganisation,
  };

  @CreateRoute('Register an organisation → OrganisationRegistered')
  register(@Body() body: RegisterOrganisationRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    return this.create(reply, ctx, 'RegisterOrganisation', bodyData(body));
  }

  @CommandRoute(':id/rename', 'Rename an organisation → OrganisationRenamed')
  rename(@EntityParam() id: string, @Body() body: RenameOrganisationRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    return this.change(reply, ctx, id, 'RenameOrganisation', bodyData(body));
  }
}
