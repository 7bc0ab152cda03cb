import type { DomainCommand } from '../shared/decider.js';
import type { LearningInput, RetractLearningInput } from '../shared/learnings.js';
import type { ExperimentOutcome } from './experiment.events.js';

/** The Test Card fields as a command carries them; optional ones may be absent or null. */
export interface TestCardInput {
  title: string;
  hypothesis: string;
  test: string;
  metric: string;
  successCriteria: string;
  leadId?: string | null;
  themes?: readonly string[] | null;
  /** Calendar date (YYYY-MM-DD). */
  deadline?: string | null;
}

/** Designs a new experiment (its Test Card); optionally run within a collaboration or network. */
export type DesignExperiment = DomainCommand<
  'DesignExperiment',
  TestCardInput & { experimentId: string; collaborationId?: string | null; networkId?: string | null }
>;

/**
 * Revises Test Card fields. Absent fields stay as they are; `leadId`/`deadline` null clears them.
 * Only fields that actually change end up in the event.
 */
export type ReviseTestCard = DomainCommand<
  'ReviseTestCard',
  Partial<TestCardInput> & { experimentId: string; reason: string }
>;

export type StartExperiment = DomainCommand<'StartExperiment', { experimentId: string }>;

export type LogStep = DomainCommand<
  'LogStep',
  { experimentId: string; stepId: string; description: string; evidenceUrl?: string | null }
>;

export type RetractStep = DomainCommand<'RetractStep', { experimentId: string; stepId: string; reason: string }>;

export type RecordMeasurement = DomainCommand<
  'RecordMeasurement',
  { experimentId: string; measurementId: string; value: number; unit?: string | null; note?: string | null }
>;

export type RecordLearning = DomainCommand<'RecordLearning', LearningInput & { experimentId: string }>;

export type RetractLearning = DomainCommand<'RetractLearning', RetractLearningInput & { experimentId: string }>;

export type ConcludeExperiment = DomainCommand<
  'ConcludeExperiment',
  { experimentId: string; outcome: ExperimentOutcome; summary: string }
>;

export type AbandonExperiment = DomainCommand<'AbandonExperiment', { experimentId: string; reason: string }>;

/** Every command the experiment decider takes. */
export type ExperimentCommand =
  | DesignExperiment
  | ReviseTestCard
  | StartExperiment
  | LogStep
  | RetractStep
  | RecordMeasurement
  | RecordLearning
  | RetractLearning
  | ConcludeExperiment
  | AbandonExperiment;

export type ExperimentCommandType = ExperimentCommand['type'];
