import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ExperimentCommand } from '#domain';
import type { ExperimentView, TimelineEntry } from '#projections';
import type { CommandOutcome } from '../commands/aggregate-command.js';
import { Ctx, type RequestCommandContext } from '../http/command-context.js';
import { EntityIdPipe } from '../http/entity-id.pipe.js';
import { changed, created, withEtag } from '../http/responses.js';
import { resolveLanguage, resolveTimeTravel, TimelineQuery, TimeTravelQuery } from '../reads/time-travel.js';
import { ExecuteExperimentCommand } from './experiment.commands.js';
import { GetExperiment, GetExperimentTimeline } from './experiment.queries.js';
import {
  ConcludeExperimentRequest,
  DesignExperimentRequest,
  LogStepRequest,
  ReasonRequest,
  RecordLearningRequest,
  RecordMeasurementRequest,
  ReviseTestCardRequest,
  StartExperimentRequest,
} from './experiment.requests.js';

type Data<T extends ExperimentCommand['type']> = Omit<Extract<ExperimentCommand, { type: T }>['data'], 'experimentId'>;

@ApiTags('experiments')
@Controller('api/experiments')
export class ExperimentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Design an experiment (its Test Card) → ExperimentDesigned' })
  async design(@Body() body: DesignExperimentRequest, @Ctx() ctx: RequestCommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const id = ctx.newId('experiment');
    const { occurredAt: _, ...card } = body;
    // A lead designs the experiments they lead (the access guard refused any other leadId).
    if (ctx.principal.role === 'lead' && card.leadId === undefined && ctx.principal.personId !== null) card.leadId = ctx.principal.personId;
    const outcome = await this.send(id, 'DesignExperiment', card, ctx);
    return created(reply, `/api/experiments/${id}`, outcome);
  }

  @Post(':id/revise')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revise Test Card fields with a reason → TestCardRevised' })
  async revise(@Param('id', EntityIdPipe) id: string, @Body() body: ReviseTestCardRequest, @Ctx() ctx: RequestCommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const { occurredAt: _, ...changes } = body;
    return changed(reply, await this.send(id, 'ReviseTestCard', changes, ctx));
  }

  @Post(':id/start')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start testing → ExperimentStarted' })
  async start(@Param('id', EntityIdPipe) id: string, @Body() _body: StartExperimentRequest, @Ctx() ctx: RequestCommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return changed(reply, await this.send(id, 'StartExperiment', {}, ctx));
  }

  @Post(':id/steps')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log a step → StepLogged (stepId)' })
  async logStep(@Param('id', EntityIdPipe) id: string, @Body() body: LogStepRequest, @Ctx() ctx: RequestCommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const stepId = ctx.newId('step');
    const outcome = await this.send(id, 'LogStep', { stepId, description: body.description, evidenceUrl: body.evidenceUrl ?? null }, ctx);
    return changed(reply, outcome, { stepId });
  }

  @Post(':id/steps/:stepId/retract')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retract a step with a reason → StepRetracted' })
  async retractStep(
    @Param('id', EntityIdPipe) id: string,
    @Param('stepId', EntityIdPipe) stepId: string,
    @Body() body: ReasonRequest,
    @Ctx() ctx: RequestCommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return changed(reply, await this.send(id, 'RetractStep', { stepId, reason: body.reason }, ctx));
  }

  @Post(':id/measurements')
  @HttpCode(200)
  @ApiOperation({ summary: "Record a measurement of the Test Card's metric → MeasurementRecorded" })
  async measure(@Param('id', EntityIdPipe) id: string, @Body() body: RecordMeasurementRequest, @Ctx() ctx: RequestCommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const measurementId = ctx.newId('measurement');
    const data = { measurementId, value: body.value, unit: body.unit ?? null, note: body.note ?? null };
    return changed(reply, await this.send(id, 'RecordMeasurement', data, ctx), { measurementId });
  }

  @Post(':id/learnings')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record a Learning Card → LearningRecorded (learningId)' })
  async learn(@Param('id', EntityIdPipe) id: string, @Body() body: RecordLearningRequest, @Ctx() ctx: RequestCommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const learningId = ctx.newId('learning');
    const { occurredAt: _, ...card } = body;
    return changed(reply, await this.send(id, 'RecordLearning', { learningId, ...card }, ctx), { learningId });
  }

  @Post(':id/learnings/:learningId/retract')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retract a learning with a reason → LearningRetracted' })
  async retractLearning(
    @Param('id', EntityIdPipe) id: string,
    @Param('learningId', EntityIdPipe) learningId: string,
    @Body() body: ReasonRequest,
    @Ctx() ctx: RequestCommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return changed(reply, await this.send(id, 'RetractLearning', { learningId, reason: body.reason }, ctx));
  }

  @Post(':id/conclude')
  @HttpCode(200)
  @ApiOperation({ summary: 'Conclude with an outcome → ExperimentConcluded' })
  async conclude(@Param('id', EntityIdPipe) id: string, @Body() body: ConcludeExperimentRequest, @Ctx() ctx: RequestCommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return changed(reply, await this.send(id, 'ConcludeExperiment', { outcome: body.outcome, summary: body.summary }, ctx));
  }

  @Post(':id/abandon')
  @HttpCode(200)
  @ApiOperation({ summary: 'Abandon with a reason → ExperimentAbandoned' })
  async abandon(@Param('id', EntityIdPipe) id: string, @Body() body: ReasonRequest, @Ctx() ctx: RequestCommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return changed(reply, await this.send(id, 'AbandonExperiment', { reason: body.reason }, ctx));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One experiment; asOf/knownAt travel in business and recorded time' })
  async get(@Param('id', EntityIdPipe) id: string, @Query() query: TimeTravelQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<ExperimentView> {
    const view = resolveTimeTravel(query);
    const experiment = await this.queries.execute(new GetExperiment(id, view));
    if (view.asOf === undefined && view.knownAt === undefined) withEtag(reply, experiment.version);
    return experiment;
  }

  @Get(':id/timeline')
  @ApiOperation({ summary: 'What happened, in business-time order, one sentence per event' })
  async timeline(@Param('id', EntityIdPipe) id: string, @Query() query: TimelineQuery, @Headers('accept-language') acceptLanguage?: string): Promise<{ items: TimelineEntry[] }> {
    const items = await this.queries.execute(new GetExperimentTimeline(id, resolveTimeTravel(query), resolveLanguage(query.lang, acceptLanguage)));
    return { items };
  }

  private send<T extends ExperimentCommand['type']>(id: string, type: T, data: Data<T>, ctx: RequestCommandContext): Promise<CommandOutcome> {
    const command = { type, data: { ...data, experimentId: id }, occurredAt: ctx.occurredAt } as ExperimentCommand;
    return this.commands.execute(new ExecuteExperimentCommand(id, command, ctx));
  }
}
