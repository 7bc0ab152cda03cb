import { describe, expect, it } from '@jest/globals';
import { EXPERIMENT_FORMS, changedFields } from './experiment-forms.js';
import { fieldErrors, formView, toApiBody } from './form-spec.js';

describe('form to command mapping', () => {
  it('leaves out empty optional fields and passes required ones on as typed, for the API to judge', () => {
    expect(toApiBody(EXPERIMENT_FORMS.steps, { description: '', evidenceUrl: '  ', occurredAt: '', version: '3', _csrf: 'x' })).toEqual({ description: '' });
  });

  it('parses numbers (also with a decimal comma) and hands anything else on unparsed', () => {
    expect(toApiBody(EXPERIMENT_FORMS.measurements, { value: '12,5', unit: 'kg' })).toEqual({ value: 12.5, unit: 'kg' });
    expect(toApiBody(EXPERIMENT_FORMS.measurements, { value: 'many' })).toEqual({ value: 'many' });
    expect(toApiBody(EXPERIMENT_FORMS.measurements, { value: '' })).toEqual({ value: null });
  });

  it('splits lists at commas and keeps only the fields of the form', () => {
    const body = toApiBody(EXPERIMENT_FORMS.learnings, { observation: 'o', learning: 'l', decision: 'pivot', reliability: 'low', themes: ' a, ,b ', leadId: 'x' });
    expect(body).toEqual({ observation: 'o', learning: 'l', decision: 'pivot', reliability: 'low', themes: ['a', 'b'] });
  });

  it('sends only the Test Card fields a revision changes, with its reason', () => {
    const current = { title: 'T', metric: 'M', themes: ['a'], deadline: null };
    expect(changedFields({ title: 'T', metric: 'N', themes: ['a'], reason: 'r' }, current)).toEqual({ metric: 'N', reason: 'r' });
  });

  it("puts the API's field problems next to their fields, in the page language, and keeps the rest for the form", () => {
    const { errors, rest } = fieldErrors('nb', EXPERIMENT_FORMS.steps, [
      { field: 'description', message: 'description must not be blank' },
      { field: 'evidenceUrl', message: 'evidenceUrl must be an http(s) URL' },
      { field: 'leadId', message: 'leadId must be a UUID' },
    ]);
    expect(errors).toEqual({ description: 'Fyll ut dette feltet.', evidenceUrl: 'Skriv inn en lenke som begynner med http:// eller https://.' });
    expect(rest).toEqual(['leadId must be a UUID']);
  });

  it('renders what was typed and opens a form that has errors', () => {
    const view = formView('en', EXPERIMENT_FORMS.steps, { action: '/x', csrf: 't', values: { description: '<b>' }, errors: { description: 'Fill this in.' } });
    expect(view.open).toBe(true);
    expect(view.fields[0]).toMatchObject({ id: 'step-description', value: '<b>', error: 'Fill this in.', required: true });
  });
});
