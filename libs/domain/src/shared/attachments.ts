import { DomainError } from './domain-error.js';
import type { OwnerRef } from './owner.js';

/** `ExperimentAttached` data: an experiment run as part of a collaboration or network. */
export type ExperimentAttachedData<Key extends string> = OwnerRef<Key> & { experimentId: string };

/** An experiment is attached once (`<prefix>.experiment-already-attached`). */
export function decideAttachment(prefix: string, experimentId: string, attached: readonly string[]): void {
  if (attached.includes(experimentId)) {
    throw new DomainError(`${prefix}.experiment-already-attached`, `experiment ${experimentId} is already attached`);
  }
}

export const experimentAttached = (attached: readonly string[], experimentId: string): readonly string[] =>
  attached.includes(experimentId) ? attached : [...attached, experimentId];
