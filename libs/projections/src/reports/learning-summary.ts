import { LEARNING_DECISIONS, StreamCategory, type ExperimentOutcome, type Reliability } from '#domain';
import type { RecordedEvent } from '#event-store';
import { foldForSearch } from '../catalogue/catalogue.schema.js';
import { findLearnings, type LearningSourceRef } from '../learnings/learning-library.queries.js';
import type { Lang } from '../rendering/event-summaries.js';
import { collaborationView } from '../views/collaboration-view.js';
import { experimentView, type ExperimentView } from '../views/experiment-view.js';
import { compareText, formatCount, longDate, osloDate, quoted } from './format.js';
import { DECISION_LABELS, EXPERIMENT_STATUS_LABELS, OUTCOME_LABELS, SOURCE_LABELS } from './labels.js';
import {
  builtFromLine,
  countDecisions,
  countsPhrase,
  eventIdsOfType,
  learningLine,
  newestFirst,
  none,
  reportLearning,
  sourceName,
  type DecisionCounts,
  type ReportLearning,
} from './report-common.js';
import { line, type Block, type Line, type ReportDocument } from './report-document.js';
import type { BuiltFrom, EventRef, ReportSnapshot, VersionedName } from './report-snapshot.js';

/** The learning summary's model name and version (bump the version when its content or layout changes). */
export const LEARNING_SUMMARY_REPORT: VersionedName = { name: 'learning-summary', version: 1 };

/** The filters as requested, echoed in the report. */
export interface LearningSummaryFilters {
  from: string | null;
  to: string | null;
  theme: string | null;
  collaborationId: string | null;
}

/** What to summarise. */
export interface LearningSummaryInput {
  filters: LearningSummaryFilters;
  /** `from` as an instant (a date: 00:00 Oslo time): learnings from then on. */
  occurredFrom?: string;
  /** `to` as an instant (a date: the end of that day in Oslo). */
  occurredTo?: string;
  lang: Lang;
  appVersion: string;
}

/** An experiment that leaves a question open: still running, or concluded without a clear outcome. */
export interface OpenExperiment {
  id: string;
  title: string;
  status: 'running' | 'concluded';
  outcome: ExperimentOutcome | null;
  themes: string[];
  /** Oslo date it started running, or it was concluded. */
  since: string;
  occurredAt: string;
  position: number;
  /** Its design, title and theme revisions, start and conclusion. */
  eventIds: string[];
}

/** Learnings grouped under one heading, with their decisions counted. */
export interface LearningGroup {
  counts: DecisionCounts;
  eventIds: string[];
  items: ReportLearning[];
}

/** The learning summary as plain data (the `json` format, and what md, html and pdf render). */
export interface LearningSummaryModel {
  report: 'learning-summary';
  lang: Lang;
  builtFrom: BuiltFrom;
  filters: LearningSummaryFilters;
  collaboration: { id: string; title: string; eventIds: string[] } | null;
  totals: { counts: DecisionCounts; eventIds: string[] };
  /** Decisions other than continue-testing: most reliable first, then newest. */
  keyLearnings: ReportLearning[];
  openQuestions: { learnings: ReportLearning[]; experiments: OpenExperiment[] };
  /** One group per theme (a learning with several themes is in each); `theme: null` for none. */
  byTheme: Array<LearningGroup & { theme: string | null }>;
  bySource: Array<LearningGroup & { source: LearningSourceRef & { title: string } }>;
  /** Every event a line refers to. */
  events: EventRef[];
}

const RELIABILITY_RANK: Record<Reliability, number> = { high: 3, medium: 2, low: 1 };
const SOURCE_ORDER = ['experiment', 'collaboration', 'network', 'gathering'] as const;

function group(items: ReportLearning[]): LearningGroup {
  return { counts: countDecisions(items), eventIds: items.flatMap((item) => item.eventIds), items };
}

type ExperimentInScope = { events: RecordedEvent[]; view: ExperimentView };

/** Experiments with their events: all of them, or those designed within or attached to the collaboration. */
function experimentsInScope(snapshot: ReportSnapshot, collaboration: { id: string; attached: readonly string[] } | null): ExperimentInScope[] {
  return snapshot.streamsOf(StreamCategory.experiment).flatMap((events) => {
    const view = experimentView(events);
    if (!view) return [];
    const inScope = !collaboration || view.collaborationId === collaboration.id || collaboration.attached.includes(view.id);
    return inScope ? [{ events, view }] : [];
  });
}

function within(at: string | null, from: string | undefined, to: string | undefined): boolean {
  if (at === null) return false;
  const ms = Date.parse(at);
  return (from === undefined || ms >= Date.parse(from)) && (to === undefined || ms <= Date.parse(to));
}

/**
 * Experiments that leave a question open, newest first: running ones started by `to`, and those concluded
 * inconclusive within the range; with a theme, only experiments that have it.
 */
function openExperiments(experiments: readonly ExperimentInScope[], themeKey: string | null, from?: string, to?: string): OpenExperiment[] {
  const open: OpenExperiment[] = [];
  for (const { events, view } of experiments) {
    if (themeKey !== null && !view.themes.some((t) => foldForSearch(t) === themeKey)) continue;
    const running = view.status === 'running' && within(view.startedAt, undefined, to);
    const inconclusive = view.status === 'concluded' && view.outcome === 'inconclusive' && within(view.endedAt, from, to);
    const statusEvent = events.findLast((e) => e.type === (running ? 'ExperimentStarted' : 'ExperimentConcluded'));
    if ((!running && !inconclusive) || !statusEvent) continue;
    const revisions = events.filter((e) => {
      const changes = (e.data as { changes?: Record<string, unknown> }).changes;
      return e.type === 'TestCardRevised' && changes !== undefined && ('title' in changes || 'themes' in changes);
    });
    open.push({
      id: view.id,
      title: view.title,
      status: running ? 'running' : 'concluded',
      outcome: view.outcome,
      themes: view.themes,
      since: osloDate(statusEvent.metadata.occurredAt),
      occurredAt: statusEvent.metadata.occurredAt,
      position: statusEvent.position,
      eventIds: [
        ...eventIdsOfType(events, 'ExperimentDesigned'),
        ...revisions.map((e) => e.eventId),
        ...eventIdsOfType(events, 'ExperimentStarted', 'ExperimentConcluded'),
      ],
    });
  }
  return open.sort(newestFirst);
}

/** One group per theme (folded; spelt as its first spelling in code-point order), largest first; then the unthemed. */
function groupByTheme(items: readonly ReportLearning[]): LearningSummaryModel['byTheme'] {
  const themes = new Map<string, { theme: string; items: ReportLearning[] }>();
  for (const item of items) {
    for (const theme of item.themes) {
      const key = foldForSearch(theme);
      const entry = themes.get(key);
      if (!entry) themes.set(key, { theme, items: [item] });
      else {
        if (!entry.items.includes(item)) entry.items.push(item);
        if (compareText(theme, entry.theme) < 0) entry.theme = theme;
      }
    }
  }
  const groups: LearningSummaryModel['byTheme'] = [...themes.values()]
    .sort((a, b) => b.items.length - a.items.length || compareText(a.theme, b.theme))
    .map(({ theme, items: grouped }) => ({ theme, ...group(grouped) }));
  const unthemed = items.filter((item) => item.themes.length === 0);
  return unthemed.length > 0 ? [...groups, { theme: null, ...group(unthemed) }] : groups;
}

/** One group per source: experiments, collaborations, networks, gatherings, each by title. */
function groupBySource(items: readonly ReportLearning[]): LearningSummaryModel['bySource'] {
  const sources = new Map<string, ReportLearning[]>();
  for (const item of items) {
    const key = `${item.source.kind}:${item.source.id}`;
    sources.set(key, [...(sources.get(key) ?? []), item]);
  }
  return [...sources.values()]
    .map((grouped) => ({ source: grouped[0].source, ...group(grouped) }))
    .sort(
      (a, b) =>
        SOURCE_ORDER.indexOf(a.source.kind) - SOURCE_ORDER.indexOf(b.source.kind) ||
        compareText(a.source.title, b.source.title) ||
        compareText(a.source.id, b.source.id),
    );
}

/**
 * Builds the learning summary from a snapshot: the library's learnings and insights (retracted ones left out)
 * within the filters, grouped by theme and by source, decisions counted, key learnings and open questions.
 * Returns null when `collaborationId` names no collaboration at the snapshot's position.
 */
export function learningSummary(snapshot: ReportSnapshot, input: LearningSummaryInput): LearningSummaryModel | null {
  const { filters, occurredFrom, occurredTo } = input;
  let collaboration: LearningSummaryModel['collaboration'] = null;
  let scope: { id: string; attached: readonly string[] } | null = null;
  if (filters.collaborationId !== null) {
    const events = snapshot.stream(StreamCategory.collaboration, filters.collaborationId);
    const view = collaborationView(events);
    if (!view) return null;
    collaboration = { id: view.id, title: view.title, eventIds: eventIdsOfType(events, 'CollaborationAgreed') };
    scope = { id: view.id, attached: view.attachedExperimentIds };
  }
  const experiments = experimentsInScope(snapshot, scope);
  const sources: LearningSourceRef[] | undefined = scope
    ? [{ kind: 'collaboration', id: scope.id }, ...experiments.map(({ view }) => ({ kind: 'experiment' as const, id: view.id }))]
    : undefined;
  const items = findLearnings(snapshot.library, { theme: filters.theme ?? undefined, occurredFrom, occurredTo, sources }).map(reportLearning);
  const open = openExperiments(experiments, filters.theme === null ? null : foldForSearch(filters.theme.trim()), occurredFrom, occurredTo);
  const keyLearnings = items
    .filter((item) => item.decision !== null && item.decision !== 'continue-testing')
    .sort((a, b) => RELIABILITY_RANK[b.reliability ?? 'low'] - RELIABILITY_RANK[a.reliability ?? 'low'] || newestFirst(a, b));
  const all = group(items);
  return {
    report: 'learning-summary',
    lang: input.lang,
    builtFrom: snapshot.builtFrom(LEARNING_SUMMARY_REPORT, input.appVersion),
    filters,
    collaboration,
    totals: { counts: all.counts, eventIds: all.eventIds },
    keyLearnings,
    openQuestions: { learnings: items.filter((item) => item.decision === 'continue-testing'), experiments: open },
    byTheme: groupByTheme(items),
    bySource: groupBySource(items),
    events: snapshot.refs([...all.eventIds, ...open.flatMap((e) => e.eventIds), ...(collaboration?.eventIds ?? [])]),
  };
}

const TEXT = {
  en: {
    title: 'Learning summary',
    filters: 'Filters',
    noFilters: 'Filters: none (every learning and insight).',
    from: 'from',
    to: 'to',
    theme: 'theme',
    collaboration: 'collaboration',
    decisions: 'Decisions',
    insights: 'Insights (gatherings)',
    key: 'Key learnings',
    open: 'Open questions',
    byTheme: 'By theme',
    noTheme: 'No theme',
    bySource: 'By source',
    running: (since: string) => `running since ${since}`,
    concluded: (outcome: string, since: string) => `concluded ${outcome} on ${since}`,
  },
  nb: {
    title: 'Læringsoppsummering',
    filters: 'Utvalg',
    noFilters: 'Utvalg: alt (all læring og innsikt).',
    from: 'fra',
    to: 'til',
    theme: 'tema',
    collaboration: 'samarbeid',
    decisions: 'Beslutninger',
    insights: 'Innsikter (samlinger)',
    key: 'Viktigste læring',
    open: 'Åpne spørsmål',
    byTheme: 'Etter tema',
    noTheme: 'Uten tema',
    bySource: 'Etter kilde',
    running: (since: string) => `pågår siden ${since}`,
    concluded: (outcome: string, since: string) => `avsluttet ${outcome} ${since}`,
  },
} as const;

function experimentLine(experiment: OpenExperiment, lang: Lang): Line {
  const t = TEXT[lang];
  const since = longDate(experiment.since, lang);
  const state =
    experiment.status === 'running'
      ? t.running(since)
      : t.concluded(OUTCOME_LABELS[lang][experiment.outcome ?? 'inconclusive'], since);
  return line([{ strong: `${SOURCE_LABELS[lang].experiment} ${quoted(experiment.title, lang)}` }, `: ${state} (${EXPERIMENT_STATUS_LABELS[lang][experiment.status]})`], experiment.eventIds);
}

function filtersLine(model: LearningSummaryModel, lang: Lang): Line {
  const t = TEXT[lang];
  const { from, to, theme } = model.filters;
  const parts = [
    ...(from !== null ? [`${t.from} ${longDate(from, lang)}`] : []),
    ...(to !== null ? [`${t.to} ${longDate(to, lang)}`] : []),
    ...(theme !== null ? [`${t.theme} ${quoted(theme, lang)}`] : []),
    ...(model.collaboration ? [`${t.collaboration} ${quoted(model.collaboration.title, lang)}`] : []),
  ];
  return parts.length === 0 ? line(t.noFilters) : line(`${t.filters}: ${parts.join(', ')}.`, model.collaboration?.eventIds ?? []);
}

function groupBlocks(title: string, items: readonly ReportLearning[], counts: DecisionCounts, eventIds: readonly string[], lang: Lang): Block[] {
  return [
    { kind: 'heading', level: 3, line: line(`${title} (${countsPhrase(counts, lang)})`, eventIds) },
    { kind: 'list', ordered: false, items: items.map((item) => learningLine(item, lang)) },
  ];
}

/** The summary as a document (for md, html and pdf). */
export function learningSummaryDocument(model: LearningSummaryModel): ReportDocument {
  const { lang } = model;
  const t = TEXT[lang];
  const everything = model.bySource.flatMap((g) => g.items);
  const refsOf = (decision: (typeof LEARNING_DECISIONS)[number] | null) => everything.filter((i) => i.decision === decision).flatMap((i) => i.eventIds);
  const openLines = [
    ...model.openQuestions.learnings.map((item) => learningLine(item, lang)),
    ...model.openQuestions.experiments.map((experiment) => experimentLine(experiment, lang)),
  ];
  const blocks: Block[] = [
    { kind: 'paragraph', line: builtFromLine(model.builtFrom, lang) },
    { kind: 'paragraph', line: filtersLine(model, lang) },
    { kind: 'heading', level: 2, line: line(t.decisions) },
    {
      kind: 'list',
      ordered: false,
      items: [
        ...LEARNING_DECISIONS.map((decision) =>
          line(`${DECISION_LABELS[lang][decision]}: ${formatCount(model.totals.counts[decision], lang)}`, refsOf(decision)),
        ),
        line(`${t.insights}: ${formatCount(model.totals.counts.insights, lang)}`, refsOf(null)),
      ],
    },
    { kind: 'heading', level: 2, line: line(t.key) },
    model.keyLearnings.length > 0
      ? { kind: 'list', ordered: true, items: model.keyLearnings.map((item) => learningLine(item, lang)) }
      : { kind: 'paragraph', line: none(lang) },
    { kind: 'heading', level: 2, line: line(t.open) },
    openLines.length > 0 ? { kind: 'list', ordered: false, items: openLines } : { kind: 'paragraph', line: none(lang) },
    { kind: 'heading', level: 2, line: line(t.byTheme) },
    ...(model.byTheme.length > 0
      ? model.byTheme.flatMap((g) => groupBlocks(g.theme ?? t.noTheme, g.items, g.counts, g.eventIds, lang))
      : [{ kind: 'paragraph' as const, line: none(lang) }]),
    { kind: 'heading', level: 2, line: line(t.bySource) },
    ...(model.bySource.length > 0
      ? model.bySource.flatMap((g) => groupBlocks(sourceName(g.source, lang), g.items, g.counts, g.eventIds, lang))
      : [{ kind: 'paragraph' as const, line: none(lang) }]),
  ];
  return { lang, title: t.title, blocks, events: model.events };
}
