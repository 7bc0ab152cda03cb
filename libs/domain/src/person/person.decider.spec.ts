import { describe, expect, it } from '@jest/globals';
import { given } from '../shared/decider-spec.js';
import { NotFoundError } from '../shared/domain-error.js';
import type { PersonCommand } from './person.commands.js';
import { personDecider } from './person.decider.js';
import {
  PERSON_EVENT_TYPES,
  PERSONAL_DATA_EVENT_TYPES,
  type PersonDetailsRevised,
  type PersonEvent,
  type PersonForgotten,
  type PersonRegistered,
  type RoleAssumed,
  type RoleEnded,
} from './person.events.js';

const id = 'person-1';
const AT = '2019-03-01T10:00:00.000Z';

type Cmd<T extends PersonCommand['type']> = Extract<PersonCommand, { type: T }>;
const cmd = <T extends PersonCommand['type']>(type: T, data: Cmd<T>['data']): Cmd<T> => ({ type, data, occurredAt: AT }) as Cmd<T>;

const registered: PersonRegistered = {
  type: 'PersonRegistered',
  data: { personId: id, personal: { name: 'Kari Nordmann', background: null } },
};
const revised: PersonDetailsRevised = {
  type: 'PersonDetailsRevised',
  data: { personId: id, personal: { background: 'Urban planner' } },
};
const roleAssumed: RoleAssumed = {
  type: 'RoleAssumed',
  data: {
    personId: id,
    roleId: 'role-1',
    organisationId: 'org-1',
    from: '2019-01-01',
    personal: { title: 'Project lead', responsibility: null },
  },
};
const roleEnded: RoleEnded = { type: 'RoleEnded', data: { personId: id, roleId: 'role-1', to: '2020-12-31' } };
const forgotten: PersonForgotten = { type: 'PersonForgotten', data: { personId: id, reason: 'Asked to be forgotten' } };

const register = cmd('RegisterPerson', { personId: id, name: ' Kari Nordmann ' });
const revise = cmd('RevisePersonDetails', { personId: id, background: 'Urban planner' });
const assumeRole = cmd('AssumeRole', {
  personId: id,
  roleId: 'role-2',
  organisationId: 'org-2',
  title: ' Adviser ',
  responsibility: ' Mobility ',
  from: '2020-01-01',
});
const endRole = cmd('EndRole', { personId: id, roleId: 'role-1', to: '2020-12-31' });
const forget = cmd('ForgetPerson', { personId: id, reason: 'Asked to be forgotten' });

describe('person decider', () => {
  describe('initial (no person)', () => {
    it('registers a person; personal data sits under data.personal', () => {
      given(personDecider, []).when(register).then([registered]);
      given(personDecider, [])
        .when(cmd('RegisterPerson', { personId: id, name: 'Kari Nordmann', background: ' Planner ' }))
        .then([{ type: 'PersonRegistered', data: { personId: id, personal: { name: 'Kari Nordmann', background: 'Planner' } } }]);
    });

    it('refuses a blank name', () => {
      given(personDecider, []).when(cmd('RegisterPerson', { personId: id, name: ' ' })).thenThrows('person.name-required');
    });

    it.each([revise, assumeRole, endRole, forget])('refuses $type on an unknown person as not found', (command) => {
      given(personDecider, []).when(command).thenThrows('person.not-found', NotFoundError);
    });
  });

  describe('registered', () => {
    const history: PersonEvent[] = [registered, roleAssumed];

    it('refuses registering again', () => {
      given(personDecider, history).when(register).thenThrows('person.already-exists');
    });

    it('revises only the personal fields that change', () => {
      given(personDecider, history).when(revise).then([revised]);
      given(personDecider, history)
        .when(cmd('RevisePersonDetails', { personId: id, name: 'Kari Nordmann', background: 'Urban planner' }))
        .then([revised]);
      given(personDecider, history)
        .when(cmd('RevisePersonDetails', { personId: id, name: 'Kari N. Hansen' }))
        .then([{ type: 'PersonDetailsRevised', data: { personId: id, personal: { name: 'Kari N. Hansen' } } }]);
    });

    it('clears the background with null or blank', () => {
      for (const background of [null, '  ']) {
        given(personDecider, [...history, revised])
          .when(cmd('RevisePersonDetails', { personId: id, background }))
          .then([{ type: 'PersonDetailsRevised', data: { personId: id, personal: { background: null } } }]);
      }
    });

    it('refuses a revision that changes nothing or blanks the name', () => {
      given(personDecider, history).when(cmd('RevisePersonDetails', { personId: id })).thenThrows('person.no-changes');
      given(personDecider, history)
        .when(cmd('RevisePersonDetails', { personId: id, name: 'Kari Nordmann', background: null }))
        .thenThrows('person.no-changes');
      given(personDecider, history).when(cmd('RevisePersonDetails', { personId: id, name: '' })).thenThrows('person.name-required');
    });

    it('assumes a role; title and responsibility are personal data', () => {
      given(personDecider, history)
        .when(assumeRole)
        .then([
          {
            type: 'RoleAssumed',
            data: {
              personId: id,
              roleId: 'role-2',
              organisationId: 'org-2',
              from: '2020-01-01',
              personal: { title: 'Adviser', responsibility: 'Mobility' },
            },
          },
        ]);
    });

    it('refuses a role with a used id, without title or without start', () => {
      given(personDecider, history).when(cmd('AssumeRole', { ...assumeRole.data, roleId: 'role-1' })).thenThrows('person.role-already-exists');
      given(personDecider, history).when(cmd('AssumeRole', { ...assumeRole.data, title: '' })).thenThrows('person.title-required');
      given(personDecider, history).when(cmd('AssumeRole', { ...assumeRole.data, from: '' })).thenThrows('person.from-required');
    });

    it('ends a role on or after its start', () => {
      given(personDecider, history).when(endRole).then([roleEnded]);
      given(personDecider, history)
        .when(cmd('EndRole', { ...endRole.data, to: '2019-01-01' }))
        .then([{ type: 'RoleEnded', data: { personId: id, roleId: 'role-1', to: '2019-01-01' } }]);
    });

    it('refuses ending a role before it began, twice, unknown or without a date', () => {
      given(personDecider, history).when(cmd('EndRole', { ...endRole.data, to: '2018-12-31' })).thenThrows('person.role-ends-before-start');
      given(personDecider, [...history, roleEnded]).when(endRole).thenThrows('person.role-already-ended');
      given(personDecider, history).when(cmd('EndRole', { ...endRole.data, roleId: 'nope' })).thenThrows('person.role-not-found');
      given(personDecider, history).when(cmd('EndRole', { ...endRole.data, to: ' ' })).thenThrows('person.to-required');
    });

    it('forgets a person for a reason that does not name them', () => {
      given(personDecider, history).when(forget).then([forgotten]);
      given(personDecider, history).when(cmd('ForgetPerson', { personId: id, reason: '' })).thenThrows('person.reason-required');
      for (const reason of ['Kari asked us to', 'Request from NORDMANN by e-mail']) {
        given(personDecider, history)
          .when(cmd('ForgetPerson', { personId: id, reason }))
          .thenThrows('person.reason-contains-personal-data');
      }
    });

    it('does not mistake words that merely contain a name part for the name', () => {
      given(personDecider, history)
        .when(cmd('ForgetPerson', { personId: id, reason: 'Karisma workshop data request' }))
        .then([{ type: 'PersonForgotten', data: { personId: id, reason: 'Karisma workshop data request' } }]);
    });
  });

  describe('forgotten', () => {
    const history: PersonEvent[] = [registered, roleAssumed, forgotten];

    it.each([register, revise, assumeRole, endRole])('refuses $type', (command) => {
      given(personDecider, history).when(command).thenThrows('person.forgotten');
    });

    it('refuses to forget twice, naming the rule', () => {
      given(personDecider, history).when(forget).thenThrows('person.already-forgotten');
    });
  });

  describe('evolve', () => {
    it('folds details and roles', () => {
      expect(given(personDecider, [registered, revised, roleAssumed, roleEnded]).state()).toEqual({
        status: 'registered',
        personId: id,
        personal: { name: 'Kari Nordmann', background: 'Urban planner' },
        roles: { 'role-1': { organisationId: 'org-1', from: '2019-01-01', to: '2020-12-31' } },
      });
    });

    it('keeps nothing personal once forgotten, even when the personal data was redacted', () => {
      const redacted = { ...registered, data: { personId: id, personal: null } } as unknown as PersonEvent;
      expect(given(personDecider, [redacted, revised, roleAssumed, forgotten]).state()).toEqual({ status: 'forgotten', personId: id });
    });

    it('lists every event type and those carrying personal data', () => {
      expect([...PERSON_EVENT_TYPES].sort()).toEqual(['PersonDetailsRevised', 'PersonForgotten', 'PersonRegistered', 'RoleAssumed', 'RoleEnded']);
      for (const event of [registered, revised, roleAssumed, roleEnded, forgotten]) {
        expect((PERSONAL_DATA_EVENT_TYPES as readonly string[]).includes(event.type)).toBe('personal' in event.data);
      }
    });
  });
});
