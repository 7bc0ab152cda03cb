import { describe, expect, it } from '@jest/globals';
import { EXPERIMENT_TIMELINE_EVENT_TYPES } from '../timeline/experiment-timeline.js';
import { EVENT_SUMMARIES, LANGS, isLang, renderSummary } from './event-summaries.js';

describe('event summaries', () => {
  it('has an English and a Norwegian renderer for every experiment event type', () => {
    for (const type of EXPERIMENT_TIMELINE_EVENT_TYPES) {
      for (const lang of LANGS) expect(typeof EVENT_SUMMARIES[type]?.[lang]).toBe('function');
    }
  });

  it('renders an unknown type as a neutral sentence', () => {
    expect(renderSummary('SomethingNew', { a: 1 }, 'en')).toBe('Event recorded: SomethingNew');
    expect(renderSummary('SomethingNew', { a: 1 }, 'nb')).toBe('Hendelse registrert: SomethingNew');
    expect(renderSummary('toString', {}, 'en')).toBe('Event recorded: toString');
  });

  it('never throws on missing or malformed parameters', () => {
    for (const type of EXPERIMENT_TIMELINE_EVENT_TYPES) {
      for (const lang of LANGS) {
        for (const params of [undefined, null, 'text', [1], {}, { changes: 'x', value: 'NaN', decision: 42 }]) {
          expect(typeof renderSummary(type, params, lang)).toBe('string');
        }
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
