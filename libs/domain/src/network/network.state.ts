import type { Entries } from '../shared/entries.js';
import type { Milestones } from '../shared/milestones.js';
import type { MethodAdoptionStage } from './network.events.js';

/** A city's method adoption, keyed in state by the lower-cased city name. */
export interface MethodAdoptionEntry {
  /** The spelling first recorded. */
  city: string;
  stage: MethodAdoptionStage;
}

/** No NetworkFounded yet. */
export interface NetworkInitial {
  status: 'initial';
}

/** A founded network (networks have no end state). */
export interface NetworkActive {
  status: 'active';
  networkId: string;
  name: string;
  ledByOrganisationId: string | null;
  ledSince: string | null;
  partnerIds: readonly string[];
  memberIds: readonly string[];
  milestones: Milestones;
  learnings: Entries;
  experimentIds: readonly string[];
  adoptions: Readonly<Record<string, MethodAdoptionEntry>>;
}

/** A network's decision state, discriminated on `status`. */
export type NetworkState = NetworkInitial | NetworkActive;
