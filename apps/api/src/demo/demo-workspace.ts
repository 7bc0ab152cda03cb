import { v5 as uuidv5 } from 'uuid';
import type {
  CollaborationCommand,
  GatheringCommand,
  NetworkCommand,
  OrganisationCommand,
  PersonCommand,
  StreamCategory,
} from '#domain';

/**
 * The demo workspace: what an article by the social-innovation incubator SoCentral (Oslo, late 2018) tells,
 * as the commands that record it. Only the article's facts: where it gives no detail, the field is left out.
 *
 * Dates: the article dates most of what it reports only to "late 2018"; those records use 2018-11-01 as
 * business time. Bare dates mean 00:00 Europe/Oslo, as in the API.
 */

/** Namespace of every demo id (UUIDv5): fixed, so the demo is the same on every machine. */
export const DEMO_NAMESPACE = '47db5b79-155e-4978-9bd3-3bb8b3a16b6b';

/** A deterministic id for a named demo item. */
export function demoId(name: string): string {
  return uuidv5(name, DEMO_NAMESPACE);
}

/** Ids of the demo's entities and of the items they hold. */
export const DEMO_IDS = {
  socentral: demoId('organisation/socentral'),
  trondheimKommune: demoId('organisation/trondheim-kommune'),
  padriv: demoId('network/padriv'),
  padrivLegalEntity: demoId('network/padriv/milestone/legal-entity'),
  padrivGovernanceLearning: demoId('network/padriv/learning/formal-governance'),
  padrivMethodInterestLearning: demoId('network/padriv/learning/method-interest'),
  socentralCommunity: demoId('network/socentral-community'),
  trondheimCollaboration: demoId('collaboration/socentral-trondheim-kommune'),
  greenLivingActivity: demoId('collaboration/socentral-trondheim-kommune/activity/green-living'),
  cityxChange: demoId('collaboration/socentral-trondheim-kommune/initiative/cityxchange'),
  publicHeroes: demoId('gathering/public-heroes'),
  publicHeroesBarriers: demoId('gathering/public-heroes/insight/barriers'),
  karinLindgard: demoId('person/karin-lindgard'),
  karinPartnerRole: demoId('person/karin-lindgard/role/socentral-partner'),
} as const;

/** "Late 2018": the article's only date for most of what it reports. */
const LATE_2018 = '2018-11-01';

/** A domain command without its business time, which the step carries. */
type Timeless<C> = C extends unknown ? Omit<C, 'occurredAt'> : never;

interface Step<Category extends StreamCategory, Command> {
  aggregate: Category;
  /** The aggregate's id (its stream is `<aggregate>-<id>`). */
  id: string;
  /** Business time: a date (00:00 Europe/Oslo) or an ISO 8601 date-time with offset. */
  occurredAt: string;
  command: Timeless<Command>;
}

/** One command of the demo, addressed to one aggregate. */
export type DemoStep =
  | Step<'organisation', OrganisationCommand>
  | Step<'person', PersonCommand>
  | Step<'collaboration', CollaborationCommand>
  | Step<'network', NetworkCommand>
  | Step<'gathering', GatheringCommand>;

const organisation = (occurredAt: string, command: Timeless<OrganisationCommand>): DemoStep => ({
  aggregate: 'organisation',
  id: command.data.organisationId,
  occurredAt,
  command,
});
const person = (occurredAt: string, command: Timeless<PersonCommand>): DemoStep => ({
  aggregate: 'person',
  id: command.data.personId,
  occurredAt,
  command,
});
const collaboration = (occurredAt: string, command: Timeless<CollaborationCommand>): DemoStep => ({
  aggregate: 'collaboration',
  id: command.data.collaborationId,
  occurredAt,
  command,
});
const network = (occurredAt: string, command: Timeless<NetworkCommand>): DemoStep => ({
  aggregate: 'network',
  id: command.data.networkId,
  occurredAt,
  command,
});
const gathering = (occurredAt: string, command: Timeless<GatheringCommand>): DemoStep => ({
  aggregate: 'gathering',
  id: command.data.gatheringId,
  occurredAt,
  command,
});

const ids = DEMO_IDS;

/** The demo, in the order it is loaded (roughly by business time). The first step guards against a double load. */
export const DEMO_STEPS: readonly DemoStep[] = [
  // Registered as of March 2017, the earliest date the article ties to SoCentral (it took the lead of Pådriv).
  organisation('2017-03-01', {
    type: 'RegisterOrganisation',
    data: { organisationId: ids.socentral, name: 'SoCentral', kind: 'other' },
  }),
  // The article does not date Pådriv's founding: the record starts when SoCentral took the lead.
  network('2017-03-01', {
    type: 'FoundNetwork',
    data: {
      networkId: ids.padriv,
      name: 'Pådriv',
      kind: 'network',
      area: 'Hovinbyen, Oslo',
      purpose: 'Sustainable development of Hovinbyen in Oslo',
      ledByOrganisationId: ids.socentral,
      ledSince: '2017-03-01',
    },
  }),
  organisation(LATE_2018, {
    type: 'RegisterOrganisation',
    data: { organisationId: ids.trondheimKommune, name: 'Trondheim kommune', kind: 'municipality' },
  }),
  network(LATE_2018, {
    type: 'FoundNetwork',
    data: {
      networkId: ids.socentralCommunity,
      name: 'SoCentral community',
      kind: 'community',
      purpose: 'The community of SoCentral, a social-innovation incubator in Oslo: more than 230 members in late 2018',
      ledByOrganisationId: ids.socentral,
    },
  }),
  // "More than 230": the headcount records the lower bound the article gives.
  network(LATE_2018, { type: 'ReportHeadcount', data: { networkId: ids.socentralCommunity, members: 230 } }),
  network(LATE_2018, { type: 'ReportHeadcount', data: { networkId: ids.padriv, partners: 38, members: 142 } }),
  // The article plans this "in 2019"; a due date must be a day, so it is the last day of 2019.
  network(LATE_2018, {
    type: 'SetNetworkMilestone',
    data: { networkId: ids.padriv, milestoneId: ids.padrivLegalEntity, title: 'Established as a legal entity', due: '2019-12-31' },
  }),
  network(LATE_2018, {
    type: 'RecordNetworkLearning',
    data: {
      networkId: ids.padriv,
      learningId: ids.padrivGovernanceLearning,
      observation: 'Pådriv, led by SoCentral since March 2017, has 38 partners and 142 people',
      learning: 'Pådriv is now mature for a firmer, more formal governance',
      decision: 'persevere',
      reliability: 'medium',
    },
  }),
  // The article names no cities, so this is a learning rather than method adoption inquiries.
  network(LATE_2018, {
    type: 'RecordNetworkLearning',
    data: {
      networkId: ids.padriv,
      learningId: ids.padrivMethodInterestLearning,
      observation: 'Other cities show interest in the method of Pådriv',
      learning: 'The method of Pådriv draws interest beyond Oslo',
      decision: 'continue-testing',
      reliability: 'low',
    },
  }),
  // The article dates the collaboration only to late 2018, so `agreedOn` stays unknown.
  collaboration(LATE_2018, {
    type: 'AgreeCollaboration',
    data: {
      collaborationId: ids.trondheimCollaboration,
      title: 'SoCentral and Trondheim kommune',
      partnerOrganisationId: ids.trondheimKommune,
      themes: ['sustainable urban development', 'democratisation', 'mobilising resources', 'new financing models'],
    },
  }),
  collaboration(LATE_2018, {
    type: 'JoinParty',
    data: { collaborationId: ids.trondheimCollaboration, organisationId: ids.socentral },
  }),
  collaboration(LATE_2018, {
    type: 'PlanActivity',
    data: {
      collaborationId: ids.trondheimCollaboration,
      activityId: ids.greenLivingActivity,
      title: 'How the municipality can help citizens take initiative and ownership of projects that make green living easy',
      plannedFor: '2019',
    },
  }),
  collaboration(LATE_2018, {
    type: 'LinkInitiative',
    data: {
      collaborationId: ids.trondheimCollaboration,
      initiativeId: ids.cityxChange,
      name: '+CityxChange',
      kind: 'eu-project',
      programme: 'Horizon 2020',
      confidence: 'tentative',
    },
  }),
  // The article dates the gathering only to 2018.
  gathering(LATE_2018, {
    type: 'HoldGathering',
    data: {
      gatheringId: ids.publicHeroes,
      title: 'Public heroes',
      kind: 'workshop',
      heldOn: LATE_2018,
      participantCount: 15,
      organiserOrganisationId: ids.socentral,
      purpose: 'Public employees who work in new ways ("public heroes") name the barriers they face',
    },
  }),
  gathering(LATE_2018, {
    type: 'RecordInsight',
    data: {
      gatheringId: ids.publicHeroes,
      insightId: ids.publicHeroesBarriers,
      observation: 'Public employees who work in new ways face barriers; together they named them',
    },
  }),
  person(LATE_2018, {
    type: 'RegisterPerson',
    data: { personId: ids.karinLindgard, name: 'Karin Lindgård', background: 'Previously acting director at Husbanken Øst' },
  }),
  person('2019-01-01', {
    type: 'AssumeRole',
    data: {
      personId: ids.karinLindgard,
      roleId: ids.karinPartnerRole,
      organisationId: ids.socentral,
      title: 'Partner',
      responsibility: 'Making the learning from the experiments available to more people',
      from: '2019-01-01',
    },
  }),
];
