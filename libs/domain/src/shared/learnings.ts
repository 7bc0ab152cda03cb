import type { DomainEvent } from './decider.js';
import { addEntry, requireNewId, requireRetractable, retractEntry, type Entries } from './entries.js';
import { normaliseThemes, requireText } from './guards.js';
import type { OwnerRef } from './owner.js';
import type { LearningCard, LearningDecision, Reliability } from './values.js';

/** Command data for recording a Learning Card on an experiment, collaboration or network. */
export interface LearningInput {
  learningId: string;
  observation: string;
  learning: string;
  decision: LearningDecision;
  reliability: Reliability;
  themes?: readonly string[] | null;
}

/** Command data for retracting a learning. */
export interface RetractLearningInput {
  learningId: string;
  reason: string;
}

/** `LearningRecorded` data: the card, the owner's id, and whether it came after the owner ended. */
export type LearningRecordedData<Key extends string> = LearningCard & OwnerRef<Key> & { retrospective: boolean };

/** `LearningRetracted` data. */
export type LearningRetractedData<Key extends string> = OwnerRef<Key> & { learningId: string; reason: string };

/**
 * `LearningRecorded` for `owner`'s new Learning Card (`<prefix>.learning-already-exists`, `.observation-required`,
 * `.learning-required`); `retrospective` when it comes after the owner ended.
 */
export function decideLearningRecorded<Key extends string>(
  prefix: string,
  owner: OwnerRef<Key>,
  input: LearningInput,
  learnings: Entries,
  retrospective: boolean,
): DomainEvent<'LearningRecorded', LearningRecordedData<Key>> {
  requireNewId(prefix, 'learning', input.learningId, learnings);
  const card: LearningCard = {
    learningId: input.learningId,
    observation: requireText(prefix, 'observation', input.observation),
    learning: requireText(prefix, 'learning', input.learning),
    decision: input.decision,
    reliability: input.reliability,
    themes: normaliseThemes(input.themes),
  };
  return { type: 'LearningRecorded', data: { ...owner, ...card, retrospective } };
}

/** `LearningRetracted` (`<prefix>.learning-not-found`, `.learning-already-retracted`, `.reason-required`). */
export function decideLearningRetracted<Key extends string>(
  prefix: string,
  owner: OwnerRef<Key>,
  input: RetractLearningInput,
  learnings: Entries,
): DomainEvent<'LearningRetracted', LearningRetractedData<Key>> {
  requireRetractable(prefix, 'learning', input.learningId, learnings);
  const reason = requireText(prefix, 'reason', input.reason);
  return { type: 'LearningRetracted', data: { ...owner, learningId: input.learningId, reason } };
}

export const learningRecorded = (learnings: Entries, learningId: string): Entries => addEntry(learnings, learningId);
export const learningRetracted = (learnings: Entries, learningId: string): Entries => retractEntry(learnings, learningId);
