import type { Entries } from '../shared/entries.js';
import type { Milestones } from '../shared/milestones.js';
import type { InitiativeConfidence } from './collaboration.events.js';

/** An activity moves planned → started → completed. */
export type ActivityStatus = 'planned' | 'started' | 'completed';

/** What the decider remembers of an initiative link. */
export interface InitiativeEntry {
  name: string;
  confidence: InitiativeConfidence;
  dropped: boolean;
}

interface CollaborationBase {
  collaborationId: string;
  title: string;
  partnerOrganisationId: string;
  /** Organisations that joined as parties (the partner organisation is a party from the start). */
  partyIds: readonly string[];
  activities: Readonly<Record<string, ActivityStatus>>;
  initiatives: Readonly<Record<string, InitiativeEntry>>;
  milestones: Milestones;
  learnings: Entries;
  experimentIds: readonly string[];
}

/** No CollaborationAgreed yet. */
export interface CollaborationInitial {
  status: 'initial';
}

/** Agreed and under way. */
export interface CollaborationActive extends CollaborationBase {
  status: 'active';
}

/** Concluded: only (retrospective) learnings from here on. */
export interface CollaborationConcludedState extends CollaborationBase {
  status: 'concluded';
  summary: string;
}

/** A collaboration's decision state, discriminated on `status`. */
export type CollaborationState = CollaborationInitial | CollaborationActive | CollaborationConcludedState;
