import { describe, expect, it } from '@jest/globals';
import type { FastifyRequest } from 'fastify';
import type { InternalApi } from '../internal-api.js';
import { isMessageKey, ruleMessage } from '../i18n/messages.js';
import { DESIGN_FORM, EXPERIMENT_FORMS, RETRACT_FORMS, STAFF_DESIGN_FORM } from './experiment-forms.js';
import { commandUrl, keyOf, versionOf } from './form-pages.js';
import { formView, toApiBody, type FormSpec } from './form-spec.js';
import { submitForm } from './form-submission.js';
import { COLLABORATION_FORMS, CREATE_FORMS, GATHERING_FORMS, NETWORK_FORMS } from './work-forms.js';

const english = { cookies: { tracker_lang: 'en' }, headers: {} } as unknown as FastifyRequest;
const answering = (status: number, json: object) => ({ post: () => Promise.resolve({ status, headers: {}, body: '', json }) }) as unknown as InternalApi;

const ALL: Array<FormSpec & { done?: string }> = [
  DESIGN_FORM,
  STAFF_DESIGN_FORM,
  ...Object.values(EXPERIMENT_FORMS),
  ...Object.values(RETRACT_FORMS),
  ...Object.values(COLLABORATION_FORMS),
  ...Object.values(NETWORK_FORMS),
  ...Object.values(GATHERING_FORMS),
  ...Object.values(CREATE_FORMS),
];

describe('the forms of the web app', () => {
  it('name only messages the catalogues hold: titles, buttons, labels, hints, options and confirmations', () => {
    const keys = ALL.flatMap((spec) => [
      spec.title,
      spec.submit,
      ...(spec.done ? [`done.${spec.done}`] : []),
      ...spec.fields.flatMap((field) => [field.label, ...(field.hint ? [field.hint] : []), ...(field.options ?? []).map((option) => option.label)]),
    ]);
    expect(keys.filter((key) => !isMessageKey(key))).toEqual([]);
  });

  it('have ids unique on a page, and item forms address their item', () => {
    for (const forms of [COLLABORATION_FORMS, NETWORK_FORMS, GATHERING_FORMS]) {
      const ids = Object.values(forms).map((spec) => spec.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(commandUrl('collaborations', 'c1', COLLABORATION_FORMS['confirm-initiative'], 'i1')).toBe('/api/collaborations/c1/initiatives/i1/confirm');
    expect(commandUrl('networks', 'n1', NETWORK_FORMS.members)).toBe('/api/networks/n1/members');
  });

  it('send a collaboration needs with at least an empty theme list, for the API to name the field', () => {
    expect(toApiBody(CREATE_FORMS.collaboration, { title: 'T', partnerOrganisationId: '', themes: ' ' })).toEqual({ title: 'T', partnerOrganisationId: '', themes: [] });
    expect(toApiBody(NETWORK_FORMS.headcounts, { partners: '', members: '12' })).toEqual({ members: 12 });
  });

  it('offer the choices read from the API in a select, keeping what was chosen', () => {
    const view = formView('en', NETWORK_FORMS.members, {
      action: '/x',
      csrf: 't',
      values: { personId: 'p2' },
      choices: { people: [{ value: 'p1', label: 'Ada' }, { value: 'p2', label: 'Bo' }] },
    });
    expect(view.fields[0].options).toEqual([
      { value: '', label: '', selected: false },
      { value: 'p1', label: 'Ada', selected: false },
      { value: 'p2', label: 'Bo', selected: true },
    ]);
  });

  it('say that a choice is missing next to its select', async () => {
    const refused = await submitForm(
      answering(400, { status: 400, errors: [{ field: 'personId', message: 'personId must be a UUID' }] }),
      english,
      NETWORK_FORMS.members,
      '/x',
      {},
      {},
    );
    expect(refused.ok ? null : refused.errors).toEqual({ personId: 'Choose one of the options.' });
  });

  it('read the hidden version and form key only when well-formed', () => {
    expect(versionOf({ version: '12' })).toBe(12);
    expect(versionOf({ version: '12x' })).toBeUndefined();
    expect(keyOf({ _key: '0190a0b0-0000-7000-8000-000000000000' })).toBe('0190a0b0-0000-7000-8000-000000000000');
    expect(keyOf({ _key: 'x' })).toBeUndefined();
  });
});

describe('rule messages', () => {
  it('translate known rule codes, also those every owner shares, and know nothing of others', () => {
    expect(ruleMessage('nb', 'experiment.not-running')).toBe('Eksperimentet har ikke startet ennå.');
    expect(ruleMessage('en', 'network.member-already-joined')).toBe('This person is already a member.');
    expect(ruleMessage('nb', 'network.milestone-already-achieved')).toBe('Denne milepælen er allerede nådd.');
    expect(ruleMessage('nb', 'idempotency.key-reused')).toContain('allerede sendt');
    expect(ruleMessage('nb', 'experiment.something-new')).toBeNull();
  });
});

describe('a refused form', () => {
  const norwegian = { cookies: { tracker_lang: 'nb' }, headers: {} } as unknown as FastifyRequest;

  it("says a rule's message in the page language, and the API's own words for a rule it does not know", async () => {
    const known = await submitForm(answering(422, { status: 422, rule: 'network.member-already-joined', detail: 'person p is already a member' }), norwegian, NETWORK_FORMS.members, '/x', {}, {});
    expect(known.ok ? null : known.message()).toBe('Dette kunne ikke lagres: Denne personen er allerede medlem.');
    const unknown = await submitForm(answering(422, { status: 422, rule: 'network.brand-new', detail: 'something new' }), norwegian, NETWORK_FORMS.members, '/x', {}, {});
    expect(unknown.ok ? null : unknown.message()).toBe('Dette kunne ikke lagres: something new');
  });
});
