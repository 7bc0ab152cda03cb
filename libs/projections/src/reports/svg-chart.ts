import { escapeHtml } from './report-document.js';

/** One point: a calendar date (`YYYY-MM-DD`), a value, and what a reader sees and can follow on it. */
export interface ChartPoint {
  date: string;
  value: number;
  /** Tooltip text. */
  title: string;
  /** Where the point's evidence can be checked (e.g. an audit-log link). */
  href?: string;
}

/** A line of the chart. */
export interface ChartSeries {
  label: string;
  color: string;
  /** Dashed line. */
  dashed?: boolean;
  /** Hold each value until the next point (counts that change by events) instead of a straight line. */
  step?: boolean;
  /** Write each value beside its point. */
  labelValues?: boolean;
  points: readonly ChartPoint[];
}

/** A line chart over calendar dates. */
export interface LineChart {
  lang: string;
  title: string;
  /** Longer text for screen readers (`<desc>`). */
  description: string;
  /** Small print under the chart, e.g. what it was built from. */
  footer: string;
  /** Shown instead of lines when no series has a point. */
  emptyText: string;
  series: readonly ChartSeries[];
}

const WIDTH = 720;
const HEIGHT = 440;
const PLOT = { left: 64, right: 24, top: 56, bottom: 120 } as const;
const DAY_MS = 86_400_000;
const MAX_X_LABELS = 6;

/** A coordinate with at most one decimal, written the same everywhere. */
function num(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

function dayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** The smallest of 1, 2, 5 × 10^k that is ≥ value (at least 1). */
function niceCeiling(value: number): number {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((f) => f * magnitude).find((candidate) => candidate >= value) ?? 10 * magnitude;
}

function pick<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]);
}

/**
 * Draws the chart as a standalone SVG document, by hand: fixed size, coordinates rounded to one decimal,
 * no ids or clock, so equal input gives equal bytes.
 */
export function lineChartSvg(chart: LineChart): string {
  const e = escapeHtml;
  const series = chart.series.filter((s) => s.points.length > 0);
  const points = series.flatMap((s) => s.points);
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const bottom = PLOT.top + plotHeight;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" lang="${e(chart.lang)}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${e(chart.title)}</title>`,
    `<desc>${e(chart.description)}</desc>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="28" font-size="16" font-weight="bold" fill="#1b1b1b">${e(chart.title)}</text>`,
  ];
  const days = points.map((p) => dayOf(p.date));
  let [minDay, maxDay] = days.length > 0 ? [Math.min(...days), Math.max(...days)] : [0, 1];
  if (minDay === maxDay) [minDay, maxDay] = [minDay - 30, maxDay + 30];
  const yMax = niceCeiling(Math.max(0, ...points.map((p) => p.value)));
  const x = (date: string) => PLOT.left + ((dayOf(date) - minDay) / (maxDay - minDay)) * plotWidth;
  const y = (value: number) => bottom - (value / yMax) * plotHeight;

  for (let i = 0; i <= 5; i++) {
    const value = (yMax * i) / 5;
    const at = num(y(value));
    out.push(
      `<line x1="${PLOT.left}" y1="${at}" x2="${PLOT.left + plotWidth}" y2="${at}" stroke="#e3e3e3"/>`,
      `<text x="${PLOT.left - 8}" y="${at}" dy="4" text-anchor="end" fill="#555555">${num(value)}</text>`,
    );
  }
  out.push(
    `<line x1="${PLOT.left}" y1="${bottom}" x2="${PLOT.left + plotWidth}" y2="${bottom}" stroke="#555555"/>`,
    `<line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${bottom}" stroke="#555555"/>`,
  );
  const dates = [...new Set(points.map((p) => p.date))].sort();
  for (const date of pick(dates, MAX_X_LABELS)) {
    out.push(`<text x="${num(x(date))}" y="${bottom + 18}" text-anchor="middle" fill="#555555">${e(date)}</text>`);
  }
  if (series.length === 0) {
    out.push(`<text x="${num(PLOT.left + plotWidth / 2)}" y="${num(PLOT.top + plotHeight / 2)}" text-anchor="middle" fill="#555555">${e(chart.emptyText)}</text>`);
  }
  for (const s of series) {
    const coords: string[] = [];
    s.points.forEach((p, i) => {
      if (s.step && i > 0) coords.push(`${num(x(p.date))},${num(y(s.points[i - 1].value))}`);
      coords.push(`${num(x(p.date))},${num(y(p.value))}`);
    });
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(`<polyline points="${coords.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
    for (const p of s.points) {
      const [cx, cy] = [num(x(p.date)), num(y(p.value))];
      const dot = `<circle cx="${cx}" cy="${cy}" r="4" fill="${s.color}"><title>${e(p.title)}</title></circle>`;
      out.push(p.href ? `<a href="${e(p.href)}">${dot}</a>` : dot);
      if (s.labelValues) out.push(`<text x="${cx}" y="${cy}" dx="7" dy="-7" fill="${s.color}">${num(p.value)}</text>`);
    }
  }
  series.forEach((s, i) => {
    const lx = PLOT.left + (i % 2) * 300;
    const ly = bottom + 44 + Math.floor(i / 2) * 20;
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<text x="${lx + 32}" y="${ly}" dy="4" fill="#1b1b1b">${e(s.label)}</text>`,
    );
  });
  out.push(`<text x="${PLOT.left}" y="${HEIGHT - 12}" font-size="10" fill="#777777">${e(chart.footer)}</text>`, '</svg>');
  return `${out.join('\n')}\n`;
}
