import type { Entries } from '../shared/entries.js';
import type { ExperimentOutcome, TestCard } from './experiment.events.js';

/** What every existing experiment remembers. Steps, measurements and learnings stay empty until it runs. */
interface ExperimentBase {
  experimentId: string;
  card: TestCard;
  collaborationId: string | null;
  networkId: string | null;
  steps: Entries;
  measurementIds: readonly string[];
  learnings: Entries;
}

/** No ExperimentDesigned yet. */
export interface ExperimentInitial {
  status: 'initial';
}

/** Test Card written, not started. */
export interface ExperimentDesignedState extends ExperimentBase {
  status: 'designed';
}

/** Testing under way since `startedAt` (business time, ISO 8601 UTC). */
export interface ExperimentRunning extends ExperimentBase {
  status: 'running';
  startedAt: string;
}

/** Ended with an outcome. */
export interface ExperimentConcludedState extends ExperimentBase {
  status: 'concluded';
  startedAt: string;
  outcome: ExperimentOutcome;
  summary: string;
}

/** Stopped without an outcome, from design (`startedAt` null) or while running. */
export interface ExperimentAbandonedState extends ExperimentBase {
  status: 'abandoned';
  startedAt: string | null;
  reason: string;
}

/** An experiment's decision state, discriminated on `status`. */
export type ExperimentState =
  | ExperimentInitial
  | ExperimentDesignedState
  | ExperimentRunning
  | ExperimentConcludedState
  | ExperimentAbandonedState;

export type ExperimentStatus = ExperimentState['status'];

/** An experiment that exists. */
export type ExistingExperiment = Exclude<ExperimentState, ExperimentInitial>;
