import { Body, Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { StreamCategory, type CollaborationCommand, type CollaborationCommandType } from '#domain';
import type { CollaborationView } from '#projections';
import { ReasonRequest } from '../experiments/experiment.requests.js';
import { CommandRequest } from '../http/command-request.js';
import { Ctx, type RequestCommandContext } from '../http/command-context.js';
import { bodyData, CommandRoute, CreateRoute, EntityParam, Reply } from '../organisations/aggregate-controller.js';
import { ExecuteCollaborationCommand } from './collaboration.commands.js';
import { GetCollaboration } from './collaboration.queries.js';
import {
  AgreeCollaborationRequest,
  CompleteActivityRequest,
  ConcludeCollaborationRequest,
  JoinPartyRequest,
  LinkInitiativeRequest,
  PlanActivityRequest,
} from './collaboration.requests.js';
import { WorkController, type WorkCommandTypes } from './work-controller.js';

@ApiTags('collaborations')
@Controller('api/collaborations')
export class CollaborationsController extends WorkController<CollaborationCommand, 'collaborationId', CollaborationView> {
  protected readonly routes = {
    category: StreamCategory.collaboration,
    collection: 'collaborations',
    idField: 'collaborationId' as const,
    command: ExecuteCollaborationCommand,
    query: GetCollaboration,
  };

  protected readonly work: WorkCommandTypes<CollaborationCommandType> = {
    setMilestone: 'SetCollaborationMilestone',
    achieveMilestone: 'AchieveCollaborationMilestone',
    recordLearning: 'RecordCollaborationLearning',
    retractLearning: 'RetractCollaborationLearning',
    attachExperiment: 'AttachExperimentToCollaboration',
  };

  @CreateRoute('Agree a collaboration with a partner organisation → CollaborationAgreed')
  agree(@Body() body: AgreeCollaborationRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    return this.create(reply, ctx, 'AgreeCollaboration', bodyData(body), { organisation: body.partnerOrganisationId });
  }

  @CommandRoute(':id/parties', 'An organisation joins as a party → PartyJoined')
  joinParty(@EntityParam() id: string, @Body() body: JoinPartyRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    return this.change(reply, ctx, id, 'JoinParty', bodyData(body), { references: { organisation: body.organisationId } });
  }

  @CommandRoute(':id/activities', 'Plan an activity → ActivityPlanned (activityId)')
  planActivity(@EntityParam() id: string, @Body() body: PlanActivityRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    const activityId = ctx.newId('activity');
    return this.change(reply, ctx, id, 'PlanActivity', { activityId, ...bodyData(body) }, { ids: { activityId } });
  }

  @CommandRoute(':id/activities/:activityId/start', 'Start a planned activity → ActivityStarted')
  startActivity(
    @EntityParam() id: string,
    @EntityParam('activityId') activityId: string,
    @Body() _body: CommandRequest,
    @Ctx() ctx: RequestCommandContext,
    @Reply() reply: FastifyReply,
  ) {
    return this.change(reply, ctx, id, 'StartActivity', { activityId });
  }

  @CommandRoute(':id/activities/:activityId/complete', 'Complete a started activity, with its outcome → ActivityCompleted')
  completeActivity(
    @EntityParam() id: string,
    @EntityParam('activityId') activityId: string,
    @Body() body: CompleteActivityRequest,
    @Ctx() ctx: RequestCommandContext,
    @Reply() reply: FastifyReply,
  ) {
    return this.change(reply, ctx, id, 'CompleteActivity', { activityId, ...bodyData(body) });
  }

  @CommandRoute(':id/initiatives', 'Link an initiative such as an EU project, tentatively or confirmed → InitiativeLinked (initiativeId)')
  linkInitiative(@EntityParam() id: string, @Body() body: LinkInitiativeRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    const initiativeId = ctx.newId('initiative');
    return this.change(reply, ctx, id, 'LinkInitiative', { initiativeId, ...bodyData(body) }, { ids: { initiativeId } });
  }

  @CommandRoute(':id/initiatives/:initiativeId/confirm', 'Confirm a tentative initiative link → InitiativeLinkConfirmed')
  confirmInitiative(
    @EntityParam() id: string,
    @EntityParam('initiativeId') initiativeId: string,
    @Body() _body: CommandRequest,
    @Ctx() ctx: RequestCommandContext,
    @Reply() reply: FastifyReply,
  ) {
    return this.change(reply, ctx, id, 'ConfirmInitiativeLink', { initiativeId });
  }

  @CommandRoute(':id/initiatives/:initiativeId/drop', 'Drop an initiative link with a reason → InitiativeLinkDropped')
  dropInitiative(
    @EntityParam() id: string,
    @EntityParam('initiativeId') initiativeId: string,
    @Body() body: ReasonRequest,
    @Ctx() ctx: RequestCommandContext,
    @Reply() reply: FastifyReply,
  ) {
    return this.change(reply, ctx, id, 'DropInitiativeLink', { initiativeId, reason: body.reason });
  }

  @CommandRoute(':id/conclude', 'Conclude with a summary → CollaborationConcluded')
  conclude(@EntityParam() id: string, @Body() body: ConcludeCollaborationRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    return this.change(reply, ctx, id, 'ConcludeCollaboration', bodyData(body));
  }
}
