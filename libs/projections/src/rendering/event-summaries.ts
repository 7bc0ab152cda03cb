import type {
  CollaborationEventType,
  ExperimentEventType,
  GatheringEventType,
  InitiativeConfidence,
  GatheringKind,
  LearningDecision,
  MethodAdoptionStage,
  ExperimentOutcome,
  OrganisationEventType,
  OrganisationKind,
  NetworkEventType,
  PersonalDetails,
  PersonEventType,
  Reliability,
  TestCard,
} from '#domain';
import { displayText, formatDate, formatNumber, quoted, type Lang } from './locale-format.js';

export { isLang, LANGS, type Lang } from './locale-format.js';

/** Every event type of every aggregate (types shared by several aggregates, such as `LearningRecorded`, once). */
export type DomainEventType =
  | OrganisationEventType
  | PersonEventType
  | ExperimentEventType
  | CollaborationEventType
  | NetworkEventType
  | GatheringEventType;

/** Stored event parameters (the event's data, as JSON): untrusted shape, so renderers read it defensively. */
export type EventParams = Readonly<Record<string, unknown>>;

/** What is known of a named entity when a summary is rendered. */
export interface KnownName {
  /** Name or title; null when withheld (a forgotten person). */
  name: string | null;
  forgotten: boolean;
}

/** Looks up an entity by stream category (`person`, `organisation`, `experiment`…) and id. */
export type NameLookup = (kind: string, id: string) => KnownName | undefined;

/** What a renderer may know besides the event's own parameters. */
export interface SummaryContext {
  /** For an event about an earlier entry (a retraction, a confirmation…): that entry's parameters, when found. */
  original?: EventParams;
  /** Names of the entities an event refers to; without it, references are left out of the sentence. */
  names?: NameLookup;
}

/** For each event type that refers to an earlier entry of its stream: that entry's type and identifying parameter. */
export const REFERENCED_ENTRIES: Readonly<Partial<Record<DomainEventType, { type: DomainEventType; key: string }>>> = {
  StepRetracted: { type: 'StepLogged', key: 'stepId' },
  LearningRetracted: { type: 'LearningRecorded', key: 'learningId' },
  InsightRetracted: { type: 'InsightRecorded', key: 'insightId' },
  RoleEnded: { type: 'RoleAssumed', key: 'roleId' },
  ActivityStarted: { type: 'ActivityPlanned', key: 'activityId' },
  ActivityCompleted: { type: 'ActivityPlanned', key: 'activityId' },
  InitiativeLinkConfirmed: { type: 'InitiativeLinked', key: 'initiativeId' },
  InitiativeLinkDropped: { type: 'InitiativeLinked', key: 'initiativeId' },
  MilestoneAchieved: { type: 'MilestoneSet', key: 'milestoneId' },
};

/** The earlier entry an event of `type` refers to, if any. */
export function referencedEntry(type: string): { type: string; key: string } | undefined {
  return Object.hasOwn(REFERENCED_ENTRIES, type) ? REFERENCED_ENTRIES[type as DomainEventType] : undefined;
}

/** A label in both languages: `[en, nb]`. */
type Pair = readonly [en: string, nb: string];

const LABELS = {
  decision: {
    persevere: ['persevere', 'fortsette'],
    pivot: ['pivot', 'endre retning'],
    retire: ['retire', 'avslutte'],
    'continue-testing': ['continue testing', 'teste videre'],
  } satisfies Record<LearningDecision, Pair>,
  reliability: { low: ['low', 'lav'], medium: ['medium', 'middels'], high: ['high', 'høy'] } satisfies Record<Reliability, Pair>,
  outcome: {
    validated: ['validated', 'bekreftet'],
    invalidated: ['invalidated', 'avkreftet'],
    inconclusive: ['inconclusive', 'uavklart'],
  } satisfies Record<ExperimentOutcome, Pair>,
  testCardField: {
    title: ['title', 'tittel'],
    hypothesis: ['hypothesis', 'hypotese'],
    test: ['test', 'test'],
    metric: ['metric', 'måleindikator'],
    successCriteria: ['success criteria', 'suksesskriterier'],
    leadId: ['lead', 'ansvarlig'],
    themes: ['themes', 'temaer'],
    deadline: ['deadline', 'frist'],
  } satisfies Record<keyof TestCard, Pair>,
  personalField: { name: ['name', 'navn'], background: ['background', 'bakgrunn'] } satisfies Record<keyof PersonalDetails, Pair>,
  organisationKind: {
    municipality: ['municipality', 'kommune'],
    'public-agency': ['public agency', 'offentlig virksomhet'],
    company: ['company', 'bedrift'],
    ngo: ['NGO', 'frivillig organisasjon'],
    research: ['research institution', 'forskningsinstitusjon'],
    network: ['network', 'nettverk'],
    other: ['other', 'annet'],
  } satisfies Record<OrganisationKind, Pair>,
  confidence: { tentative: ['tentative', 'foreløpig'], confirmed: ['confirmed', 'bekreftet'] } satisfies Record<InitiativeConfidence, Pair>,
  gatheringKind: {
    workshop: ['Workshop', 'Verksted'],
    meeting: ['Meeting', 'Møte'],
    seminar: ['Seminar', 'Seminar'],
    other: ['Gathering', 'Samling'],
  } satisfies Record<GatheringKind, Pair>,
  stage: {
    inquiry: ['inquiry', 'forespørsel'],
    dialogue: ['dialogue', 'dialog'],
    adopted: ['adopted', 'tatt i bruk'],
    declined: ['declined', 'avslått'],
  } satisfies Record<MethodAdoptionStage, Pair>,
} as const;

/** A property of an object parameter, or undefined. */
function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

/** The wording of one summary: language, context, and the phrases renderers build sentences from. */
export class Phrasing {
  /** The parameters of the entry the event refers to ({} when unknown). */
  readonly original: EventParams;

  constructor(
    readonly lang: Lang,
    private readonly context: SummaryContext,
  ) {
    this.original = context.original ?? {};
  }

  /** The English or the Norwegian text. */
  t(en: string, nb: string): string {
    return this.lang === 'nb' ? nb : en;
  }

  text(value: unknown): string {
    return displayText(value);
  }

  q(value: unknown): string {
    return quoted(this.lang, value);
  }

  /** `head: body` when there is a body, else `head`. */
  head(head: string, body: string): string {
    return body ? `${head}: ${body}` : head;
  }

  /** `head: "text"` when there is text, else `head`. */
  quote(head: string, value: unknown): string {
    return this.head(head, this.text(value) && this.q(value));
  }

  /** ` (label: text)` when there is text. */
  note(en: string, nb: string, value: unknown, quote = false): string {
    if (!this.text(value)) return '';
    return ` (${this.t(en, nb)}: ${quote ? this.q(value) : this.text(value)})`;
  }

  reason(params: EventParams): string {
    return this.note('reason', 'begrunnelse', params.reason);
  }

  number(value: unknown): string {
    return typeof value === 'number' ? formatNumber(this.lang, value) : this.text(value) || '?';
  }

  /** `38 partners`: the count with the singular or plural noun. */
  count(value: unknown, one: Pair, many: Pair): string {
    const noun = value === 1 ? one : many;
    return `${this.number(value)} ${this.t(noun[0], noun[1])}`;
  }

  date(value: unknown): string {
    return formatDate(this.lang, this.text(value));
  }

  label(group: keyof typeof LABELS, value: unknown): string {
    const labels: Readonly<Record<string, Pair>> = LABELS[group];
    const key = this.text(value);
    return Object.hasOwn(labels, key) ? this.t(...labels[key]) : key || '?';
  }

  /** The name of a referenced entity, '' when unknown. */
  name(kind: string, id: unknown): string {
    if (typeof id !== 'string' || !this.context.names) return '';
    return this.text(this.context.names(kind, id)?.name);
  }

  /**
   * A person: "a forgotten person" once forgotten (or when the id itself was personal data and reads as null: a
   * forgotten member), else `ownName` (from the event), the known name, or "a person".
   */
  person(id: unknown, ownName?: unknown): string {
    const known = typeof id === 'string' ? this.context.names?.('person', id) : undefined;
    if (known?.forgotten || id === null) return this.t('a forgotten person', 'en glemt person');
    return this.text(ownName) || this.text(known?.name) || this.t('a person', 'en person');
  }

  /** A person the names lookup knows (an experiment's lead), '' otherwise. */
  knownPerson(id: unknown): string {
    return typeof id === 'string' && this.context.names?.('person', id) ? this.person(id) : '';
  }

  /** `title, lead`: the field names of a change set. */
  fields(group: 'testCardField' | 'personalField', changes: unknown): string {
    if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) return '';
    return Object.keys(changes)
      .map((key) => this.label(group, key))
      .join(', ');
  }

  /** `Karin Lindgård as "Partner" at SoCentral`. */
  role(personId: unknown, role: EventParams): string {
    const title = field(role.personal, 'title');
    const organisation = this.name('organisation', role.organisationId);
    return (
      this.person(personId) +
      (this.text(title) ? ` ${this.t('as', 'som')} ${this.q(title)}` : '') +
      (organisation ? ` ${this.t('at', 'i')} ${organisation}` : '')
    );
  }

  learning(params: EventParams): string {
    const retro = params.retrospective === true;
    const head = retro
      ? this.t('Retrospective learning recorded', 'Læring registrert i etterkant')
      : this.t('Learning recorded', 'Læring registrert');
    const decision = `${this.t('decision', 'beslutning')}: ${this.label('decision', params.decision)}`;
    const reliability = `${this.t('reliability', 'pålitelighet')}: ${this.label('reliability', params.reliability)}`;
    return this.quote(`${head} (${decision}, ${reliability})`, params.learning);
  }

  /** `Step retracted: "what it said" (reason: …)`: names what is retracted when the original was found. */
  retraction(en: string, nb: string, params: EventParams, ...fields: string[]): string {
    const said = fields.map((key) => this.original[key]).find((value) => this.text(value));
    return this.quote(this.t(en, nb), said) + this.reason(params);
  }

  /** The name of the initiative an event refers to. */
  initiative(): string {
    return this.text(this.original.name) || this.t('an initiative', 'et initiativ');
  }
}

/** Renders one event as one sentence. Must not throw on missing or malformed parameters. */
export type SummaryRenderer = (params: EventParams, say: Phrasing) => string;

const PARTNERS: [Pair, Pair] = [
  ['partner', 'partner'],
  ['partners', 'partnere'],
];
const MEMBERS: [Pair, Pair] = [
  ['member', 'medlem'],
  ['members', 'medlemmer'],
];
const PARTICIPANTS: [Pair, Pair] = [
  ['participant', 'deltaker'],
  ['participants', 'deltakere'],
];

/** Sentence renderers by event type: one for every domain event type (checked at compile time). */
export const EVENT_SUMMARIES: Readonly<Record<DomainEventType, SummaryRenderer>> = {
  // Organisation
  OrganisationRegistered: (p, s) =>
    s.head(
      s.t('Organisation registered', 'Organisasjon registrert'),
      s.text(p.name) && s.text(p.name) + (p.kind === 'other' || !s.text(p.kind) ? '' : ` (${s.label('organisationKind', p.kind)})`),
    ),
  OrganisationRenamed: (p, s) =>
    `${s.t('Renamed from', 'Omdøpt fra')} ${s.q(p.previousName)} ${s.t('to', 'til')} ${s.q(p.name)}`,

  // Person
  PersonRegistered: (p, s) => `${s.t('Person registered', 'Person registrert')}: ${s.person(p.personId, field(p.personal, 'name'))}`,
  PersonDetailsRevised: (p, s) => {
    const fields = s.fields('personalField', p.personal);
    return `${s.t('Details revised', 'Opplysninger revidert')}: ${s.person(p.personId, field(p.personal, 'name'))}${fields ? ` (${fields})` : ''}`;
  },
  RoleAssumed: (p, s) =>
    `${s.t('Role assumed', 'Ny rolle')}: ${s.role(p.personId, p)}${s.text(p.from) ? `, ${s.t('from', 'fra')} ${s.date(p.from)}` : ''}`,
  RoleEnded: (p, s) =>
    `${s.t('Role ended', 'Rolle avsluttet')}: ${s.role(p.personId, s.original)}${s.text(p.to) ? `, ${s.t('on', 'den')} ${s.date(p.to)}` : ''}`,
  PersonForgotten: (p, s) => s.t('Person forgotten', 'Person glemt') + s.reason(p),

  // Experiment
  ExperimentDesigned: (p, s) =>
    s.quote(s.t('Experiment designed', 'Eksperimentet utformet'), p.title) + s.note('lead', 'ansvarlig', s.knownPerson(p.leadId)),
  TestCardRevised: (p, s) =>
    s.head(s.t('Test Card revised', 'Testkortet revidert'), s.fields('testCardField', p.changes)) + s.reason(p),
  ExperimentStarted: (_p, s) => s.t('Experiment started', 'Eksperimentet startet'),
  StepLogged: (p, s) => s.quote(s.t('Step logged', 'Steg logget'), p.description),
  StepRetracted: (p, s) => s.retraction('Step retracted', 'Steg trukket tilbake', p, 'description'),
  MeasurementRecorded: (p, s) =>
    `${s.t('Measurement recorded', 'Måling registrert')}: ${s.number(p.value)}${s.text(p.unit) ? ` ${s.text(p.unit)}` : ''}` +
    (s.text(p.note) ? ` (${s.q(p.note)})` : ''),
  LearningRecorded: (p, s) => s.learning(p),
  LearningRetracted: (p, s) => s.retraction('Learning retracted', 'Læring trukket tilbake', p, 'learning'),
  ExperimentConcluded: (p, s) =>
    s.quote(`${s.t('Experiment concluded', 'Eksperimentet avsluttet')} (${s.label('outcome', p.outcome)})`, p.summary),
  ExperimentAbandoned: (p, s) => s.quote(s.t('Experiment abandoned', 'Eksperimentet avbrutt'), p.reason),

  // Collaboration
  CollaborationAgreed: (p, s) => {
    const partner = s.name('organisation', p.partnerOrganisationId);
    return s.quote(s.t('Collaboration agreed', 'Samarbeid inngått'), p.title) + (partner ? ` ${s.t('with', 'med')} ${partner}` : '');
  },
  PartyJoined: (p, s) => s.head(s.t('Party joined', 'Ny part'), s.name('organisation', p.organisationId)) + s.note('role', 'rolle', p.role),
  ActivityPlanned: (p, s) =>
    s.quote(s.t('Activity planned', 'Aktivitet planlagt'), p.title) + (s.text(p.plannedFor) ? ` (${s.t('for', 'for')} ${s.date(p.plannedFor)})` : ''),
  ActivityStarted: (_p, s) => s.quote(s.t('Activity started', 'Aktivitet startet'), s.original.title),
  ActivityCompleted: (p, s) =>
    s.quote(s.t('Activity completed', 'Aktivitet fullført'), s.original.title) + s.note('outcome', 'resultat', p.outcome, true),
  InitiativeLinked: (p, s) =>
    `${s.t('Initiative linked', 'Initiativ koblet til')}: ${s.text(p.name) || '?'}${s.text(p.programme) ? ` (${s.text(p.programme)})` : ''}, ` +
    s.label('confidence', p.confidence),
  InitiativeLinkConfirmed: (_p, s) => s.t(`Link to ${s.initiative()} confirmed`, `Kobling til ${s.initiative()} bekreftet`),
  InitiativeLinkDropped: (p, s) => s.t(`Link to ${s.initiative()} dropped`, `Kobling til ${s.initiative()} fjernet`) + s.reason(p),
  MilestoneSet: (p, s) =>
    s.quote(s.t('Milestone set', 'Milepæl satt'), p.title) + (s.text(p.due) ? ` (${s.t('due', 'frist')} ${s.date(p.due)})` : ''),
  MilestoneAchieved: (_p, s) => s.quote(s.t('Milestone achieved', 'Milepæl nådd'), s.original.title),
  ExperimentAttached: (p, s) => s.quote(s.t('Experiment attached', 'Eksperiment knyttet til'), s.name('experiment', p.experimentId)),
  CollaborationConcluded: (p, s) => s.quote(s.t('Collaboration concluded', 'Samarbeidet avsluttet'), p.summary),

  // Network
  NetworkFounded: (p, s) => {
    const head = p.kind === 'community' ? s.t('Community founded', 'Fellesskap etablert') : s.t('Network founded', 'Nettverk etablert');
    const lead = s.name('organisation', p.ledByOrganisationId);
    return (
      s.head(head, s.text(p.name) && s.text(p.name) + (s.text(p.area) ? ` (${s.text(p.area)})` : '')) +
      (lead ? `, ${s.t('led by', 'ledet av')} ${lead}` : '')
    );
  },
  LeadershipChanged: (p, s) => {
    const previous = s.name('organisation', p.previousOrganisationId);
    return (
      `${s.t('Leadership changed', 'Nytt lederskap')}: ${s.name('organisation', p.organisationId) || '?'}` +
      (s.text(p.since) ? ` ${s.t('leads from', 'leder fra')} ${s.date(p.since)}` : '') +
      (previous ? ` (${s.t('after', 'etter')} ${previous})` : '')
    );
  },
  PartnerJoined: (p, s) => s.head(s.t('Partner joined', 'Ny partner'), s.name('organisation', p.organisationId)),
  PartnerLeft: (p, s) => s.head(s.t('Partner left', 'Partner gikk ut'), s.name('organisation', p.organisationId)),
  MemberJoined: (p, s) => `${s.t('Member joined', 'Nytt medlem')}: ${s.person(p.personId)}`,
  MemberLeft: (p, s) => `${s.t('Member left', 'Medlem gikk ut')}: ${s.person(p.personId)}`,
  HeadcountReported: (p, s) => {
    const counts = [
      typeof p.partners === 'number' ? s.count(p.partners, ...PARTNERS) : '',
      typeof p.members === 'number' ? s.count(p.members, ...MEMBERS) : '',
    ];
    return s.head(s.t('Headcount reported', 'Antall rapportert'), counts.filter(Boolean).join(', '));
  },
  MethodAdoptionUpdated: (p, s) =>
    `${s.t('Method adoption in', 'Metodebruk i')} ${s.text(p.city) || '?'}: ${s.label('stage', p.stage)}` +
    (s.text(p.previousStage) ? ` (${s.t('was', 'var')} ${s.label('stage', p.previousStage)})` : ''),

  // Gathering
  GatheringHeld: (p, s) => {
    const kind = Object.hasOwn(LABELS.gatheringKind, s.text(p.kind)) ? s.label('gatheringKind', p.kind) : s.t('Gathering', 'Samling');
    const organiser = s.name('organisation', p.organiserOrganisationId);
    const details = [
      typeof p.participantCount === 'number' ? s.count(p.participantCount, ...PARTICIPANTS) : '',
      organiser ? `${s.t('organised by', 'arrangert av')} ${organiser}` : '',
    ].filter(Boolean);
    return s.quote(`${kind} ${s.t('held', 'holdt')}`, p.title) + (details.length > 0 ? ` (${details.join(', ')})` : '');
  },
  InsightRecorded: (p, s) => s.quote(s.t('Insight recorded', 'Innsikt registrert'), s.text(p.learning) ? p.learning : p.observation),
  InsightRetracted: (p, s) => s.retraction('Insight retracted', 'Innsikt trukket tilbake', p, 'learning', 'observation'),
};

/** Every domain event type, in the order of {@link EVENT_SUMMARIES}. */
export const DOMAIN_EVENT_TYPES = Object.keys(EVENT_SUMMARIES) as readonly DomainEventType[];

/** Neutral sentence for a type without a renderer (or whose renderer failed). */
export function fallbackSummary(type: string, lang: Lang): string {
  return lang === 'nb' ? `Hendelse registrert: ${type}` : `Event recorded: ${type}`;
}

/** One sentence for an event, in the given language. Never throws. */
export function renderSummary(type: string, params: unknown, lang: Lang, context: SummaryContext = {}): string {
  const render = Object.hasOwn(EVENT_SUMMARIES, type) ? EVENT_SUMMARIES[type as DomainEventType] : undefined;
  if (!render) return fallbackSummary(type, lang);
  const safe: EventParams =
    typeof params === 'object' && params !== null && !Array.isArray(params) ? (params as EventParams) : {};
  try {
    return render(safe, new Phrasing(lang, context));
  } catch {
    return fallbackSummary(type, lang);
  }
}
