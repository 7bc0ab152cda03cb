import { COLLABORATION_EVENT_TYPES } from './collaboration/collaboration.events.js';
import { EXPERIMENT_EVENT_TYPES } from './experiment/experiment.events.js';
import { GATHERING_EVENT_TYPES } from './gathering/gathering.events.js';
import { NETWORK_EVENT_TYPES } from './network/network.events.js';
import { ORGANISATION_EVENT_TYPES } from './organisation/organisation.events.js';
import { PERSON_EVENT_TYPES } from './person/person.events.js';
import { USER_EVENT_TYPES } from './user/user.events.js';

/** Every event type of the incubator's work: experiments, organisations, people, collaborations, networks, gatherings. */
export const WORKSPACE_EVENT_TYPES: readonly string[] = [
  ...new Set<string>([
    ...EXPERIMENT_EVENT_TYPES,
    ...ORGANISATION_EVENT_TYPES,
    ...PERSON_EVENT_TYPES,
    ...COLLABORATION_EVENT_TYPES,
    ...NETWORK_EVENT_TYPES,
    ...GATHERING_EVENT_TYPES,
  ]),
];

/** Every event type the domain records: the workspace's and user accounts'. */
export const ALL_EVENT_TYPES: readonly string[] = [...new Set<string>([...WORKSPACE_EVENT_TYPES, ...USER_EVENT_TYPES])];
