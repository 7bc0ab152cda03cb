/** Languages timelines and reports are rendered in. */
export const LANGS = ['nb', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** Stored event parameters (the event's data, as JSON): untrusted shape, so renderers read it defensively. */
export type EventParams = Readonly<Record<string, unknown>>;

/** What a renderer may know besides the event's own parameters. */
export interface SummaryContext {
  /** For a retraction: the parameters of the event it retracts, when found. */
  retracted?: EventParams;
}

/** Renders one event as one sentence. Must not throw on missing or malformed parameters. */
export type SummaryRenderer = (params: EventParams, context: SummaryContext) => string;

/** One renderer per language. */
export type SummaryRenderers = Readonly<Record<Lang, SummaryRenderer>>;

/** For each retraction type: the type it retracts and the parameter that identifies the retracted item. */
export const RETRACTION_TARGETS: Readonly<Record<string, { type: string; key: string }>> = {
  StepRetracted: { type: 'StepLogged', key: 'stepId' },
  LearningRetracted: { type: 'LearningRecorded', key: 'learningId' },
  InsightRetracted: { type: 'InsightRecorded', key: 'insightId' },
};

const MAX_TEXT = 200;

/** A parameter as display text: whitespace collapsed, long text cut with an ellipsis, '' when absent. */
function text(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return '';
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 1).trimEnd()}…` : flat;
}

function quote(lang: Lang, value: unknown): string {
  const t = text(value);
  return lang === 'nb' ? `«${t}»` : `"${t}"`;
}

/** `prefix: "text"` when there is text, else just `prefix`. */
function withQuote(lang: Lang, prefix: string, value: unknown): string {
  return text(value) ? `${prefix}: ${quote(lang, value)}` : prefix;
}

function number(lang: Lang, value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return text(value) || '?';
  return new Intl.NumberFormat(lang === 'nb' ? 'nb-NO' : 'en-GB', { maximumFractionDigits: 6 }).format(value);
}

function label(labels: Readonly<Record<string, string>>, value: unknown): string {
  const key = text(value);
  return Object.hasOwn(labels, key) ? labels[key] : key || '?';
}

const reason = (lang: Lang, params: EventParams): string =>
  text(params.reason) ? ` (${lang === 'nb' ? 'begrunnelse' : 'reason'}: ${text(params.reason)})` : '';

const DECISIONS: Record<Lang, Record<string, string>> = {
  en: { persevere: 'persevere', pivot: 'pivot', retire: 'retire', 'continue-testing': 'continue testing' },
  nb: { persevere: 'fortsette', pivot: 'endre retning', retire: 'avslutte', 'continue-testing': 'teste videre' },
};
const RELIABILITIES: Record<Lang, Record<string, string>> = {
  en: { low: 'low', medium: 'medium', high: 'high' },
  nb: { low: 'lav', medium: 'middels', high: 'høy' },
};
const OUTCOMES: Record<Lang, Record<string, string>> = {
  en: { validated: 'validated', invalidated: 'invalidated', inconclusive: 'inconclusive' },
  nb: { validated: 'bekreftet', invalidated: 'avkreftet', inconclusive: 'uavklart' },
};
const TEST_CARD_FIELDS: Record<Lang, Record<string, string>> = {
  en: {
    title: 'title',
    hypothesis: 'hypothesis',
    test: 'test',
    metric: 'metric',
    successCriteria: 'success criteria',
    leadId: 'lead',
    themes: 'themes',
    deadline: 'deadline',
  },
  nb: {
    title: 'tittel',
    hypothesis: 'hypotese',
    test: 'test',
    metric: 'måleindikator',
    successCriteria: 'suksesskriterier',
    leadId: 'ansvarlig',
    themes: 'temaer',
    deadline: 'frist',
  },
};

function changedFields(lang: Lang, changes: unknown): string {
  if (typeof changes !== 'object' || changes === null) return '';
  const names = Object.keys(changes).map((key) => label(TEST_CARD_FIELDS[lang], key));
  return names.length > 0 ? `: ${names.join(', ')}` : '';
}

function learning(lang: Lang, params: EventParams): string {
  const retro = params.retrospective === true;
  const head =
    lang === 'nb'
      ? `${retro ? 'Læring registrert i etterkant' : 'Læring registrert'} (beslutning: ${label(DECISIONS.nb, params.decision)}, pålitelighet: ${label(RELIABILITIES.nb, params.reliability)})`
      : `${retro ? 'Retrospective learning recorded' : 'Learning recorded'} (decision: ${label(DECISIONS.en, params.decision)}, reliability: ${label(RELIABILITIES.en, params.reliability)})`;
  return withQuote(lang, head, params.learning);
}

/** `Step retracted: "what it said" (reason: …)`: names what is retracted when the original was found. */
function retraction(lang: Lang, head: string, field: string, params: EventParams, context: SummaryContext): string {
  return withQuote(lang, head, context.retracted?.[field]) + reason(lang, params);
}

/** Sentence renderers by event type. Later projections add their types here. */
export const EVENT_SUMMARIES: Readonly<Record<string, SummaryRenderers>> = {
  ExperimentDesigned: {
    en: (p) => withQuote('en', 'Experiment designed', p.title),
    nb: (p) => withQuote('nb', 'Eksperimentet utformet', p.title),
  },
  TestCardRevised: {
    en: (p) => `Test Card revised${changedFields('en', p.changes)}${reason('en', p)}`,
    nb: (p) => `Testkortet revidert${changedFields('nb', p.changes)}${reason('nb', p)}`,
  },
  ExperimentStarted: {
    en: () => 'Experiment started',
    nb: () => 'Eksperimentet startet',
  },
  StepLogged: {
    en: (p) => withQuote('en', 'Step logged', p.description),
    nb: (p) => withQuote('nb', 'Steg logget', p.description),
  },
  StepRetracted: {
    en: (p, c) => retraction('en', 'Step retracted', 'description', p, c),
    nb: (p, c) => retraction('nb', 'Steg trukket tilbake', 'description', p, c),
  },
  MeasurementRecorded: {
    en: (p) =>
      `Measurement recorded: ${number('en', p.value)}${text(p.unit) ? ` ${text(p.unit)}` : ''}${text(p.note) ? ` (${quote('en', p.note)})` : ''}`,
    nb: (p) =>
      `Måling registrert: ${number('nb', p.value)}${text(p.unit) ? ` ${text(p.unit)}` : ''}${text(p.note) ? ` (${quote('nb', p.note)})` : ''}`,
  },
  LearningRecorded: {
    en: (p) => learning('en', p),
    nb: (p) => learning('nb', p),
  },
  LearningRetracted: {
    en: (p, c) => retraction('en', 'Learning retracted', 'learning', p, c),
    nb: (p, c) => retraction('nb', 'Læring trukket tilbake', 'learning', p, c),
  },
  ExperimentConcluded: {
    en: (p) => withQuote('en', `Experiment concluded (${label(OUTCOMES.en, p.outcome)})`, p.summary),
    nb: (p) => withQuote('nb', `Eksperimentet avsluttet (${label(OUTCOMES.nb, p.outcome)})`, p.summary),
  },
  ExperimentAbandoned: {
    en: (p) => withQuote('en', 'Experiment abandoned', p.reason),
    nb: (p) => withQuote('nb', 'Eksperimentet avbrutt', p.reason),
  },
};

/** Neutral sentence for a type without a renderer (or whose renderer failed). */
export function fallbackSummary(type: string, lang: Lang): string {
  return lang === 'nb' ? `Hendelse registrert: ${type}` : `Event recorded: ${type}`;
}

/** One sentence for an event, in the given language. Never throws. */
export function renderSummary(type: string, params: unknown, lang: Lang, context: SummaryContext = {}): string {
  const renderers = Object.hasOwn(EVENT_SUMMARIES, type) ? EVENT_SUMMARIES[type] : undefined;
  if (!renderers) return fallbackSummary(type, lang);
  const safe: EventParams =
    typeof params === 'object' && params !== null && !Array.isArray(params) ? (params as EventParams) : {};
  try {
    return renderers[lang](safe, context);
  } catch {
    return fallbackSummary(type, lang);
  }
}
