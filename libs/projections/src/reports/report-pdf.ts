import { oneLine } from './format.js';
import { describeEvent, eventsHeading, numberedEvents, refNumbers, runText, type Line, type ReportDocument } from './report-document.js';

/** What a PDF states about itself; its dates are fixed by the caller so the same input gives the same bytes. */
export interface PdfInfo {
  /** CreationDate and ModDate: e.g. the store time of the newest event used, never the clock. */
  date: Date;
  /** Creator, e.g. `experiment-tracker 0.1.0`. */
  creator: string;
}

const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const MONO = 'Courier';
const HEADING_SIZES = { 1: 18, 2: 14, 3: 11.5 } as const;
const BODY_SIZE = 10;
const INDENT = 16;

/**
 * Renders the document as PDF with pdfkit's standard fonts (nothing embedded). The document id derives from the
 * info dictionary and the dates come from `info`, so equal input gives byte-identical output. pdfkit is loaded
 * on first use (it is only needed for PDFs).
 */
export async function renderPdf(document: ReportDocument, info: PdfInfo): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: oneLine(document.title), Creator: info.creator, Producer: info.creator, CreationDate: info.date, ModDate: info.date },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const { numbers, events } = numberedEvents(document);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;

  const write = (l: Line, size: number, indent = 0, prefix = '', bold = false) => {
    const refs = refNumbers(l, numbers);
    const runs: Array<{ text: string; bold: boolean }> = [
      ...(prefix ? [{ text: prefix, bold }] : []),
      ...l.runs.map((run) => ({ text: runText(run), bold: bold || typeof run !== 'string' })),
      ...(refs.length > 0 ? [{ text: ` [${refs.join(', ')}]`, bold: false }] : []),
    ].filter((run) => run.text !== '');
    if (runs.length === 0) return;
    doc.x = left + indent;
    runs.forEach((run, i) => {
      doc.font(run.bold ? BOLD : REGULAR).fontSize(size);
      doc.text(run.text, { width: width - indent, continued: i < runs.length - 1 });
    });
    doc.x = left;
  };

  doc.font(BOLD).fontSize(HEADING_SIZES[1]).text(oneLine(document.title), { width });
  doc.moveDown(0.5);
  for (const block of document.blocks) {
    if (block.kind === 'heading') {
      doc.moveDown(block.level === 2 ? 0.8 : 0.4);
      write(block.line, HEADING_SIZES[block.level], 0, '', true);
      doc.moveDown(0.2);
    } else if (block.kind === 'paragraph') {
      write(block.line, BODY_SIZE);
      doc.moveDown(0.4);
    } else {
      block.items.forEach((item, i) => {
        write(item, BODY_SIZE, INDENT, block.ordered ? `${i + 1}. ` : '• ');
        doc.moveDown(0.15);
      });
      doc.moveDown(0.3);
    }
  }
  if (events.length > 0) {
    doc.moveDown(0.8);
    doc.font(BOLD).fontSize(HEADING_SIZES[2]).text(eventsHeading(document.lang), left, undefined, { width });
    doc.moveDown(0.2);
    for (const ref of events) {
      const { id, rest } = describeEvent(ref, document.lang);
      doc.font(MONO).fontSize(7.5).text(`[${numbers.get(ref.eventId)}] ${id}`, left, undefined, { width, continued: true });
      doc.font(REGULAR).fontSize(7.5).text(`: ${rest}`, { width });
    }
  }
  doc.end();
  return done;
}
