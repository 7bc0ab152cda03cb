import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Language } from '../../reads/time-travel.js';
import type { InternalApi } from '../internal-api.js';
import { chrome, formKey, redirect, sendPage, t } from '../web-chrome.js';
import type { MessageKey } from '../i18n/messages.js';
import { loadChoices } from './choices.js';
import { formText, formView, toApiBody, type FormState, type FormSpec, type FormValues, type FormView } from './form-spec.js';
import { submitForm, type Submission } from './form-submission.js';

/** A form on an entity's page that sends one command to `/api/<collection>/:id/<path>`. */
export interface CommandForm extends FormSpec {
  /** Below `/api/<collection>/:id/`; `:item` stands for the sub-entity a form on a list item addresses. */
  path: string;
  /** The confirmation shown after it was saved (`done.<…>`). */
  done: string;
}

/** A form that creates an entity: POST `api`, from the page `<page>/new`. */
export interface CreateForm extends FormSpec {
  api: string;
  /** The web path of the collection: the form posts here and the new entity's page lies below it. */
  page: string;
  heading: MessageKey;
  done: string;
  /** Where to go after saving: the new entity's page, or the empty form again (entities without a page). */
  then: 'entity' | 'form';
}

/** The form that failed, shown again with what was typed and what was wrong. */
export interface FailedForm {
  /** The form's name on the page, `<name>:<itemId>` for a form on a list item. */
  name: string;
  values: FormValues;
  errors: Record<string, string>;
  message: string;
}

/** The entity version a form was rendered from (its hidden `version`), sent as If-Match. */
export function versionOf(values: FormValues): number | undefined {
  const text = formText(values, 'version');
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

/** The form's one-time key (its hidden `_key`), sent as Idempotency-Key. */
export function keyOf(values: FormValues): string | undefined {
  const key = formText(values, '_key');
  return /^[0-9a-f-]{36}$/.test(key) ? key : undefined;
}

/** The API path of a command form, with the list item it addresses. */
export function commandUrl(collection: string, id: string, spec: CommandForm, itemId?: string): string {
  return `/api/${collection}/${id}/${itemId === undefined ? spec.path : spec.path.replace(':item', itemId)}`;
}

/** Sends a submitted form as its command, as the version it was rendered from, once per form key. */
export function sendCommand(api: InternalApi, request: FastifyRequest, spec: FormSpec, url: string, body: object, values: FormValues): Promise<Submission<Record<string, unknown>>> {
  return submitForm(api, request, spec, url, body, { ifMatch: versionOf(values), idempotencyKey: keyOf(values) });
}

/**
 * The forms of one entity page: each carries the entity's version and a fresh key, and the one that failed
 * shows what was typed, what was wrong and the API's message.
 */
export class PageForms {
  private readonly views: FormView[] = [];

  constructor(
    private readonly lang: Language,
    private readonly csrf: string | null,
    private readonly version: number,
    private readonly failed: FailedForm | null,
    private readonly choices: FormState['choices'] = {},
  ) {}

  /** The view of form `name` posting to `action`; `suffix` (a list item's id) keeps its field ids unique. */
  form(name: string, spec: FormSpec, action: string, defaults: FormValues = {}, suffix?: string): FormView {
    const mine = this.failed !== null && this.failed.name === name;
    const view = formView(this.lang, spec, {
      // The answer to a refused form scrolls to it.
      action: `${action}#${suffix ? `${spec.id}-${suffix}` : spec.id}`,
      csrf: this.csrf,
      values: mine ? this.failed?.values : defaults,
      errors: mine ? this.failed?.errors : {},
      message: mine ? this.failed?.message : null,
      hidden: { version: this.version, _key: formKey() },
      suffix,
      choices: this.choices,
    });
    this.views.push(view);
    return view;
  }

  /** The message of a refused form that is no longer offered (the entity moved on meanwhile), for the top. */
  get message(): string | null {
    return this.failed !== null && !this.views.some((view) => view.message !== null) ? this.failed.message : null;
  }
}

/** What a creation page shows besides its form. */
interface CreateState {
  values?: FormValues;
  errors?: Record<string, string>;
  message?: string | null;
  notice?: string | null;
  status?: number;
}

/** The page of a creation form. */
export async function renderCreate(api: InternalApi, request: FastifyRequest, reply: FastifyReply, spec: CreateForm, state: CreateState = {}): Promise<string> {
  const page = chrome(request, t(request, spec.heading), state.notice);
  const choices = await loadChoices(api, request, [spec]);
  const form = formView(page.lang, spec, {
    action: spec.page,
    csrf: page.csrf,
    values: state.values,
    errors: state.errors,
    message: state.message,
    hidden: { _key: formKey() },
    collapsible: false,
    choices,
  });
  form.title = '';
  return sendPage(reply, 'formPage', page, { heading: t(request, spec.heading), form }, state.status);
}

/** Sends a creation form; on success goes to the new entity (or the form again), otherwise shows what was wrong. */
export async function submitCreate(api: InternalApi, request: FastifyRequest, reply: FastifyReply, spec: CreateForm, body: FormValues | undefined): Promise<string> {
  const values = body ?? {};
  const outcome = await submitForm<{ id: string }>(api, request, spec, spec.api, toApiBody(spec, values), { idempotencyKey: keyOf(values) });
  if (outcome.ok) return redirect(reply, spec.then === 'entity' ? `${spec.page}/${outcome.result.id}?done=${spec.done}` : `${spec.page}/new?done=${spec.done}`);
  return renderCreate(api, request, reply, spec, { values, errors: outcome.errors, message: outcome.message(), status: outcome.status });
}
