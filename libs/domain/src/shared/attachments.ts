import type { DomainEvent } from './decider.js';
import { DomainError } from './domain-error.js';
import type { OwnerRef } from './owner.js';

/** `ExperimentAttached` data: an experiment run as part of a collaboration or network. */
export type ExperimentAttachedData<Key extends string> = OwnerRef<Key> & { experimentId: string };

/** `ExperimentAttached`: an experiment is attached once (`<prefix>.experiment-already-attached`). */
export function decideExperimentAttached<Key extends string>(
  prefix: string,
  owner: OwnerRef<Key>,
  experimentId: string,
  attached: readonly string[],
): DomainEvent<'ExperimentAttached', ExperimentAttachedData<Key>> {
  if (attached.includes(experimentId)) {
    throw new DomainError(`${prefix}.experiment-already-attached`, `experiment ${experimentId} is already attached`);
  }
  return { type: 'ExperimentAttached', data: { ...owner, experimentId } };
}

export const experimentAttached = (attached: readonly string[], experimentId: string): readonly string[] =>
  attached.includes(experimentId) ? attached : [...attached, experimentId];
