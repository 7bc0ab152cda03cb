import { DomainError } from './domain-error.js';
import { requireEntry, requireNewId } from './entries.js';
import { optionalText, requireText } from './guards.js';
import type { OwnerRef } from './owner.js';

/** Command data for setting a milestone on a collaboration or network. */
export interface MilestoneInput {
  milestoneId: string;
  title: string;
  /** Calendar date (YYYY-MM-DD) the milestone is due, if any. */
  due?: string | null;
}

/** What the deciders remember of a milestone. */
export interface MilestoneEntry {
  achieved: boolean;
}

export type Milestones = Readonly<Record<string, MilestoneEntry>>;

/** `MilestoneSet` data. */
export type MilestoneSetData<Key extends string> = OwnerRef<Key> & { milestoneId: string; title: string; due: string | null };

/** `MilestoneAchieved` data. */
export type MilestoneAchievedData<Key extends string> = OwnerRef<Key> & { milestoneId: string };

/** Checks a new milestone (`<prefix>.milestone-already-exists`, `.title-required`). */
export function decideMilestone(
  prefix: string,
  input: MilestoneInput,
  milestones: Milestones,
): { milestoneId: string; title: string; due: string | null } {
  requireNewId(prefix, 'milestone', input.milestoneId, milestones);
  return { milestoneId: input.milestoneId, title: requireText(prefix, 'title', input.title), due: optionalText(input.due) };
}

/** A milestone is achieved once (`<prefix>.milestone-not-found`, `.milestone-already-achieved`). */
export function decideMilestoneAchievement(prefix: string, milestoneId: string, milestones: Milestones): void {
  if (requireEntry(prefix, 'milestone', milestoneId, milestones).achieved) {
    throw new DomainError(`${prefix}.milestone-already-achieved`, `milestone ${milestoneId} is already achieved`);
  }
}

export const milestoneSet = (milestones: Milestones, milestoneId: string): Milestones => ({
  ...milestones,
  [milestoneId]: { achieved: false },
});

export const milestoneAchieved = (milestones: Milestones, milestoneId: string): Milestones =>
  Object.hasOwn(milestones, milestoneId) ? { ...milestones, [milestoneId]: { achieved: true } } : milestones;
