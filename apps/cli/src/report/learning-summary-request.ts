import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { DocumentFormat } from '#projections';
import { fieldProblems, ProblemException } from '../../../api/src/http/problem.js';
import { occurredRange } from '../../../api/src/learnings/learning.requests.js';
import type { ReportSpec } from '../../../api/src/reports/report.queries.js';
import { LearningSummaryRequest } from '../../../api/src/reports/report.requests.js';
import { UsageError } from '../tracker-context.js';

/** The options of `report learning-summary`, as given. */
export interface LearningSummaryOptions {
  from?: string;
  to?: string;
  theme?: string;
  collaboration?: string;
  format?: string;
  lang?: string;
  atPosition?: string;
}

/** The API's query parameter each option stands for. */
const FLAGS: Record<string, string> = {
  from: '--from',
  to: '--to',
  theme: '--theme',
  collaborationId: '--collaboration',
  format: '--format',
  lang: '--lang',
  atPosition: '--at-position',
};

/**
 * The report the API would build for `GET /api/reports/learning-summary` with the same parameters: validated
 * by the API's own request class, filters and time range derived as its controller does. `lang` defaults to
 * English (the API's default without Accept-Language), `format` to md. Throws UsageError naming each bad option.
 */
export function learningSummarySpec(options: LearningSummaryOptions): ReportSpec {
  const given = {
    from: options.from,
    to: options.to,
    theme: options.theme,
    collaborationId: options.collaboration,
    format: options.format,
    lang: options.lang,
    atPosition: options.atPosition,
  };
  const query = plainToInstance(LearningSummaryRequest, Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)));
  const errors = validateSync(query, { forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new UsageError(fieldProblems(errors).map((p) => `${FLAGS[p.field] ?? p.field}: ${p.message}`).join('; '));
  }
  let range: ReturnType<typeof occurredRange>;
  try {
    range = occurredRange(query);
  } catch (error) {
    if (error instanceof ProblemException) {
      const problems = error.extras.errors ?? [];
      throw new UsageError(problems.map((p) => `${FLAGS[p.field] ?? p.field}: ${p.message}`).join('; ') || error.message);
    }
    throw error;
  }
  const { from, to, theme, collaborationId } = query;
  const filters = { from: from ?? null, to: to ?? null, theme: theme?.trim() ?? null, collaborationId: collaborationId?.toLowerCase() ?? null };
  const format: DocumentFormat = query.format ?? 'md';
  return {
    report: 'learning-summary',
    format,
    lang: query.lang ?? 'en',
    ...(query.atPosition === undefined ? {} : { atPosition: Number(query.atPosition) }),
    input: { filters, ...range },
  };
}
