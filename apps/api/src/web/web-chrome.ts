import type { FastifyReply, FastifyRequest } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import type { Principal } from '../auth/principal.js';
import type { Language } from '../reads/time-travel.js';
import { pageLanguage, translate, type MessageKey } from './i18n/messages.js';
import { views, type PageChrome } from './view-renderer.js';
import type { PageName } from './templates/pages.js';

const NAV: ReadonlyArray<{ href: string; label: MessageKey; roles: ReadonlyArray<Principal['role']> }> = [
  { href: '/', label: 'nav.dashboard', roles: ['staff', 'lead', 'partner'] },
  { href: '/experiments', label: 'nav.experiments', roles: ['staff', 'lead', 'partner'] },
  { href: '/collaborations', label: 'nav.collaborations', roles: ['staff', 'lead', 'partner'] },
  { href: '/networks', label: 'nav.networks', roles: ['staff', 'lead'] },
  { href: '/people', label: 'nav.people', roles: ['staff', 'lead'] },
  { href: '/gatherings', label: 'nav.gatherings', roles: ['staff', 'lead'] },
  { href: '/learnings', label: 'nav.learnings', roles: ['staff', 'lead', 'partner'] },
  { href: '/reports', label: 'nav.reports', roles: ['staff', 'lead', 'partner'] },
  { href: '/audit', label: 'nav.audit', roles: ['staff', 'lead', 'partner'] },
];

/** The path of the request without its query. */
export function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0];
}

/** A same-site path to return to (never another origin). */
export function localPath(value: unknown, fallback = '/'): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && value.length <= 2000 ? value : fallback;
}

/** Header, navigation and language switch of a page for the request's user. */
export function chrome(request: FastifyRequest, title: string, notice?: string | null): PageChrome {
  const lang = pageLanguage(request);
  const principal = request.principal;
  const path = pathOf(request);
  const back = encodeURIComponent(request.url);
  const section = NAV.filter((item) => item.href !== '/' && (path === item.href || path.startsWith(`${item.href}/`))).at(-1)?.href ?? (path === '/' ? '/' : null);
  return {
    lang,
    title,
    path,
    user: principal ? { name: principal.name, role: translate(lang, `role.${principal.role}` as MessageKey) } : null,
    nav: principal
      ? NAV.filter((item) => item.roles.includes(principal.role)).map((item) => ({ href: item.href, label: translate(lang, item.label), current: item.href === section }))
      : [],
    csrf: principal?.credential.kind === 'session' ? principal.credential.csrfToken : null,
    notice: notice ?? null,
    languages: (['nb', 'en'] as const).map((code) => ({
      code,
      label: code === 'nb' ? 'Norsk' : 'English',
      href: `/language?to=${code}&back=${back}`,
      current: code === lang,
    })),
  };
}

/** Sends a rendered page. */
export function sendPage(reply: FastifyReply, page: PageName, pageChrome: PageChrome, model: object = {}, status = 200): string {
  void reply.status(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store');
  return views.render(page, pageChrome, model);
}

/** Sends a 303 redirect (after a form post, or to the sign-in page). */
export function redirect(reply: FastifyReply, location: string): string {
  void reply.status(303).header('location', location).header('cache-control', 'no-store');
  return '';
}

/** A fresh key for a form: the API records a submission with the same key once. */
export function formKey(): string {
  return uuidv7();
}

/** The message of `key` in the request's language. */
export function t(request: FastifyRequest, key: MessageKey, params?: Record<string, unknown>): string {
  return translate(pageLanguage(request), key, params);
}
