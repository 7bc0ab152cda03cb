import type { OrganisationKind } from './organisation.events.js';

/** No OrganisationRegistered yet. */
export interface OrganisationInitial {
  status: 'initial';
}

/** A known organisation. */
export interface OrganisationRegisteredState {
  status: 'registered';
  organisationId: string;
  name: string;
  kind: OrganisationKind;
}

/** An organisation's decision state, discriminated on `status`. */
export type OrganisationState = OrganisationInitial | OrganisationRegisteredState;
