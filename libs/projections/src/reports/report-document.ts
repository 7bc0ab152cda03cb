import type { Lang } from '../rendering/event-summaries.js';
import { oneLine } from './format.js';
import type { EventRef } from './report-snapshot.js';

/** A piece of text in a line: plain, or strong. */
export type Run = string | { strong: string };

/** A line of a report, with the events it is derived from. */
export interface Line {
  runs: readonly Run[];
  /** Event ids; every rendering links each to where the event can be checked. */
  refs: readonly string[];
}

/** A block of a report document. */
export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; line: Line }
  | { kind: 'paragraph'; line: Line }
  | { kind: 'list'; ordered: boolean; items: readonly Line[] };

/** A report as text blocks, independent of the output format; md, html and pdf render it. */
export interface ReportDocument {
  lang: Lang;
  title: string;
  blocks: readonly Block[];
  /** Every event the lines refer to. */
  events: readonly EventRef[];
}

/** Builds a line from runs and event ids. */
export function line(runs: Run | readonly Run[], refs: Iterable<string> = []): Line {
  return { runs: isRunList(runs) ? runs : [runs], refs: [...refs] };
}

function isRunList(value: Run | readonly Run[]): value is readonly Run[] {
  return Array.isArray(value);
}

/** Text of a run on one line (whitespace collapsed; a strong run also trimmed, as emphasis must be). */
export function runText(run: Run): string {
  return typeof run === 'string' ? run.replace(/\s+/g, ' ') : oneLine(run.strong);
}

/** Link to the audit log narrowed to one event (its stream, type and store time). */
export function auditHref(ref: EventRef): string {
  const q = (value: string) => encodeURIComponent(value);
  return `/api/audit?stream=${q(ref.streamId)}&type=${q(ref.type)}&from=${q(ref.recordedAt)}&to=${q(ref.recordedAt)}`;
}

const EVENTS_HEADING: Record<Lang, string> = { en: 'Events this report is derived from', nb: 'Hendelser rapporten bygger på' };
const CHECK: Record<Lang, string> = { en: 'check in the audit log', nb: 'se revisjonsloggen' };

/** `event <id>: <type> in <stream>, position <n>, recorded <instant>`, in the document's language. */
export function describeEvent(ref: EventRef, lang: Lang): { id: string; rest: string } {
  return lang === 'nb'
    ? { id: `hendelse ${ref.eventId}`, rest: `${ref.type} i strømmen ${ref.streamId}, posisjon ${ref.position}, registrert ${ref.recordedAt}` }
    : { id: `event ${ref.eventId}`, rest: `${ref.type} in stream ${ref.streamId}, position ${ref.position}, recorded ${ref.recordedAt}` };
}

/** The heading of the event list. */
export function eventsHeading(lang: Lang): string {
  return EVENTS_HEADING[lang];
}

/** Numbers the referenced events 1, 2, … in order of first reference; returns them in that order. */
export function numberedEvents(document: ReportDocument): { numbers: Map<string, number>; events: EventRef[] } {
  const known = new Map(document.events.map((ref) => [ref.eventId, ref]));
  const numbers = new Map<string, number>();
  const events: EventRef[] = [];
  const note = (id: string) => {
    const ref = known.get(id);
    if (!ref || numbers.has(id)) return;
    numbers.set(id, numbers.size + 1);
    events.push(ref);
  };
  for (const block of document.blocks) {
    for (const l of block.kind === 'list' ? block.items : [block.line]) l.refs.forEach(note);
  }
  return { numbers, events };
}

/** The numbers of a line's events, ascending, each once. */
export function refNumbers(l: Line, numbers: ReadonlyMap<string, number>): number[] {
  return [...new Set(l.refs.map((id) => numbers.get(id)).filter((n): n is number => n !== undefined))].sort((a, b) => a - b);
}

const MD_SPECIAL = /[\\`*_[\]<>#|~&]/g;

function mdText(text: string): string {
  return text.replace(MD_SPECIAL, (c) => `\\${c}`);
}

/** Keeps user text at the start of a line from reading as a list item or a setext underline. */
function mdLineStart(text: string): string {
  return text.replace(/^(\d+)([.)])/, '$1\\$2').replace(/^([+\-=])/, '\\$1');
}

/** Renders the document as CommonMark with GFM footnotes: each line ends in `[^n]`, and footnote n names event n. */
export function renderMarkdown(document: ReportDocument): string {
  const { numbers, events } = numberedEvents(document);
  const render = (l: Line) => {
    const text = mdLineStart(l.runs.map((run) => (typeof run === 'string' ? mdText(runText(run)) : `**${mdText(runText(run))}**`)).join('').trim());
    const refs = refNumbers(l, numbers).map((n) => `[^${n}]`).join('');
    return refs ? `${text} ${refs}` : text;
  };
  const out: string[] = [`# ${mdText(oneLine(document.title))}`, ''];
  for (const block of document.blocks) {
    if (block.kind === 'heading') out.push(`${'#'.repeat(block.level)} ${render(block.line)}`, '');
    else if (block.kind === 'paragraph') out.push(render(block.line), '');
    else {
      block.items.forEach((item, i) => out.push(`${block.ordered ? `${i + 1}.` : '-'} ${render(item)}`));
      out.push('');
    }
  }
  if (events.length > 0) {
    out.push(`## ${mdText(eventsHeading(document.lang))}`, '');
    for (const ref of events) {
      const { id, rest } = describeEvent(ref, document.lang);
      out.push(`[^${numbers.get(ref.eventId)}]: ${mdText(id)}: ${mdText(rest)} ([${CHECK[document.lang]}](<${auditHref(ref)}>))`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = [
  'body{font-family:system-ui,sans-serif;line-height:1.5;margin:2rem auto;max-width:48rem;padding:0 1rem;color:#1b1b1b}',
  'h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}h3{font-size:1.05rem}',
  'sup a{text-decoration:none;margin-left:.15em}.events{font-size:.85rem}.events code{font-size:.8rem}',
].join('');

/** Renders the document as a standalone HTML page: each line links to its events, listed with audit-log links. */
export function renderHtml(document: ReportDocument): string {
  const { numbers, events } = numberedEvents(document);
  const render = (l: Line) => {
    const text = l.runs
      .map((run) => (typeof run === 'string' ? escapeHtml(runText(run)) : `<strong>${escapeHtml(runText(run))}</strong>`))
      .join('')
      .trim();
    const refs = refNumbers(l, numbers).map((n) => {
      const ref = events[n - 1];
      return `<a href="#event-${n}" title="${escapeHtml(describeEvent(ref, document.lang).id)}">${n}</a>`;
    });
    return refs.length > 0 ? `${text}<sup>${refs.join(',')}</sup>` : text;
  };
  const out: string[] = [
    '<!DOCTYPE html>',
    `<html lang="${document.lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(oneLine(document.title))}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeHtml(oneLine(document.title))}</h1>`,
  ];
  for (const block of document.blocks) {
    if (block.kind === 'heading') out.push(`<h${block.level}>${render(block.line)}</h${block.level}>`);
    else if (block.kind === 'paragraph') out.push(`<p>${render(block.line)}</p>`);
    else {
      const tag = block.ordered ? 'ol' : 'ul';
      out.push(`<${tag}>`, ...block.items.map((item) => `<li>${render(item)}</li>`), `</${tag}>`);
    }
  }
  if (events.length > 0) {
    out.push('<section class="events">', `<h2>${escapeHtml(eventsHeading(document.lang))}</h2>`, '<ol>');
    for (const ref of events) {
      const { id, rest } = describeEvent(ref, document.lang);
      out.push(
        `<li id="event-${numbers.get(ref.eventId)}"><code>${escapeHtml(id)}</code>: ${escapeHtml(rest)}` +
          ` (<a href="${escapeHtml(auditHref(ref))}">${CHECK[document.lang]}</a>)</li>`,
      );
    }
    out.push('</ol>', '</section>');
  }
  out.push('</main>', '</body>', '</html>');
  return `${out.join('\n')}\n`;
}
