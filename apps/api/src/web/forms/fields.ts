import { LEARNING_DECISIONS, RELIABILITIES } from '#domain';
import type { MessageKey } from '../i18n/messages.js';
import type { FieldSpec } from './form-spec.js';

/** Select options whose labels are the messages `<prefix>.<value>`. */
export const options = (values: readonly string[], prefix: string) => values.map((value) => ({ value, label: `${prefix}.${value}` as MessageKey }));

/** The business date of a command (empty: today). */
export const occurredAt: FieldSpec = { name: 'occurredAt', kind: 'date', label: 'field.occurredAt', hint: 'common.occurredAtHint' };
export const reason: FieldSpec = { name: 'reason', kind: 'text', label: 'field.reason', required: true };
export const themes: FieldSpec = { name: 'themes', kind: 'list', label: 'field.themes' };

/** A Learning Card, as experiments, collaborations and networks record it. */
export const LEARNING_CARD: readonly FieldSpec[] = [
  { name: 'observation', kind: 'textarea', label: 'field.observation', required: true },
  { name: 'learning', kind: 'textarea', label: 'field.learning', required: true },
  { name: 'decision', kind: 'select', label: 'field.decision', required: true, options: options(LEARNING_DECISIONS, 'decision') },
  { name: 'reliability', kind: 'select', label: 'field.reliability', required: true, options: options(RELIABILITIES, 'reliability') },
  themes,
  occurredAt,
];
