import { GATHERING_KINDS, INITIATIVE_CONFIDENCES, INITIATIVE_KINDS, METHOD_ADOPTION_STAGES, NETWORK_KINDS, ORGANISATION_KINDS } from '#domain';
import type { MessageKey } from '../i18n/messages.js';
import { LEARNING_CARD, occurredAt, options, reason, themes } from './fields.js';
import type { FieldSpec } from './form-spec.js';
import type { CommandForm, CreateForm } from './form-pages.js';

const organisation = (name: string, required = true): FieldSpec => ({ name, kind: 'select', label: 'field.organisation', required, choices: 'organisations' });
const text = (name: string, label: MessageKey, required = false): FieldSpec => ({ name, kind: 'text', label, required });
const title = text('title', 'field.title', true);
const name = text('name', 'field.name', true);

/**
 * A command form whose messages are `form.<key>` (its title) and `form.<key>.submit` (its button); its id is the
 * key in kebab case. `path` is below `/api/<collection>/:id/`, with `:item` for a form on a list item.
 */
const command = (key: string, path: string, done: string, fields: readonly FieldSpec[], extra: Partial<CommandForm> = {}): CommandForm => ({
  id: key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`),
  path,
  done,
  title: `form.${key}` as MessageKey,
  submit: `form.${key}.submit` as MessageKey,
  fields,
  ...extra,
});

const retraction = (kind: 'learning' | 'insight'): CommandForm =>
  command(`retract-${kind}`, `${kind}s/:item/retract`, 'retracted', [reason], { title: kind === 'learning' ? 'form.retractLearning' : 'form.retractInsight', submit: 'form.retract.submit', danger: true });

/**
 * The forms of an entity page, by the name in the page path they post to: `/<collection>/:id/<name>`, and
 * `/<collection>/:id/<name>/<itemId>` for those on a list item. Collaborations and networks both keep
 * milestones, Learning Cards and attached experiments.
 */
const WORK_FORMS = {
  milestones: command('milestone', 'milestones', 'milestone', [title, { name: 'due', kind: 'date', label: 'field.due' }, occurredAt]),
  learnings: command('learning', 'learnings', 'learning', LEARNING_CARD),
  experiments: command('attach', 'experiments', 'attached', [{ name: 'experimentId', kind: 'select', label: 'field.experiment', required: true, choices: 'experiments' }, occurredAt]),
  'achieve-milestone': command('achieveMilestone', 'milestones/:item/achieve', 'milestone-achieved', [occurredAt]),
  'retract-learning': retraction('learning'),
};

export const COLLABORATION_FORMS: Readonly<Record<string, CommandForm>> = {
  parties: command('party', 'parties', 'party', [organisation('organisationId'), text('role', 'field.partyRole'), occurredAt]),
  activities: command('activity', 'activities', 'activity', [
    title,
    { name: 'description', kind: 'textarea', label: 'field.details' },
    { ...text('plannedFor', 'field.plannedFor'), hint: 'field.plannedForHint' },
    occurredAt,
  ]),
  initiatives: command('initiative', 'initiatives', 'initiative', [
    name,
    { name: 'kind', kind: 'select', label: 'field.initiativeKind', required: true, options: options(INITIATIVE_KINDS, 'initiativeKind') },
    text('programme', 'field.programme'),
    { name: 'confidence', kind: 'select', label: 'field.confidence', required: true, options: options(INITIATIVE_CONFIDENCES, 'initiative') },
    occurredAt,
  ]),
  ...WORK_FORMS,
  conclude: command('concludeCollaboration', 'conclude', 'collaboration-concluded', [{ name: 'summary', kind: 'textarea', label: 'field.summary', required: true }, occurredAt]),
  'start-activity': command('startActivity', 'activities/:item/start', 'activity-started', [occurredAt]),
  'complete-activity': command('completeActivity', 'activities/:item/complete', 'activity-completed', [{ name: 'outcome', kind: 'textarea', label: 'field.activityOutcome' }, occurredAt]),
  'confirm-initiative': command('confirmInitiative', 'initiatives/:item/confirm', 'initiative-confirmed', [occurredAt]),
  'drop-initiative': command('dropInitiative', 'initiatives/:item/drop', 'initiative-dropped', [reason, occurredAt], { danger: true }),
};

export const NETWORK_FORMS: Readonly<Record<string, CommandForm>> = {
  lead: command('lead', 'lead', 'lead', [organisation('organisationId'), { name: 'since', kind: 'date', label: 'field.since', required: true }]),
  partners: command('partner', 'partners', 'partner', [organisation('organisationId'), occurredAt]),
  members: command('member', 'members', 'member', [{ name: 'personId', kind: 'select', label: 'field.person', required: true, choices: 'people' }, occurredAt]),
  headcounts: command('headcount', 'headcounts', 'headcount', [
    { name: 'partners', kind: 'number', label: 'field.partnerCount' },
    { name: 'members', kind: 'number', label: 'field.memberCount' },
    occurredAt,
  ]),
  'method-adoptions': command('adoption', 'method-adoptions', 'adoption', [
    text('city', 'field.city', true),
    { name: 'stage', kind: 'select', label: 'field.stage', required: true, options: options(METHOD_ADOPTION_STAGES, 'stage') },
    occurredAt,
  ]),
  ...WORK_FORMS,
  'leave-partner': command('leavePartner', 'partners/:item/leave', 'partner-left', [occurredAt], { danger: true }),
  'leave-member': command('leaveMember', 'members/:item/leave', 'member-left', [occurredAt], { danger: true }),
};

export const GATHERING_FORMS: Readonly<Record<string, CommandForm>> = {
  insights: command('insight', 'insights', 'insight', [
    { name: 'observation', kind: 'textarea', label: 'field.observation', required: true },
    { name: 'learning', kind: 'textarea', label: 'field.learning' },
    themes,
    occurredAt,
  ]),
  'retract-insight': retraction('insight'),
};

const create = (id: string, page: string, then: CreateForm['then'], fields: readonly FieldSpec[]): CreateForm => ({
  id: `new-${id}`,
  api: `/api${page}`,
  page,
  then,
  done: `${id}-created`,
  title: `form.new.${id}` as MessageKey,
  heading: `form.new.${id}` as MessageKey,
  submit: `form.new.${id}.submit` as MessageKey,
  fields,
});

const kind = (values: readonly string[], prefix: string): FieldSpec => ({ name: 'kind', kind: 'select', label: 'field.kind', required: true, options: options(values, prefix) });

/** Forms that create collaborations, networks, gatherings, people and organisations (staff). */
export const CREATE_FORMS = {
  collaboration: create('collaboration', '/collaborations', 'entity', [
    title,
    { ...organisation('partnerOrganisationId'), label: 'collaboration.partner' },
    { ...themes, required: true },
    { name: 'agreedOn', kind: 'date', label: 'field.agreedOn' },
    { name: 'description', kind: 'textarea', label: 'field.details' },
  ]),
  network: create('network', '/networks', 'entity', [
    name,
    kind(NETWORK_KINDS, 'networkKind'),
    text('area', 'field.area'),
    { name: 'purpose', kind: 'textarea', label: 'field.purpose' },
    { ...organisation('ledByOrganisationId', false), label: 'field.leadOrganisation' },
    { name: 'ledSince', kind: 'date', label: 'field.ledSince' },
  ]),
  gathering: create('gathering', '/gatherings', 'entity', [
    title,
    kind(GATHERING_KINDS, 'gatheringKind'),
    { name: 'heldOn', kind: 'date', label: 'field.heldOn', required: true },
    { name: 'participantCount', kind: 'number', label: 'field.participantCount' },
    { ...organisation('organiserOrganisationId', false), label: 'field.organiser' },
    { name: 'purpose', kind: 'textarea', label: 'field.purpose' },
  ]),
  person: create('person', '/people', 'entity', [name, { name: 'background', kind: 'textarea', label: 'field.background' }]),
  organisation: create('organisation', '/organisations', 'form', [name, kind(ORGANISATION_KINDS, 'organisationKind')]),
} as const satisfies Record<string, CreateForm>;
