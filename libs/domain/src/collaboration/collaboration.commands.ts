import type { DomainCommand } from '../shared/decider.js';
import type { LearningInput, RetractLearningInput } from '../shared/learnings.js';
import type { MilestoneInput } from '../shared/milestones.js';
import type { InitiativeConfidence, InitiativeKind } from './collaboration.events.js';

export type AgreeCollaboration = DomainCommand<
  'AgreeCollaboration',
  {
    collaborationId: string;
    title: string;
    partnerOrganisationId: string;
    themes: readonly string[];
    agreedOn?: string | null;
    description?: string | null;
  }
>;
export type JoinParty = DomainCommand<
  'JoinParty',
  { collaborationId: string; organisationId: string; role?: string | null }
>;
export type PlanActivity = DomainCommand<
  'PlanActivity',
  { collaborationId: string; activityId: string; title: string; description?: string | null; plannedFor?: string | null }
>;
export type StartActivity = DomainCommand<'StartActivity', { collaborationId: string; activityId: string }>;
export type CompleteActivity = DomainCommand<
  'CompleteActivity',
  { collaborationId: string; activityId: string; outcome?: string | null }
>;
export type LinkInitiative = DomainCommand<
  'LinkInitiative',
  {
    collaborationId: string;
    initiativeId: string;
    name: string;
    kind: InitiativeKind;
    programme?: string | null;
    confidence: InitiativeConfidence;
  }
>;
export type ConfirmInitiativeLink = DomainCommand<
  'ConfirmInitiativeLink',
  { collaborationId: string; initiativeId: string }
>;
export type DropInitiativeLink = DomainCommand<
  'DropInitiativeLink',
  { collaborationId: string; initiativeId: string; reason: string }
>;
export type SetCollaborationMilestone = DomainCommand<
  'SetCollaborationMilestone',
  MilestoneInput & { collaborationId: string }
>;
export type AchieveCollaborationMilestone = DomainCommand<
  'AchieveCollaborationMilestone',
  { collaborationId: string; milestoneId: string }
>;
export type RecordCollaborationLearning = DomainCommand<
  'RecordCollaborationLearning',
  LearningInput & { collaborationId: string }
>;
export type RetractCollaborationLearning = DomainCommand<
  'RetractCollaborationLearning',
  RetractLearningInput & { collaborationId: string }
>;
export type AttachExperimentToCollaboration = DomainCommand<
  'AttachExperimentToCollaboration',
  { collaborationId: string; experimentId: string }
>;
export type ConcludeCollaboration = DomainCommand<
  'ConcludeCollaboration',
  { collaborationId: string; summary: string }
>;

/** Every command the collaboration decider takes. */
export type CollaborationCommand =
  | AgreeCollaboration
  | JoinParty
  | PlanActivity
  | StartActivity
  | CompleteActivity
  | LinkInitiative
  | ConfirmInitiativeLink
  | DropInitiativeLink
  | SetCollaborationMilestone
  | AchieveCollaborationMilestone
  | RecordCollaborationLearning
  | RetractCollaborationLearning
  | AttachExperimentToCollaboration
  | ConcludeCollaboration;

export type CollaborationCommandType = CollaborationCommand['type'];
