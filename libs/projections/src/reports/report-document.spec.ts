import { describe, expect, it } from '@jest/globals';
import { line, renderHtml, renderMarkdown, type ReportDocument } from './report-document.js';
import { renderPdf } from './report-pdf.js';
import type { EventRef } from './report-snapshot.js';

const ref = (n: number): EventRef => ({
  eventId: `0192f000-0000-7000-8000-${String(n).padStart(12, '0')}`,
  type: 'LearningRecorded',
  streamId: 'network-abc',
  position: n,
  occurredAt: '2019-01-01T00:00:00.000Z',
  recordedAt: '2024-06-01T12:00:00.000Z',
});

const doc: ReportDocument = {
  lang: 'en',
  title: 'Learning <summary> & more',
  events: [ref(1), ref(2), ref(3)],
  blocks: [
    { kind: 'paragraph', line: line('1. not a list *nor* emphasis [link](x) <b>') },
    { kind: 'heading', level: 2, line: line('Key', [ref(2).eventId]) },
    {
      kind: 'list',
      ordered: true,
      items: [line([{ strong: ' bold\n' }, ' — multi\n line'], [ref(3).eventId, ref(2).eventId, ref(3).eventId]), line('- dash', ['unknown'])],
    },
  ],
};

describe('report documents', () => {
  it('renders markdown with escaped text and numbered footnotes naming each event', () => {
    const md = renderMarkdown(doc);
    expect(md).toContain('# Learning \\<summary\\> \\& more');
    expect(md).toContain('1\\. not a list \\*nor\\* emphasis \\[link\\](x) \\<b\\>');
    // numbered by first reference: the heading's event is 1
    expect(md).toContain('## Key [^1]');
    expect(md).toContain('1. **bold** — multi line [^1][^2]');
    expect(md).toContain('2. \\- dash\n');
    expect(md).toContain(`[^1]: event ${ref(2).eventId}: LearningRecorded in stream network-abc, position 2`);
    expect(md).toContain(`[^2]: event ${ref(3).eventId}`);
    expect(md).toContain('(</api/audit?stream=network-abc&type=LearningRecorded&from=2024-06-01T12%3A00%3A00.000Z&to=2024-06-01T12%3A00%3A00.000Z>)');
    expect(md).not.toContain(ref(1).eventId);
    expect(md.endsWith('\n')).toBe(true);
  });

  it('renders html with escaped text and links from each line to its events', () => {
    const html = renderHtml(doc);
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<title>Learning &#60;summary&#62; &#38; more</title>');
    expect(html).toContain('&#60;b&#62;');
    expect(html).not.toContain('<b>');
    expect(html).toContain(`<a href="#event-1" title="event ${ref(2).eventId}">1</a>`);
    expect(html).toContain(`<li id="event-2"><code>event ${ref(3).eventId}</code>`);
    expect(html).toContain('href="/api/audit?stream=network-abc&#38;type=LearningRecorded');
  });

  it('renders the same pdf bytes for the same document and date', async () => {
    const info = { date: new Date('2024-06-01T12:00:00.000Z'), creator: 'experiment-tracker 0.1.0' };
    const [a, b] = [await renderPdf(doc, info), await renderPdf(doc, info)];
    expect(a.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(a.equals(b)).toBe(true);
    const later = await renderPdf(doc, { ...info, date: new Date('2024-06-02T12:00:00.000Z') });
    expect(later.equals(a)).toBe(false);
  });
});
