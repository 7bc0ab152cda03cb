import type { CollaborationView, ExperimentView, GatheringView, NetworkView } from '#projections';
import { pageLanguage } from './i18n/messages.js';
import { EntityFormPages, WebPages, type EntityForms, type EntityPage, type RenderedPage } from './entity-form-pages.js';
import { COLLABORATION_FORMS, CREATE_FORMS, GATHERING_FORMS, NETWORK_FORMS } from './forms/work-forms.js';
import type { FormView } from './forms/form-spec.js';
import { withQuery } from './internal-api.js';
import { nameOr, organisationNames, personNames, readOrNull } from './page-helpers.js';

const present = (...views: Array<FormView | null>): FormView[] => views.filter((view): view is FormView => view !== null);

/** Milestones and Learning Cards of a collaboration or network, with the forms on each. */
function workRecords(view: CollaborationView | NetworkView, forms: EntityForms, open: boolean) {
  return {
    milestones: view.milestones.map((m) => ({ ...m, forms: present(forms.item('achieve-milestone', m.milestoneId, open && !m.achieved)) })),
    learnings: view.learnings.map((l) => ({ ...l, retractForm: forms.item('retract-learning', l.learningId, open && !l.retracted) })),
  };
}

/** Collaborations: designing one, and its page with the forms for parties, activities, initiatives and more. */
@WebPages('collaborations')
export class CollaborationPagesController extends EntityFormPages<CollaborationView> {
  protected readonly collection = 'collaborations';
  protected readonly forms = COLLABORATION_FORMS;
  protected readonly createForm = CREATE_FORMS.collaboration;

  protected async render({ request, id, entity: c, forms, choices }: EntityPage<CollaborationView>): Promise<RenderedPage> {
    const [names, experiments] = await Promise.all([
      organisationNames(this.api, request, choices?.organisations),
      Promise.all(c.attachedExperimentIds.map((experimentId) => readOrNull<ExperimentView>(this.api, request, `/api/experiments/${experimentId}`))),
    ]);
    const active = c.status === 'active';
    const activities = c.activities.map((a) => ({
      ...a,
      forms: present(forms.item('start-activity', a.activityId, active && a.status === 'planned'), forms.item('complete-activity', a.activityId, active && a.status === 'started')),
    }));
    const initiatives = c.initiatives.map((i) => ({
      ...i,
      forms: present(forms.item('confirm-initiative', i.initiativeId, active && i.confidence === 'tentative'), forms.item('drop-initiative', i.initiativeId, active && i.confidence !== 'dropped')),
    }));
    const model = {
      c,
      parties: c.parties.map((party) => ({ name: nameOr(names, party.organisationId), role: party.role })),
      activities,
      initiatives,
      ...workRecords(c, forms, active),
      experiments: experiments.filter((e): e is ExperimentView => e !== null).map((e) => ({ href: `/experiments/${e.id}`, title: e.title })),
      reportHref: withQuery(`/api/reports/collaborations/${id}`, { format: 'html', lang: pageLanguage(request) }),
      forms: forms.main(active ? ['activities', 'initiatives', 'milestones', 'learnings', 'parties', 'experiments', 'conclude'] : []),
    };
    return { template: 'collaboration', model };
  }
}

/** Networks and communities: founding one, and its page with the forms for lead, partners, members and more. */
@WebPages('networks')
export class NetworkPagesController extends EntityFormPages<NetworkView> {
  protected readonly collection = 'networks';
  protected readonly forms = NETWORK_FORMS;
  protected readonly createForm = CREATE_FORMS.network;

  protected async render({ request, id, entity: n, forms, choices }: EntityPage<NetworkView>): Promise<RenderedPage> {
    const [names, people] = await Promise.all([organisationNames(this.api, request, choices?.organisations), personNames(this.api, request, choices?.people)]);
    const current = <T extends { leftAt: string | null }>(items: T[]) => items.filter((item) => item.leftAt === null);
    const model = {
      n,
      leadName: n.lead ? (names.get(n.lead.organisationId) ?? null) : null,
      partners: current(n.partners).map((p) => ({ name: nameOr(names, p.organisationId), forms: present(forms.item('leave-partner', p.organisationId, true)) })),
      members: current(n.members).map((m) => ({
        href: `/people/${m.personId}`,
        name: nameOr(people, m.personId),
        forms: present(forms.item('leave-member', m.personId, true)),
      })),
      ...workRecords(n, forms, true),
      chartSrc: withQuery(`/api/reports/networks/${id}/growth`, { format: 'svg', lang: pageLanguage(request) }),
      forms: forms.main(['members', 'partners', 'headcounts', 'milestones', 'learnings', 'method-adoptions', 'experiments', 'lead']),
    };
    return { template: 'network', model };
  }
}

/** Gatherings: recording one, and its page with the insights gathered there. */
@WebPages('gatherings')
export class GatheringPagesController extends EntityFormPages<GatheringView> {
  protected readonly collection = 'gatherings';
  protected readonly forms = GATHERING_FORMS;
  protected readonly createForm = CREATE_FORMS.gathering;

  protected render({ entity: g, forms }: EntityPage<GatheringView>): Promise<RenderedPage> {
    const model = {
      g,
      insights: g.insights.map((insight) => ({ ...insight, retractForm: forms.item('retract-insight', insight.insightId, !insight.retracted) })),
      forms: forms.main(['insights']),
    };
    return Promise.resolve({ template: 'gathering', model });
  }
}
