import { describe, expect, it } from '@jest/globals';
import { given } from '../shared/decider-spec.js';
import { NotFoundError } from '../shared/domain-error.js';
import type { RegisterOrganisation, RenameOrganisation } from './organisation.commands.js';
import { organisationDecider } from './organisation.decider.js';
import { ORGANISATION_EVENT_TYPES, type OrganisationRegistered, type OrganisationRenamed } from './organisation.events.js';

const id = 'org-1';
const at = '2019-01-01T00:00:00.000Z';
const registered: OrganisationRegistered = {
  type: 'OrganisationRegistered',
  data: { organisationId: id, name: 'Oslo kommune', kind: 'municipality' },
};
const renamed: OrganisationRenamed = {
  type: 'OrganisationRenamed',
  data: { organisationId: id, name: 'Oslo kommune, Bymiljøetaten', previousName: 'Oslo kommune' },
};
const register: RegisterOrganisation = {
  type: 'RegisterOrganisation',
  data: { organisationId: id, name: ' Oslo kommune ', kind: 'municipality' },
  occurredAt: at,
};
const rename = (name: string): RenameOrganisation => ({ type: 'RenameOrganisation', data: { organisationId: id, name }, occurredAt: at });

describe('organisation decider', () => {
  describe('initial (no organisation)', () => {
    it('registers an organisation with a trimmed name', () => {
      given(organisationDecider, []).when(register).then([registered]);
    });

    it('refuses a blank name', () => {
      given(organisationDecider, []).when({ ...register, data: { ...register.data, name: '  ' } }).thenThrows('organisation.name-required');
    });

    it('cannot rename what does not exist', () => {
      given(organisationDecider, []).when(rename('X')).thenThrows('organisation.not-found', NotFoundError);
    });
  });

  describe('registered', () => {
    it('refuses registering again', () => {
      given(organisationDecider, [registered]).when(register).thenThrows('organisation.already-exists');
    });

    it('renames, remembering the previous name', () => {
      given(organisationDecider, [registered]).when(rename(' Oslo kommune, Bymiljøetaten')).then([renamed]);
    });

    it('refuses a rename to the same or a blank name', () => {
      given(organisationDecider, [registered]).when(rename('Oslo kommune ')).thenThrows('organisation.name-unchanged');
      given(organisationDecider, [registered]).when(rename('')).thenThrows('organisation.name-required');
    });

    it('compares a rename with the latest name', () => {
      given(organisationDecider, [registered, renamed]).when(rename('Oslo kommune')).then([
        { type: 'OrganisationRenamed', data: { organisationId: id, name: 'Oslo kommune', previousName: 'Oslo kommune, Bymiljøetaten' } },
      ]);
    });
  });

  describe('evolve', () => {
    it('folds registration and renames', () => {
      expect(given(organisationDecider, [registered, renamed]).state()).toEqual({
        status: 'registered',
        organisationId: id,
        name: 'Oslo kommune, Bymiljøetaten',
        kind: 'municipality',
      });
    });

    it('ignores a rename without registration', () => {
      expect(given(organisationDecider, [renamed]).state()).toEqual({ status: 'initial' });
    });

    it('lists every event type', () => {
      expect([...ORGANISATION_EVENT_TYPES].sort()).toEqual(['OrganisationRegistered', 'OrganisationRenamed']);
    });
  });
});
