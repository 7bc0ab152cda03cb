import type { DomainEvent } from '../shared/decider.js';
import { eventTypeList } from '../shared/event-types.js';

export const GATHERING_KINDS = ['workshop', 'meeting', 'seminar', 'other'] as const;
/** What sort of gathering it was. */
export type GatheringKind = (typeof GATHERING_KINDS)[number];

export type GatheringHeld = DomainEvent<
  'GatheringHeld',
  {
    gatheringId: string;
    title: string;
    kind: GatheringKind;
    /** Calendar date (YYYY-MM-DD). */
    heldOn: string;
    participantCount: number | null;
    organiserOrganisationId: string | null;
    purpose: string | null;
  }
>;
export type InsightRecorded = DomainEvent<
  'InsightRecorded',
  { gatheringId: string; insightId: string; observation: string; learning: string | null; themes: string[] }
>;
export type InsightRetracted = DomainEvent<'InsightRetracted', { gatheringId: string; insightId: string; reason: string }>;

export type GatheringEvent = GatheringHeld | InsightRecorded | InsightRetracted;
export type GatheringEventType = GatheringEvent['type'];

/** Every gathering event type name (checked complete at compile time). */
export const GATHERING_EVENT_TYPES = eventTypeList<GatheringEventType>()(['GatheringHeld', 'InsightRecorded', 'InsightRetracted']);
