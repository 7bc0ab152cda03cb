import type { Entries } from '../shared/entries.js';

/** No GatheringHeld yet. */
export interface GatheringInitial {
  status: 'initial';
}

/** A gathering that took place; insights may be added and retracted at any time afterwards. */
export interface GatheringHeldState {
  status: 'held';
  gatheringId: string;
  insights: Entries;
}

/** A gathering's decision state, discriminated on `status`. */
export type GatheringState = GatheringInitial | GatheringHeldState;
