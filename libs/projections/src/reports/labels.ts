import type { ActivityStatus, ExperimentOutcome, InitiativeKind, LearningDecision, Reliability } from '#domain';
import type { LearningSourceKind } from '../learnings/learning-library.schema.js';
import type { Lang } from '../rendering/event-summaries.js';

type Labels<K extends string> = Readonly<Record<Lang, Readonly<Record<K, string>>>>;

/** What a learning tells the team to do, as reports say it. */
export const DECISION_LABELS: Labels<LearningDecision> = {
  en: { persevere: 'persevere', pivot: 'pivot', retire: 'retire', 'continue-testing': 'continue testing' },
  nb: { persevere: 'fortsette', pivot: 'endre retning', retire: 'avslutte', 'continue-testing': 'teste videre' },
};

export const RELIABILITY_LABELS: Labels<Reliability> = {
  en: { low: 'low', medium: 'medium', high: 'high' },
  nb: { low: 'lav', medium: 'middels', high: 'høy' },
};

export const SOURCE_LABELS: Labels<LearningSourceKind> = {
  en: { experiment: 'Experiment', collaboration: 'Collaboration', network: 'Network', gathering: 'Gathering' },
  nb: { experiment: 'Eksperiment', collaboration: 'Samarbeid', network: 'Nettverk', gathering: 'Samling' },
};

export type ExperimentStatusLabel = 'designed' | 'running' | 'concluded' | 'abandoned';

export const EXPERIMENT_STATUS_LABELS: Labels<ExperimentStatusLabel> = {
  en: { designed: 'designed', running: 'running', concluded: 'concluded', abandoned: 'abandoned' },
  nb: { designed: 'planlagt', running: 'pågår', concluded: 'avsluttet', abandoned: 'avbrutt' },
};

export const OUTCOME_LABELS: Labels<ExperimentOutcome> = {
  en: { validated: 'validated', invalidated: 'invalidated', inconclusive: 'inconclusive' },
  nb: { validated: 'bekreftet', invalidated: 'avkreftet', inconclusive: 'uavklart' },
};

export const ACTIVITY_STATUS_LABELS: Labels<ActivityStatus> = {
  en: { planned: 'planned', started: 'started', completed: 'completed' },
  nb: { planned: 'planlagt', started: 'startet', completed: 'fullført' },
};

export const CONFIDENCE_LABELS: Labels<'tentative' | 'confirmed' | 'dropped'> = {
  en: { tentative: 'tentative', confirmed: 'confirmed', dropped: 'dropped' },
  nb: { tentative: 'foreløpig', confirmed: 'bekreftet', dropped: 'droppet' },
};

export const INITIATIVE_KIND_LABELS: Labels<InitiativeKind> = {
  en: { 'eu-project': 'EU project', programme: 'programme', other: 'initiative' },
  nb: { 'eu-project': 'EU-prosjekt', programme: 'program', other: 'initiativ' },
};
