import { describe, expect, it } from '@jest/globals';
import {
  CollaborationEventType,
  COLLABORATION_EVENT_TYPES,
  EXPERIMENT_EVENT_TYPES,
  GATHERING_EVENT_TYPES,
  NETWORK_EVENT_TYPES,
  ORGANISATION_EVENT_TYPES,
  PERSON_EVENT_TYPES,
} from '#domain';
import {
  DOMAIN_EVENT_TYPES,
  EVENT_SUMMARIES,
  LANGS,
  isLang,
  renderSummary,
  type DomainEventType,
  type EventParams,
  type KnownName,
  type SummaryContext,
} from './event-summaries.js';

const NAMES: Readonly<Record<string, KnownName>> = {
  'organisation-o1': { name: 'SoCentral', forgotten: false },
  'organisation-o2': { name: 'Trondheim kommune', forgotten: false },
  'person-p1': { name: 'Karin Lindgård', forgotten: false },
  'person-p2': { name: null, forgotten: true },
  'experiment-x1': { name: 'Green living made easy', forgotten: false },
};
const names = (kind: string, id: string) => NAMES[`${kind}-${id}`];

type Sample = [params: EventParams, en: string, nb: string, original?: EventParams];

/** One sample per event type, with its English and Norwegian sentence. */
const SAMPLES: Record<DomainEventType, Sample> = {
  OrganisationRegistered: [
    { organisationId: 'o2', name: 'Trondheim kommune', kind: 'municipality' },
    'Organisation registered: Trondheim kommune (municipality)',
    'Organisasjon registrert: Trondheim kommune (kommune)',
  ],
  OrganisationRenamed: [
    { name: 'SoCentral AS', previousName: 'SoCentral' },
    'Renamed from "SoCentral" to "SoCentral AS"',
    'Omdøpt fra «SoCentral» til «SoCentral AS»',
  ],
  PersonRegistered: [
    { personId: 'p1', personal: { name: 'Karin Lindgård', background: null } },
    'Person registered: Karin Lindgård',
    'Person registrert: Karin Lindgård',
  ],
  PersonDetailsRevised: [
    { personId: 'p1', personal: { name: 'Karin Lindgård', background: 'Husbanken' } },
    'Details revised: Karin Lindgård (name, background)',
    'Opplysninger revidert: Karin Lindgård (navn, bakgrunn)',
  ],
  RoleAssumed: [
    { personId: 'p1', roleId: 'r1', organisationId: 'o1', from: '2019-01-01', personal: { title: 'Partner', responsibility: null } },
    'Role assumed: Karin Lindgård as "Partner" at SoCentral, from 1 January 2019',
    'Ny rolle: Karin Lindgård som «Partner» i SoCentral, fra 1. januar 2019',
  ],
  RoleEnded: [
    { personId: 'p1', roleId: 'r1', to: '2021-06-30' },
    'Role ended: Karin Lindgård as "Partner" at SoCentral, on 30 June 2021',
    'Rolle avsluttet: Karin Lindgård som «Partner» i SoCentral, den 30. juni 2021',
    { organisationId: 'o1', personal: { title: 'Partner' } },
  ],
  PersonForgotten: [
    { personId: 'p2', reason: 'Asked to be forgotten' },
    'Person forgotten (reason: Asked to be forgotten)',
    'Person glemt (begrunnelse: Asked to be forgotten)',
  ],
  ExperimentDesigned: [
    { title: 'Green living made easy', leadId: 'p1' },
    'Experiment designed: "Green living made easy" (lead: Karin Lindgård)',
    'Eksperimentet utformet: «Green living made easy» (ansvarlig: Karin Lindgård)',
  ],
  TestCardRevised: [
    { changes: { metric: 'm', leadId: 'p1' }, reason: 'New lead' },
    'Test Card revised: metric, lead (reason: New lead)',
    'Testkortet revidert: måleindikator, ansvarlig (begrunnelse: New lead)',
  ],
  ExperimentStarted: [{}, 'Experiment started', 'Eksperimentet startet'],
  StepLogged: [{ description: 'Pop-up stand' }, 'Step logged: "Pop-up stand"', 'Steg logget: «Pop-up stand»'],
  StepRetracted: [
    { stepId: 's1', reason: 'Wrong street' },
    'Step retracted: "Pop-up stand" (reason: Wrong street)',
    'Steg trukket tilbake: «Pop-up stand» (begrunnelse: Wrong street)',
    { description: 'Pop-up stand' },
  ],
  MeasurementRecorded: [
    { value: 12345.678, unit: 'households', note: null },
    'Measurement recorded: 12,345.678 households',
    'Måling registrert: 12\u00a0345,678 households',
  ],
  LearningRecorded: [
    { learning: 'Small steps work', decision: 'persevere', reliability: 'medium', retrospective: false },
    'Learning recorded (decision: persevere, reliability: medium): "Small steps work"',
    'Læring registrert (beslutning: fortsette, pålitelighet: middels): «Small steps work»',
  ],
  LearningRetracted: [
    { learningId: 'l1', reason: 'Too early' },
    'Learning retracted: "Small steps work" (reason: Too early)',
    'Læring trukket tilbake: «Small steps work» (begrunnelse: Too early)',
    { learning: 'Small steps work' },
  ],
  ExperimentConcluded: [
    { outcome: 'invalidated', summary: 'Nobody came' },
    'Experiment concluded (invalidated): "Nobody came"',
    'Eksperimentet avsluttet (avkreftet): «Nobody came»',
  ],
  ExperimentAbandoned: [{ reason: 'Funding ended' }, 'Experiment abandoned: "Funding ended"', 'Eksperimentet avbrutt: «Funding ended»'],
  CollaborationAgreed: [
    { title: 'SoCentral and Trondheim kommune', partnerOrganisationId: 'o2' },
    'Collaboration agreed: "SoCentral and Trondheim kommune" with Trondheim kommune',
    'Samarbeid inngått: «SoCentral and Trondheim kommune» med Trondheim kommune',
  ],
  PartyJoined: [{ organisationId: 'o1', role: 'host' }, 'Party joined: SoCentral (role: host)', 'Ny part: SoCentral (rolle: host)'],
  ActivityPlanned: [
    { title: 'Green living', plannedFor: '2019' },
    'Activity planned: "Green living" (for 2019)',
    'Aktivitet planlagt: «Green living» (for 2019)',
  ],
  ActivityStarted: [{ activityId: 'a1' }, 'Activity started: "Green living"', 'Aktivitet startet: «Green living»', { title: 'Green living' }],
  ActivityCompleted: [
    { activityId: 'a1', outcome: 'Three pilots' },
    'Activity completed: "Green living" (outcome: "Three pilots")',
    'Aktivitet fullført: «Green living» (resultat: «Three pilots»)',
    { title: 'Green living' },
  ],
  InitiativeLinked: [
    { name: '+CityxChange', kind: 'eu-project', programme: 'Horizon 2020', confidence: 'tentative' },
    'Initiative linked: +CityxChange (Horizon 2020), tentative',
    'Initiativ koblet til: +CityxChange (Horizon 2020), foreløpig',
  ],
  InitiativeLinkConfirmed: [
    { initiativeId: 'i1' },
    'Link to +CityxChange confirmed',
    'Kobling til +CityxChange bekreftet',
    { name: '+CityxChange' },
  ],
  InitiativeLinkDropped: [
    { initiativeId: 'i1', reason: 'Not funded' },
    'Link to +CityxChange dropped (reason: Not funded)',
    'Kobling til +CityxChange fjernet (begrunnelse: Not funded)',
    { name: '+CityxChange' },
  ],
  MilestoneSet: [
    { title: 'Legal entity', due: '2019-12-31' },
    'Milestone set: "Legal entity" (due 31 December 2019)',
    'Milepæl satt: «Legal entity» (frist 31. desember 2019)',
  ],
  MilestoneAchieved: [{ milestoneId: 'm1' }, 'Milestone achieved: "Legal entity"', 'Milepæl nådd: «Legal entity»', { title: 'Legal entity' }],
  ExperimentAttached: [
    { experimentId: 'x1' },
    'Experiment attached: "Green living made easy"',
    'Eksperiment knyttet til: «Green living made easy»',
  ],
  CollaborationConcluded: [{ summary: 'Handed over' }, 'Collaboration concluded: "Handed over"', 'Samarbeidet avsluttet: «Handed over»'],
  NetworkFounded: [
    { name: 'Pådriv', kind: 'network', area: 'Hovinbyen, Oslo', ledByOrganisationId: 'o1' },
    'Network founded: Pådriv (Hovinbyen, Oslo), led by SoCentral',
    'Nettverk etablert: Pådriv (Hovinbyen, Oslo), ledet av SoCentral',
  ],
  LeadershipChanged: [
    { organisationId: 'o2', since: '2020-03-01', previousOrganisationId: 'o1' },
    'Leadership changed: Trondheim kommune leads from 1 March 2020 (after SoCentral)',
    'Nytt lederskap: Trondheim kommune leder fra 1. mars 2020 (etter SoCentral)',
  ],
  PartnerJoined: [{ organisationId: 'o2' }, 'Partner joined: Trondheim kommune', 'Ny partner: Trondheim kommune'],
  PartnerLeft: [{ organisationId: 'o2' }, 'Partner left: Trondheim kommune', 'Partner gikk ut: Trondheim kommune'],
  MemberJoined: [{ personId: 'p1' }, 'Member joined: Karin Lindgård', 'Nytt medlem: Karin Lindgård'],
  MemberLeft: [{ personId: 'p2' }, 'Member left: a forgotten person', 'Medlem gikk ut: en glemt person'],
  HeadcountReported: [
    { partners: 38, members: 142 },
    'Headcount reported: 38 partners, 142 members',
    'Antall rapportert: 38 partnere, 142 medlemmer',
  ],
  MethodAdoptionUpdated: [
    { city: 'Bergen', stage: 'dialogue', previousStage: 'inquiry' },
    'Method adoption in Bergen: dialogue (was inquiry)',
    'Metodebruk i Bergen: dialog (var forespørsel)',
  ],
  GatheringHeld: [
    { title: 'Public heroes', kind: 'workshop', participantCount: 15, organiserOrganisationId: 'o1' },
    'Workshop held: "Public heroes" (15 participants, organised by SoCentral)',
    'Verksted holdt: «Public heroes» (15 deltakere, arrangert av SoCentral)',
  ],
  InsightRecorded: [{ observation: 'Barriers are shared', learning: null }, 'Insight recorded: "Barriers are shared"', 'Innsikt registrert: «Barriers are shared»'],
  InsightRetracted: [
    { insightId: 'n1', reason: 'Duplicate' },
    'Insight retracted: "Barriers are shared" (reason: Duplicate)',
    'Innsikt trukket tilbake: «Barriers are shared» (begrunnelse: Duplicate)',
    { observation: 'Barriers are shared' },
  ],
};

const render = (type: DomainEventType, lang: 'en' | 'nb', [params, , , original]: Sample, context: SummaryContext = { names }) =>
  renderSummary(type, params, lang, original ? { ...context, original } : context);

describe('event summaries', () => {
  it('has a renderer for every event type of every aggregate', () => {
    const domainTypes = new Set<string>([
      ...ORGANISATION_EVENT_TYPES,
      ...PERSON_EVENT_TYPES,
      ...EXPERIMENT_EVENT_TYPES,
      ...COLLABORATION_EVENT_TYPES,
      ...NETWORK_EVENT_TYPES,
      ...GATHERING_EVENT_TYPES,
    ]);
    expect(new Set(DOMAIN_EVENT_TYPES)).toEqual(domainTypes);
    for (const type of DOMAIN_EVENT_TYPES) expect(typeof EVENT_SUMMARIES[type]).toBe('function');
    const shared: CollaborationEventType = 'LearningRecorded';
    expect(DOMAIN_EVENT_TYPES.filter((type) => type === shared)).toHaveLength(1);
  });

  it.each(Object.entries(SAMPLES) as Array<[DomainEventType, Sample]>)('renders %s in English and Norwegian', (type, sample) => {
    expect(render(type, 'en', sample)).toBe(sample[1]);
    expect(render(type, 'nb', sample)).toBe(sample[2]);
  });

  it('renders a forgotten person as forgotten even where the event still names them', () => {
    const forgotten = { names: () => ({ name: null, forgotten: true }) };
    const registered = SAMPLES.PersonRegistered;
    expect(render('PersonRegistered', 'en', registered, forgotten)).toBe('Person registered: a forgotten person');
    expect(render('PersonRegistered', 'nb', registered, forgotten)).toBe('Person registrert: en glemt person');
    expect(render('MemberJoined', 'en', SAMPLES.MemberJoined, forgotten)).toBe('Member joined: a forgotten person');
    expect(renderSummary('MemberJoined', { networkId: 'n1', personId: null }, 'en')).toBe('Member joined: a forgotten person');
    expect(renderSummary('MemberLeft', { networkId: 'n1', personId: null }, 'nb')).toBe('Medlem gikk ut: en glemt person');
    expect(render('ExperimentDesigned', 'nb', SAMPLES.ExperimentDesigned, { names: (kind) => (kind === 'person' ? { name: null, forgotten: true } : undefined) })).toBe(
      'Eksperimentet utformet: «Green living made easy» (ansvarlig: en glemt person)',
    );
  });

  it('leaves out references it cannot name', () => {
    expect(render('PartyJoined', 'en', SAMPLES.PartyJoined, {})).toBe('Party joined (role: host)');
    expect(render('ExperimentDesigned', 'en', SAMPLES.ExperimentDesigned, {})).toBe('Experiment designed: "Green living made easy"');
    expect(render('MemberJoined', 'nb', SAMPLES.MemberJoined, {})).toBe('Nytt medlem: en person');
    expect(renderSummary('InitiativeLinkConfirmed', {}, 'en')).toBe('Link to an initiative confirmed');
    expect(renderSummary('HeadcountReported', { members: 1 }, 'en')).toBe('Headcount reported: 1 member');
    expect(renderSummary('HeadcountReported', { partners: 1234 }, 'nb')).toBe('Antall rapportert: 1\u00a0234 partnere');
    expect(renderSummary('NetworkFounded', { name: 'SoCentral community', kind: 'community' }, 'nb')).toBe('Fellesskap etablert: SoCentral community');
    expect(renderSummary('OrganisationRegistered', { name: 'SoCentral', kind: 'other' }, 'en')).toBe('Organisation registered: SoCentral');
    expect(renderSummary('GatheringHeld', { title: 'Drop-in', kind: 'other', participantCount: 1 }, 'en')).toBe('Gathering held: "Drop-in" (1 participant)');
  });

  it('renders an unknown type as a neutral sentence', () => {
    expect(renderSummary('SomethingNew', { a: 1 }, 'en')).toBe('Event recorded: SomethingNew');
    expect(renderSummary('SomethingNew', { a: 1 }, 'nb')).toBe('Hendelse registrert: SomethingNew');
    expect(renderSummary('toString', {}, 'en')).toBe('Event recorded: toString');
  });

  it('never throws on missing or malformed parameters', () => {
    const malformed = [undefined, null, 'text', [1], {}, { changes: 'x', value: 'NaN', decision: 42, personal: 'x', partners: '3', kind: {} }];
    for (const type of DOMAIN_EVENT_TYPES) {
      for (const lang of LANGS) {
        for (const params of malformed) expect(typeof renderSummary(type, params, lang, { names, original: { personal: 7 } })).toBe('string');
      }
    }
    expect(renderSummary('StepLogged', {}, 'en')).toBe('Step logged');
    expect(renderSummary('MeasurementRecorded', {}, 'nb')).toBe('Måling registrert: ?');
  });

  it('keeps a summary on one line and cuts long text', () => {
    const summary = renderSummary('StepLogged', { description: `line one\nline two ${'x'.repeat(500)}` }, 'en');
    expect(summary).not.toContain('\n');
    expect(summary.startsWith('Step logged: "line one line two x')).toBe(true);
    expect(summary.endsWith('…"')).toBe(true);
    expect(summary.length).toBeLessThan(230);
  });

  it('marks a retrospective learning and names labels per language', () => {
    const params = { learning: 'L', decision: 'continue-testing', reliability: 'medium', retrospective: true };
    expect(renderSummary('LearningRecorded', params, 'en')).toBe(
      'Retrospective learning recorded (decision: continue testing, reliability: medium): "L"',
    );
    expect(renderSummary('LearningRecorded', params, 'nb')).toBe(
      'Læring registrert i etterkant (beslutning: teste videre, pålitelighet: middels): «L»',
    );
    expect(renderSummary('StepRetracted', { reason: 'wrong' }, 'en')).toBe('Step retracted (reason: wrong)');
  });

  it('recognises the supported languages', () => {
    expect(isLang('nb')).toBe(true);
    expect(isLang('en')).toBe(true);
    expect(isLang('nn')).toBe(false);
  });
});
