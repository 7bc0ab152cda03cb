import { EXPERIMENT_OUTCOMES } from '#domain';
import { LEARNING_CARD, occurredAt, options, reason, themes } from './fields.js';
import type { FieldSpec } from './form-spec.js';
import type { CommandForm, CreateForm } from './form-pages.js';

const TEST_CARD: readonly FieldSpec[] = [
  { name: 'title', kind: 'text', label: 'field.title', required: true },
  { name: 'hypothesis', kind: 'textarea', label: 'field.hypothesis', required: true },
  { name: 'test', kind: 'textarea', label: 'field.test', required: true },
  { name: 'metric', kind: 'text', label: 'field.metric', required: true },
  { name: 'successCriteria', kind: 'textarea', label: 'field.successCriteria', required: true },
  themes,
  { name: 'deadline', kind: 'date', label: 'field.deadline' },
];

/** An experiment form: its fields and the API command it sends (`path` below /api/experiments/:id, as its page's). */
export type ExperimentForm = CommandForm;

const DESIGN = { id: 'design', title: 'form.design', heading: 'form.design', submit: 'form.design.submit', api: '/api/experiments', page: '/experiments', done: 'designed', then: 'entity' } as const;

/** Designing an experiment (its Test Card) as its lead: POST /api/experiments. */
export const DESIGN_FORM: CreateForm = { ...DESIGN, fields: TEST_CARD };

/** Staff design experiments for a lead they pick. */
export const STAFF_DESIGN_FORM: CreateForm = { ...DESIGN, fields: [{ name: 'leadId', kind: 'select', label: 'field.leadId', choices: 'people' }, ...TEST_CARD] };

/** The forms on an experiment's page, by the page path they post to. */
export const EXPERIMENT_FORMS = {
  start: { id: 'start', path: 'start', done: 'started', title: 'form.start', submit: 'form.start.submit', fields: [occurredAt] },
  steps: {
    id: 'step',
    path: 'steps',
    done: 'step',
    title: 'form.step',
    submit: 'form.step.submit',
    fields: [{ name: 'description', kind: 'textarea', label: 'field.description', required: true }, { name: 'evidenceUrl', kind: 'url', label: 'field.evidenceUrl' }, occurredAt],
  },
  measurements: {
    id: 'measurement',
    path: 'measurements',
    done: 'measurement',
    title: 'form.measurement',
    submit: 'form.measurement.submit',
    fields: [
      { name: 'value', kind: 'number', label: 'field.value', required: true },
      { name: 'unit', kind: 'text', label: 'field.unit' },
      { name: 'note', kind: 'text', label: 'field.note' },
      occurredAt,
    ],
  },
  learnings: {
    id: 'learning',
    path: 'learnings',
    done: 'learning',
    title: 'form.learning',
    submit: 'form.learning.submit',
    fields: LEARNING_CARD,
  },
  revise: {
    id: 'revise',
    path: 'revise',
    done: 'revised',
    title: 'form.revise',
    submit: 'form.revise.submit',
    fields: [...TEST_CARD.map((field) => ({ ...field, required: false })), reason],
  },
  conclude: {
    id: 'conclude',
    path: 'conclude',
    done: 'concluded',
    title: 'form.conclude',
    submit: 'form.conclude.submit',
    fields: [
      { name: 'outcome', kind: 'select', label: 'field.outcome', required: true, options: options(EXPERIMENT_OUTCOMES, 'outcome') },
      { name: 'summary', kind: 'textarea', label: 'field.summary', required: true },
      occurredAt,
    ],
  },
  abandon: { id: 'abandon', path: 'abandon', done: 'abandoned', title: 'form.abandon', submit: 'form.abandon.submit', danger: true, fields: [reason, occurredAt] },
} as const satisfies Record<string, ExperimentForm>;

export type ExperimentFormName = keyof typeof EXPERIMENT_FORMS;

/** Retracting a step or a learning: the forms on those list items (`/experiments/:id/<name>/:itemId`). */
export const RETRACT_FORMS = {
  'retract-step': { id: 'retract-step', path: 'steps/:item/retract', done: 'retracted', title: 'form.retractStep', submit: 'form.retract.submit', danger: true, fields: [reason] },
  'retract-learning': {
    id: 'retract-learning',
    path: 'learnings/:item/retract',
    done: 'retracted',
    title: 'form.retractLearning',
    submit: 'form.retract.submit',
    danger: true,
    fields: [reason],
  },
} as const satisfies Record<string, ExperimentForm>;

/** Which forms an experiment in `status` offers (the decider has the last word). */
export function formsFor(status: 'designed' | 'running' | 'concluded' | 'abandoned'): ExperimentFormName[] {
  switch (status) {
    case 'designed':
      return ['start', 'revise', 'abandon'];
    case 'running':
      return ['steps', 'measurements', 'learnings', 'revise', 'conclude', 'abandon'];
    case 'concluded':
      return ['learnings'];
    case 'abandoned':
      return [];
  }
}

/** The Test Card fields of a revision that differ from the current card (a revision names only what changes). */
export function changedFields(body: Record<string, unknown>, current: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    if (name === 'reason' || name === 'occurredAt' || JSON.stringify(value) !== JSON.stringify(current[name] ?? null)) result[name] = value;
  }
  return result;
}
