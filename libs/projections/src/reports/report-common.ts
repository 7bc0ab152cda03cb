import { LEARNING_DECISIONS, type LearningDecision } from '#domain';
import type { RecordedEvent } from '#event-store';
import type { LearningItem, LearningSourceRef } from '../learnings/learning-library.queries.js';
import type { Lang } from '../rendering/event-summaries.js';
import { formatCount, longDate, osloDate, quoted } from './format.js';
import { DECISION_LABELS, RELIABILITY_LABELS, SOURCE_LABELS } from './labels.js';
import { line, type Line, type Run } from './report-document.js';
import type { BuiltFrom } from './report-snapshot.js';

/** A learning or insight as reports show it. */
export interface ReportLearning
  extends Pick<
    LearningItem,
    'id' | 'kind' | 'source' | 'observation' | 'learning' | 'decision' | 'reliability' | 'themes' | 'occurredAt' | 'position'
  > {
  /** Oslo calendar date of its business time. */
  date: string;
  /** The event that recorded it. */
  eventIds: string[];
}

/** A library item as reports show it. */
export function reportLearning(item: LearningItem): ReportLearning {
  const { id, kind, source, observation, learning, decision, reliability, themes, occurredAt, position } = item;
  return { id, kind, source, observation, learning, decision, reliability, themes, date: osloDate(occurredAt), occurredAt, position, eventIds: [item.eventIds.recorded] };
}

/** How many learnings took each decision, and how many insights there are. */
export type DecisionCounts = Record<LearningDecision, number> & { learnings: number; insights: number };

/** Counts decisions over the items. */
export function countDecisions(items: readonly ReportLearning[]): DecisionCounts {
  const counts: DecisionCounts = { learnings: 0, insights: 0, persevere: 0, pivot: 0, retire: 0, 'continue-testing': 0 };
  for (const item of items) {
    if (item.decision === null) counts.insights++;
    else {
      counts.learnings++;
      counts[item.decision]++;
    }
  }
  return counts;
}

const INSIGHTS: Record<Lang, [string, string]> = { en: ['insight', 'insights'], nb: ['innsikt', 'innsikter'] };

/** `3: persevere 1, continue testing 1, insights 1` (only what is not zero). */
export function countsPhrase(counts: DecisionCounts, lang: Lang): string {
  const parts = LEARNING_DECISIONS.filter((d) => counts[d] > 0).map((d) => `${DECISION_LABELS[lang][d]} ${formatCount(counts[d], lang)}`);
  if (counts.insights > 0) parts.push(`${INSIGHTS[lang][counts.insights === 1 ? 0 : 1]} ${formatCount(counts.insights, lang)}`);
  const total = formatCount(counts.learnings + counts.insights, lang);
  return parts.length > 0 ? `${total}: ${parts.join(', ')}` : total;
}

/** The name of a source as reports show it: `Network «Pådriv»`. */
export function sourceName(source: { kind: LearningSourceRef['kind']; title: string }, lang: Lang): string {
  return `${SOURCE_LABELS[lang][source.kind]} ${quoted(source.title, lang)}`;
}

/** One learning as a report line: the learning in bold, the observation, its source, date and decision. */
export function learningLine(item: ReportLearning, lang: Lang): Line {
  const runs: Run[] = [{ strong: item.learning ?? item.observation }];
  if (item.learning !== null) runs.push(` — ${item.observation}`);
  const verdict =
    item.decision === null || item.reliability === null
      ? INSIGHTS[lang][0]
      : lang === 'nb'
        ? `beslutning: ${DECISION_LABELS.nb[item.decision]}, pålitelighet: ${RELIABILITY_LABELS.nb[item.reliability]}`
        : `decision: ${DECISION_LABELS.en[item.decision]}, reliability: ${RELIABILITY_LABELS.en[item.reliability]}`;
  runs.push(` (${sourceName(item.source, lang)}, ${longDate(item.date, lang)}; ${verdict})`);
  return line(runs, item.eventIds);
}

/** The provenance paragraph every report starts with. */
export function builtFromLine(built: BuiltFrom, lang: Lang): Line {
  const projections = built.projections.map((p) => `${p.name} v${p.version}`).join(', ');
  const report = `${built.report.name} v${built.report.version}`;
  const newest = built.lastRecordedAt ?? '—';
  return line(
    lang === 'nb'
      ? `Bygget fra hendelsene til og med global posisjon ${built.position} (nyeste registrert ${newest}) med projeksjonene ${projections}, rapportmodellen ${report} og appversjon ${built.appVersion}. Samme rapport igjen: atPosition=${built.position}.`
      : `Built from the events up to global position ${built.position} (newest recorded ${newest}) with projections ${projections}, report model ${report} and app version ${built.appVersion}. Same report again: atPosition=${built.position}.`,
  );
}

/** Ids of the events whose data has `field` equal to `value` (a sub-entity's history), in stream order. */
export function eventIdsWhere(events: readonly RecordedEvent[], field: string, value: string): string[] {
  return events.filter((e) => (e.data as Record<string, unknown> | null)?.[field] === value).map((e) => e.eventId);
}

/** Ids of the events of the given types, in stream order. */
export function eventIdsOfType(events: readonly RecordedEvent[], ...types: string[]): string[] {
  return events.filter((e) => types.includes(e.type)).map((e) => e.eventId);
}

/** Orders by business time, newest first, then by global position (later first). */
export function newestFirst(a: { occurredAt: string; position: number }, b: { occurredAt: string; position: number }): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt < b.occurredAt ? 1 : -1;
  return b.position - a.position;
}

/** "None." in the report's language. */
export function none(lang: Lang): Line {
  return line(lang === 'nb' ? 'Ingen.' : 'None.');
}
