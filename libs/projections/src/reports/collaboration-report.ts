import { StreamCategory, type ActivityStatus, type ExperimentOutcome, type InitiativeKind } from '#domain';
import { findLearnings } from '../learnings/learning-library.queries.js';
import type { Lang } from '../rendering/event-summaries.js';
import { collaborationView } from '../views/collaboration-view.js';
import { experimentView } from '../views/experiment-view.js';
import { organisationView } from '../views/organisation-view.js';
import { longDate, osloDate, quoted } from './format.js';
import {
  ACTIVITY_STATUS_LABELS,
  CONFIDENCE_LABELS,
  EXPERIMENT_STATUS_LABELS,
  INITIATIVE_KIND_LABELS,
  OUTCOME_LABELS,
  type ExperimentStatusLabel,
} from './labels.js';
import { builtFromLine, eventIdsOfType, eventIdsWhere, learningLine, none, reportLearning, type ReportLearning } from './report-common.js';
import { line, type Block, type Line, type ReportDocument } from './report-document.js';
import type { BuiltFrom, EventRef, ReportSnapshot, VersionedName } from './report-snapshot.js';

/** The collaboration status report's model name and version. */
export const COLLABORATION_REPORT: VersionedName = { name: 'collaboration-status', version: 1 };

/** An organisation by its name at the report's position, with the events that name it. */
export interface OrganisationRef {
  id: string;
  /** Null when the organisation is not in the log at that position. */
  name: string | null;
  eventIds: string[];
}

/** The status of a collaboration for the municipal partner, as plain data. */
export interface CollaborationReportModel {
  report: 'collaboration-status';
  lang: Lang;
  builtFrom: BuiltFrom;
  collaboration: {
    id: string;
    title: string;
    status: 'active' | 'concluded';
    description: string | null;
    themes: string[];
    partner: OrganisationRef;
    /** The agreed date, if known; else the Oslo date it was recorded as agreed. */
    agreedOn: string;
    concludedOn: string | null;
    summary: string | null;
    eventIds: string[];
  };
  parties: Array<{ organisation: OrganisationRef; role: string | null; joinedOn: string; eventIds: string[] }>;
  activities: Array<{
    id: string;
    title: string;
    description: string | null;
    plannedFor: string | null;
    status: ActivityStatus;
    startedOn: string | null;
    completedOn: string | null;
    outcome: string | null;
    eventIds: string[];
  }>;
  initiatives: Array<{
    id: string;
    name: string;
    kind: InitiativeKind;
    programme: string | null;
    confidence: 'tentative' | 'confirmed' | 'dropped';
    dropReason: string | null;
    eventIds: string[];
  }>;
  milestones: Array<{ id: string; title: string; due: string | null; achieved: boolean; achievedOn: string | null; eventIds: string[] }>;
  /** The collaboration's own learnings and those of its experiments, newest first (retracted ones left out). */
  learnings: ReportLearning[];
  experiments: Array<{
    id: string;
    title: string;
    status: ExperimentStatusLabel;
    outcome: ExperimentOutcome | null;
    startedOn: string | null;
    endedOn: string | null;
    eventIds: string[];
  }>;
  events: EventRef[];
}

const dateOrNull = (at: string | null) => (at === null ? null : osloDate(at));

function organisation(snapshot: ReportSnapshot, id: string): OrganisationRef {
  const events = snapshot.stream(StreamCategory.organisation, id);
  return { id, name: organisationView(events)?.name ?? null, eventIds: eventIdsOfType(events, 'OrganisationRegistered', 'OrganisationRenamed') };
}

/** Builds the status report of one collaboration from a snapshot; null when it does not exist at that position. */
export function collaborationReport(snapshot: ReportSnapshot, id: string, lang: Lang, appVersion: string): CollaborationReportModel | null {
  const events = snapshot.stream(StreamCategory.collaboration, id);
  const view = collaborationView(events);
  if (!view) return null;
  const designedWithin = snapshot
    .streamsOf(StreamCategory.experiment)
    .flatMap((stream) => experimentView(stream) ?? [])
    .filter((e) => e.collaborationId === id)
    .map((e) => e.id);
  const experimentIds = [...new Set([...view.attachedExperimentIds, ...designedWithin])];
  const experiments = experimentIds.flatMap((experimentId) => {
    const stream = snapshot.stream(StreamCategory.experiment, experimentId);
    const experiment = experimentView(stream);
    if (!experiment) return [];
    const statusEvents = ['ExperimentDesigned', 'TestCardRevised', 'ExperimentStarted', 'ExperimentConcluded', 'ExperimentAbandoned'];
    return [
      {
        id: experiment.id,
        title: experiment.title,
        status: experiment.status,
        outcome: experiment.outcome,
        startedOn: dateOrNull(experiment.startedAt),
        endedOn: dateOrNull(experiment.endedAt),
        eventIds: [...eventIdsOfType(stream, ...statusEvents), ...eventIdsWhere(events, 'experimentId', experiment.id)],
      },
    ];
  });
  const learnings = findLearnings(snapshot.library, {
    sources: [{ kind: 'collaboration', id }, ...experiments.map((e) => ({ kind: 'experiment' as const, id: e.id }))],
  }).map(reportLearning);
  const partner = organisation(snapshot, view.partnerOrganisationId);
  const agreed = eventIdsOfType(events, 'CollaborationAgreed');
  const model: Omit<CollaborationReportModel, 'events'> = {
    report: 'collaboration-status',
    lang,
    builtFrom: snapshot.builtFrom(COLLABORATION_REPORT, appVersion),
    collaboration: {
      id: view.id,
      title: view.title,
      status: view.status,
      description: view.description,
      themes: view.themes,
      partner,
      agreedOn: view.agreedOn ?? osloDate(view.agreedAt),
      concludedOn: dateOrNull(view.concludedAt),
      summary: view.summary,
      eventIds: [...agreed, ...eventIdsOfType(events, 'CollaborationConcluded')],
    },
    parties: view.parties.map((party, i) => {
      const org = party.organisationId === view.partnerOrganisationId && i === 0 ? partner : organisation(snapshot, party.organisationId);
      const joined = i === 0 ? agreed : eventIdsWhere(events, 'organisationId', party.organisationId);
      return { organisation: org, role: party.role, joinedOn: osloDate(party.joinedAt), eventIds: joined };
    }),
    activities: view.activities.map((a) => ({
      id: a.activityId,
      title: a.title,
      description: a.description,
      plannedFor: a.plannedFor,
      status: a.status,
      startedOn: dateOrNull(a.startedAt),
      completedOn: dateOrNull(a.completedAt),
      outcome: a.outcome,
      eventIds: eventIdsWhere(events, 'activityId', a.activityId),
    })),
    initiatives: view.initiatives.map((link) => ({
      id: link.initiativeId,
      name: link.name,
      kind: link.kind,
      programme: link.programme,
      confidence: link.confidence,
      dropReason: link.dropReason,
      eventIds: eventIdsWhere(events, 'initiativeId', link.initiativeId),
    })),
    milestones: view.milestones.map((m) => ({
      id: m.milestoneId,
      title: m.title,
      due: m.due,
      achieved: m.achieved,
      achievedOn: dateOrNull(m.achievedAt),
      eventIds: eventIdsWhere(events, 'milestoneId', m.milestoneId),
    })),
    learnings,
    experiments,
  };
  const referenced = [
    ...model.collaboration.eventIds,
    ...partner.eventIds,
    ...[model.parties, model.activities, model.initiatives, model.milestones, model.learnings, model.experiments].flatMap((items) =>
      items.flatMap((item) => item.eventIds),
    ),
    ...model.parties.flatMap((p) => p.organisation.eventIds),
  ];
  return { ...model, events: snapshot.refs(referenced) };
}

const TEXT = {
  en: {
    title: 'Status report',
    partner: 'Partner',
    unknown: 'unknown organisation',
    status: { active: 'active', concluded: 'concluded' },
    statusLabel: 'Status',
    themes: 'Themes',
    agreed: 'Agreed',
    concluded: 'Concluded',
    parties: 'Parties',
    joined: 'joined',
    activities: 'Activities',
    plannedFor: 'planned for',
    started: 'started',
    completed: 'completed',
    initiatives: 'Initiatives',
    confidence: 'confidence',
    reason: 'reason',
    milestones: 'Milestones',
    due: 'due',
    achieved: 'achieved',
    open: 'not achieved yet',
    learnings: 'Learnings',
    experiments: 'Experiments',
  },
  nb: {
    title: 'Statusrapport',
    partner: 'Partner',
    unknown: 'ukjent organisasjon',
    status: { active: 'aktivt', concluded: 'avsluttet' },
    statusLabel: 'Status',
    themes: 'Temaer',
    agreed: 'Avtalt',
    concluded: 'Avsluttet',
    parties: 'Parter',
    joined: 'med fra',
    activities: 'Aktiviteter',
    plannedFor: 'planlagt for',
    started: 'startet',
    completed: 'fullført',
    initiatives: 'Initiativer',
    confidence: 'sikkerhet',
    reason: 'begrunnelse',
    milestones: 'Milepæler',
    due: 'frist',
    achieved: 'nådd',
    open: 'ikke nådd ennå',
    learnings: 'Læring',
    experiments: 'Eksperimenter',
  },
} as const;

function section(title: string, lines: Line[], lang: Lang): Block[] {
  return [
    { kind: 'heading', level: 2, line: line(title) },
    lines.length > 0 ? { kind: 'list', ordered: false, items: lines } : { kind: 'paragraph', line: none(lang) },
  ];
}

/** The collaboration report as a document (for md, html and pdf). */
export function collaborationReportDocument(model: CollaborationReportModel): ReportDocument {
  const { lang, collaboration: c } = model;
  const t = TEXT[lang];
  const orgName = (org: OrganisationRef) => org.name ?? t.unknown;
  const head = [
    `${t.partner}: ${orgName(c.partner)}.`,
    `${t.statusLabel}: ${t.status[c.status]}.`,
    ...(c.themes.length > 0 ? [`${t.themes}: ${c.themes.join(', ')}.`] : []),
    `${t.agreed}: ${longDate(c.agreedOn, lang)}.`,
  ].join(' ');
  const blocks: Block[] = [
    { kind: 'paragraph', line: builtFromLine(model.builtFrom, lang) },
    { kind: 'paragraph', line: line(head, [...c.eventIds, ...c.partner.eventIds]) },
  ];
  if (c.description !== null) blocks.push({ kind: 'paragraph', line: line(c.description, c.eventIds) });
  if (c.concludedOn !== null) {
    blocks.push({ kind: 'paragraph', line: line([{ strong: `${t.concluded} ${longDate(c.concludedOn, lang)}` }, c.summary ? `: ${c.summary}` : ''], c.eventIds) });
  }
  const activity = (a: CollaborationReportModel['activities'][number]): Line => {
    const state: string[] = a.plannedFor !== null ? [`${t.plannedFor} ${longDate(a.plannedFor, lang)}`] : [];
    if (a.status === 'planned' && a.plannedFor === null) state.push(ACTIVITY_STATUS_LABELS[lang].planned);
    if (a.startedOn !== null) state.push(`${t.started} ${longDate(a.startedOn, lang)}`);
    if (a.completedOn !== null) state.push(`${t.completed} ${longDate(a.completedOn, lang)}${a.outcome ? `: ${a.outcome}` : ''}`);
    return line([{ strong: a.title }, ` — ${state.join('; ')}`], a.eventIds);
  };
  const initiative = (i: CollaborationReportModel['initiatives'][number]): Line => {
    const what = [INITIATIVE_KIND_LABELS[lang][i.kind], ...(i.programme ? [i.programme] : [])].join(', ');
    const reason = i.dropReason ? ` (${t.reason}: ${i.dropReason})` : '';
    return line([{ strong: i.name }, ` (${what}) — ${t.confidence}: ${CONFIDENCE_LABELS[lang][i.confidence]}${reason}`], i.eventIds);
  };
  const milestone = (m: CollaborationReportModel['milestones'][number]): Line => {
    const due = m.due !== null ? `${t.due} ${longDate(m.due, lang)}; ` : '';
    const state = m.achieved && m.achievedOn !== null ? `${t.achieved} ${longDate(m.achievedOn, lang)}` : t.open;
    return line([{ strong: m.title }, ` — ${due}${state}`], m.eventIds);
  };
  const experiment = (e: CollaborationReportModel['experiments'][number]): Line => {
    const state = [EXPERIMENT_STATUS_LABELS[lang][e.status]];
    if (e.outcome !== null) state.push(OUTCOME_LABELS[lang][e.outcome]);
    if (e.startedOn !== null) state.push(`${t.started} ${longDate(e.startedOn, lang)}`);
    return line([{ strong: quoted(e.title, lang) }, ` — ${state.join(', ')}`], e.eventIds);
  };
  blocks.push(
    ...section(
      t.parties,
      model.parties.map((p) => line(`${orgName(p.organisation)}${p.role ? ` (${p.role})` : ''} — ${t.joined} ${longDate(p.joinedOn, lang)}`, [...p.eventIds, ...p.organisation.eventIds])),
      lang,
    ),
    ...section(t.activities, model.activities.map(activity), lang),
    ...section(t.initiatives, model.initiatives.map(initiative), lang),
    ...section(t.milestones, model.milestones.map(milestone), lang),
    ...section(t.learnings, model.learnings.map((item) => learningLine(item, lang)), lang),
    ...section(t.experiments, model.experiments.map(experiment), lang),
  );
  return { lang, title: `${t.title}: ${c.title}`, blocks, events: model.events };
}
