import type { DomainEvent } from '../shared/decider.js';
import { eventTypeList } from '../shared/event-types.js';

export const ORGANISATION_KINDS = ['municipality', 'public-agency', 'company', 'ngo', 'research', 'network', 'other'] as const;
/** What sort of organisation a partner is. */
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export type OrganisationRegistered = DomainEvent<
  'OrganisationRegistered',
  { organisationId: string; name: string; kind: OrganisationKind }
>;
/** `previousName` lets timelines say "renamed from … to …" without reading back. */
export type OrganisationRenamed = DomainEvent<
  'OrganisationRenamed',
  { organisationId: string; name: string; previousName: string }
>;

export type OrganisationEvent = OrganisationRegistered | OrganisationRenamed;
export type OrganisationEventType = OrganisationEvent['type'];

/** Every organisation event type name (checked complete at compile time). */
export const ORGANISATION_EVENT_TYPES = eventTypeList<OrganisationEventType>()(['OrganisationRegistered', 'OrganisationRenamed']);
