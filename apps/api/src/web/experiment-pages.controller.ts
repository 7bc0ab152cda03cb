import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ExperimentListItem, ExperimentView, ListPage } from '#projections';
import { EXPERIMENT_LIST_STATUSES } from '#projections';
import { SignedIn } from '../auth/access.decorators.js';
import { requirePrincipal } from '../auth/principal.js';
import { EntityIdPipe } from '../http/entity-id.pipe.js';
import { changedFields, DESIGN_FORM, EXPERIMENT_FORMS, formsFor, RETRACT_FORMS, type ExperimentForm, type ExperimentFormName } from './forms/experiment-forms.js';
import { formText, formView, toApiBody, type FormValues, type FormView } from './forms/form-spec.js';
import { submitForm } from './forms/form-submission.js';
import { translate } from './i18n/messages.js';
import { InternalApi, withQuery } from './internal-api.js';
import { doneNotice, nextPageHref, param, read, readOrNull, timelineOf, travelFrom, type TravelView } from './page-helpers.js';
import { chrome, formKey, langOf, redirect, sendPage, t } from './web-chrome.js';
import { WebExceptionFilter, WebPageError } from './web-exception.filter.js';

/** The form that failed, shown again with what was typed and what was wrong. */
interface FailedForm {
  /** `steps`, … or `steps:<stepId>` / `learnings:<learningId>` for a retraction. */
  name: string;
  values: FormValues;
  errors: Record<string, string>;
  message: string;
}

/** Experiments: the list, designing one, its page (Test Card, status, timeline) and the forms that change it. */
@ApiExcludeController()
@Controller('experiments')
@SignedIn()
@UseFilters(WebExceptionFilter)
export class ExperimentPagesController {
  constructor(private readonly api: InternalApi) {}

  @Get()
  async list(@Req() request: FastifyRequest, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const lang = langOf(request);
    const q = param(query, 'q');
    const status = (EXPERIMENT_LIST_STATUSES as readonly string[]).includes(param(query, 'status')) ? param(query, 'status') : '';
    const page = await read<ListPage<ExperimentListItem>>(this.api, request, withQuery('/api/experiments', { q, status, limit: 25, cursor: param(query, 'cursor', 512) }));
    const principal = requirePrincipal(request);
    return sendPage(reply, 'list', chrome(request, t(request, 'experiment.list')), {
      heading: t(request, 'experiment.list'),
      q,
      statuses: EXPERIMENT_LIST_STATUSES.map((value) => ({ value, label: translate(lang, `experiment.status.${value}`), selected: value === status })),
      action: principal.role === 'partner' ? null : { href: '/experiments/new', label: t(request, 'dashboard.lead.new') },
      items: page.items.map((item) => ({
        href: `/experiments/${item.id}`,
        title: item.title,
        status: translate(lang, `experiment.status.${item.status}`),
        themes: item.themes,
      })),
      next: nextPageHref(request, query, page.nextCursor),
    });
  }

  @Get('new')
  designPage(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): string {
    return this.renderDesign(request, reply, {}, {}, null);
  }

  @Post()
  async design(@Req() request: FastifyRequest, @Body() body: FormValues, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const values = body ?? {};
    const outcome = await submitForm<{ id: string }>(this.api, request, DESIGN_FORM, '/api/experiments', toApiBody(DESIGN_FORM, values), {
      idempotencyKey: keyOf(values),
    });
    if (outcome.ok) return redirect(reply, `/experiments/${outcome.result.id}?done=designed`);
    return this.renderDesign(request, reply, values, outcome.errors, outcome.message(), outcome.status);
  }

  @Get(':id')
  async page(
    @Param('id', EntityIdPipe) id: string,
    @Req() request: FastifyRequest,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return this.renderExperiment(request, reply, id, travelFrom(request, query), doneNotice(request, query.done), null);
  }

  @Post(':id/:form')
  async submit(
    @Param('id', EntityIdPipe) id: string,
    @Param('form') name: string,
    @Req() request: FastifyRequest,
    @Body() body: FormValues,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    if (!Object.hasOwn(EXPERIMENT_FORMS, name)) throw new WebPageError(404, 'error.notFound');
    const spec: ExperimentForm = EXPERIMENT_FORMS[name as ExperimentFormName];
    const values = body ?? {};
    let apiBody = toApiBody(spec, values);
    if (name === 'revise') {
      const current = await read<ExperimentView>(this.api, request, `/api/experiments/${id}`);
      apiBody = changedFields(apiBody, current as unknown as Record<string, unknown>);
    }
    return this.send(request, reply, id, spec, `/api/experiments/${id}/${spec.path}`, apiBody, values, name);
  }

  @Post(':id/:kind/:itemId/retract')
  async retract(
    @Param('id', EntityIdPipe) id: string,
    @Param('kind') kind: string,
    @Param('itemId', EntityIdPipe) itemId: string,
    @Req() request: FastifyRequest,
    @Body() body: FormValues,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    if (kind !== 'steps' && kind !== 'learnings') throw new WebPageError(404, 'error.notFound');
    const spec = RETRACT_FORMS[kind];
    const values = body ?? {};
    return this.send(request, reply, id, spec, `/api/experiments/${id}/${kind}/${itemId}/retract`, toApiBody(spec, values), values, `${kind}:${itemId}`);
  }

  private async send(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    spec: ExperimentForm,
    url: string,
    apiBody: object,
    values: FormValues,
    name: string,
  ): Promise<string> {
    const version = /^\d{1,15}$/.test(formText(values, 'version')) ? Number(formText(values, 'version')) : undefined;
    const outcome = await submitForm(this.api, request, spec, url, apiBody, { ifMatch: version, idempotencyKey: keyOf(values) });
    if (outcome.ok) return redirect(reply, `/experiments/${id}?done=${spec.done}`);
    const current = await read<ExperimentView>(this.api, request, `/api/experiments/${id}`);
    const failed: FailedForm = { name, values, errors: outcome.errors, message: outcome.message(current.version) };
    return this.renderExperiment(request, reply, id, travelFrom(request, {}), null, failed, outcome.status, current);
  }

  private renderDesign(request: FastifyRequest, reply: FastifyReply, values: FormValues, errors: Record<string, string>, message: string | null, status = 200): string {
    const page = chrome(request, t(request, 'form.design'));
    const form = formView(langOf(request), DESIGN_FORM, { action: '/experiments', csrf: page.csrf, values, errors, message, hidden: { _key: formKey() }, collapsible: false });
    form.title = '';
    return sendPage(reply, 'experimentNew', page, { form }, status);
  }

  private async renderExperiment(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    travel: TravelView,
    notice: string | null,
    failed: FailedForm | null,
    status = 200,
    known?: ExperimentView,
  ): Promise<string> {
    const lang = langOf(request);
    const principal = requirePrincipal(request);
    const experiment = known ?? (await read<ExperimentView>(this.api, request, withQuery(`/api/experiments/${id}`, travel.query)));
    const timeline = await timelineOf(this.api, request, 'experiments', id, travel);
    const page = chrome(request, experiment.title, notice);
    const canWrite = !travel.active && (principal.role === 'staff' || (principal.role === 'lead' && principal.personId !== null && principal.personId === experiment.leadId));
    const rendered: FormView[] = [];
    const form = (name: string, spec: ExperimentForm, action: string, defaults: FormValues, suffix?: string): FormView => {
      const mine = failed !== null && failed.name === name;
      const view = formView(lang, spec, {
        // The answer to a refused form scrolls to it.
        action: `${action}#${suffix ? `${spec.id}-${suffix}` : spec.id}`,
        csrf: page.csrf,
        values: mine ? failed.values : defaults,
        errors: mine ? failed.errors : {},
        message: mine ? failed.message : null,
        hidden: { version: experiment.version, _key: formKey() },
        suffix,
      });
      rendered.push(view);
      return view;
    };
    const card: FormValues = { ...experiment, themes: experiment.themes.join(', '), deadline: experiment.deadline ?? '' };
    const forms = canWrite
      ? formsFor(experiment.status).map((name) => form(name, EXPERIMENT_FORMS[name], `/experiments/${id}/${name}`, name === 'revise' ? card : {}))
      : [];
    const retractable = (kind: 'steps' | 'learnings', itemId: string, retracted: boolean) =>
      canWrite && !retracted ? form(`${kind}:${itemId}`, RETRACT_FORMS[kind], `/experiments/${id}/${kind}/${itemId}/retract`, {}, itemId) : null;
    const steps = experiment.steps.map((step) => ({ ...step, retractForm: retractable('steps', step.stepId, step.retracted) }));
    const learnings = experiment.learnings.map((learning) => ({ ...learning, retractForm: retractable('learnings', learning.learningId, learning.retracted) }));
    return sendPage(
      reply,
      'experiment',
      page,
      {
        e: experiment,
        travel,
        timeline,
        forms,
        // A form that is no longer offered (the experiment moved on meanwhile) reports at the top.
        formMessage: failed !== null && !rendered.some((view) => view.message !== null) ? failed.message : null,
        steps,
        learnings,
        collaborationHref: experiment.collaborationId ? `/collaborations/${experiment.collaborationId}` : null,
        networkHref: experiment.networkId ? `/networks/${experiment.networkId}` : null,
        lead: experiment.leadId ? await readOrNull<{ name: string | null }>(this.api, request, `/api/people/${experiment.leadId}`) : null,
      },
      status,
    );
  }
}

function keyOf(values: FormValues): string | undefined {
  const key = formText(values, '_key');
  return /^[0-9a-f-]{36}$/.test(key) ? key : undefined;
}

