import { describe, expect, it } from '@jest/globals';
import { classifyEventType, PERSONAL_DATA } from '../shared/personal-data-registry.js';
import { dataSubjectName, valueAtPath, withValueAtPath } from '../shared/personal-data.js';
import { NETWORK_EVENT_TYPES } from '../network/network.events.js';
import { USER_EVENT_TYPES } from '../user/user.events.js';
import { PERSON_EVENT_TYPES, PERSONAL_DATA_EVENT_TYPES } from './person.events.js';

describe('personal-data registry', () => {
  it('declares every person event with data.personal, network memberships and the user registration', () => {
    expect(Object.keys(PERSONAL_DATA).sort()).toEqual(
      [...PERSONAL_DATA_EVENT_TYPES, 'MemberJoined', 'MemberLeft', 'UserRegistered'].sort(),
    );
    for (const type of PERSONAL_DATA_EVENT_TYPES) {
      expect(PERSONAL_DATA[type]).toEqual({ subjectKind: 'person', subject: 'personId', fields: ['personal'] });
    }
    expect(PERSONAL_DATA.MemberJoined).toEqual({ subjectKind: 'person', subject: 'personId', fields: ['personId'] });
    expect(PERSONAL_DATA.UserRegistered).toEqual({ subjectKind: 'user', subject: 'userId', fields: ['personal'] });
  });

  it('only names event types of the domain', () => {
    const known = new Set<string>([...PERSON_EVENT_TYPES, ...NETWORK_EVENT_TYPES, ...USER_EVENT_TYPES]);
    for (const type of Object.keys(PERSONAL_DATA)) expect(known.has(type)).toBe(true);
  });

  it('classifies event types for retention; the forgetting itself holds no personal data', () => {
    expect(classifyEventType('PersonRegistered')).toBe('personal');
    expect(classifyEventType('MemberJoined')).toBe('personal');
    expect(classifyEventType('UserRegistered')).toBe('personal');
    expect(classifyEventType('ExperimentDesigned')).toBe('person-reference');
    expect(classifyEventType('PersonForgotten')).toBe('operational');
    expect(classifyEventType('OrganisationRegistered')).toBe('operational');
  });

  it('reads and replaces values at dotted paths without touching the original', () => {
    const data = { personId: 'p1', personal: { name: 'Kari', nested: { a: 1 } }, list: [1] };
    expect(valueAtPath(data, 'personal.name')).toBe('Kari');
    expect(valueAtPath(data, 'personal.missing')).toBeUndefined();
    expect(valueAtPath(data, 'list.0')).toBeUndefined();
    expect(valueAtPath(null, 'x')).toBeUndefined();
    const replaced = withValueAtPath(data, 'personal.nested', null);
    expect(replaced).toEqual({ personId: 'p1', personal: { name: 'Kari', nested: null }, list: [1] });
    expect(data.personal.nested).toEqual({ a: 1 });
    expect(replaced.list).toBe(data.list);
    expect(withValueAtPath(data, 'absent.path', 1)).toBe(data);
    expect(dataSubjectName('person', 'p1')).toBe('person-p1');
  });
});
