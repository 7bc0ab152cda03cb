import type { ExperimentAttachedData } from '../shared/attachments.js';
import type { DomainEvent } from '../shared/decider.js';
import { eventTypeList } from '../shared/event-types.js';
import type { LearningRecordedData, LearningRetractedData } from '../shared/learnings.js';
import type { MilestoneAchievedData, MilestoneSetData } from '../shared/milestones.js';

export const NETWORK_KINDS = ['network', 'community'] as const;
/** A network of organisations (e.g. Pådriv) or a community of people. */
export type NetworkKind = (typeof NETWORK_KINDS)[number];

/**
 * How far a city has come in adopting the network's method: inquiry → dialogue → adopted (stages may be
 * skipped, never reversed), or declined at any point; a city that declined may come back at any stage.
 */
export const METHOD_ADOPTION_STAGES = ['inquiry', 'dialogue', 'adopted', 'declined'] as const;
export type MethodAdoptionStage = (typeof METHOD_ADOPTION_STAGES)[number];

export type NetworkFounded = DomainEvent<
  'NetworkFounded',
  {
    networkId: string;
    name: string;
    kind: NetworkKind;
    area: string | null;
    purpose: string | null;
    ledByOrganisationId: string | null;
    /** Calendar date (YYYY-MM-DD) the lead organisation took over, if known. */
    ledSince: string | null;
  }
>;
export type LeadershipChanged = DomainEvent<
  'LeadershipChanged',
  { networkId: string; organisationId: string; since: string; previousOrganisationId: string | null }
>;
export type PartnerJoined = DomainEvent<'PartnerJoined', { networkId: string; organisationId: string }>;
export type PartnerLeft = DomainEvent<'PartnerLeft', { networkId: string; organisationId: string }>;
export type MemberJoined = DomainEvent<'MemberJoined', { networkId: string; personId: string }>;
export type MemberLeft = DomainEvent<'MemberLeft', { networkId: string; personId: string }>;
/** Counts as reported by the network; independent of the partners and members listed one by one. */
export type HeadcountReported = DomainEvent<
  'HeadcountReported',
  { networkId: string; partners: number | null; members: number | null }
>;
export type NetworkMilestoneSet = DomainEvent<'MilestoneSet', MilestoneSetData<'networkId'>>;
export type NetworkMilestoneAchieved = DomainEvent<'MilestoneAchieved', MilestoneAchievedData<'networkId'>>;
/** Networks do not end, so `retrospective` is always false; it keeps the shape shared with other sources. */
export type NetworkLearningRecorded = DomainEvent<'LearningRecorded', LearningRecordedData<'networkId'>>;
export type NetworkLearningRetracted = DomainEvent<'LearningRetracted', LearningRetractedData<'networkId'>>;
export type NetworkExperimentAttached = DomainEvent<'ExperimentAttached', ExperimentAttachedData<'networkId'>>;
export type MethodAdoptionUpdated = DomainEvent<
  'MethodAdoptionUpdated',
  { networkId: string; city: string; stage: MethodAdoptionStage; previousStage: MethodAdoptionStage | null }
>;

export type NetworkEvent =
  | NetworkFounded
  | LeadershipChanged
  | PartnerJoined
  | PartnerLeft
  | MemberJoined
  | MemberLeft
  | HeadcountReported
  | NetworkMilestoneSet
  | NetworkMilestoneAchieved
  | NetworkLearningRecorded
  | NetworkLearningRetracted
  | NetworkExperimentAttached
  | MethodAdoptionUpdated;

export type NetworkEventType = NetworkEvent['type'];

/** Every network event type name (checked complete at compile time). */
export const NETWORK_EVENT_TYPES = eventTypeList<NetworkEventType>()([
  'NetworkFounded',
  'LeadershipChanged',
  'PartnerJoined',
  'PartnerLeft',
  'MemberJoined',
  'MemberLeft',
  'HeadcountReported',
  'MilestoneSet',
  'MilestoneAchieved',
  'LearningRecorded',
  'LearningRetracted',
  'ExperimentAttached',
  'MethodAdoptionUpdated',
]);
