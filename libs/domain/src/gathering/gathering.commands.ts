import type { DomainCommand } from '../shared/decider.js';
import type { GatheringKind } from './gathering.events.js';

/** Records a workshop or meeting that took place (e.g. 15 "public heroes" on 2019-03-14). */
export type HoldGathering = DomainCommand<
  'HoldGathering',
  {
    gatheringId: string;
    title: string;
    kind: GatheringKind;
    heldOn: string;
    participantCount?: number | null;
    organiserOrganisationId?: string | null;
    purpose?: string | null;
  }
>;
export type RecordInsight = DomainCommand<
  'RecordInsight',
  { gatheringId: string; insightId: string; observation: string; learning?: string | null; themes?: readonly string[] | null }
>;
export type RetractInsight = DomainCommand<'RetractInsight', { gatheringId: string; insightId: string; reason: string }>;

/** Every command the gathering decider takes. */
export type GatheringCommand = HoldGathering | RecordInsight | RetractInsight;
export type GatheringCommandType = GatheringCommand['type'];
