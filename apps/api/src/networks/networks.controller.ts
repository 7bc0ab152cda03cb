import { Body, Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { StreamCategory, type NetworkCommand, type NetworkCommandType } from '#domain';
import type { NetworkView } from '#projections';
import { WorkController, type WorkCommandTypes } from '../collaborations/work-controller.js';
import { CommandRequest } from '../http/command-request.js';
import { Ctx, type RequestCommandContext } from '../http/command-context.js';
import { bodyData, CommandRoute, CreateRoute, EntityParam, Reply } from '../organisations/aggregate-controller.js';
import { ExecuteNetworkCommand } from './network.commands.js';
import { GetNetwork } from './network.queries.js';
import {
  ChangeLeadershipRequest,
  FoundNetworkRequest,
  JoinAsMemberRequest,
  JoinAsPartnerRequest,
  ReportHeadcountRequest,
  UpdateMethodAdoptionRequest,
} from './network.requests.js';

@ApiTags('networks')
@Controller('api/networks')
export class NetworksController extends WorkController<NetworkCommand, 'networkId', NetworkView> {
  protected readonly routes = {
    category: StreamCategory.network,
    collection: 'networks',
    idField: 'networkId' as const,
    command: ExecuteNetworkCommand,
    query: GetNetwork,
  };

  protected readonly work: WorkCommandTypes<NetworkCommandType> = {
    setMilestone: 'SetNetworkMilestone',
    achieveMilestone: 'AchieveNetworkMilestone',
    recordLearning: 'RecordNetworkLearning',
    retractLearning: 'RetractNetworkLearning',
    attachExperiment: 'AttachExperimentToNetwork',
  };

  @CreateRoute('Found a network or community → NetworkFounded')
  found(@Body() body: FoundNetworkRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    return this.create(reply, ctx, 'FoundNetwork', bodyData(body), { organisation: body.ledByOrganisationId });
  }

  @CommandRoute(':id/lead', 'Another organisation takes over the lead → LeadershipChanged')
  changeLeadership(@EntityParam() id: string, @Body() body: ChangeLeadershipRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    return this.change(reply, ctx, id, 'ChangeLeadership', bodyData(body), { references: { organisation: body.organisationId } });
  }

  @CommandRoute(':id/partners', 'An organisation joins as partner → PartnerJoined')
  joinAsPartner(@EntityParam() id: string, @Body() body: JoinAsPartnerRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    return this.change(reply, ctx, id, 'JoinAsPartner', bodyData(body), { references: { organisation: body.organisationId } });
  }

  @CommandRoute(':id/partners/:organisationId/leave', 'A partner organisation leaves → PartnerLeft')
  leaveAsPartner(
    @EntityParam() id: string,
    @EntityParam('organisationId') organisationId: string,
    @Body() _body: CommandRequest,
    @Ctx() ctx: RequestCommandContext,
    @Reply() reply: FastifyReply,
  ) {
    return this.change(reply, ctx, id, 'LeaveAsPartner', { organisationId });
  }

  @CommandRoute(':id/members', 'A person joins as member → MemberJoined')
  joinAsMember(@EntityParam() id: string, @Body() body: JoinAsMemberRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    return this.change(reply, ctx, id, 'JoinAsMember', bodyData(body), { references: { person: body.personId } });
  }

  @CommandRoute(':id/members/:personId/leave', 'A member leaves → MemberLeft')
  leaveAsMember(
    @EntityParam() id: string,
    @EntityParam('personId') personId: string,
    @Body() _body: CommandRequest,
    @Ctx() ctx: RequestCommandContext,
    @Reply() reply: FastifyReply,
  ) {
    return this.change(reply, ctx, id, 'LeaveAsMember', { personId });
  }

  @CommandRoute(':id/headcounts', 'Report how many partners and/or members the network counts → HeadcountReported')
  reportHeadcount(@EntityParam() id: string, @Body() body: ReportHeadcountRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    return this.change(reply, ctx, id, 'ReportHeadcount', bodyData(body));
  }

  @CommandRoute(':id/method-adoptions', "A city's stage in adopting the network's method → MethodAdoptionUpdated")
  updateMethodAdoption(@EntityParam() id: string, @Body() body: UpdateMethodAdoptionRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    return this.change(reply, ctx, id, 'UpdateMethodAdoption', bodyData(body));
  }
}
