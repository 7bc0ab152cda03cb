import { applyDecorators, Body, Controller, Get, Injectable, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pageLanguage } from './i18n/messages.js';
import { SignedIn } from '../auth/access.decorators.js';
import { requirePrincipal, type Principal } from '../auth/principal.js';
import { EntityIdPipe } from '../http/entity-id.pipe.js';
import { loadChoices } from './forms/choices.js';
import { commandUrl, PageForms, renderCreate, sendCommand, submitCreate, type CommandForm, type CreateForm, type FailedForm } from './forms/form-pages.js';
import { toApiBody, type FormState, type FormValues, type FormView } from './forms/form-spec.js';
import { InternalApi, withQuery } from './internal-api.js';
import { doneNotice, read, timelineOf, travelFrom, type TravelView } from './page-helpers.js';
import { chrome, redirect, sendPage } from './web-chrome.js';
import type { PageName } from './templates/pages.js';
import { WebExceptionFilter, WebPageError } from './web-exception.filter.js';

/** A controller of web pages below `path`: signed-in users only, errors as pages, left out of the API docs. */
export const WebPages = (path?: string): ClassDecorator => applyDecorators(ApiExcludeController(), Controller(path ?? ''), SignedIn(), UseFilters(WebExceptionFilter));

/** What a subclass renders an entity page from: the entity as the page shows it, and the page's forms. */
export interface EntityPage<V> {
  request: FastifyRequest;
  id: string;
  entity: V;
  /** The page's forms; none for users who may not change the entity, or when looking at the past. */
  forms: EntityForms;
  /** The options the page's selects read from the API (none when the page has no forms). */
  choices: FormState['choices'];
}

/** A page template and its model; the base adds time travel, the timeline and the forms' message. */
export interface RenderedPage {
  template: PageName;
  model: object;
}

/** Builds the views of a page's forms: those of the page, and those on its list items. */
export interface EntityForms {
  /** The forms named, in order, filled in with `defaults` by name. */
  main(names: readonly string[], defaults?: Readonly<Record<string, FormValues>>): FormView[];
  /** The form `name` on list item `itemId`, when `offered` (the entity's state allows it). */
  item(name: string, itemId: string, offered: boolean): FormView | null;
  /** A refused form that is no longer offered reports at the top of the page. */
  readonly message: string | null;
}

/**
 * The pages of an entity kind that is changed through forms: `<collection>/new` creates one, `<collection>/:id`
 * shows it with its forms, which post to `<collection>/:id/<form>` (or `/<form>/<itemId>` on a list item). The
 * forms go through the API's commands as the signed-in user, so the API decides; by default they are shown to
 * staff, the only role the API lets create and change collaborations, networks and gatherings.
 */
@Injectable()
export abstract class EntityFormPages<V extends { version: number; title?: string; name?: string }> {
  protected abstract readonly collection: 'experiments' | 'collaborations' | 'networks' | 'gatherings';
  protected abstract readonly forms: Readonly<Record<string, CommandForm>>;

  constructor(protected readonly api: InternalApi) {}

  protected abstract readonly createForm: CreateForm;

  /** The page template and its model (subclasses). */
  protected abstract render(page: EntityPage<V>): Promise<RenderedPage>;

  /** The creation form `principal` uses. */
  protected creationForm(_principal: Principal): CreateForm {
    return this.createForm;
  }

  /** Whether `principal` is offered the creation form. */
  protected mayCreate(principal: Principal): boolean {
    return principal.role === 'staff';
  }

  /** Whether `principal` is offered the forms that change `entity`. */
  protected mayChange(principal: Principal, _entity: V): boolean {
    return principal.role === 'staff';
  }

  /** The command body of form `name` (the form's fields as JSON; subclasses may refine it). */
  protected commandBody(_request: FastifyRequest, _id: string, _name: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    return Promise.resolve(body);
  }

  @Get('new')
  newPage(@Req() request: FastifyRequest, @Query('done') done: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const principal = requirePrincipal(request);
    if (!this.mayCreate(principal)) throw new WebPageError(403, 'error.forbidden');
    return renderCreate(this.api, request, reply, this.creationForm(principal), { notice: doneNotice(request, done) });
  }

  @Post()
  create(@Req() request: FastifyRequest, @Body() body: FormValues, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return submitCreate(this.api, request, reply, this.creationForm(requirePrincipal(request)), body);
  }

  @Get(':id')
  page(
    @Param('id', EntityIdPipe) id: string,
    @Req() request: FastifyRequest,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return this.show(request, reply, id, travelFrom(request, query), doneNotice(request, query.done), null);
  }

  @Post(':id/:form')
  submit(
    @Param('id', EntityIdPipe) id: string,
    @Param('form') name: string,
    @Req() request: FastifyRequest,
    @Body() body: FormValues,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return this.send(request, reply, id, name, undefined, body ?? {});
  }

  @Post(':id/:form/:itemId')
  submitOnItem(
    @Param('id', EntityIdPipe) id: string,
    @Param('form') name: string,
    @Param('itemId', EntityIdPipe) itemId: string,
    @Req() request: FastifyRequest,
    @Body() body: FormValues,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return this.send(request, reply, id, name, itemId, body ?? {});
  }

  private async send(request: FastifyRequest, reply: FastifyReply, id: string, name: string, itemId: string | undefined, values: FormValues): Promise<string> {
    const spec = Object.hasOwn(this.forms, name) ? this.forms[name] : undefined;
    if (spec === undefined || spec.path.includes(':item') !== (itemId !== undefined)) throw new WebPageError(404, 'error.notFound');
    const body = await this.commandBody(request, id, name, toApiBody(spec, values));
    const outcome = await sendCommand(this.api, request, spec, commandUrl(this.collection, id, spec, itemId), body, values);
    if (outcome.ok) return redirect(reply, `/${this.collection}/${id}?done=${spec.done}`);
    const current = await read<V>(this.api, request, `/api/${this.collection}/${id}`);
    const failed: FailedForm = { name: itemId === undefined ? name : `${name}:${itemId}`, values, errors: outcome.errors, message: outcome.message(current.version) };
    return this.show(request, reply, id, travelFrom(request, {}), null, failed, outcome.status, current);
  }

  private async show(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    travel: TravelView,
    notice: string | null,
    failed: FailedForm | null,
    status = 200,
    known?: V,
  ): Promise<string> {
    const entity = known ?? (await read<V>(this.api, request, withQuery(`/api/${this.collection}/${id}`, travel.query)));
    const writable = !travel.active && this.mayChange(requirePrincipal(request), entity);
    const [timeline, choices] = await Promise.all([
      timelineOf(this.api, request, this.collection, id, travel),
      writable ? loadChoices(this.api, request, Object.values(this.forms)) : Promise.resolve({}),
    ]);
    const pageChrome = chrome(request, entity.title ?? entity.name ?? '—', notice);
    const pageForms = new PageForms(pageLanguage(request), pageChrome.csrf, entity.version, failed, choices);
    const base = `/${this.collection}/${id}`;
    const forms: EntityForms = {
      main: (names, defaults = {}) => (writable ? names.map((name) => pageForms.form(name, this.forms[name], `${base}/${name}`, defaults[name])) : []),
      item: (name, itemId, offered) =>
        writable && offered ? pageForms.form(`${name}:${itemId}`, this.forms[name], `${base}/${name}/${itemId}`, {}, itemId) : null,
      get message() {
        return pageForms.message;
      },
    };
    const { template, model } = await this.render({ request, id, entity, forms, choices });
    // Read after every form was rendered: a refused form that is no longer offered reports at the top.
    return sendPage(reply, template, pageChrome, { travel, timeline, ...model, formMessage: forms.message }, status);
  }
}
