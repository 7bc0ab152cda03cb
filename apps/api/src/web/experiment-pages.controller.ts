import { Get, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ExperimentListItem, ExperimentView, ListPage } from '#projections';
import { EXPERIMENT_LIST_STATUSES } from '#projections';
import { requirePrincipal, type Principal } from '../auth/principal.js';
import { EntityFormPages, WebPages, type EntityPage, type RenderedPage } from './entity-form-pages.js';
import { changedFields, DESIGN_FORM, EXPERIMENT_FORMS, formsFor, RETRACT_FORMS, STAFF_DESIGN_FORM } from './forms/experiment-forms.js';
import type { CreateForm } from './forms/form-pages.js';
import { pageLanguage, translate } from './i18n/messages.js';
import { withQuery } from './internal-api.js';
import { nextPageHref, param, read, readOrNull } from './page-helpers.js';
import { chrome, sendPage, t } from './web-chrome.js';

/** Experiments: the list, designing one, its page (Test Card, status, timeline) and the forms that change it. */
@WebPages('experiments')
export class ExperimentPagesController extends EntityFormPages<ExperimentView> {
  protected readonly collection = 'experiments';
  protected readonly forms = { ...EXPERIMENT_FORMS, ...RETRACT_FORMS };
  protected readonly createForm = DESIGN_FORM;

  @Get()
  async list(@Req() request: FastifyRequest, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const lang = pageLanguage(request);
    const q = param(query, 'q');
    const status = (EXPERIMENT_LIST_STATUSES as readonly string[]).includes(param(query, 'status')) ? param(query, 'status') : '';
    const page = await read<ListPage<ExperimentListItem>>(this.api, request, withQuery('/api/experiments', { q, status, limit: 25, cursor: param(query, 'cursor', 512) }));
    const principal = requirePrincipal(request);
    return sendPage(reply, 'list', chrome(request, t(request, 'experiment.list')), {
      heading: t(request, 'experiment.list'),
      q,
      statuses: EXPERIMENT_LIST_STATUSES.map((value) => ({ value, label: translate(lang, `experiment.status.${value}`), selected: value === status })),
      actions: principal.role === 'partner' ? [] : [{ href: '/experiments/new', label: t(request, 'dashboard.lead.new') }],
      items: page.items.map((item) => ({
        href: `/experiments/${item.id}`,
        title: item.title,
        status: translate(lang, `experiment.status.${item.status}`),
        themes: item.themes,
      })),
      next: nextPageHref(request, query, page.nextCursor),
    });
  }

  /** Staff design experiments for a lead they pick; a lead designs their own. */
  protected override creationForm(principal: Principal): CreateForm {
    return principal.role === 'staff' ? STAFF_DESIGN_FORM : this.createForm;
  }

  protected override mayCreate(principal: Principal): boolean {
    return principal.role !== 'partner';
  }

  /** Staff, and the lead of the experiment. */
  protected override mayChange(principal: Principal, experiment: ExperimentView): boolean {
    return principal.role === 'staff' || (principal.role === 'lead' && principal.personId !== null && principal.personId === experiment.leadId);
  }

  /** A revision names only the Test Card fields it changes. */
  protected override async commandBody(request: FastifyRequest, id: string, name: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (name !== 'revise') return body;
    const current = await read<ExperimentView>(this.api, request, `/api/experiments/${id}`);
    return changedFields(body, current as unknown as Record<string, unknown>);
  }

  protected async render({ request, entity: experiment, forms }: EntityPage<ExperimentView>): Promise<RenderedPage> {
    const card = { ...experiment, themes: experiment.themes.join(', '), deadline: experiment.deadline ?? '' };
    const model = {
      e: experiment,
      forms: forms.main(formsFor(experiment.status), { revise: card }),
      steps: experiment.steps.map((step) => ({ ...step, retractForm: forms.item('retract-step', step.stepId, !step.retracted) })),
      learnings: experiment.learnings.map((learning) => ({ ...learning, retractForm: forms.item('retract-learning', learning.learningId, !learning.retracted) })),
      collaborationHref: experiment.collaborationId ? `/collaborations/${experiment.collaborationId}` : null,
      networkHref: experiment.networkId ? `/networks/${experiment.networkId}` : null,
      lead: experiment.leadId ? await readOrNull<{ name: string | null }>(this.api, request, `/api/people/${experiment.leadId}`) : null,
    };
    return { template: 'experiment', model };
  }
}
