import type { DomainEvent } from '../shared/decider.js';
import { eventTypeList } from '../shared/event-types.js';
import type { LearningCard } from '../shared/values.js';

export const EXPERIMENT_OUTCOMES = ['validated', 'invalidated', 'inconclusive'] as const;
export type ExperimentOutcome = (typeof EXPERIMENT_OUTCOMES)[number];

/** The Test Card: what we believe, how we test it, and what counts as success. */
export interface TestCard {
  title: string;
  hypothesis: string;
  test: string;
  metric: string;
  successCriteria: string;
  leadId: string | null;
  themes: string[];
  /** Calendar date (YYYY-MM-DD) or null. */
  deadline: string | null;
}

export type ExperimentDesigned = DomainEvent<
  'ExperimentDesigned',
  TestCard & { experimentId: string; collaborationId: string | null; networkId: string | null }
>;
export type TestCardRevised = DomainEvent<
  'TestCardRevised',
  { experimentId: string; changes: Partial<TestCard>; reason: string }
>;
/** `startedAt` repeats the command's business time so the decider can refuse work dated before the start. */
export type ExperimentStarted = DomainEvent<'ExperimentStarted', { experimentId: string; startedAt: string }>;
export type StepLogged = DomainEvent<
  'StepLogged',
  { experimentId: string; stepId: string; description: string; evidenceUrl: string | null }
>;
export type StepRetracted = DomainEvent<'StepRetracted', { experimentId: string; stepId: string; reason: string }>;
export type MeasurementRecorded = DomainEvent<
  'MeasurementRecorded',
  { experimentId: string; measurementId: string; value: number; unit: string | null; note: string | null }
>;
/** `retrospective` is true for a learning recorded after the experiment ended. */
export type ExperimentLearningRecorded = DomainEvent<
  'LearningRecorded',
  LearningCard & { experimentId: string; retrospective: boolean }
>;
export type ExperimentLearningRetracted = DomainEvent<
  'LearningRetracted',
  { experimentId: string; learningId: string; reason: string }
>;
export type ExperimentConcluded = DomainEvent<
  'ExperimentConcluded',
  { experimentId: string; outcome: ExperimentOutcome; summary: string }
>;
export type ExperimentAbandoned = DomainEvent<'ExperimentAbandoned', { experimentId: string; reason: string }>;

export type ExperimentEvent =
  | ExperimentDesigned
  | TestCardRevised
  | ExperimentStarted
  | StepLogged
  | StepRetracted
  | MeasurementRecorded
  | ExperimentLearningRecorded
  | ExperimentLearningRetracted
  | ExperimentConcluded
  | ExperimentAbandoned;

export type ExperimentEventType = ExperimentEvent['type'];

/** Every experiment event type name (checked complete at compile time). */
export const EXPERIMENT_EVENT_TYPES = eventTypeList<ExperimentEventType>()([
  'ExperimentDesigned',
  'TestCardRevised',
  'ExperimentStarted',
  'StepLogged',
  'StepRetracted',
  'MeasurementRecorded',
  'LearningRecorded',
  'LearningRetracted',
  'ExperimentConcluded',
  'ExperimentAbandoned',
]);
