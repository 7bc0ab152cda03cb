import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '#domain';
import { EventStore } from '#event-store';
import {
  collaborationReport,
  collaborationReportDocument,
  learningSummary,
  learningSummaryDocument,
  networkGrowth,
  networkGrowthSvg,
  PositionBeyondHead,
  renderDocumentReport,
  REPORT_CONTENT_TYPES,
  reportFilename,
  reportJson,
  ReportSnapshot,
  type DocumentFormat,
  type LearningSummaryInput,
  type RenderedReport,
} from '#projections';
import { validationProblem } from '../http/problem.js';
import type { Language } from '../reads/time-travel.js';
import { APP_VERSION } from './app-version.js';
import type { GrowthFormat } from './report.requests.js';

interface Common {
  lang: Language;
  /** Default: the newest event. */
  atPosition?: number;
}

/** Which report to build. */
export type ReportSpec =
  | (Common & { report: 'learning-summary'; format: DocumentFormat; input: Omit<LearningSummaryInput, 'lang' | 'appVersion'> })
  | (Common & { report: 'collaboration'; format: DocumentFormat; id: string })
  | (Common & { report: 'network-growth'; format: GrowthFormat; id: string });

/** Builds a report from the events up to a position (never from the live read models) and renders it. */
export class BuildReport extends Query<RenderedReport> {
  constructor(readonly spec: ReportSpec) {
    super();
  }
}

@QueryHandler(BuildReport)
export class BuildReportHandler implements IQueryHandler<BuildReport, RenderedReport> {
  constructor(private readonly store: EventStore) {}

  async execute({ spec }: BuildReport): Promise<RenderedReport> {
    const snapshot = await this.snapshot(spec.atPosition);
    try {
      return await this.build(snapshot, spec);
    } finally {
      snapshot.close();
    }
  }

  private async snapshot(atPosition: number | undefined): Promise<ReportSnapshot> {
    try {
      return await ReportSnapshot.load(this.store, atPosition);
    } catch (error) {
      if (error instanceof PositionBeyondHead) throw validationProblem([{ field: 'atPosition', message: error.message }], error.message);
      throw error;
    }
  }

  private async build(snapshot: ReportSnapshot, spec: ReportSpec): Promise<RenderedReport> {
    const { lang } = spec;
    switch (spec.report) {
      case 'learning-summary': {
        const model = learningSummary(snapshot, { ...spec.input, lang, appVersion: APP_VERSION });
        if (!model) throw new NotFoundError('collaboration', spec.input.filters.collaborationId ?? '');
        return renderDocumentReport(model, learningSummaryDocument, spec.format, 'learning-summary');
      }
      case 'collaboration': {
        const model = collaborationReport(snapshot, spec.id, lang, APP_VERSION);
        if (!model) throw new NotFoundError('collaboration', spec.id);
        return renderDocumentReport(model, collaborationReportDocument, spec.format, `collaboration-${spec.id}`);
      }
      case 'network-growth': {
        const model = networkGrowth(snapshot, spec.id, lang, APP_VERSION);
        if (!model) throw new NotFoundError('network', spec.id);
        const filename = reportFilename(`network-growth-${spec.id}`, model, spec.format);
        return spec.format === 'svg'
          ? { body: networkGrowthSvg(model), contentType: REPORT_CONTENT_TYPES.svg, filename }
          : { body: reportJson(model), contentType: REPORT_CONTENT_TYPES.json, filename };
      }
    }
  }
}
