import { Body, Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { StreamCategory, type GatheringCommand } from '#domain';
import type { GatheringView } from '#projections';
import { ReasonRequest } from '../experiments/experiment.requests.js';
import { Ctx, type RequestCommandContext } from '../http/command-context.js';
import { AggregateController, bodyData, CommandRoute, CreateRoute, EntityParam, Reply } from '../organisations/aggregate-controller.js';
import { ExecuteGatheringCommand } from './gathering.commands.js';
import { GetGathering } from './gathering.queries.js';
import { HoldGatheringRequest, RecordInsightRequest } from './gathering.requests.js';

@ApiTags('gatherings')
@Controller('api/gatherings')
export class GatheringsController extends AggregateController<GatheringCommand, 'gatheringId', GatheringView> {
  protected readonly routes = {
    category: StreamCategory.gathering,
    collection: 'gatherings',
    idField: 'gatheringId' as const,
    command: ExecuteGatheringCommand,
    query: GetGathering,
  };

  @CreateRoute('Record a workshop, meeting or seminar that took place → GatheringHeld')
  hold(@Body() body: HoldGatheringRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    return this.create(reply, ctx, 'HoldGathering', bodyData(body), { organisation: body.organiserOrganisationId });
  }

  @CommandRoute(':id/insights', 'Record an insight from the gathering → InsightRecorded (insightId)')
  recordInsight(@EntityParam() id: string, @Body() body: RecordInsightRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    const insightId = ctx.newId('insight');
    return this.change(reply, ctx, id, 'RecordInsight', { insightId, ...bodyData(body) }, { ids: { insightId } });
  }

  @CommandRoute(':id/insights/:insightId/retract', 'Retract an insight with a reason → InsightRetracted')
  retractInsight(
    @EntityParam() id: string,
    @EntityParam('insightId') insightId: string,
    @Body() body: ReasonRequest,
    @Ctx() ctx: RequestCommandContext,
    @Reply() reply: FastifyReply,
  ) {
    return this.change(reply, ctx, id, 'RetractInsight', { insightId, reason: body.reason });
  }
}
