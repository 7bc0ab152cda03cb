import type { Language } from '../../reads/time-travel.js';
import type { FieldProblem } from '../../http/problem.js';
import { translate, type MessageKey } from '../i18n/messages.js';

/** How a form field is shown and how its text becomes a JSON value. */
export type FieldKind = 'text' | 'textarea' | 'number' | 'url' | 'date' | 'list' | 'select' | 'email' | 'password';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  label: MessageKey;
  required?: boolean;
  hint?: MessageKey;
  /** For `select`: the values and the message keys of their labels. */
  options?: ReadonlyArray<{ value: string; label: MessageKey }>;
  /** For `select`: options read at request time (people, organisations, experiments), given in FormState.choices. */
  choices?: ChoiceList;
  autocomplete?: string;
}

/** Lists a select can offer that the API holds (see forms/choices.ts). */
export type ChoiceList = 'organisations' | 'people' | 'experiments';

/** A choice of a select whose label is data, not a message. */
export interface Choice {
  value: string;
  label: string;
}

/** A form whose fields map onto the body of one API command. */
export interface FormSpec {
  id: string;
  title: MessageKey;
  submit: MessageKey;
  fields: readonly FieldSpec[];
  danger?: boolean;
}

/** Submitted form values, as the urlencoded parser gives them. */
export type FormValues = Readonly<Record<string, unknown>>;

/** The text of a submitted field ('' when absent; the first of repeated values). */
export function formText(values: FormValues, name: string): string {
  const value = values[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : typeof first === 'number' ? String(first) : '';
}

const NUMBER = /^\s*-?\d+(?:[.,]\d+)?\s*$/;

/**
 * The JSON body for the API from a submitted form: text as typed, empty optional fields left out, lists split at
 * commas, numbers parsed (a decimal comma is accepted). Whatever does not parse is passed on as typed, so the
 * API's own validation names the field; nothing is checked here.
 */
export function toApiBody(spec: FormSpec, values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of spec.fields) {
    const text = formText(values, field.name);
    const empty = text.trim() === '';
    if (field.kind === 'list') {
      const items = text.split(',').map((item) => item.trim()).filter((item) => item !== '');
      if (items.length > 0 || field.required) body[field.name] = items;
      continue;
    }
    if (empty && !field.required) continue;
    if (field.kind === 'number') body[field.name] = NUMBER.test(text) ? Number(text.trim().replace(',', '.')) : empty ? null : text;
    else if (field.kind === 'textarea') body[field.name] = text.replace(/\r\n/g, '\n');
    else body[field.name] = text.trim() === text ? text : text.trim();
  }
  return body;
}

/** A field as the form partial renders it. */
export interface FieldView {
  id: string;
  name: string;
  type: string;
  label: string;
  value: string;
  error: string | null;
  hint: string | null;
  required: boolean;
  autocomplete: string | null;
  options: Array<{ value: string; label: string; selected: boolean }>;
}

/** A form as the form partial renders it. */
export interface FormView {
  id: string;
  title: string;
  action: string;
  submit: string;
  csrf: string | null;
  hidden: Array<{ name: string; value: string }>;
  message: string | null;
  fields: FieldView[];
  collapsible: boolean;
  open: boolean;
  danger: boolean;
}

/** What a form shows besides its spec: where it posts, what was typed, and what was wrong. */
export interface FormState {
  action: string;
  csrf: string | null;
  values?: FormValues;
  errors?: Readonly<Record<string, string>>;
  message?: string | null;
  hidden?: Record<string, string | number | undefined>;
  collapsible?: boolean;
  open?: boolean;
  /** Makes field ids unique when one form appears several times on a page. */
  suffix?: string;
  /** The options of the selects that read theirs from the API. */
  choices?: Partial<Record<ChoiceList, readonly Choice[]>>;
}

/** The view of `spec` in `lang`. */
export function formView(lang: Language, spec: FormSpec, state: FormState): FormView {
  const id = state.suffix ? `${spec.id}-${state.suffix}` : spec.id;
  const errors = state.errors ?? {};
  const values = state.values ?? {};
  const message = state.message ?? null;
  return {
    id,
    title: translate(lang, spec.title),
    action: state.action,
    submit: translate(lang, spec.submit),
    csrf: state.csrf,
    hidden: Object.entries(state.hidden ?? {})
      .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
      .map(([name, value]) => ({ name, value: String(value) })),
    message,
    collapsible: state.collapsible ?? true,
    open: (state.open ?? false) || message !== null || Object.keys(errors).length > 0,
    danger: spec.danger ?? false,
    fields: spec.fields.map((field) => {
      const value = formText(values, field.name);
      return {
        id: `${id}-${field.name}`,
        name: field.name,
        type: field.kind === 'list' ? 'text' : field.kind,
        label: translate(lang, field.label),
        value,
        error: errors[field.name] ?? null,
        hint: field.hint ? translate(lang, field.hint) : field.kind === 'list' ? translate(lang, 'common.listHint') : null,
        required: field.required ?? false,
        autocomplete: field.autocomplete ?? null,
        options: [
          // A choice of people, organisations or experiments starts empty, so none is picked by accident.
          ...(field.required && !field.choices ? [] : [{ value: '', label: '', selected: value === '' }]),
          ...(field.options ?? []).map((option) => ({ value: option.value, label: translate(lang, option.label), selected: option.value === value })),
          ...(field.choices ? (state.choices?.[field.choices] ?? []) : []).map((choice) => ({ ...choice, selected: choice.value === value })),
        ],
      };
    }),
  };
}

const FIELD_MESSAGES: ReadonlyArray<[RegExp, MessageKey]> = [
  [/must not be blank|should not be empty|must be a string|must be an array/, 'error.required'],
  [/at most \d+ characters|shorter than or equal/, 'error.tooLong'],
  [/must be a number|must be a whole number/, 'error.number'],
  [/URL/i, 'error.url'],
  [/must be a date/, 'error.date'],
  [/must be one of the following values|must be a UUID/, 'error.choice'],
  [/in the future/, 'error.future'],
];

/** The API's field problems as messages next to the form's own fields; the rest as one message for the form. */
export function fieldErrors(lang: Language, spec: FormSpec, problems: readonly FieldProblem[]): { errors: Record<string, string>; rest: string[] } {
  const names = new Set(spec.fields.map((field) => field.name));
  const errors: Record<string, string> = {};
  const rest: string[] = [];
  for (const problem of problems) {
    const name = problem.field.split(/[.[]/)[0];
    if (!names.has(name)) {
      rest.push(problem.message);
      continue;
    }
    if (errors[name] !== undefined) continue;
    const known = FIELD_MESSAGES.find(([pattern]) => pattern.test(problem.message));
    errors[name] = known ? translate(lang, known[1]) : problem.message;
  }
  return { errors, rest };
}
