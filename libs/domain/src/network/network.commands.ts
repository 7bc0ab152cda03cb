import type { DomainCommand } from '../shared/decider.js';
import type { LearningInput, RetractLearningInput } from '../shared/learnings.js';
import type { MilestoneInput } from '../shared/milestones.js';
import type { MethodAdoptionStage, NetworkKind } from './network.events.js';

export type FoundNetwork = DomainCommand<
  'FoundNetwork',
  {
    networkId: string;
    name: string;
    kind: NetworkKind;
    area?: string | null;
    purpose?: string | null;
    ledByOrganisationId?: string | null;
    ledSince?: string | null;
  }
>;
export type ChangeLeadership = DomainCommand<
  'ChangeLeadership',
  { networkId: string; organisationId: string; since: string }
>;
export type JoinAsPartner = DomainCommand<'JoinAsPartner', { networkId: string; organisationId: string }>;
export type LeaveAsPartner = DomainCommand<'LeaveAsPartner', { networkId: string; organisationId: string }>;
export type JoinAsMember = DomainCommand<'JoinAsMember', { networkId: string; personId: string }>;
export type LeaveAsMember = DomainCommand<'LeaveAsMember', { networkId: string; personId: string }>;
export type ReportHeadcount = DomainCommand<
  'ReportHeadcount',
  { networkId: string; partners?: number | null; members?: number | null }
>;
export type SetNetworkMilestone = DomainCommand<'SetNetworkMilestone', MilestoneInput & { networkId: string }>;
export type AchieveNetworkMilestone = DomainCommand<
  'AchieveNetworkMilestone',
  { networkId: string; milestoneId: string }
>;
export type RecordNetworkLearning = DomainCommand<'RecordNetworkLearning', LearningInput & { networkId: string }>;
export type RetractNetworkLearning = DomainCommand<
  'RetractNetworkLearning',
  RetractLearningInput & { networkId: string }
>;
export type AttachExperimentToNetwork = DomainCommand<
  'AttachExperimentToNetwork',
  { networkId: string; experimentId: string }
>;
export type UpdateMethodAdoption = DomainCommand<
  'UpdateMethodAdoption',
  { networkId: string; city: string; stage: MethodAdoptionStage }
>;

/** Every command the network decider takes. */
export type NetworkCommand =
  | FoundNetwork
  | ChangeLeadership
  | JoinAsPartner
  | LeaveAsPartner
  | JoinAsMember
  | LeaveAsMember
  | ReportHeadcount
  | SetNetworkMilestone
  | AchieveNetworkMilestone
  | RecordNetworkLearning
  | RetractNetworkLearning
  | AttachExperimentToNetwork
  | UpdateMethodAdoption;

export type NetworkCommandType = NetworkCommand['type'];
