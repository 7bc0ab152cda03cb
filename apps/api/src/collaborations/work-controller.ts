import { Body } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { LearningInput, MilestoneInput, RetractLearningInput } from '#domain';
import { ReasonRequest, RecordLearningRequest } from '../experiments/experiment.requests.js';
import { CommandRequest } from '../http/command-request.js';
import { Ctx, type RequestCommandContext } from '../http/command-context.js';
import { AggregateController, bodyData, CommandRoute, EntityParam, Reply } from '../organisations/aggregate-controller.js';
import { AttachExperimentRequest, SetMilestoneRequest } from './work.requests.js';

/** The names an aggregate gives the commands for milestones, learnings and attached experiments. */
export interface WorkCommandTypes<T extends string> {
  setMilestone: T;
  achieveMilestone: T;
  recordLearning: T;
  retractLearning: T;
  attachExperiment: T;
}

/**
 * The routes collaborations and networks share: milestones, Learning Cards and attached experiments. They
 * record the same events (MilestoneSet, LearningRecorded...) under each aggregate's own command names.
 */
export abstract class WorkController<
  C extends { type: string; data: object; occurredAt: string },
  K extends string,
  V extends { version: number },
> extends AggregateController<C, K, V> {
  protected abstract readonly work: WorkCommandTypes<C['type']>;

  @CommandRoute(':id/milestones', 'Set a milestone → MilestoneSet (milestoneId)')
  setMilestone(@EntityParam() id: string, @Body() body: SetMilestoneRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    const milestoneId = ctx.newId('milestone');
    const data: MilestoneInput = { milestoneId, ...bodyData(body) };
    return this.changeUnchecked(reply, ctx, id, this.work.setMilestone, data, { ids: { milestoneId } });
  }

  @CommandRoute(':id/milestones/:milestoneId/achieve', 'Mark a milestone achieved → MilestoneAchieved')
  achieveMilestone(
    @EntityParam() id: string,
    @EntityParam('milestoneId') milestoneId: string,
    @Body() _body: CommandRequest,
    @Ctx() ctx: RequestCommandContext,
    @Reply() reply: FastifyReply,
  ) {
    return this.changeUnchecked(reply, ctx, id, this.work.achieveMilestone, { milestoneId });
  }

  @CommandRoute(':id/learnings', 'Record a Learning Card → LearningRecorded (learningId)')
  recordLearning(@EntityParam() id: string, @Body() body: RecordLearningRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    const learningId = ctx.newId('learning');
    const data: LearningInput = { learningId, ...bodyData(body) };
    return this.changeUnchecked(reply, ctx, id, this.work.recordLearning, data, { ids: { learningId } });
  }

  @CommandRoute(
    ':id/learnings/:learningId/retract',
    'Retract a learning with a reason → LearningRetracted',
    'Body `{reason}`: the shared LearningRetracted event requires a reason, as for experiments.',
  )
  retractLearning(
    @EntityParam() id: string,
    @EntityParam('learningId') learningId: string,
    @Body() body: ReasonRequest,
    @Ctx() ctx: RequestCommandContext,
    @Reply() reply: FastifyReply,
  ) {
    const data: RetractLearningInput = { learningId, reason: body.reason };
    return this.changeUnchecked(reply, ctx, id, this.work.retractLearning, data);
  }

  @CommandRoute(':id/experiments', 'Attach an existing experiment → ExperimentAttached')
  attachExperiment(@EntityParam() id: string, @Body() body: AttachExperimentRequest, @Ctx() ctx: RequestCommandContext, @Reply() reply: FastifyReply) {
    const { experimentId } = body;
    return this.changeUnchecked(reply, ctx, id, this.work.attachExperiment, { experimentId }, { references: { experiment: experimentId } });
  }
}
