import Handlebars from 'handlebars';
import type { Language } from '../reads/time-travel.js';
import { formatDate, formatDateTime, formatNumber, isMessageKey, translate } from './i18n/messages.js';
import { LAYOUT } from './templates/layout.js';
import { PAGES, type PageName } from './templates/pages.js';
import { PARTIALS } from './templates/partials.js';

/** What every page gets: its language, title, the signed-in user and the navigation. */
export interface PageChrome {
  lang: Language;
  title: string;
  path: string;
  user: { name: string; role: string } | null;
  nav: Array<{ href: string; label: string; current: boolean }>;
  csrf: string | null;
  /** A confirmation shown at the top (after a form was saved). */
  notice?: string | null;
  /** The other language, for the switch in the header. */
  languages: Array<{ code: Language; label: string; href: string; current: boolean }>;
}

type RootData = { lang: Language };

/**
 * Renders the pages with Handlebars: `{{…}}` escapes everything (the layout's `{{{body}}}` takes only a page this
 * renderer produced). Templates live in TypeScript modules so the compiled server carries them in dist.
 */
export class ViewRenderer {
  private readonly engine = Handlebars.create();
  private readonly layout: Handlebars.TemplateDelegate;
  private readonly pages = new Map<PageName, Handlebars.TemplateDelegate>();

  constructor() {
    const hb = this.engine;
    const lang = (options: Handlebars.HelperOptions): Language => (options.data.root as RootData).lang;
    hb.registerHelper('t', function (key: unknown, options: Handlebars.HelperOptions) {
      const name = String(key);
      return isMessageKey(name) ? translate(lang(options), name, options.hash as Record<string, unknown>) : name;
    });
    hb.registerHelper('date', (value: unknown, options: Handlebars.HelperOptions) => formatDate(lang(options), typeof value === 'string' ? value : null));
    hb.registerHelper('datetime', (value: unknown, options: Handlebars.HelperOptions) =>
      formatDateTime(lang(options), typeof value === 'string' ? value : null),
    );
    hb.registerHelper('num', (value: unknown, options: Handlebars.HelperOptions) => (typeof value === 'number' ? formatNumber(lang(options), value) : ''));
    hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    hb.registerHelper('not', (a: unknown) => !a);
    hb.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).map(String).join(''));
    hb.registerHelper('short', (id: unknown) => (typeof id === 'string' ? id.slice(0, 8) : ''));
    for (const [name, source] of Object.entries(PARTIALS)) hb.registerPartial(name, source);
    const compile = (source: string) => hb.compile(source, { strict: false, noEscape: false });
    this.layout = compile(LAYOUT);
    for (const [name, source] of Object.entries(PAGES)) this.pages.set(name as PageName, compile(source));
  }

  /** The whole HTML document of `page` with `model` inside the layout. */
  render(page: PageName, chrome: PageChrome, model: object = {}): string {
    const template = this.pages.get(page);
    if (!template) throw new Error(`No page template ${page}`);
    const data = { ...model, ...chrome };
    const body = template(data);
    return this.layout({ ...data, body });
  }
}

/** The one renderer (templates compile once). */
export const views = new ViewRenderer();
