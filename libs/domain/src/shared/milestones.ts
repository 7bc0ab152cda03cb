import type { DomainEvent } from './decider.js';
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

/** `MilestoneSet` for `owner`'s new milestone (`<prefix>.milestone-already-exists`, `.title-required`). */
export function decideMilestoneSet<Key extends string>(
  prefix: string,
  owner: OwnerRef<Key>,
  input: MilestoneInput,
  milestones: Milestones,
): DomainEvent<'MilestoneSet', MilestoneSetData<Key>> {
  requireNewId(prefix, 'milestone', input.milestoneId, milestones);
  const title = requireText(prefix, 'title', input.title);
  return { type: 'MilestoneSet', data: { ...owner, milestoneId: input.milestoneId, title, due: optionalText(input.due) } };
}

/** `MilestoneAchieved`: a milestone is achieved once (`<prefix>.milestone-not-found`, `.milestone-already-achieved`). */
export function decideMilestoneAchieved<Key extends string>(
  prefix: string,
  owner: OwnerRef<Key>,
  milestoneId: string,
  milestones: Milestones,
): DomainEvent<'MilestoneAchieved', MilestoneAchievedData<Key>> {
  if (requireEntry(prefix, 'milestone', milestoneId, milestones).achieved) {
    throw new DomainError(`${prefix}.milestone-already-achieved`, `milestone ${milestoneId} is already achieved`);
  }
  return { type: 'MilestoneAchieved', data: { ...owner, milestoneId } };
}

export const milestoneSet = (milestones: Milestones, milestoneId: string): Milestones => ({
  ...milestones,
  [milestoneId]: { achieved: false },
});

export const milestoneAchieved = (milestones: Milestones, milestoneId: string): Milestones =>
  Object.hasOwn(milestones, milestoneId) ? { ...milestones, [milestoneId]: { achieved: true } } : milestones;
