import type { FastifyRequest } from 'fastify';
import { pageLanguage, ruleMessage } from '../i18n/messages.js';
import { t } from '../web-chrome.js';
import { pageErrorFor } from '../web-exception.filter.js';
import type { ApiProblem, InternalApi, WriteOptions } from '../internal-api.js';
import { fieldErrors, type FormSpec } from './form-spec.js';

/** How a form's command went. */
export type Submission<T> =
  | { ok: true; status: number; result: T }
  | { ok: false; status: number; errors: Record<string, string>; message: (currentVersion?: number) => string };

/**
 * Sends a form's body to its API command and reads the answer: field problems land next to their fields, a version
 * conflict (412) becomes "changed meanwhile", a rule (422) its message in the page language (the API's English
 * detail for a rule the catalogues do not know). Unknown or out of scope (404) is a 404 page.
 */
export async function submitForm<T = Record<string, unknown>>(
  api: InternalApi,
  request: FastifyRequest,
  spec: FormSpec,
  url: string,
  body: object,
  options: WriteOptions,
): Promise<Submission<T>> {
  const answer = await api.post<T & ApiProblem>(request, url, body, options);
  if (answer.status >= 200 && answer.status < 300) return { ok: true, status: answer.status, result: answer.json };
  if (answer.status === 404) throw pageErrorFor(404);
  const problem: ApiProblem = answer.json ?? { status: answer.status };
  const { errors, rest } = fieldErrors(pageLanguage(request), spec, problem.errors ?? []);
  const rule = answer.status === 422 && problem.rule ? ruleMessage(pageLanguage(request), problem.rule) : null;
  const detail = [rule ?? problem.detail, ...rest].filter((part) => part !== undefined && part !== '').join(' ');
  const message = (currentVersion?: number): string => {
    switch (answer.status) {
      case 400:
        return [t(request, 'form.invalid'), ...rest].join(' ');
      case 412:
        return t(request, 'form.changedMeanwhile', { version: currentVersion ?? '?' });
      case 409:
        return t(request, 'form.conflict');
      case 403:
        return t(request, 'form.forbidden');
      default:
        return t(request, 'form.failed', { detail: answer.status >= 500 ? answer.status : detail });
    }
  };
  return { ok: false, status: answer.status, errors, message };
}
