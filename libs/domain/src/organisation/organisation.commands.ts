import type { DomainCommand } from '../shared/decider.js';
import type { OrganisationKind } from './organisation.events.js';

export type RegisterOrganisation = DomainCommand<
  'RegisterOrganisation',
  { organisationId: string; name: string; kind: OrganisationKind }
>;
export type RenameOrganisation = DomainCommand<'RenameOrganisation', { organisationId: string; name: string }>;

/** Every command the organisation decider takes. */
export type OrganisationCommand = RegisterOrganisation | RenameOrganisation;
export type OrganisationCommandType = OrganisationCommand['type'];
