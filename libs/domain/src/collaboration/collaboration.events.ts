import type { ExperimentAttachedData } from '../shared/attachments.js';
import type { DomainEvent } from '../shared/decider.js';
import { eventTypeList } from '../shared/event-types.js';
import type { LearningRecordedData, LearningRetractedData } from '../shared/learnings.js';
import type { MilestoneAchievedData, MilestoneSetData } from '../shared/milestones.js';

export const INITIATIVE_KINDS = ['eu-project', 'programme', 'other'] as const;
/** What a linked initiative is: an EU project, a programme, or something else. */
export type InitiativeKind = (typeof INITIATIVE_KINDS)[number];

export const INITIATIVE_CONFIDENCES = ['tentative', 'confirmed'] as const;
/** How sure the link between a collaboration and an initiative is. */
export type InitiativeConfidence = (typeof INITIATIVE_CONFIDENCES)[number];

export type CollaborationAgreed = DomainEvent<
  'CollaborationAgreed',
  {
    collaborationId: string;
    title: string;
    partnerOrganisationId: string;
    /** At least one focus theme. */
    themes: string[];
    /** Calendar date (YYYY-MM-DD) of the agreement, if known. */
    agreedOn: string | null;
    description: string | null;
  }
>;
export type PartyJoined = DomainEvent<
  'PartyJoined',
  { collaborationId: string; organisationId: string; role: string | null }
>;
export type ActivityPlanned = DomainEvent<
  'ActivityPlanned',
  {
    collaborationId: string;
    activityId: string;
    title: string;
    description: string | null;
    /** A period such as `2019`, `2019-Q3`, `2019-09` or a date. */
    plannedFor: string | null;
  }
>;
export type ActivityStarted = DomainEvent<'ActivityStarted', { collaborationId: string; activityId: string }>;
export type ActivityCompleted = DomainEvent<
  'ActivityCompleted',
  { collaborationId: string; activityId: string; outcome: string | null }
>;
export type InitiativeLinked = DomainEvent<
  'InitiativeLinked',
  {
    collaborationId: string;
    initiativeId: string;
    name: string;
    kind: InitiativeKind;
    /** Funding programme, e.g. `Horizon 2020`. */
    programme: string | null;
    confidence: InitiativeConfidence;
  }
>;
export type InitiativeLinkConfirmed = DomainEvent<
  'InitiativeLinkConfirmed',
  { collaborationId: string; initiativeId: string }
>;
export type InitiativeLinkDropped = DomainEvent<
  'InitiativeLinkDropped',
  { collaborationId: string; initiativeId: string; reason: string }
>;
export type CollaborationMilestoneSet = DomainEvent<'MilestoneSet', MilestoneSetData<'collaborationId'>>;
export type CollaborationMilestoneAchieved = DomainEvent<'MilestoneAchieved', MilestoneAchievedData<'collaborationId'>>;
/** `retrospective` is true for a learning recorded after the collaboration concluded. */
export type CollaborationLearningRecorded = DomainEvent<'LearningRecorded', LearningRecordedData<'collaborationId'>>;
export type CollaborationLearningRetracted = DomainEvent<'LearningRetracted', LearningRetractedData<'collaborationId'>>;
export type CollaborationExperimentAttached = DomainEvent<'ExperimentAttached', ExperimentAttachedData<'collaborationId'>>;
export type CollaborationConcluded = DomainEvent<'CollaborationConcluded', { collaborationId: string; summary: string }>;

export type CollaborationEvent =
  | CollaborationAgreed
  | PartyJoined
  | ActivityPlanned
  | ActivityStarted
  | ActivityCompleted
  | InitiativeLinked
  | InitiativeLinkConfirmed
  | InitiativeLinkDropped
  | CollaborationMilestoneSet
  | CollaborationMilestoneAchieved
  | CollaborationLearningRecorded
  | CollaborationLearningRetracted
  | CollaborationExperimentAttached
  | CollaborationConcluded;

export type CollaborationEventType = CollaborationEvent['type'];

/** Every collaboration event type name (checked complete at compile time). */
export const COLLABORATION_EVENT_TYPES = eventTypeList<CollaborationEventType>()([
  'CollaborationAgreed',
  'PartyJoined',
  'ActivityPlanned',
  'ActivityStarted',
  'ActivityCompleted',
  'InitiativeLinked',
  'InitiativeLinkConfirmed',
  'InitiativeLinkDropped',
  'MilestoneSet',
  'MilestoneAchieved',
  'LearningRecorded',
  'LearningRetracted',
  'ExperimentAttached',
  'CollaborationConcluded',
]);
