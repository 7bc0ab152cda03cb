import type { FastifyRequest } from 'fastify';
import { resolveLanguage, type Language } from '../../reads/time-travel.js';
import { en, type MessageKey } from './en.js';
import { nb } from './nb.js';

export type { MessageKey } from './en.js';

/** The two message catalogues, by language. */
export const CATALOGUES: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = { en, nb };

/** The cookie that keeps the chosen language. */
export const LANGUAGE_COOKIE = 'tracker_lang';

const LOCALES: Record<Language, string> = { en: 'en-GB', nb: 'nb-NO' };
const ZONE = 'Europe/Oslo';

/** True when `key` names a message. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** The message in `lang` with `{name}` placeholders filled in (unknown placeholders stay as they are). */
export function translate(lang: Language, key: MessageKey, params: Readonly<Record<string, unknown>> = {}): string {
  return CATALOGUES[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

/**
 * The message for an API rule code (`experiment.not-running`) in `lang`: `rule.<code>`, else the message shared
 * by every owner (`rule.milestone-already-achieved` for `network.milestone-already-achieved`); null when unknown.
 */
export function ruleMessage(lang: Language, rule: string): string | null {
  const shared = rule.slice(rule.indexOf('.') + 1);
  const key = [`rule.${rule}`, `rule.${shared}`].find(isMessageKey);
  return key === undefined ? null : translate(lang, key);
}

/** The language of a page: the language cookie, else Accept-Language, else English. */
export function pageLanguage(request: FastifyRequest): Language {
  const chosen = request.cookies?.[LANGUAGE_COOKIE];
  if (chosen === 'nb' || chosen === 'en') return chosen;
  const header = request.headers['accept-language'];
  return resolveLanguage(undefined, typeof header === 'string' ? header : undefined);
}

function parse(value: string): Date | null {
  // A calendar date stands for that day in Oslo; noon keeps it on the same day in any offset.
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A date (or the date of an instant) as people read it in `lang`: 14 Mar 2019 / 14. mars 2019. */
export function formatDate(lang: Language, value: string | null | undefined): string {
  if (!value) return '';
  const date = parse(value);
  return date === null ? value : new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeZone: ZONE }).format(date);
}

/** An instant with its Oslo time of day. */
export function formatDateTime(lang: Language, value: string | null | undefined): string {
  if (!value) return '';
  const date = parse(value);
  return date === null ? value : new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeStyle: 'short', timeZone: ZONE }).format(date);
}

/** A number in `lang`'s notation. */
export function formatNumber(lang: Language, value: number): string {
  return new Intl.NumberFormat(LOCALES[lang]).format(value);
}
