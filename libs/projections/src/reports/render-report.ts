import { renderHtml, renderMarkdown, type ReportDocument } from './report-document.js';
import { renderPdf } from './report-pdf.js';
import type { BuiltFrom } from './report-snapshot.js';

/** Formats of the document reports (learning summary, collaboration status). */
export const DOCUMENT_FORMATS = ['md', 'html', 'json', 'pdf'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

/** A rendered report: the bytes, their media type and a file name for downloads. */
export interface RenderedReport {
  body: string | Buffer;
  contentType: string;
  filename: string;
}

/** Media types of the report formats. */
export const REPORT_CONTENT_TYPES = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  pdf: 'application/pdf',
  svg: 'image/svg+xml; charset=utf-8',
} as const;

/** The model as pretty-printed JSON (key order is the model's construction order, so it is stable). */
export function reportJson(model: object): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}

/** `<name>-<position>-<lang>.<ext>`: names a report file by what determines its content. */
export function reportFilename(name: string, model: { builtFrom: BuiltFrom; lang: string }, extension: string): string {
  const safe = name.replace(/[^A-Za-z0-9-]+/g, '-');
  return `${safe}-${model.builtFrom.position}-${model.lang}.${extension}`;
}

/** Renders a document report in one format: json is the model itself, md/html/pdf its document. */
export async function renderDocumentReport<M extends { builtFrom: BuiltFrom; lang: string }>(
  model: M,
  toDocument: (model: M) => ReportDocument,
  format: DocumentFormat,
  name: string,
): Promise<RenderedReport> {
  const filename = reportFilename(name, model, format);
  const contentType = REPORT_CONTENT_TYPES[format];
  if (format === 'json') return { body: reportJson(model), contentType, filename };
  const doc = toDocument(model);
  if (format === 'md') return { body: renderMarkdown(doc), contentType, filename };
  if (format === 'html') return { body: renderHtml(doc), contentType, filename };
  const { lastRecordedAt, appVersion } = model.builtFrom;
  const date = new Date(lastRecordedAt ?? 0);
  return { body: await renderPdf(doc, { date, creator: `experiment-tracker ${appVersion}` }), contentType, filename };
}
