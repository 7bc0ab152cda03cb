import { applyDecorators, Get, HttpCode, Injectable, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus, type Query as BusQuery } from '@nestjs/cqrs';
import { ApiOperation } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { StreamCategory } from '#domain';
import type { CommandContext } from '#event-store';
import type { AggregateCommand, CommandOutcome } from '../commands/aggregate-command.js';
import type { RequestCommandContext } from '../http/command-context.js';
import type { CommandRequest } from '../http/command-request.js';
import { EntityIdPipe } from '../http/entity-id.pipe.js';
import { changed, created, withEtag } from '../http/responses.js';
import { resolveTimeTravel, TimeTravelQuery, type TimeTravel } from '../reads/time-travel.js';
import { EntityReferences, type References } from '../commands/entity-references.js';

/** A domain command as deciders take it. */
interface AnyCommand {
  type: string;
  data: object;
  occurredAt: string;
}

/** Command data without the aggregate's own id, which the route supplies. */
export type RouteData<C extends AnyCommand, T extends C['type'], K extends string> = Omit<Extract<C, { type: T }>['data'], K>;

/** What an entity controller needs to know about its aggregate. */
export interface AggregateRoutes<C extends AnyCommand, K extends string, V> {
  category: StreamCategory;
  /** The collection under /api, e.g. `networks`. */
  collection: string;
  /** The aggregate's id field in command data, e.g. `networkId`. */
  idField: K;
  command: new (aggregateId: string, command: C, context: CommandContext) => AggregateCommand<C>;
  query: new (id: string, view: TimeTravel) => BusQuery<V>;
}

/** What to do besides sending a command on an entity. */
export interface ChangeOptions<Ids extends object> {
  /** Ids the command created, returned in the body (e.g. `{ activityId }`). */
  ids?: Ids;
  /** Entities the command names, which must exist. */
  references?: References;
}

/** POST route creating an entity (201); the summary names the event it records. */
export function CreateRoute(summary: string): MethodDecorator {
  return applyDecorators(Post(), HttpCode(201), ApiOperation({ summary }));
}

/** POST route for a command on an entity (200); the summary names the event it records. */
export function CommandRoute(path: string, summary: string, description?: string): MethodDecorator {
  return applyDecorators(Post(path), HttpCode(200), ApiOperation({ summary, description }));
}

/** A path parameter naming an entity (UUID; anything else reads as unknown, 404). Defaults to `id`. */
export const EntityParam = (name = 'id'): ParameterDecorator => Param(name, EntityIdPipe);

/** The reply, for headers (ETag, Location); the handler's return value stays the body. */
export const Reply = (): ParameterDecorator => Res({ passthrough: true });

/** A command body without `occurredAt`, which travels in the command context. */
export function bodyData<B extends CommandRequest>(body: B): Omit<B, 'occurredAt'> {
  const { occurredAt: _, ...data } = body;
  return data;
}

/**
 * Creating, commanding and reading one kind of aggregate, as every entity controller does: create → 201 with
 * Location and ETag, a command on an entity → 200 with ETag and the ids it created, `GET :id` with time travel.
 */
@Injectable()
export abstract class AggregateController<C extends AnyCommand, K extends string, V extends { version: number }> {
  protected abstract readonly routes: AggregateRoutes<C, K, V>;

  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
    private readonly references: EntityReferences,
  ) {}

  @Get(':id')
  @ApiOperation({ summary: 'One entity as people read it; asOf/knownAt travel in business and recorded time (ETag without them)' })
  async get(@EntityParam() id: string, @Query() query: TimeTravelQuery, @Reply() reply: FastifyReply): Promise<V> {
    const view = resolveTimeTravel(query);
    const entity = await this.queryBus.execute(new this.routes.query(id, view));
    if (view.asOf === undefined && view.knownAt === undefined) withEtag(reply, entity.version);
    return entity;
  }

  /** Creates the entity under a new id. */
  protected async create<T extends C['type']>(
    reply: FastifyReply,
    ctx: RequestCommandContext,
    type: T,
    data: RouteData<C, T, K>,
    references: References = {},
  ): Promise<{ id: string; version: number }> {
    await this.references.require(this.routes.category, null, references);
    const id = ctx.newId(this.routes.category);
    return created(reply, `/api/${this.routes.collection}/${id}`, await this.dispatch(id, type, data, ctx));
  }

  /** Sends a command to an existing entity. */
  protected change<T extends C['type'], Ids extends object = object>(
    reply: FastifyReply,
    ctx: RequestCommandContext,
    id: string,
    type: T,
    data: RouteData<C, T, K>,
    options: ChangeOptions<Ids> = {},
  ) {
    return this.changeUnchecked(reply, ctx, id, type, data, options);
  }

  /**
   * As `change`, for routes shared by several aggregates whose command names differ: the data is checked
   * against the shared domain inputs (MilestoneInput, LearningInput...) at the call site instead.
   */
  protected async changeUnchecked<Ids extends object>(
    reply: FastifyReply,
    ctx: RequestCommandContext,
    id: string,
    type: C['type'],
    data: object,
    options: ChangeOptions<Ids> = {},
  ) {
    await this.references.require(this.routes.category, id, options.references ?? {});
    return changed(reply, await this.dispatch(id, type, data, ctx), options.ids);
  }

  private dispatch(id: string, type: C['type'], data: object, ctx: RequestCommandContext): Promise<CommandOutcome> {
    const command = { type, data: { ...data, [this.routes.idField]: id }, occurredAt: ctx.occurredAt } as unknown as C;
    return this.commandBus.execute(new this.routes.command(id, command, ctx));
  }
}
